"""`plandraft run`: the main job on a folder of inputs (what `make draft` runs)."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import settings
from ..compare.compare import Comparison
from ..errors import EXIT_OK, EXIT_PARTIAL
from ..job import Pipeline
from ..messages import text
from ..model import Document
from ..reference import REFERENCE
from ._common import Console, add_example, add_reference_option, emit, require_files


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("run", help=text("help.run"), description=text("help.run.description"))
    p.add_argument("folder", nargs="?", default="inputs", metavar="FOLDER", help=text("help.run.folder"))
    p.add_argument("-o", "--output", default="outputs", metavar="DIR", help=text("help.output_folder"))
    p.add_argument("--json", action="store_true", help=text("help.json_summary"))
    p.add_argument("--no-cache", action="store_true", help=text("help.no_cache_all"))
    add_reference_option(p)
    p.add_argument("--progress", metavar="FILE", action="append", help=text("help.run.progress"))
    add_example(p, "plandraft run inputs -o outputs",
                "plandraft run inputs -o outputs --progress 平成22年度_進行管理シート.xlsx")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    console = Console()
    cfg = settings.load(args.folder)
    if args.reference:
        cfg = replace(cfg, reference=args.reference)
    if args.progress:
        require_files(args.progress, "progress sheet")
        cfg = cfg.with_progress(args.progress)
    for w in cfg.warnings:
        console.error(w)
    out = Path(args.output)
    job = Pipeline(out_dir=out, library=out / "library.sqlite", use_cache=not args.no_cache, force=True,
                   manifest=True, outputs=("draft", "comparison", "json", "progress"),
                   on_error=lambda p, e: console.error(e.line(p)), progress=console.progress)
    state = job(cfg, ("outline",))
    state = job(state, ("read",))
    console.summary(state.documents, state.errors)
    shown = len(state.warnings)
    for w in state.warnings:
        console.error(w)
    if state.plan is None:
        console.error(text("job.nothing_drafted", path=cfg.plan))
        if args.json:  # what was read and what failed, as when it drafts; nothing written
            emit({"outline": {"path": str(cfg.outline), "pillars": len(state.outline.pillars) if state.outline else 0},
                  "plan": None, "year": None, "documents": _documents(state.documents), "errors": state.errors,
                  "warnings": state.warnings, "outputs": []}, None)
        return EXIT_PARTIAL
    state = job(state, ("match", "compare", "draft", "write"))
    for w in state.warnings[shown:]:
        console.error(w)
    draft, comparison, outline = state.draft, state.comparison, state.outline
    assert draft is not None and comparison is not None and outline is not None and state.plan is not None
    review = sum(1 for m in state.matches.values() if m.needs_review)
    summary: dict[str, Any] = {
        "outline": {"path": str(cfg.outline), "pillars": len(outline.pillars)},
        "plan": state.plan.path,
        "year": draft.year_label,
        "documents": _documents(state.documents),
        "review": len(draft.review),
        "low_confidence": review,
        "errors": state.errors,
        "warnings": state.warnings,
        "gaps": len(comparison.gaps),
        "compared": _compared(comparison),
        "outputs": [str(p) for p in state.outputs],
    }
    if args.json:
        emit(summary, None)
    else:
        lines = [text("run.outline", path=cfg.outline, count=len(outline.pillars))]
        for d in state.documents:
            fy = d.fiscal_year.label if d.fiscal_year else "年度不明"
            lines.append(text("run.read", path=d.path, city=d.city or "市町村不明", year=fy, count=len(d.items)))
        lines.append(text("run.drafted", year=draft.year_label, path=state.plan.path, count=len(draft.review)))
        lines.append(_compared_line(summary["compared"], len(comparison.gaps)))
        lines += [text("output.wrote", path=p) for p in (*state.outputs, out / "library.sqlite")]
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_PARTIAL if state.errors else EXIT_OK


def _documents(documents: Sequence[Document]) -> list[dict[str, Any]]:
    return [{"path": d.path, "city": d.city, "fiscal_year": d.fiscal_year, "items": len(d.items)} for d in documents]


def _compared(comparison: Comparison) -> dict[str, Any]:
    """What the comparison covered: the other plans' cities, and the reference measures (参考事例,
    one column of the matrix) with the municipalities they come from."""
    reference = [p.other for p in comparison.pairs if p.other.column == REFERENCE]
    return {"cities": [c for c in comparison.cities[1:] if c != REFERENCE],
            "reference_measures": len(reference), "reference_cities": len({o.city for o in reference})}


def _compared_line(compared: dict[str, Any], gaps: int) -> str:
    """The summary's line for what _compared found."""
    if not compared["reference_measures"]:
        return text("run.compared", count=len(compared["cities"]), gaps=gaps)
    return text("run.compared_reference", count=len(compared["cities"]), measures=compared["reference_measures"],
                cities=compared["reference_cities"], gaps=gaps)
