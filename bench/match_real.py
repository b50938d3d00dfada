"""Benchmark (not a test): matching on the real measures of other cities (pipeline/data/reference/
measures.tsv), item text only, through `plandraft classify --json` as a planner would run it.

Per split: top-1, acceptable, top-2, the review flags' recall on the misses (chosen pillar not
acceptable) and their rate on the correct ones, and the paired fixes and breaks (acceptable) against
the matcher as it was before the trained model (the code of commit BASELINE, run from `git archive`);
and of the projects that are no measure (not_measures.tsv), the share reported as fitting no pillar.
The test split is printed only with --test: look at it once, at the end.
The shipped model is fitted on train + tune, so their figures here are in-sample: the honest tune
figure is the one `plandraft train` prints (tune predicted by a model fitted on train alone).

    .venv/bin/python bench/match_real.py [--test] [--baseline REV] [--misses]
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTLINE = ROOT / "inputs" / "outline_計画の構成案.txt"
MEASURES = ROOT / "pipeline" / "data" / "reference" / "measures.tsv"
NOT_MEASURES = ROOT / "pipeline" / "data" / "reference" / "not_measures.tsv"  # projects that are no measure
BASELINE = "21037f5"  # the matcher before issue 12 (outline and rules only)


def rows(path: Path = MEASURES) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if (r.get("measure") or "").strip()]


def classify(texts: list[str], cwd: Path) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "measures.txt"
        path.write_text("\n".join(t.replace("\n", " ") for t in texts) + "\n", "utf-8")
        done = subprocess.run([sys.executable, "-m", "pipeline", "classify", "--outline", str(OUTLINE), "--json",
                               str(path)], cwd=cwd, capture_output=True, text=True, check=True)
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(texts), (len(out), len(texts))
    return out


def baseline(texts: list[str], rev: str) -> list[dict]:
    """The predictions of the code at rev (its pipeline/ unpacked into a temporary folder)."""
    data = subprocess.run(["git", "archive", rev, "pipeline"], cwd=ROOT, capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(tmp, filter="data")
        return classify(texts, Path(tmp))


def _numbers(text: str) -> set[int]:
    return {int(n) for n in text.replace(" ", "").split(",") if n.strip().isdigit()}


def judge(row: dict[str, str], m: dict) -> dict[str, bool]:
    gold = int(row["pillar"])
    ok = _numbers(row["acceptable"]) | {gold}
    ranked = [r["pillar"] for r in m["ranking"]]
    chosen = 0 if m.get("no_pillar") else m["pillar"]
    return {"top1": chosen == gold, "acceptable": chosen in ok, "top2": gold in ([0] if m.get("no_pillar") else [])
            + ranked[:2], "flag": bool(m["needs_review"])}


def figures(js: list[dict[str, bool]]) -> str:
    n = len(js) or 1
    misses = [j for j in js if not j["acceptable"]]
    correct = [j for j in js if j["acceptable"]]
    recall = sum(j["flag"] for j in misses) / len(misses) if misses else 1.0
    rate = sum(j["flag"] for j in correct) / len(correct) if correct else 0.0
    return (f"n {len(js):3}  top-1 {sum(j['top1'] for j in js) / n:.3f}  acceptable "
            f"{sum(j['acceptable'] for j in js) / n:.3f}  top-2 {sum(j['top2'] for j in js) / n:.3f}  "
            f"flags: {recall:.2f} of {len(misses)} misses, {rate:.2f} of {len(correct)} correct")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--test", action="store_true", help="also the test split (once, at the end)")
    ap.add_argument("--baseline", default=BASELINE, metavar="REV", help="the commit to compare with")
    ap.add_argument("--misses", action="store_true", help="list the misses of the splits shown")
    args = ap.parse_args()
    data = rows()
    nots = sorted(rows(NOT_MEASURES), key=lambda r: r["split"])  # each split's rows together
    texts = [r["measure"] for r in data + nots]
    now = classify(texts, ROOT)
    before = baseline(texts, args.baseline)
    splits = ["train", "tune"] + (["test"] if args.test else [])
    print(f"{MEASURES.relative_to(ROOT)}: {len(data)} measures, {len({r['city'] for r in data})} cities; "
          f"baseline {args.baseline}")
    for split in splits:
        idx = [i for i, r in enumerate(data) if r["split"] == split]
        jn = [judge(data[i], now[i]) for i in idx]
        jb = [judge(data[i], before[i]) for i in idx]
        fixes = sum(a["acceptable"] and not b["acceptable"] for a, b in zip(jn, jb))
        breaks = sum(b["acceptable"] and not a["acceptable"] for a, b in zip(jn, jb))
        print(f"{split:5} now      {figures(jn)}")
        print(f"{split:5} baseline {figures(jb)}")
        print(f"{split:5} acceptable: {fixes} fixed, {breaks} broken against the baseline")
        others = [r for r in nots if r["split"] == split]
        if others:
            at = len(data) + nots.index(others[0])
            for name, found in (("now", now), ("baseline", before)):
                got = found[at:at + len(others)]
                print(f"{split:5} {name:8} projects that are no measure: n {len(others)}, reported as fitting no "
                      f"pillar {sum(bool(m.get('no_pillar')) for m in got) / len(got):.2f}, flagged "
                      f"{sum(bool(m['needs_review']) for m in got) / len(got):.2f}")
        if args.misses:
            for i, j in zip(idx, jn):
                if not j["acceptable"]:
                    m = now[i]
                    ev = "; ".join(f"{e['kind']}:{e['text']}" for e in m["evidence"][:3])
                    print(f"    {data[i]['measure']}  gold {data[i]['pillar']} ({data[i]['acceptable']})  got "
                          f"{m['pillar']}{' no-pillar' if m.get('no_pillar') else ''} {m['confidence']}  [{ev}]")


if __name__ == "__main__":
    main()
