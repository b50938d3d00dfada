"""Benchmark (not a test): cross-validation by city of the text model's settings on the reference
set's train + tune rows (the test split is never read), to compare model variants on more rows than
the tune split holds.

Each fold leaves out a fifth of the cities; a model fitted on the other cities' rows and the labelled
sets in the rules' words (tests/data) predicts the left-out rows, mixed with the outline's and rules'
evidence as the matcher mixes them (mix weight, rule gate and margin of the shipped model unless
given; the review flags at the shipped model's threshold, an item with a labelled measure of its
pillar at least precedent_min similar, or a word the fold's labelled measures use mostly under the
pillar (trainer.learned_words), counting as supported, as the matcher counts it). Folds are drawn --seeds times; the figures
are their means, and fixes/breaks (acceptable) are counted per row against the first configuration.

    .venv/bin/python bench/match_cv.py [--config C:VECTORS[:NEIGHBOURS] ...] [--fraction F] [--seeds N]

e.g. --config 10:0 --config 10:1 compares the model without and with word vectors at C 10, and
--config 3:1 --config 3:1:0.3 without and with the nearest measures' vote at weight 0.3.
--fraction keeps that share of each fold's training cities (a learning curve). --extra FILE (the
reference set's columns) adds its train + tune rows to every fold's training, but not those of a city
held out in that fold, and never scores them: whether new rows help on the rows there were before them.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.commands._common import read_outline_or_fail  # noqa: E402
from pipeline.match import trainer as T  # noqa: E402
from pipeline.match.knowledge import load_knowledge  # noqa: E402
from pipeline.match.matcher import Matcher  # noqa: E402
from pipeline.match.model import is_precedent, load_model  # noqa: E402
from pipeline.settings import MatchSettings  # noqa: E402

OUTLINE = ROOT / "inputs" / "outline_計画の構成案.txt"
FOLDS = 5
LONG = 21  # the median length of the measures in cities' plans (issue 12)
_PAREN = re.compile(r"[（(]")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", action="append",
                    help="C[:VECTOR_WEIGHT[:NEIGHBOUR_WEIGHT]] (default 10:0 and 10:1)")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--fraction", type=float, default=1.0)
    ap.add_argument("--reference", default=str(T.DEFAULT_REFERENCE))
    ap.add_argument("--mix", help="W:GATE:MARGIN instead of the shipped model's")
    ap.add_argument("--extra", help="more labelled rows, only ever trained on (e.g. a new round's)")
    ap.add_argument("--paired", metavar="JSON", help="count the first config's fixes and breaks against the run "
                    "that wrote this file (the same rows and seeds), else write it")
    args = ap.parse_args()
    configs = [(*(float(v) for v in c.split(":")), 0.0, 0.0)[:3] for c in (args.config or ["10:0", "10:1"])]
    shipped = load_model()
    w = shipped.weight if shipped else 1.0
    threshold = shipped.review_below if shipped else MatchSettings().review_below
    share = shipped.review_model if shipped else 0.0
    gate, margin = (shipped.rule_gate, shipped.rule_margin) if shipped else (1.0, 1.0)
    if args.mix:
        w, gate, margin = (float(v) for v in args.mix.split(":"))
    outline = read_outline_or_fail(str(OUTLINE))
    knowledge = load_knowledge()
    settings = MatchSettings()
    numbers = [p.number for p in outline.pillars]
    real = [r for r in T.read_reference(args.reference) if r.split in ("train", "tune")]
    labelled = [r for p in T.DEFAULT_LABELLED if p.is_file() for r in T.read_labelled(p)]
    extra = [r for r in T.read_reference(args.extra) if r.split in ("train", "tune")] if args.extra else []
    known = {(r.group, r.text) for r in real}
    extra = [r for r in extra if (r.group, r.text) not in known]  # (rows the reference has are scored already)
    # projects that are no measure: fitted with the training cities' rows, never scored (as train does)
    nots = [r for r in T.read_reference(T.DEFAULT_NOT_MEASURES, "not_measure") if r.split in ("train", "tune")] \
        if T.DEFAULT_NOT_MEASURES.is_file() else []
    plain = Matcher(outline, knowledge, settings, model=None, generic={})
    print(f"{len(real)} reference rows of {len({r.group for r in real})} cities (train + tune), "
          f"{len(labelled)} labelled rows, {len(extra)} rows only trained on; mix weight {w:g}, gate {gate:g}, margin {margin:g}")
    base: list[list[bool]] = []
    for n, (c, vectors, near) in enumerate(configs):
        totals = [0.0, 0.0, 0.0, 0.0, 0.0]
        shapes: dict[str, list[tuple[int, float, float]]] = {}
        fixes = breaks = 0
        for seed in range(args.seeds):
            groups = sorted({r.group for r in real})
            random.Random(seed).shuffle(groups)
            fold_of = {g: k % FOLDS for k, g in enumerate(groups)}
            ok = [False] * len(real)
            cases: list[T._Case] = []
            for k in range(FOLDS):
                train_groups = [g for g in groups if fold_of[g] != k]
                held_groups = {g for g in groups if fold_of[g] == k}
                kept = set(random.Random(seed * 100 + k).sample(train_groups, round(len(train_groups) * args.fraction)))
                rows = [r for r in real if r.group in kept] + labelled + [r for r in nots if r.group not in held_groups] \
                    + [r for r in extra if r.group not in held_groups and (r.group in kept or r.group not in groups)]
                held = [i for i, r in enumerate(real) if fold_of[r.group] == k]
                generic = T.generic_factors([r for r in rows if r.kind != "not_measure"], plain._terms, len(numbers) + 1,
                                            settings.generic_floor)
                scorer = Matcher(outline, knowledge, settings, model=None, generic=generic)
                model = T._fit(rows, outline, c, "balanced", vectors, near, precedents=True)
                table = T.learned_words(rows)
                predicted = model.predict_many([real[i].text for i in held])
                for i, p, prec in zip(held, predicted, T._precedents(model, predicted)):
                    points, ruled = scorer.evidence_scores(real[i].text)
                    rule_share = dict(zip(numbers, scorer._distribution([points[m] for m in numbers])))
                    precedented = frozenset(m for m, v in prec.items() if is_precedent(v, settings.precedent_min))
                    case = T._Case(real[i], rule_share, points, {m: v for m, v in p.probabilities.items() if m in rule_share},
                                   ruled, precedented, T.learned_support(table, real[i].text))
                    cases.append(case)
                    ok[i] = case.combined(w, gate, margin)[0][0] in real[i].acceptable
            f = T.figures(cases, w, threshold, gate, margin, share)
            totals = [t + f[k] for t, k in zip(totals, ("top1", "acceptable", "top2", "flag_recall",
                                                        "flag_rate_correct"))]
            for name, part in (("with a parenthesis", [k for k in cases if _PAREN.search(k.row.text)]),
                               (f"of {LONG} characters or more", [k for k in cases if len(k.row.text) >= LONG])):
                g = T.figures(part, w, None, gate, margin)
                shapes.setdefault(name, []).append((g["n"], g["acceptable"], g["top2"]))
            if n == 0:
                base.append(ok)
            else:
                fixes += sum(o and not b for o, b in zip(ok, base[seed]))
                breaks += sum(b and not o for o, b in zip(ok, base[seed]))
        s = args.seeds
        vs = "" if n == 0 else f"  against the first: {fixes / s:.1f} fixed, {breaks / s:.1f} broken"
        if args.paired and n == 0:
            vs = _paired(Path(args.paired), [r.text for r in real], base)
        print(f"C {c:g} vectors {vectors:g} neighbours {near:g}: top-1 {totals[0] / s:.3f}  acceptable {totals[1] / s:.3f}  "
              f"top-2 {totals[2] / s:.3f}{vs}\n    review flags below {threshold:g} (model at {share:g}): {totals[3] / s:.3f} of the "
              f"misses, {totals[4] / s:.3f} of the correct ones", flush=True)
        for name, found in shapes.items():
            print(f"    rows {name} (n {found[0][0]}): acceptable {sum(a for _, a, _ in found) / s:.3f}  "
                  f"top-2 {sum(t for _, _, t in found) / s:.3f}")
    return 0


def _paired(path: Path, texts: list[str], found: list[list[bool]]) -> str:
    """Fixes and breaks (acceptable, per seed) of the first configuration against the run that wrote
    path (the same rows, in order, and seeds); else write it."""
    import json

    if not path.is_file():
        path.write_text(json.dumps({"rows": texts, "acceptable": found}, ensure_ascii=False), "utf-8")
        return f"  (written to {path})"
    before = json.loads(path.read_text("utf-8"))
    if before.get("rows") != texts or len(before.get("acceptable", [])) != len(found):
        return f"  ({path} is of other rows or seeds)"
    pairs = [(sum(o and not b for o, b in zip(f, bf)), sum(b and not o for o, b in zip(f, bf)))
             for f, bf in zip(found, before["acceptable"])]
    return "  against " + path.name + ": " + ", ".join(f"{x} fixed / {y} broken" for x, y in pairs)


if __name__ == "__main__":
    raise SystemExit(main())
