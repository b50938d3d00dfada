#!/usr/bin/env python3
"""Validate pipeline/data/reference/measures.tsv (stdlib only).

Checks: header, unique ids, required fields, pillar range, acceptable
contains pillar, split values, one split per city, no forbidden city.
Prints counts per split and per pillar; exits 1 on any problem.
"""
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

HEADER = ["id", "city", "prefecture", "measure", "department", "pillar",
          "acceptable", "reason", "heading", "source_title", "source_url",
          "source_year", "split"]
FORBIDDEN = set(["筑西市", "豊川市", "長岡京市", "御殿場市", "川崎市", "関市", "狛江市", "日南市", "四日市市", "倉敷市", "瀬戸内市", "河内長野市", "広島市", "市川市", "小牧市", "吹田市", "取手市", "千曲市", "静岡市", "都城市", "郡上市", "廿日市市", "小平市", "富岡市", "大阪市", "大野城市", "大泉町", "千歳市", "上田市", "高知市", "高浜市", "高根沢町", "我孫子市", "半田市", "八王子市", "三田市", "一宮市", "鳥取市", "鯖江市", "鎌倉市", "鎌ケ谷市", "米原市", "稲城市", "石巻市", "相模原市", "甲州市", "柏市", "春日井市", "岡崎市", "富士市", "多摩市", "丸亀市", "下松市", "三鷹市", "三原市", "対馬市"])
SPLITS = {"train", "tune", "test"}
REQUIRED = ["id", "city", "measure", "source_title", "source_url"]


def main(argv):
    root = Path(__file__).resolve().parent.parent
    path = Path(argv[1]) if len(argv) > 1 else root / "pipeline/data/reference/measures.tsv"
    problems = []
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0] != HEADER:
        problems.append(f"bad header: {rows[0] if rows else None}")
        rows = rows[:1] + rows[1:]
    ids = Counter()
    city_splits = defaultdict(set)
    per_split = Counter()
    per_split_cities = defaultdict(set)
    per_pillar = Counter()
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(HEADER):
            problems.append(f"line {n}: {len(r)} fields, expected {len(HEADER)}")
            continue
        d = dict(zip(HEADER, r))
        ids[d["id"]] += 1
        for k in REQUIRED:
            if not d[k].strip():
                problems.append(f"line {n}: empty {k}")
        if d["city"] in FORBIDDEN:
            problems.append(f"line {n}: forbidden city {d['city']}")
        try:
            p = int(d["pillar"])
            if not 0 <= p <= 10:
                raise ValueError
        except ValueError:
            problems.append(f"line {n}: pillar {d['pillar']!r} not in 0-10")
            continue
        try:
            acc = [int(x) for x in d["acceptable"].split(",") if x.strip()]
        except ValueError:
            problems.append(f"line {n}: bad acceptable {d['acceptable']!r}")
            acc = []
        if p not in acc:
            problems.append(f"line {n}: acceptable {d['acceptable']!r} lacks pillar {p}")
        if any(not 0 <= a <= 10 for a in acc):
            problems.append(f"line {n}: acceptable out of range")
        if d["split"] not in SPLITS:
            problems.append(f"line {n}: split {d['split']!r}")
        if not d["source_url"].startswith(("http://", "https://")):
            problems.append(f"line {n}: source_url not http(s)")
        city_splits[d["city"]].add(d["split"])
        per_split[d["split"]] += 1
        per_split_cities[d["split"]].add(d["city"])
        per_pillar[p] += 1
    for i, c in ids.items():
        if c > 1:
            problems.append(f"duplicate id {i} ({c}x)")
    for c, s in city_splits.items():
        if len(s) > 1:
            problems.append(f"city {c} in several splits: {sorted(s)}")
    total = sum(per_split.values())
    print(f"measures: {total}, cities: {len(city_splits)}")
    for s in ("train", "tune", "test"):
        print(f"  {s}: {per_split[s]} measures, {len(per_split_cities[s])} cities")
    print("per pillar: " + ", ".join(f"{p}:{per_pillar[p]}" for p in range(11)))
    if problems:
        print(f"{len(problems)} problem(s):", file=sys.stderr)
        for p in problems[:50]:
            print("  " + p, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
