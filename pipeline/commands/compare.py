"""`plandraft compare`: our plan against other cities', pillar by pillar (matrix, pairs, gaps)."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import library
from ..compare.compare import Comparison
from ..errors import EXIT_OK, EXIT_PARTIAL, InputError, UsageError
from ..job import COMPARE_OUTPUTS, Pipeline
from ..messages import text
from ..output import metadata
from ..settings import CompareSettings, RunConfig, Settings
from ._common import Console, add_example, add_reference_option, emit, require_files


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("compare", help=text("help.compare"), description=text("help.compare.description"))
    p.add_argument("--outline", required=True, metavar="OUTLINE", help=text("help.compare.outline"))
    p.add_argument("--plan", required=True, metavar="OURS", help=text("help.compare.plan"))
    p.add_argument("--others", nargs="*", default=[], metavar="PATH", help=text("help.compare.others"))
    p.add_argument("--city", help=text("help.compare.city"))
    p.add_argument("--corrections", metavar="TSV", help=text("help.compare.corrections"))
    p.add_argument("--threshold", type=float, default=CompareSettings().threshold, metavar="X",
                   help=text("help.compare.threshold", default=CompareSettings().threshold))
    p.add_argument("--library", metavar="PATH", default=str(library.DEFAULT_PATH),
                   help=text("help.library", path=library.DEFAULT_PATH))
    p.add_argument("--no-library", action="store_true", help=text("help.compare.no_library"))
    p.add_argument("-o", "--output", required=True, metavar="DIR", help=text("help.compare.output"))
    p.add_argument("--force", action="store_true", help=text("help.compare.force"))
    p.add_argument("--json", action="store_true", help=text("help.json_summary"))
    p.add_argument("--no-cache", action="store_true", help=text("help.no_cache_all"))
    add_reference_option(p)
    add_example(p, "plandraft compare --outline inputs/outline_計画の構成案.txt "
                   "--plan inputs/tsushima_h21_action_plan.txt --others others/ -o outputs")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    console = Console()
    require_files([args.outline, args.plan], "input")
    if not 0 < args.threshold <= 1:
        raise UsageError(text("cli.threshold"))
    base = Settings()
    cfg = RunConfig.for_files(args.outline, args.plan, args.others, corrections=args.corrections, city=args.city,
                              reference=args.reference or "auto",
                              settings=replace(base, compare=replace(base.compare, threshold=args.threshold)))
    job = Pipeline(out_dir=Path(args.output), library=None if args.no_library else Path(args.library),
                   use_cache=not args.no_cache, force=args.force, outputs=("comparison",),
                   on_error=lambda p, e: console.error(e.line(p)), progress=console.progress)
    state = job(cfg, ("outline", "read"))
    console.summary(state.documents, state.errors)
    if state.plan is None:
        console.error(text("job.nothing_compared", path=args.plan))
        return EXIT_PARTIAL
    existing = [Path(args.output) / n for n in COMPARE_OUTPUTS if (Path(args.output) / n).exists()]
    if existing and not args.force:
        raise UsageError(text("cli.compare_exists", path=existing[0]))
    try:
        state = job(state, ("match", "compare", "write"))
    except InputError as exc:
        raise exc.at(args.library) from None
    for w in state.warnings:
        console.error(w)
    assert state.comparison is not None
    _report(state.comparison, list(state.outputs), list(state.errors), args, console)
    return EXIT_PARTIAL if state.errors else EXIT_OK


def _report(result: Comparison, written: list[Path], errors: list[Any], args: argparse.Namespace,
            console: Console) -> None:
    if args.json:
        emit({
            "our_city": result.our_city,
            "cities": result.cities,
            "matrix": {str(n): {c: result.count(n, c) for c in result.cities} for n, _ in result.pillars},
            "pairs": len(result.pairs),
            "unmatched": sum(1 for p in result.pairs if p.ours is None),
            "gaps": [{"pillar": g.pillar, "rank": g.rank, "measure": g.text, "cities": g.cities,
                      "similar": [f"{s.item.name}（{s.city}）" for s in g.similar],
                      "nearest": g.nearest.name if g.nearest else None, "nearest_score": g.nearest_score,
                      "source": g.other.item.source.label()} for g in result.gaps],
            "outputs": [str(p) for p in written],
            "errors": errors,
            "notes": result.skipped,
            "metadata": metadata(),
        }, None)
        return
    for note in result.skipped:
        console.info(note)
    unnamed = [c for c in result.cities if c.endswith("（市町村不明）")]
    if unnamed:
        console.info(text("compare.unnamed", count=len(unnamed)))
    lines = [text("compare.summary", city=result.our_city, others=len(result.cities) - 1, pairs=len(result.pairs),
                  unmatched=sum(1 for p in result.pairs if p.ours is None), gaps=len(result.gaps))]
    for n, title in result.pillars:
        gaps = [g for g in result.gaps if g.pillar == n]
        if gaps:
            top = "、".join(f"{g.text}（{'・'.join(g.cities)}）" for g in gaps[:3])
            lines.append(f"  ({n}) {title}: {len(gaps)} — {top}")
    lines.append(text("output.wrote", path=", ".join(str(p) for p in written)))
    sys.stdout.write("\n".join(lines) + "\n")
