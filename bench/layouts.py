"""Benchmark: how well `plandraft ingest` reads other cities' layouts ("Read any city's plan").

Runs `.venv/bin/python -m pipeline ingest FILE --json --no-cache` on every document of
tests/fixtures/layouts/expected.json (made by scripts/make_layout_fixtures.py) and, when ../shared/realdocs is
there, on every file of realdocs/nonplans (expected: not a plan, no measures) and each realdocs/lists file that
has a FILE.key.json beside it. Reports per family and overall:

- recall: share of expected measures that come out as their own item. An item's text is its name, or its
  content when the name is empty; it matches an expected name when both, after NFKC and whitespace removal,
  are equal or have a character-bigram Dice coefficient ≥ 0.8. Items and expected measures are paired one to
  one (best pairs first), so no expected measure is counted twice.
- precision: share of output items that match some expected measure.
- city / fiscal year / plan_like right: per document (documents[].city — a leading prefecture is allowed —,
  documents[].fiscal_year.year,
  documents[].plan_like with a missing key taken as true); city and year are not scored on realdocs/nonplans,
  whose files print cities and years that are not a plan's.

    .venv/bin/python bench/layouts.py [--json] [--jobs 4] [--family matrix] [--no-realdocs] [-v]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import unicodedata
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "layouts"
REALDOCS = ROOT.parent / "shared" / "realdocs"
PYTHON = ROOT / ".venv" / "bin" / "python"
DICE = 0.8


def norm(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def bigrams(s: str) -> list[str]:
    return [s[i:i + 2] for i in range(len(s) - 1)] if len(s) > 1 else [s]


def dice(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ga, gb = bigrams(a), bigrams(b)
    pool: dict[str, int] = defaultdict(int)
    for g in gb:
        pool[g] += 1
    common = 0
    for g in ga:
        if pool[g] > 0:
            pool[g] -= 1
            common += 1
    return 2 * common / (len(ga) + len(gb))


def same_city(got: str | None, want: str | None) -> bool:
    """Equal after normalising; a leading prefecture (滋賀県長浜市 for 長浜市) is allowed."""
    g, w = norm(got), norm(want)
    if g == w:
        return True
    return bool(w) and g.endswith(w) and g[: -len(w)][-1:] in ("都", "道", "府", "県")


def item_text(item: dict) -> str:
    return norm(item.get("name")) or norm(item.get("content"))


@dataclass
class Case:
    file: Path
    label: str
    family: str
    city: str | None
    fiscal_year: int | None
    plan_like: bool
    measures: list[str]
    check_meta: bool = True   # False: city and year unknown (realdocs/nonplans), left out of those figures


@dataclass
class Result:
    case: Case
    items: list[str] = field(default_factory=list)
    matched: int = 0          # expected measures paired with an item
    precise: int = 0          # items that match some expected measure
    city: str | None = None
    fiscal_year: int | None = None
    plan_like: bool = True
    error: str | None = None
    missed: list[str] = field(default_factory=list)

    @property
    def city_ok(self) -> bool:
        return same_city(self.city, self.case.city)

    @property
    def year_ok(self) -> bool:
        return self.fiscal_year == self.case.fiscal_year

    @property
    def plan_ok(self) -> bool:
        return self.plan_like == self.case.plan_like


def cases(family: str | None, realdocs: bool) -> list[Case]:
    out: list[Case] = []
    for d in json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8")):
        out.append(Case(FIXTURES / d["file"], d["file"], d["family"], d.get("city"), d.get("fiscal_year"),
                        d.get("plan_like", True), [m["name"] for m in d.get("measures", [])]))
    if realdocs and REALDOCS.is_dir():
        for f in sorted((REALDOCS / "nonplans").glob("*")):
            if f.is_file():
                out.append(Case(f, f"realdocs/nonplans/{f.name}", "realdocs-nonplan", None, None, False, [],
                                check_meta=False))
        for key in sorted((REALDOCS / "lists").glob("*.key.json")):
            k = json.loads(key.read_text(encoding="utf-8"))
            f = key.parent / k.get("file", key.name[: -len(".key.json")])
            out.append(Case(f, f"realdocs/lists/{f.name}", "realdocs-list", None, None, True,
                            [m["name"] for m in k.get("expected_measures", [])]))
    if family:
        out = [c for c in out if c.family == family]
    return out


def ingest(path: Path, timeout: float) -> tuple[dict | None, str | None]:
    cmd = [str(PYTHON), "-m", "pipeline", "ingest", str(path), "--json", "--no-cache"]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout:.0f}s"
    try:
        data = json.loads(res.stdout) if res.stdout.strip() else None
    except json.JSONDecodeError:
        data = None
    err = None
    if res.returncode or data is None:
        err = f"rc={res.returncode}: {(res.stderr.strip().splitlines() or [''])[-1][:200]}"
    elif data.get("errors"):
        err = json.dumps(data["errors"], ensure_ascii=False)[:200]
    return data, err


def score(case: Case, timeout: float) -> Result:
    data, err = ingest(case.file, timeout)
    r = Result(case, error=err)
    docs = (data or {}).get("documents") or []
    if docs:
        d = docs[0]
        r.city = d.get("city")
        fy = d.get("fiscal_year")
        r.fiscal_year = fy.get("year") if isinstance(fy, dict) else fy
        r.plan_like = bool(d.get("plan_like", True))
    elif err:
        r.plan_like = not case.plan_like  # a failed read is no verdict: count it wrong either way
    r.items = [item_text(it) for d in docs for it in d.get("items", [])]
    expected = [norm(m) for m in case.measures]
    pairs = []
    for i, t in enumerate(r.items):
        for j, e in enumerate(expected):
            s = dice(t, e)
            if s >= DICE:
                pairs.append((s, i, j))
    r.precise = len({i for _, i, _ in pairs})
    used_i: set[int] = set()
    used_j: set[int] = set()
    for _s, i, j in sorted(pairs, reverse=True):
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
    r.matched = len(used_j)
    r.missed = [case.measures[j] for j in range(len(expected)) if j not in used_j]
    return r


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def summarise(results: list[Result]) -> dict:
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        groups[r.case.family].append(r)
    groups["ALL"] = list(results)

    def block(rs: list[Result]) -> dict:
        meta = [r for r in rs if r.case.check_meta]
        exp = sum(len(r.case.measures) for r in rs)
        items = sum(len(r.items) for r in rs)
        return {
            "documents": len(rs), "expected": exp, "items": items,
            "recall": ratio(sum(r.matched for r in rs), exp),
            "precision": ratio(sum(r.precise for r in rs), items),
            "city_right": ratio(sum(r.city_ok for r in meta), len(meta)),
            "fiscal_year_right": ratio(sum(r.year_ok for r in meta), len(meta)),
            "plan_like_right": ratio(sum(r.plan_ok for r in rs), len(rs)),
            "errors": sum(1 for r in rs if r.error),
        }

    return {
        "families": {k: block(v) for k, v in groups.items()},
        "documents": [
            {"file": r.case.label, "family": r.case.family, "expected": len(r.case.measures), "items": len(r.items),
             "matched": r.matched, "precise": r.precise, "city": r.city, "city_expected": r.case.city,
             "fiscal_year": r.fiscal_year, "fiscal_year_expected": r.case.fiscal_year, "plan_like": r.plan_like,
             "plan_like_expected": r.case.plan_like, "error": r.error, "missed": r.missed}
            for r in results
        ],
    }


def fmt(v: float | None) -> str:
    return "   -" if v is None else f"{v:4.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="plandraft ingest against other cities' layouts")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    ap.add_argument("--family", help="only this family")
    ap.add_argument("--no-realdocs", action="store_true", help="leave out ../shared/realdocs")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("-v", "--verbose", action="store_true", help="per-document lines")
    args = ap.parse_args(argv)
    todo = cases(args.family, not args.no_realdocs)
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda c: score(c, args.timeout), todo))
    summary = summarise(results)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return 0
    print(f"{'family':18} {'docs':>4} {'exp':>4} {'items':>5} {'recall':>6} {'prec':>6} {'city':>5} {'year':>5} "
          f"{'plan':>5} {'err':>3}")
    for fam, b in summary["families"].items():
        print(f"{fam:18} {b['documents']:4} {b['expected']:4} {b['items']:5} {fmt(b['recall']):>6} "
              f"{fmt(b['precision']):>6} {fmt(b['city_right']):>5} {fmt(b['fiscal_year_right']):>5} "
              f"{fmt(b['plan_like_right']):>5} {b['errors']:3}")
    if args.verbose:
        print()
        for d in summary["documents"]:
            print(f"{d['file']:55} exp {d['expected']:3} items {d['items']:4} matched {d['matched']:3} "
                  f"city {d['city']}/{d['city_expected']} year {d['fiscal_year']}/{d['fiscal_year_expected']} "
                  f"plan {d['plan_like']}/{d['plan_like_expected']}" + (f" ERROR {d['error']}" if d["error"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
