"""Benchmark: our plan against 50 other plans (target: under 30 s), end to end as `plandraft compare`
runs it: ingest, match, library, comparison, comparison.xlsx, heatmap.png and comparison.docx.

The 50 plans are synthesized from real items (inputs/tsushima_h21_action_plan.txt and the outline's
examples and topics), each a different mix with varied wording, written as plan text files.

    .venv/bin/python bench/compare.py [--plans 50]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.cli import main as plandraft  # noqa: E402
from pipeline.ingest import ingest_file  # noqa: E402
from pipeline.outline import read_outline  # noqa: E402
from pipeline.text.normalize import era_number, wareki  # noqa: E402

PLACES = ["北", "南", "東", "西", "中", "新", "大", "小", "上", "下"]
STEMS = ["川", "山", "野", "田", "浜"]
PREFIXES = ["", "", "新たな", "地域での", "若者による", "学校と連携した"]
SUFFIXES = ["", "の実施", "の推進", "の検討", "の拡充", "事業"]
DEPTS = ["協働推進課", "市民活動支援課", "総務課", "企画課", "地域振興課"]


def plan_text(city: str, year: int, items: list[tuple[str, str]], rng: random.Random) -> str:
    era, n = wareki(year)
    lines = [f"{era}{era_number(n)}年度 市民協働推進アクションプラン（ベンチマーク用の合成データ）", "",
             f"{era}{era_number(n)}年4月", f"{city} 協働推進課", ""]
    per_policy = max(1, len(items) // 4)
    for p in range(0, len(items), per_policy):
        lines += [f"施策{p // per_policy + 1}", "", "協働のまちづくりを進める", "",
                  "★市民が主体 ●市が主体 ◎市民と市が主体", "", "■協働の取り組みを進めます", "",
                  "項目\tアクションプランの内容\t関係部署"]
        for name, content in items[p : p + per_policy]:
            lines.append(f"{rng.choice('★●◎')} {name}\t{content}\t{rng.choice(DEPTS)}")
        lines.append("")
    return "\n".join(lines) + "\n"


def synthesize(folder: Path, n_plans: int, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    doc = ingest_file(ROOT / "inputs" / "tsushima_h21_action_plan.txt", use_cache=False)
    outline = read_outline(ROOT / "inputs" / "outline_計画の構成案.txt")
    pool = [(i.name, i.content or i.measure) for i in doc.items]
    for p in outline.pillars:
        pool += [(e.text, p.description or p.title) for e in p.examples]
        pool += [(t, p.description or p.title) for t in p.topics]
    pool += [(e.text, "モデル事業として実施します。") for e in outline.model_projects]
    cities = [f"{a}{b}市" for a in PLACES for b in STEMS]
    paths = []
    for k in range(n_plans):
        chosen = rng.sample(pool, rng.randint(25, 45))
        items = [(rng.choice(PREFIXES) + name + rng.choice(SUFFIXES), content) for name, content in chosen]
        path = folder / f"plan_{k:02d}.txt"
        path.write_text(plan_text(cities[k % len(cities)], 2015 + k % 8, items, rng), "utf-8")
        paths.append(path)
    return paths


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "others"
        folder.mkdir()
        paths = synthesize(folder, args.plans)
        cmd = ["compare", "--outline", str(ROOT / "inputs" / "outline_計画の構成案.txt"),
               "--plan", str(ROOT / "inputs" / "tsushima_h21_action_plan.txt"), "--others", str(folder),
               "--library", str(Path(tmp) / "library.sqlite"), "-o", str(Path(tmp) / "out"), "--no-cache"]
        results = []
        for label, extra in (("cold (empty library, every plan parsed)", []), ("again (library filled)", ["--force"])):
            started = time.perf_counter()
            code = plandraft([*cmd, *extra])
            secs = time.perf_counter() - started
            results.append((label, secs, code))
        n_items = sum(len(ingest_file(p).items) for p in paths)
        print(f"our plan (38 items) vs {args.plans} plans ({n_items} items) + the outline's examples:", file=sys.stderr)
        for label, secs, code in results:
            print(f"  {secs:6.1f} s  exit {code}  {label}  (target < 30 s): {'OK' if secs < 30 else 'SLOW'}",
                  file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
