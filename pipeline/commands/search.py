"""`plandraft search`: full-text search of the library's measures (Sudachi-normalized)."""
from __future__ import annotations

import argparse
import sys

from .. import library
from ..errors import EXIT_OK, UsageError
from ._common import Console, add_example, emit
from .library import add_library_option, open_existing


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("search", help="search the library's measures (all cities, all years)",
                       description="Search every measure in the library. Words are compared in Sudachi's "
                       "normalized form, so 出前講座 finds 出前 講座, ｺﾐｭﾆﾃｨ finds コミュニティー and 引越し finds "
                       "引っ越し; results are ranked (a hit in the 項目 counts most), with city, year and source.")
    p.add_argument("query", nargs="+", metavar="QUERY", help="words to look for (all of them, best first)")
    p.add_argument("--city", help="only this city's measures (安城 finds 安城市)")
    p.add_argument("--pillar", type=int, metavar="N", help="only measures matched to pillar N of the outline")
    p.add_argument("-n", "--limit", type=int, default=20, metavar="N", help="at most N results (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON to stdout")
    add_library_option(p)
    add_example(p, "plandraft search 出前講座", "plandraft search 研修 --city 裾野市 --json",
                "plandraft search 補助金 --pillar 6")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    query = " ".join(args.query)
    conn = open_existing(args.library)
    terms, hits = library.search(conn, query, city=args.city, pillar=args.pillar, limit=args.limit)
    conn.close()
    if args.json:
        emit({"query": query, "terms": terms, "library": args.library,
              "filters": {"city": args.city, "pillar": args.pillar},
              "results": [{"rank": h.rank, "score": h.score, "match": h.how, "city": h.stored.city,
                           "fiscal_year": h.stored.fiscal_year, "fiscal_label": h.stored.fiscal_label,
                           "pillar": h.stored.pillar, "kind": h.stored.kind, "item": h.stored.item,
                           "source": h.stored.item.source.label()} for h in hits]}, None)
        return EXIT_OK
    if not terms:
        Console().info(f"nothing to search for in '{query}' (only particles or punctuation)")
        return EXIT_OK
    if not hits:
        Console().info(f"no measures match {' '.join(terms)}")
        return EXIT_OK
    lines = []
    for h in hits:
        s = h.stored
        where = " ".join(x for x in (s.city or "市町村不明", s.fiscal_label or "") if x)
        pillar = f" 柱{s.pillar}" if s.pillar is not None else ""
        some = "  (一部の語のみ)" if h.how == "some" else ""
        lines.append(f"{h.rank:>3}. {s.item.name}  [{where}{pillar}]{some}")
        detail = library.snippet(s.item.content or s.item.measure, 70)
        if detail:
            lines.append(f"     {detail}")
        lines.append(f"     {s.item.source.label()}")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK
