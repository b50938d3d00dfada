"""`plandraft search`: full-text search of the library's measures (Sudachi-normalized), and of the
built-in reference measures of other municipalities with --reference."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import reference
from ..errors import EXIT_OK, UsageError
from ..library import Hit, snippet
from ..messages import text
from ._common import Console, add_example, add_library_option, emit, open_library


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("search", help=text("help.search"), description=text("help.search.description"))
    p.add_argument("query", nargs="+", metavar="QUERY", help=text("help.search.query"))
    p.add_argument("--city", help=text("help.search.city"))
    p.add_argument("--pillar", type=int, metavar="N", help=text("help.search.pillar"))
    p.add_argument("-n", "--limit", type=int, default=20, metavar="N", help=text("help.search.limit"))
    p.add_argument("--reference", action="store_true", help=text("help.search.reference"))
    p.add_argument("--json", action="store_true", help=text("help.json"))
    add_library_option(p)
    add_example(p, "plandraft search 出前講座", "plandraft search 研修 --city 裾野市 --json",
                "plandraft search 補助金 --pillar 6", "plandraft search 協働事業提案制度 --reference")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError(text("search.limit"))
    query = " ".join(args.query)
    console = Console()
    terms: list[str] = []
    hits: list[Hit] = []
    total = 0
    have_library = not args.reference or Path(args.library).is_file()
    if have_library:
        with open_library(args.library) as lib:
            terms, hits = lib.search(query, city=args.city, pillar=args.pillar, limit=args.limit)
            total = lib.count_matches(query, city=args.city, pillar=args.pillar) if len(hits) >= args.limit \
                else len(hits)
    refs: list[Hit] = []
    ref_total = 0
    cites: dict[str, reference.ReferenceItem] = {}
    if args.reference:
        ref_lib, cites = reference.reference_library()
        with ref_lib:
            terms, refs = ref_lib.search(query, city=args.city, pillar=args.pillar, limit=args.limit)
            ref_total = ref_lib.count_matches(query, city=args.city, pillar=args.pillar) \
                if len(refs) >= args.limit else len(refs)
    if args.json:
        result: dict[str, Any] = {
            "query": query, "terms": terms, "library": args.library if have_library else None,
            "filters": {"city": args.city, "pillar": args.pillar},
            "total": total, "truncated": total > len(hits), "results": [_json(h) for h in hits]}
        if args.reference:
            result["reference"] = {"total": ref_total, "truncated": ref_total > len(refs),
                                   "results": [_json(h, cites[h.stored.item.id]) for h in refs]}
        emit(result, None)
        return EXIT_OK
    if not terms:
        console.info(text("search.no_terms", query=query))
        return EXIT_OK
    if not hits and not refs:
        console.info(text("search.no_match", terms=" ".join(terms)))
        return EXIT_OK
    lines = _listing(hits, {})
    if args.reference:
        if refs:
            lines.append(f"参考事例（他の自治体の実際の施策、{len(refs)} 件）:")
        lines += _listing(refs, cites)
    sys.stdout.write("\n".join(lines) + "\n")
    if total > len(hits):
        console.info(text("search.truncated", shown=len(hits), total=total))
    if ref_total > len(refs):
        console.info(text("search.reference_truncated", shown=len(refs), total=ref_total))
    return EXIT_OK


def _listing(hits: list[Hit], cites: dict[str, reference.ReferenceItem]) -> list[str]:
    lines = []
    for h in hits:
        s = h.stored
        where = " ".join(x for x in (s.city or "市町村不明", s.fiscal_label or "") if x)
        pillar = f" 柱{s.pillar}" if s.pillar is not None else ""
        some = "  (一部の語のみ)" if h.how == "some" else ""
        lines.append(f"{h.rank:>3}. {s.item.name}  [{where}{pillar}]{some}")
        detail = snippet(s.item.content or s.item.measure, 70)
        if detail:
            lines.append(f"     {detail}")
        ref = cites.get(s.item.id)
        lines.append(f"     {ref.cite if ref else s.item.source.label()}")
        if h.copies:
            lines.append(f"     同じ施策: {'、'.join(h.copies)}")
    return lines


def _json(h: Hit, ref: reference.ReferenceItem | None = None) -> dict[str, Any]:
    s = h.stored
    out: dict[str, Any] = {"rank": h.rank, "score": h.score, "match": h.how, "city": s.city,
                           "fiscal_year": s.fiscal_year, "fiscal_label": s.fiscal_label, "pillar": s.pillar,
                           "kind": s.kind, "item": s.item, "source": s.item.source.label(), "copies": list(h.copies)}
    if ref is not None:
        m = ref.measure
        out.update(fiscal_year=m.source_year, reference=True, cite=ref.cite, source=m.source(),
                   source_title=m.source_title, source_url=m.source_url, prefecture=m.prefecture)
    return out
