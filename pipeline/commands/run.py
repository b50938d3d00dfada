"""`plandraft run`: the main job on a folder of inputs (what `make draft` runs)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import settings
from ..errors import EXIT_OK, EXIT_PARTIAL
from ..job import compare_plan, draft_plan, make_matcher
from ..model import Document
from ..output import Manifest, metadata
from ._common import Console, add_example, emit, ingest_reporting, read_outline_or_fail


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("run", help="the whole job on a folder of inputs (make draft)",
                       description="Read the outline and every plan in FOLDER (which file is which: "
                       "FOLDER/plandraft.toml), match every measure to a pillar and write next year's "
                       "draft, its 新旧対照表, the comparison with other cities (and add every plan to the "
                       "library) and the JSON results to the output folder. A re-run "
                       "replaces its own earlier outputs; a file you edited is kept as a .bak first.")
    p.add_argument("folder", nargs="?", default="inputs", metavar="FOLDER", help="input folder (default: inputs)")
    p.add_argument("-o", "--output", default="outputs", metavar="DIR", help="output folder (default: outputs)")
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
    for group in groups.values():
        base = group[0]
        key = [(i.name, i.content, i.departments) for i in base.items]
        for other in group[1:]:
            if [(i.name, i.content, i.departments) for i in other.items] != key:
                warnings.append(f"{other.path}: items differ from {base.path} "
                                f"({len(other.items)} vs {len(base.items)} items); check both")
    return warnings


def run(args: argparse.Namespace) -> int:
    console = Console()
    cfg = settings.load(args.folder)
    out = Path(args.output)
    outline = read_outline_or_fail(str(cfg.outline))
    docs, errors = ingest_reporting([*cfg.documents, *cfg.others], console, use_cache=not args.no_cache)
    others = [d for d in docs if Path(d.path) in cfg.others]
    ours = [d for d in docs if Path(d.path) not in cfg.others]
    plan = next((d for d in ours if Path(d.path) == cfg.plan), None)
    if plan is None:
        console.error(f"{cfg.plan}: nothing drafted (last year's plan could not be read)")
        return EXIT_PARTIAL
    warnings = consistency(ours)
    for w in warnings:
        console.error(w)

    manifest = Manifest(out)
    matcher = make_matcher(outline, cfg.corrections)
    result = draft_plan(outline, plan, others, out_dir=out, year=cfg.year, force=True,
                        unchanged=manifest.unchanged, matcher=matcher)
    by_id = {m.item_id: m for m in result.matches}
    compared = compare_plan(outline, plan, others, out_dir=out, library=out / "library.sqlite", force=True,
                            unchanged=manifest.unchanged, matcher=matcher,
                            our_matches=[by_id[i.id] for i in plan.items])
    json_paths = [out / "outline.json", out / "items.json", out / "matches.json"]
    emit({"outline": outline, "metadata": metadata()}, str(json_paths[0]))
    emit({"documents": docs, "errors": errors, "metadata": metadata()}, str(json_paths[1]))
    emit({"plan": plan.path, "matches": [
        {"item": item, "match": by_id.get(item.id), "runner_up": by_id[item.id].runner_up if item.id in by_id else None}
        for item in plan.items], "metadata": metadata()}, str(json_paths[2]))
    manifest.record([*result.paths, *compared.paths])

    review = sum(1 for m in result.matches if m.needs_review)
    summary: dict[str, Any] = {
        "outline": {"path": str(cfg.outline), "pillars": len(outline.pillars)},
        "plan": plan.path,
        "year": result.draft.year_label,
        "documents": [{"path": d.path, "city": d.city, "fiscal_year": d.fiscal_year, "items": len(d.items)}
                      for d in docs],
        "review": len(result.draft.review),
        "low_confidence": review,
        "errors": errors,
        "warnings": warnings,
        "gaps": len(compared.comparison.gaps),
        "outputs": [str(p) for p in (*result.paths, *compared.paths, *json_paths)],
    }
    if args.json:
        emit(summary, None)
    else:
        lines = [f"outline: {cfg.outline} ({len(outline.pillars)} pillars)"]
        for d in docs:
            fy = d.fiscal_year.label if d.fiscal_year else "年度不明"
            lines.append(f"read {d.path}: {d.city or '市町村不明'} {fy}, {len(d.items)} items")
        lines.append(f"drafted {result.draft.year_label} from {plan.path}: "
                     f"{len(result.draft.review)} places to check (listed at the end of the draft)")
        lines.append(f"compared with {len(compared.comparison.cities) - 1} other cities: "
                     f"{len(compared.comparison.gaps)} of their measures have no counterpart in ours")
        lines += [f"wrote {p}" for p in (*result.paths, *compared.paths, *json_paths, out / "library.sqlite")]
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_PARTIAL if errors else EXIT_OK
