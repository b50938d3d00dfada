"""`plandraft classify`: measures given as text, one a line → their outline pillars (JSON lines or a table)."""
from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK, InputError, UsageError
from ..messages import text as msg_text
from ..text.encoding import decode
from ..text.normalize import clean
from ._common import (
    Console,
    add_example,
    add_knowledge_options,
    evidence_text,
    match_json,
    matcher_from_args,
    require_files,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("classify", help=msg_text("help.classify"), description=msg_text("help.classify.description"))
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help=msg_text("help.classify.file"))
    add_knowledge_options(p)
    p.add_argument("--json", action="store_true", help=msg_text("help.classify.json"))
    add_example(p, "plandraft classify --outline inputs/outline_計画の構成案.txt measures.txt --json",
                "echo 市民協働出前講座の実施 | plandraft classify --outline inputs/outline_計画の構成案.txt")
    p.set_defaults(func=run)


def _read_lines(path: str) -> list[str]:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    try:
        text = decode(data)  # UTF-8, or as Excel and Notepad save it (CP932, UTF-16)
    except InputError as exc:
        raise UsageError(exc.line(path)) from exc
    return [clean(line) for line in text.splitlines()]


def run(args: argparse.Namespace) -> int:
    import json

    console = Console()
    if args.file != "-":
        require_files([args.file], "input")
    matcher = matcher_from_args(args, console)
    outline = matcher.outline
    out = sys.stdout
    lines = [(str(n), line) for n, line in enumerate(_read_lines(args.file), start=1) if line]
    # One batch: the model scores every line in one matrix product.
    for (_, line), m in zip(lines, matcher.match_texts([t for _, t in lines], [n for n, _ in lines])):
        if args.json:
            out.write(json.dumps(match_json(m, outline), ensure_ascii=False) + "\n")
        else:
            flag = " -" if m.no_pillar else (" ?" if m.needs_review else "")
            out.write(f"({m.pillar}) {outline.pillar(m.pillar).title[:18]:<18} {m.confidence:4.2f}{flag:2} "
                      f"{line}  [{evidence_text(m, 2)}]\n")
    return EXIT_OK
