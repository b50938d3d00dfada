"""Benchmark: search answer times on a synthetic library of 100,000 measures (target: under 100 ms).

The library is built from real item texts recombined: the items of inputs/tsushima_h21_action_plan.txt
and the outline's topics and example projects, spread over 200 municipalities and 15 fiscal years.

    .venv/bin/python bench/search.py [--items 100000] [--library PATH] [--keep]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.ingest import ingest_file  # noqa: E402
from pipeline.library import Entry, Library  # noqa: E402
from pipeline.model import FiscalYear, Item, Match, Source  # noqa: E402
from pipeline.outline import read_outline  # noqa: E402
from pipeline.text.normalize import fiscal_year_label  # noqa: E402

QUERIES = ["出前講座", "市民協働", "職員研修", "ホームページ", "ｺﾐｭﾆﾃｨｰ", "まちづくり コーディネーター",
           "補助金", "事例集の発行", "ボランティア休暇", "里山保全", "指定管理", "パブリックコメント",
           "市民活動 支援 情報提供", "協働事業提案制度", "NPO"]
PREFIXES = ["", "", "", "新たな", "地域での", "全市的な", "若者による", "高齢者と", "学校と連携した", "官民連携の"]
SUFFIXES = ["", "", "", "の実施", "の推進", "の検討", "の拡充", "の見直し", "事業", "の充実"]
PLACES = ["北", "南", "東", "西", "中", "新", "大", "小", "上", "下"]
STEMS = ["川", "山", "野", "田", "浜", "崎", "原", "沢", "島", "岡", "宮", "松", "森", "里", "浦", "津", "井", "谷", "瀬", "坂"]


def fragments() -> tuple[list[str], list[str]]:
    """Names and contents to recombine: real item texts and the outline's topics and examples."""
    doc = ingest_file(ROOT / "inputs" / "tsushima_h21_action_plan.txt", use_cache=False)
    outline = read_outline(ROOT / "inputs" / "outline_計画の構成案.txt")
    names = [i.name for i in doc.items]
    contents = [i.content for i in doc.items if i.content] + [i.measure for i in doc.items]
    for p in outline.pillars:
        names += [e.text for e in p.examples] + list(p.topics)
        contents += list(p.details) + ([p.description] if p.description else [])
    names += [e.text for e in outline.model_projects]
    return names, contents


def build(path: Path, n_items: int, seed: int = 7) -> float:
    """Fill the library at path with n_items synthetic measures; returns seconds taken."""
    rng = random.Random(seed)
    names, contents = fragments()
    cities = [f"{a}{b}市" for a in PLACES for b in STEMS][:200]
    lib = Library(path)
    started = time.perf_counter()
    per_doc = 40
    for d in range(0, n_items, per_doc):
        city = cities[(d // per_doc) % len(cities)]
        year = 2005 + (d // per_doc) % 15
        fy = FiscalYear(fiscal_year_label(year), year)
        sha = f"{d:064x}"
        src = f"synthetic/{city}_{year}_{d}.txt"
        entries = []
        for k in range(min(per_doc, n_items - d)):
            name = rng.choice(PREFIXES) + rng.choice(names) + rng.choice(SUFFIXES)
            content = rng.choice(contents)
            if rng.random() < 0.4:
                content += rng.choice(contents)
            item = Item(id=f"{sha[:8]}-{k:03d}", policy="", measure=rng.choice(contents)[:40], name=name,
                        content=content, departments=("協働推進課",), actor=None, tags=(),
                        source=Source(path=src, sha256=sha, table=1 + k // 5, row=2 + k % 5))
            pillar = rng.randint(1, 10)
            entries.append(Entry(item, city, fy, Match(item.id, name, pillar, 1.0, 0.8, ((pillar, 1.0),))))
        with lib.atomic():
            lib.add_entries(path=src, sha256=sha, entries=entries, title=f"{city} {fy.label} アクションプラン",
                            city=city, fiscal_year=fy, fmt="txt")
    lib.close()
    return time.perf_counter() - started


def timed(lib: Library, query: str, **kw) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    _, hits = lib.search(query, limit=20, **kw)
    return (time.perf_counter() - t) * 1000, len(hits)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--library", type=Path, help="reuse or build the library here (default: a temp file)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.library or Path(tmp) / "library.sqlite"
        if not path.exists():
            secs = build(path, args.items)
            print(f"built {args.items:,} measures in {secs:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")
        lib = Library(path)
        total = lib.count()
        print(f"library: {total:,} measures")
        lib.search("協働")  # warm the page cache and the tokenizer
        worst = 0.0
        rows = []
        for q in QUERIES:
            for kw in ({}, {"city": "北川市"}, {"pillar": 3}):
                times = [timed(lib, q, **kw) for _ in range(args.repeat)]
                med = statistics.median(t for t, _ in times)
                worst = max(worst, max(t for t, _ in times))
                rows.append((q, kw, med, times[0][1]))
        for q, kw, med, n in rows:
            label = q + (f" --city {kw['city']}" if "city" in kw else "") + (f" --pillar {kw['pillar']}" if "pillar" in kw else "")
            print(f"  {med:7.1f} ms  {n:3d} hits  {label}")
        meds = [m for _, _, m, _ in rows]
        print(f"median {statistics.median(meds):.1f} ms, slowest median {max(meds):.1f} ms, worst single {worst:.1f} ms "
              f"(target < 100 ms): {'OK' if worst < 100 else 'SLOW'}")
        lib.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
