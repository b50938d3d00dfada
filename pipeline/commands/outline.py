"""`plandraft outline`: the draft outline (計画の構成案) → its policy pillars."""
from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK
from ..messages import text
from ..model import Outline
from ._common import add_example, emit, read_outline_or_fail, require_files


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("outline", help=text("help.outline_command"), description=text("help.outline_command.description"))
    p.add_argument("path", metavar="PATH", help=text("help.outline_command.path"))
    p.add_argument("--json", action="store_true", help=text("help.json"))
    p.add_argument("-o", "--output", metavar="FILE", help=text("help.ingest.output"))
    add_example(p, "plandraft outline inputs/outline_計画の構成案.txt --json")
    p.set_defaults(func=run)


def render_text(outline: Outline) -> str:
    lines = [text("outline.summary", title=outline.title, count=len(outline.pillars))]
    for p in outline.pillars:
        lines.append(f"({p.number}) {p.title}")
        if p.description:
            lines.append(f"    {p.description}")
        for t in p.topics:
            lines.append(f"    ・{t}")
        for e in p.examples:
            lines.append(f"    例: {e.text}" + (f" ({e.city})" if e.city else ""))
    if outline.model_projects:
        lines.append("モデル事業:")
        lines.extend(f"    {e.text}" + (f" ({e.city})" if e.city else "") for e in outline.model_projects)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    require_files([args.path], "outline")
    outline = read_outline_or_fail(args.path)
    if args.output:
        emit(outline, args.output)
    if args.json:
        emit(outline, None)
    if not args.json:
        sys.stdout.write(render_text(outline) + "\n")
    return EXIT_OK
