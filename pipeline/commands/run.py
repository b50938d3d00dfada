"""`plandraft run`: the main job on a folder of inputs (what `make draft` runs)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import config
from ..cli import EXIT_OK, EXIT_PARTIAL
from ..model import Document
from ..output import metadata
from ._common import Console, add_example, emit, ingest_reporting, read_outline_or_fail


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("run", help="the whole job on a folder of inputs (make draft)",
                       description="Read the outline and every plan in FOLDER (settings in "
                       "FOLDER/plandraft.toml), and write the results to the output folder.")
    p.add_argument("folder", nargs="?", default="inputs", metavar="FOLDER", help="input folder (default: inputs)")
    p.add_argument("-o", "--output", default="outputs", metavar="DIR", help="output folder (default: outputs)")
    p.add_argument("--force", action="store_true", help="replace earlier outputs (a backup is kept)")
    p.add_argument("--json", action="store_true", help="print a JSON summary to stdout")
    p.add_argument("--no-cache", action="store_true", help="parse every file again")
    add_example(p, "plandraft run inputs -o outputs")
    p.set_defaults(func=run)


def consistency(docs: list[Document]) -> list[str]:
    """Warnings where copies of one plan (same city and year, other formats) disagree on their items."""
    groups: dict[tuple[str | None, int | None], list[Document]] = {}
    for d in docs:
        groups.setdefault((d.city, d.fiscal_year.year if d.fiscal_year else None), []).append(d)
    warnings = []
    for docs_ in groups.values():
        base = docs_[0]
        key = [(i.name, i.content, i.departments) for i in base.items]
        for other in docs_[1:]:
            if [(i.name, i.content, i.departments) for i in other.items] != key:
                warnings.append(f"{other.path}: items differ from {base.path} "
                                f"({len(other.items)} vs {len(base.items)} items); check both")
    return warnings


def run(args: argparse.Namespace) -> int:
    console = Console()
    cfg = config.load(args.folder)
    out = Path(args.output)
    outline = read_outline_or_fail(str(cfg.outline))
    docs, errors = ingest_reporting([*cfg.documents, *cfg.others], console, use_cache=not args.no_cache)
    warnings = consistency([d for d in docs if Path(d.path) not in cfg.others])
    for w in warnings:
        console.error(w)
    written = [out / "outline.json", out / "items.json"]
    emit({"outline": outline, "metadata": metadata()}, str(written[0]))
    emit({"documents": docs, "errors": errors, "metadata": metadata()}, str(written[1]))
    summary: dict[str, Any] = {
        "outline": {"path": str(cfg.outline), "pillars": len(outline.pillars)},
        "documents": [{"path": d.path, "city": d.city, "fiscal_year": d.fiscal_year, "items": len(d.items)}
                      for d in docs],
        "errors": errors,
        "warnings": warnings,
        "outputs": [str(p) for p in written],
    }
    if args.json:
        emit(summary, None)
    else:
        lines = [f"outline: {cfg.outline} ({len(outline.pillars)} pillars)"]
        for d in docs:
            fy = d.fiscal_year.label if d.fiscal_year else "年度不明"
            lines.append(f"read {d.path}: {d.city or '市町村不明'} {fy}, {len(d.items)} items")
        lines.append("wrote " + ", ".join(str(p) for p in written))
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_PARTIAL if errors else EXIT_OK
