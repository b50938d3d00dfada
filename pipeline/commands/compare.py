"""`plandraft compare`: our plan against other cities', pillar by pillar (matrix, pairs, gaps)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import store
from ..cli import EXIT_OK, EXIT_PARTIAL
from ..compare import THRESHOLD, Comparison, OtherItem, compare, others_from_document, others_from_outline
from ..errors import InputError, UsageError
from ..ingest import ingest_file
from ..model import Match
from ..output import backup, metadata, write_atomic
from ._common import Console, add_example, emit, ingest_reporting, read_outline_or_fail, require_files
from .library import add_outline, default_corrections, file_sha256, make_matcher, match_document, open_or_create

OUTPUTS = ("comparison.xlsx", "heatmap.png", "comparison.docx")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("compare", help="compare our measures with other cities', pillar by pillar",
                       description="Count our measures and other cities' under each pillar of the outline, "
                       "find for each of their measures our most similar item, and list theirs with no "
                       "counterpart in ours (新規候補). Other cities: the outline's example projects, --others, "
                       "and every city in the library (which the inputs are added to). Writes DIR/comparison.xlsx "
                       "(sheets matrix, pairs, gaps), DIR/heatmap.png and DIR/comparison.docx.")
    p.add_argument("--outline", required=True, metavar="OUTLINE", help="the draft outline (its pillars)")
    p.add_argument("--plan", required=True, metavar="OURS", help="our plan")
    p.add_argument("--others", nargs="*", default=[], metavar="PATH", help="other cities' plans (files or folders)")
    p.add_argument("--city", help="our municipality (default: read from the plan)")
    p.add_argument("--corrections", metavar="TSV", help="a planner's corrections for the matcher "
                   "(default: corrections.tsv beside the outline)")
    p.add_argument("--threshold", type=float, default=THRESHOLD, metavar="X",
                   help=f"similarity under which a measure has no counterpart in ours (default {THRESHOLD})")
    p.add_argument("--library", metavar="PATH", default=str(store.DEFAULT_PATH),
                   help=f"the library file (default: {store.DEFAULT_PATH})")
    p.add_argument("--no-library", action="store_true", help="compare only with the outline and --others")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    p.add_argument("--force", action="store_true", help="replace earlier outputs (a backup is kept)")
    p.add_argument("--json", action="store_true", help="print a JSON summary to stdout")
    p.add_argument("--no-cache", action="store_true", help="parse every file again")
    add_example(p, "plandraft compare --outline inputs/outline_計画の構成案.txt "
                   "--plan inputs/tsushima_h21_action_plan.txt --others others/ -o outputs")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    console = Console()
    require_files([args.outline, args.plan], "input")
    if not 0 < args.threshold <= 1:
        raise UsageError("--threshold must be between 0 and 1")
    out = Path(args.output)
    existing = [out / name for name in OUTPUTS if (out / name).exists()]
    if existing and not args.force:
        raise UsageError(f"{existing[0]} exists (use --force to replace it; a backup is kept)")

    outline = read_outline_or_fail(args.outline)
    outline_sha = file_sha256(args.outline)
    try:
        plan = ingest_file(args.plan, use_cache=not args.no_cache)
    except InputError as exc:
        exc.path = args.plan  # type: ignore[attr-defined]
        raise
    others_docs, errors = ingest_reporting(args.others, console, use_cache=not args.no_cache)
    matcher = make_matcher(outline, args.corrections or default_corrections(args.outline))
    if matcher is None:
        raise UsageError("pipeline.match (the pillar matcher) is not installed")
    our_city = args.city or plan.city or "当市"
    our_matches = matcher.match_items(list(plan.items))

    if args.no_library:
        others = others_from_outline(outline, outline_sha)
        for doc in others_docs:
            others += [_with_pillar(o, m) for o, m in zip(others_from_document(doc), match_document(matcher, doc))]
    else:
        others = _others_via_library(args.library, outline, outline_sha, plan, our_matches, others_docs, matcher,
                                     args.city)
    result = compare(outline, plan.items, others, matcher, our_city=our_city, our_matches=our_matches,
                     threshold=args.threshold)
    written = _write(result, out, args, provenance=f"plandraft compare: {args.plan} × {args.outline}")
    _report(result, written, errors, args, console)
    return EXIT_PARTIAL if errors else EXIT_OK


def _with_pillar(o: OtherItem, m: Match) -> OtherItem:
    return OtherItem(item=o.item, city=o.city, fiscal_year=o.fiscal_year, pillar=m.pillar)


def _others_via_library(path: str, outline: Any, outline_sha: str, plan: Any, our_matches: list[Match],
                        others_docs: list[Any], matcher: Any, our_city: str | None) -> list[OtherItem]:
    """Add the outline, our plan and the others to the library (one transaction each), match whatever
    it holds that has no pillar for this outline, and return every other city's measure in it."""
    from ..compare import OUTLINE_EXAMPLES, unknown_city_label

    conn = open_or_create(path)
    try:
        add_outline(conn, outline, outline_sha, matcher)
        store.set_meta(conn, "outline", outline.path)
        store.add_document(conn, plan, our_matches, city=our_city, outline_sha256=outline_sha)
        for doc in others_docs:
            store.add_document(conn, doc, match_document(matcher, doc), outline_sha256=outline_sha)
        stored = store.items(conn, exclude_sha256=[plan.sha256])
        stale = [s for s in stored if s.outline_sha256 != outline_sha or s.pillar is None]
        if stale:
            # Item ids repeat across documents: match under the library's row ids.
            from dataclasses import replace

            found = matcher.match_items([replace(s.item, id=str(s.rowid)) for s in stale])
            by_row = {int(m.item_id): m for m in found}
            store.set_pillars(conn, by_row, outline_sha)
            stored = store.items(conn, exclude_sha256=[plan.sha256])
    finally:
        conn.close()
    out = []
    for s in stored:
        city = s.city or (OUTLINE_EXAMPLES if s.kind == "outline" else unknown_city_label(s.document_path))
        out.append(OtherItem(item=s.item, city=city, fiscal_year=s.fiscal_year, pillar=s.pillar))
    return out


def _write(result: Comparison, out: Path, args: argparse.Namespace, provenance: str) -> list[Path]:
    from ..heatmap import render_heatmap
    from ..report_compare import report_bytes, workbook_bytes

    png = render_heatmap(result)
    payloads = {"comparison.xlsx": workbook_bytes(result), "heatmap.png": png,
                "comparison.docx": report_bytes(result, png, provenance=provenance)}
    written = []
    for name in OUTPUTS:
        target = out / name
        if target.exists() and name != "heatmap.png":
            backup(target)
        written.append(write_atomic(target, payloads[name]))
    return written


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
        console.info(f"{len(unnamed)} plans name no city and have a column of their own "
                     "(plandraft library add PLAN --city CITY names it)")
    lines = [f"{result.our_city} vs {len(result.cities) - 1} others: {len(result.pairs)} measures of theirs, "
             f"{sum(1 for p in result.pairs if p.ours is None)} with no counterpart in ours, "
             f"{len(result.gaps)} gap groups"]
    for n, title in result.pillars:
        gaps = [g for g in result.gaps if g.pillar == n]
        if gaps:
            top = "、".join(f"{g.text}（{'・'.join(g.cities)}）" for g in gaps[:3])
            lines.append(f"  ({n}) {title}: {len(gaps)} — {top}")
    lines.append("wrote " + ", ".join(str(p) for p in written))
    sys.stdout.write("\n".join(lines) + "\n")
