"""Train the text model (model.py) on labelled measures: the reference set of real measures (its train
split only; tune picks the weights; test is never read here), the labelled sets in the rules' words and
a planner's corrections (each a training row). Needs scikit-learn; the model it writes does not."""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..messages import input_error
from ..model import Outline
from ..resources import DATA_DIR
from ..settings import MatchSettings
from ..text.encoding import read_text, tsv_records
from .knowledge import Correction, Knowledge, resolve_pillar
from .model import (
    TextModel,
    clear_rule,
    entropy_factor,
    features,
    is_precedent,
    mix,
    needs_review,
    review_score,
    word_weight,
)
from .vectors import load_table, matrix

DEFAULT_REFERENCE = DATA_DIR / "reference" / "measures.tsv"
# Real projects of municipalities' budget lists that are no 協働 measure (works, equipment, benefits …),
# all of pillar 0: training rows that teach the model "fits no pillar", never scored as measures.
DEFAULT_NOT_MEASURES = DATA_DIR / "reference" / "not_measures.tsv"
# Labelled sets written in the rules' own words (training material), where the source tree has them.
DEFAULT_LABELLED = tuple(DATA_DIR.parent.parent / "tests" / "data" / name for name in (
    "other_cities_labelled.tsv", "independent_measures.tsv", "other_cities_sentences.tsv"))
SPLITS = ("train", "tune", "test")
# C is chosen with the class weights, the vectors and w: of the settings scoring within SCORE_TIE of
# the best, the smallest C (the most regularized model). SCORE_TIE is about half the score's standard
# error on the ~950 rows it is taken over (±0.01): closer scores are a tie, and a weakly regularized
# model learns single rows by heart (one 市民活動推進庁内連絡会議 makes every 連絡会議 pillar 8's).
C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
SCORE_TIE = 0.005
# balanced: rare pillars' rows count more (fewer labelled measures). Unweighted (None) is not tried:
# it gives a text the model knows nothing of the pillars' shares of the labelled rows, i.e. pillar 1
# by its numbers alone, where the outline's and the item's context should decide.
CLASS_WEIGHTS: tuple[str | None, ...] = ("balanced",)
WEIGHT_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0)
# Where a coding rule clearly leads (model.clear_rule: by a margin of its points), the model's weight is
# multiplied by a gate, chosen once C, the class weights and w are: the smallest gate (then the smallest
# margin, gating most often) that scores within GATE_TIE of no gate, because on scores this close the
# evidence a planner wrote down is the safer bet (out of fold, the model helps real measures far more
# than it helps measures in the rules' own words). GATE_TIE is about two measures of the smaller half
# in one of the three figures.
GATE_GRID = (0.0, 0.25, 0.5)
MARGIN_GRID = (0.2, 0.4, 0.6)
GATE_TIE = 0.0017
REVIEW_RECALL = 0.80  # share of the misses the review flags are meant to catch
REVIEW_FLAG_RATE = 0.25  # at most this share of the correct ones flagged
# the model's say in the review score tried (model.review_score; 0: the confidence alone)
REVIEW_SHARE_GRID = (0.0, 0.25, 0.5, 1.0)
REVIEW_GRID = tuple(k / 100 for k in range(5, 96))  # the review thresholds tried
GENERIC_MIN_COUNT = 3  # a word must occur in this many labelled measures to be judged generic
FOLDS = 5
MIN_DF = 2
# The mean word vector's scale beside the TF-IDF block (each of unit length), 0 for none: chosen with C
# and w. 1 did best in five-fold cross-validation by city over train + tune (bench/match_cv.py;
# 1.5 scored the same).
VECTOR_GRID = (0.0, 1.0)
# The k nearest labelled measures' vote (neighbours.py), mixed into the model's probabilities by a
# weight (times the nearest one's similarity) chosen with C: 0 (none), 0.3 or 0.5. Five-fold
# cross-validation by city over train + tune (1,640 real measures, bench/match_cv.py --config 3:1:W)
# gave top-2 0.858 → 0.866 (0.3) and 0.869 (0.5), acceptable 0.867 → 0.866 and 0.868.
NEIGHBOUR_GRID = (0.0, 0.3, 0.5)
NEIGHBOURS_K = 5
# A word of LEARNED_MIN labelled measures or more, LEARNED_SHARE of them or more under one pillar, is
# evidence for that pillar (model.learned): an item holding it is not 根拠なし, and is flagged only by its
# confidence. Chosen by five-fold cross-validation by city over train + tune (two draws; 3 and 5
# measures, shares 0.5 to 0.8 tried): the flags' recall on the misses at 0.25 of the correct ones rose
# from 0.746 and 0.715 to 0.803 and 0.794, items with no word of the outline or a rule being 0.15 of
# the correct ones before (0.10 with learned words).
LEARNED_MIN = 3
LEARNED_SHARE = 0.7
# ... of 2 municipalities (or labelled files) or more: a city's own name or brand (北本市, ムトス) in
# its measures says nothing of another city's
LEARNED_GROUPS = 2
_WORDLIKE = re.compile(r"[^\W\d_]")  # a letter of any script (kana, kanji, Latin)


@dataclass(frozen=True)
class Labelled:
    """One labelled measure: its text, best pillar (0: no pillar), acceptable pillars, the city (or
    file) it comes from, its split, its weight in training and where it was read."""

    text: str
    pillar: int
    acceptable: tuple[int, ...]
    group: str
    split: str
    weight: float = 1.0
    origin: str = ""
    # reference (real measures), labelled (in the rules' words), correction, or not_measure (a real
    # project that is no 協働 measure: pillar 0)
    kind: str = "reference"


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text or ""))


def _read(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line, row by column) of a TSV's non-blank rows, the first line naming the columns; cells as
    Excel writes them (one with a quote or a line break quoted), line as the planner's editor shows it."""
    try:
        text, _ = read_text(path)  # UTF-8, or as Excel saves it (CP932, UTF-16)
    except OSError as exc:
        raise input_error("tsv.unreadable", reason=exc.strerror or exc, path=str(path)) from exc
    except InputError as exc:
        raise exc.at(path) from None
    records = tsv_records(text)
    header = [h.strip() for h in records[0].cells] if records else []
    return [(r.line, dict(zip(header, r.cells))) for r in records[1:] if any(c.strip() for c in r.cells)]


def read_reference(path: Path | str = DEFAULT_REFERENCE, kind: str = "reference") -> list[Labelled]:
    """The reference set (columns id, city, measure, pillar, acceptable, split …), every split; with
    kind not_measure, the projects that are no measure (every row's pillar must be 0)."""
    path = Path(path)
    out = []
    for n, row in _read(path):
        split = (row.get("split") or "").strip()
        pillar = _numbers(row.get("pillar", ""))
        if not (row.get("measure") or "").strip() or not pillar or split not in SPLITS:
            raise input_error("labelled.bad_reference_row", number=n, path=str(path))
        if kind == "not_measure" and pillar[0] != 0:
            raise input_error("labelled.not_measure_pillar", number=n, pillar=pillar[0], path=str(path))
        acceptable = tuple(dict.fromkeys((pillar[0], *_numbers(row.get("acceptable", "")))))
        out.append(Labelled(row["measure"].strip(), pillar[0], acceptable, row.get("city", "").strip(), split,
                            1.0, f"{path.name}:{row.get('id', n)}", kind))
    return out


def read_labelled(path: Path | str, weight: float = 1.0) -> list[Labelled]:
    """A labelled set with columns item, pillar, alt (tests/data): all training rows, one group."""
    path = Path(path)
    out = []
    for n, row in _read(path):
        pillar = _numbers(row.get("pillar", ""))
        if not (row.get("item") or "").strip() or not pillar:
            raise input_error("labelled.bad_row", number=n, path=str(path))
        acceptable = tuple(dict.fromkeys((pillar[0], *_numbers(row.get("alt", "")))))
        out.append(Labelled(row["item"].strip(), pillar[0], acceptable, path.name, "train", weight,
                            f"{path.name}:{n}", "labelled"))
    return out


def from_corrections(corrections: Iterable[Correction], outline: Outline, weight: float = 2.0,
                     title_similarity: float = 0.5) -> list[Labelled]:
    """A planner's corrections as training rows (their pillar resolved in the outline)."""
    out = []
    for c in corrections:
        number = resolve_pillar(outline, c.pillar, c.title, title_similarity)
        if number is not None:
            out.append(Labelled(c.item, number, (number,), "corrections", "train", weight, c.origin, "correction"))
    return out


# -- fitting -----------------------------------------------------------------------------------

def vocabulary(rows: Sequence[Labelled]) -> list[str]:
    """The features the model keeps: those of MIN_DF measures or more (one-off n-grams only
    memorize, and the file stays small), and every feature of a planner's correction (a correction
    is meant to be remembered, its rare words above all)."""
    df: dict[str, int] = {}
    kept: set[str] = set()
    for r in rows:
        found = set(features(r.text))
        if r.kind == "correction":
            kept |= found
        for f in found:
            df[f] = df.get(f, 0) + 1
    kept |= {f for f, n in df.items() if n >= MIN_DF}
    return sorted(kept)


def _fit(rows: Sequence[Labelled], outline: Outline, c: float, class_weight: str | None = None,
         vector_weight: float = 0.0, neighbour_weight: float = 0.0, precedents: bool = False) -> TextModel:
    """A logistic regression over sublinear TF-IDF of the rows' features and (where the word vectors
    are there, times vector_weight) their mean word vector, as a TextModel; with neighbour_weight, the
    rows' nearest-measure vote too, and with precedents the rows themselves (for precedents) even
    where the vote is off."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, lowercase=False, vocabulary=vocabulary(rows))
    x = vectorizer.fit_transform([r.text for r in rows])
    kept = {f: int(k) for f, k in vectorizer.vocabulary_.items()}
    idf = np.asarray(vectorizer.idf_, dtype=np.float64)
    table = load_table() if vector_weight > 0 else None
    unseen = math.log((1 + len(rows)) / 2) + 1  # sklearn's smooth idf of a word in one row
    if table is not None:
        dense, mean = matrix(table, [r.text for r in rows], partial(word_weight, kept, idf, unseen))
        x = sparse.hstack([x, vector_weight * sparse.csr_matrix(dense)]).tocsr()
    y = np.array([r.pillar for r in rows])
    clf = LogisticRegression(C=c, max_iter=2000, solver="newton-cg", class_weight=class_weight)
    clf.fit(x, y, sample_weight=np.array([r.weight for r in rows]))
    classes = tuple(int(k) for k in clf.classes_)
    coef = clf.coef_.T if len(classes) > 2 else np.hstack([-clf.coef_.T, clf.coef_.T])
    intercept = clf.intercept_ if len(classes) > 2 else np.array([-clf.intercept_[0], clf.intercept_[0]])
    titles = {p.number: p.title for p in outline.pillars if p.number in classes}
    coef = np.asarray(coef, dtype=np.float64)
    model = TextModel(classes, titles, kept, idf, coef[:len(kept)], np.asarray(intercept, dtype=np.float64))
    if table is not None:
        model.with_vectors(coef[len(kept):], vector_weight, table.name, unseen, mean)
    if neighbour_weight > 0 or precedents:
        from .neighbours import Neighbours

        encoded = [model._encode(r.text)[:2] for r in rows]
        model.neighbours = Neighbours.build([r.text for r in rows], [r.pillar for r in rows],
                                            [r.weight for r in rows], encoded, NEIGHBOURS_K, neighbour_weight)
    return model


def _folds(rows: Sequence[Labelled]) -> dict[str, int]:
    """group (city or file) → its fold, 0 … FOLDS − 1: the folds of every out-of-fold figure here."""
    return {g: k % FOLDS for k, g in enumerate(sorted({r.group for r in rows}))}


def _out_of_fold(rows: Sequence[Labelled], outline: Outline, c: float, class_weight: str | None = None,
                 vector_weight: float = 0.0, neighbour_weight: float = 0.0,
                 precedents: list[dict[int, float]] | None = None) -> list[dict[int, float]]:
    """Each row's class probabilities from a model that did not see its group (city or file); where a
    list is given as precedents, it is filled with each row's similarity to the nearest row of each
    class among those that model was fitted on."""
    fold_of = _folds(rows)
    out: list[dict[int, float]] = [{} for _ in rows]
    if precedents is not None:
        precedents[:] = [{} for _ in rows]
    for k in range(FOLDS):
        held = [i for i, r in enumerate(rows) if fold_of[r.group] == k]
        if not held:
            continue
        model = _fit([r for r in rows if fold_of[r.group] != k], outline, c, class_weight, vector_weight,
                     neighbour_weight, precedents is not None)
        predicted = model.predict_many([rows[i].text for i in held])
        for i, p in zip(held, predicted):
            out[i] = p.probabilities
        if precedents is not None:
            for i, near in zip(held, _precedents(model, predicted)):
                precedents[i] = near
    return out


def no_pillar_share(scorer: Any, model: TextModel, rows: Sequence[Labelled]) -> dict[str, float]:
    """Of rows (projects that are no measure), the share the matcher with this model reports as fitting
    no pillar (Matcher.fits_no_pillar)."""
    if not rows:
        return {"n": 0, "no_pillar": 0.0}
    found = 0
    for r, p in zip(rows, model.predict_many([r.text for r in rows])):
        found += scorer.fits_no_pillar(r.text, p)
    return {"n": len(rows), "no_pillar": round(found / len(rows), 3)}


def _precedents(model: TextModel, predictions: Sequence[Any]) -> list[dict[int, float]]:
    """Per prediction, class → the similarity of the nearest labelled measure of that class the model
    carries (neighbours.py; none for a model without them)."""
    return [{c: sim for c, (_, sim) in nearest.items()} for nearest in model.precedents(predictions)]


def generic_factors(rows: Sequence[Labelled], matcher_terms: Any, classes: int, floor: float) -> dict[str, float]:
    """term → factor below 1 for words that occur in measures of many pillars (entropy of their
    pillars), from the rows given (train only)."""
    counts: dict[str, dict[int, float]] = {}
    for r in rows:
        for term in {t for t, _, _ in matcher_terms(r.text)}:
            counts.setdefault(term, {}).setdefault(r.pillar, 0.0)
            counts[term][r.pillar] += 1
    out = {}
    for term, by_pillar in counts.items():
        if sum(by_pillar.values()) >= GENERIC_MIN_COUNT:
            factor = entropy_factor(by_pillar, classes, floor)
            if factor < 0.999:
                out[term] = round(factor, 3)
    return out


def _words(text: str) -> set[str]:
    """The Sudachi words of text that can be evidence: two characters or more, not a number or a sign
    (%, ・)."""
    words = (f[2:] for f in features(text) if f.startswith("w:"))
    return {w for w in words if len(w) >= 2 and _WORDLIKE.search(w)}


def learned_words(rows: Sequence[Labelled]) -> dict[str, tuple[int, int, int]]:
    """word → (pillar, measures of it with the word, measures with the word) for the Sudachi words of
    LEARNED_MIN labelled measures or more (of a pillar: not the projects that are no measure), at least
    LEARNED_SHARE of them under one pillar, used by LEARNED_GROUPS municipalities (or files) or more."""
    counts: dict[str, dict[int, int]] = {}
    groups: dict[str, set[str]] = {}
    for r in rows:
        if r.pillar == 0 or r.kind == "not_measure":
            continue
        for w in _words(r.text):
            by = counts.setdefault(w, {})
            by[r.pillar] = by.get(r.pillar, 0) + 1
            groups.setdefault(w, set()).add(r.group)
    out = {}
    for w, by in counts.items():
        total = sum(by.values())
        pillar, n = max(by.items(), key=lambda kv: (kv[1], -kv[0]))
        if total >= LEARNED_MIN and n >= LEARNED_SHARE * total and len(groups[w]) >= LEARNED_GROUPS:
            out[w] = (pillar, n, total)
    return out


def learned_support(table: dict[str, tuple[int, int, int]], text: str) -> frozenset[int]:
    """The pillars the learned words (learned_words) of text support."""
    return frozenset(table[w][0] for w in _words(text) if w in table)


def _learned_out_of_fold(rows: Sequence[Labelled]) -> list[frozenset[int]]:
    """Each row's learned support from the words of the rows of other groups, in _out_of_fold's folds."""
    fold_of = _folds(rows)
    out: list[frozenset[int]] = [frozenset() for _ in rows]
    for k in range(FOLDS):
        table = learned_words([r for r in rows if fold_of[r.group] != k])
        for i, r in enumerate(rows):
            if fold_of[r.group] == k:
                out[i] = learned_support(table, r.text)
    return out


# -- choosing the mix weight and the review threshold ------------------------------------------

@dataclass(frozen=True)
class _Case:
    row: Labelled
    rule_share: dict[int, float]
    rule_points: dict[int, float]
    prob: dict[int, float]
    ruled: frozenset[int] = frozenset()  # pillars a coding rule gave points to
    precedented: frozenset[int] = frozenset()  # pillars with a labelled measure near it (a precedent)
    learned: frozenset[int] = frozenset()  # pillars a learned word of it supports (learned_words)

    def combined(self, w: float, gate: float = 1.0, margin: float = 1.0) -> list[tuple[int, float]]:
        g = gate if gate != 1.0 and clear_rule(self.rule_points, self.ruled, margin) else 1.0
        c = mix(self.rule_share, self.prob, w, g)
        return sorted(c.items(), key=lambda kv: (-kv[1], -self.rule_points[kv[0]], kv[0]))

    def flagged(self, ranking: list[tuple[int, float]], threshold: float, share: float = 0.0) -> bool:
        """As the matcher flags (model.needs_review of model.review_score, the model's probability at
        share; the matcher leaves the model out of it for an item under a pillar's own title, which no
        labelled row is)."""
        supported = any(v > 0 for v in self.rule_points.values()) or ranking[0][0] in self.precedented \
            or ranking[0][0] in self.learned
        return needs_review(review_score(ranking[0][1], self.prob.get(ranking[0][0], 0.0), share), threshold, supported)


def figures(cases: Sequence[_Case], w: float, threshold: float | None = None, gate: float = 1.0,
            margin: float = 1.0, share: float = 0.0) -> dict[str, float]:
    """top-1, acceptable and top-2 at mix weight w and rule gate (and the review flags' recall on the
    misses and rate on the correct ones at threshold, the model's probability counting at share in
    the review score)."""
    n = len(cases) or 1
    top1 = acc = top2 = 0
    misses = flagged_misses = correct = flagged_correct = 0
    for case in cases:
        ranking = case.combined(w, gate, margin)
        first = ranking[0][0]
        top1 += first == case.row.pillar
        ok = first in case.row.acceptable
        acc += ok
        top2 += case.row.pillar in (ranking[0][0], ranking[1][0] if len(ranking) > 1 else None)
        if threshold is not None:
            flag = case.flagged(ranking, threshold, share)
            if ok:
                correct += 1
                flagged_correct += flag
            else:
                misses += 1
                flagged_misses += flag
    out = {"n": len(cases), "top1": round(top1 / n, 3), "acceptable": round(acc / n, 3), "top2": round(top2 / n, 3)}
    if threshold is not None:
        out["flag_recall"] = round(flagged_misses / misses, 3) if misses else 1.0
        out["flag_rate_correct"] = round(flagged_correct / correct, 3) if correct else 0.0
    return out


def score(cases: Sequence[_Case], w: float, gate: float = 1.0, margin: float = 1.0) -> float:
    """What the mix is chosen by: the mean of top-1, acceptable and top-2, over real measures and over
    the measures in the rules' own words alike (each half, whatever their numbers: a city's own plan is
    mostly the second kind, other cities' plans the first)."""
    halves = [[c for c in cases if c.row.kind != "labelled"], [c for c in cases if c.row.kind == "labelled"]]
    parts = []
    for part in halves:
        if part:
            f = figures(part, w, None, gate, margin)
            parts.append((f["top1"] + f["acceptable"] + f["top2"]) / 3)
    return sum(parts) / len(parts) if parts else 0.0


def _review_threshold(cases: Sequence[_Case], w: float, gate: float = 1.0, margin: float = 1.0,
                      share: float = 0.0) -> float:
    """The middle of the review-score thresholds that flag at least REVIEW_RECALL of the misses and at
    most REVIEW_FLAG_RATE of the correct ones (flags rise with the threshold), so both hold with room
    to spare on new text; where none does both, the highest that keeps to the flag rate."""
    found = _flag_curve(cases, w, gate, margin, share)
    under = [t for t, f in found if f["flag_rate_correct"] <= REVIEW_FLAG_RATE]
    both = [t for t in under if dict(found)[t]["flag_recall"] >= REVIEW_RECALL]
    if both:
        return round((min(both) + max(both)) / 2, 2)
    return max(under) if under else REVIEW_GRID[0]


def _flag_curve(cases: Sequence[_Case], w: float, gate: float, margin: float,
                share: float) -> list[tuple[float, dict[str, float]]]:
    return [(t, figures(cases, w, t, gate, margin, share)) for t in REVIEW_GRID]


def _real(cases: Sequence[_Case]) -> Sequence[_Case]:
    """The review flags are chosen on the real measures where there are any: the flags are for other
    cities' measures above all, and the measures in the rules' own words (a city's own plan), nearly
    all right and sure, would let it flag more of the real ones than REVIEW_FLAG_RATE allows."""
    return [k for k in cases if k.row.kind == "reference"] or cases


def review_threshold(cases: Sequence[_Case], w: float, gate: float = 1.0, margin: float = 1.0,
                     share: float = 0.0) -> float:
    """The review threshold (of the review score at share), chosen on the real measures."""
    return _review_threshold(_real(cases), w, gate, margin, share)


def review_share(cases: Sequence[_Case], w: float, gate: float = 1.0, margin: float = 1.0) -> float:
    """The model's say in the review score (model.review_score): of REVIEW_SHARE_GRID, the one whose
    flags catch the most misses while flagging at most REVIEW_FLAG_RATE of the correct ones, on the real
    measures; within SCORE_TIE of the best, the smallest (0: the confidence alone)."""
    real = _real(cases)
    caught = {}
    for share in REVIEW_SHARE_GRID:
        under = [f["flag_recall"] for _, f in _flag_curve(real, w, gate, margin, share)
                 if f["flag_rate_correct"] <= REVIEW_FLAG_RATE]
        caught[share] = max(under, default=0.0)
    top = max(caught.values())
    return min(s for s, v in caught.items() if v >= top - SCORE_TIE)


# score, (C, class weight, vectors, neighbours), w, cases
_Tried = tuple[float, tuple[float, str | None, float, float], float, Any]


def choose(tried: Sequence[_Tried]) -> _Tried:
    """Of the settings tried, those within SCORE_TIE of the best score: the most regularized (smallest
    C), then the best of them."""
    top = max(t[0] for t in tried)
    return min((t for t in tried if t[0] >= top - SCORE_TIE), key=lambda t: (t[1][0], -t[0]))


@dataclass(frozen=True)
class Training:
    model: TextModel
    report: dict[str, Any]


def train(outline: Outline, knowledge: Knowledge, rows: Sequence[Labelled],
          settings: MatchSettings | None = None, log: Any = None, progress: Any = None) -> Training:
    """The model trained on the rows of splits train and tune. Its C, class weights and mix weight
    are chosen on the tune rows (predicted by a model fitted on train) together with the train rows'
    out-of-fold predictions (by city); then the model is fitted again on train + tune, and the review
    threshold is chosen on the out-of-fold predictions of train + tune. Rows of split test are left
    out here, whatever the caller passes."""
    from .matcher import Matcher

    settings = settings or MatchSettings()
    say = log or (lambda _msg: None)
    # progress(n, total, label) after each of the settings tried and the final fits (a minute or more)
    step = progress or (lambda _n, _total, _label: None)
    training = [r for r in rows if r.split == "train"]
    tuning = [r for r in rows if r.split == "tune"]
    if len({r.pillar for r in training}) < 2:
        raise input_error("labelled.one_pillar")
    plain = Matcher(outline, knowledge, settings, model=None, generic={})
    # (a word's spread over the pillars is over measures: the projects that are none leave it as it is)
    generic = generic_factors([r for r in training if r.kind != "not_measure"], plain._terms,
                              len(outline.pillars) + 1, settings.generic_floor) if settings.generic else {}
    scorer = Matcher(outline, knowledge, settings, model=None, generic=generic)
    numbers = [p.number for p in outline.pillars]

    def case(r: Labelled, prob: dict[int, float], near: dict[int, float] | None = None,
             learned: frozenset[int] = frozenset()) -> _Case:
        points, ruled = scorer.evidence_scores(r.text)
        share = dict(zip(numbers, scorer._distribution([points[n] for n in numbers])))
        precedented = frozenset(k for k, v in (near or {}).items() if is_precedent(v, settings.precedent_min))
        return _Case(r, share, points, {k: v for k, v in prob.items() if k in share}, ruled, precedented, learned)

    # The weights are chosen on the tune split and on every training row but corrections and the
    # projects that are no measure (no pillar can be their answer), predicted by a model that did not
    # see its city (or file): real text and the rules' own words alike.
    real_train = [i for i, r in enumerate(training) if r.kind not in ("correction", "not_measure")]
    scored_tuning = [r for r in tuning if r.kind != "not_measure"]
    tried: list[_Tried] = []
    vector_grid = VECTOR_GRID if load_table() is not None else (0.0,)

    fits = [(c, cw, v, 0.0) for v in vector_grid for c in C_GRID for cw in CLASS_WEIGHTS]
    total = len(fits) + len(NEIGHBOUR_GRID) - 1 + 2
    done = [0]

    def advance(label: str) -> None:
        done[0] += 1
        step(done[0], total, label)

    def attempt(fit: tuple[float, str | None, float, float]) -> list[_Tried]:
        advance(f"C {fit[0]:g} vectors {fit[2]:g} neighbours {fit[3]:g}")
        oof = _out_of_fold(training, outline, *fit)
        model = _fit(training, outline, *fit)
        cases = [case(training[i], oof[i]) for i in real_train]
        cases += [case(r, p.probabilities) for r, p in zip(scored_tuning,
                                                            model.predict_many([r.text for r in scored_tuning]))]
        out: list[_Tried] = []
        for w in WEIGHT_GRID:
            value = score(cases, w)
            say(f"C {fit[0]:g}  class weight {fit[1]}  vectors {fit[2]:g}  neighbours {fit[3]:g}  w {w:g}  "
                f"score {value:.4f}")
            out.append((value, fit, w, cases))
        return out

    for fit in fits:
        tried += attempt(fit)
    plain_score, fit, w, chosen_cases = choose(tried)
    # The nearest measures' vote, tried with the chosen C and vectors (and w again): kept only where it
    # scores better by SCORE_TIE or more (it costs time and a larger file); of those, the smallest weight
    # and w within SCORE_TIE of the best of them.
    voted = [t for nb in NEIGHBOUR_GRID[1:] for t in attempt((*fit[:3], nb))]
    if voted and max(t[0] for t in voted) >= plain_score + SCORE_TIE:
        top = max(t[0] for t in voted)
        plain_score, fit, w, chosen_cases = min((t for t in voted if t[0] >= top - SCORE_TIE),
                                                key=lambda t: (t[1][3], t[2], -t[0]))
    c, class_weight, vector_weight, neighbour_weight = fit
    gate, margin = 1.0, 1.0
    for g in GATE_GRID if w > 0 else ():
        for m in MARGIN_GRID:
            value = score(chosen_cases, w, g, m)
            say(f"gate {g:g}  margin {m:g}  score {value:.4f} (no gate {plain_score:.4f})")
            if gate == 1.0 and value >= plain_score - GATE_TIE:
                gate, margin = g, m
    # The tune figures of the choice, from a model fitted on train alone (tune unseen), with the
    # precedents that model carries.
    advance("tune")
    on_train = _fit(training, outline, *fit, precedents=True)
    predicted = on_train.predict_many([r.text for r in scored_tuning])
    on_train_words = learned_words(training)
    tune_cases = [case(r, p.probabilities, n, learned_support(on_train_words, r.text))
                  for r, p, n in zip(scored_tuning, predicted, _precedents(on_train, predicted))]
    not_measures = [r for r in tuning if r.kind == "not_measure"]
    # The shipped model learns from train + tune; its review threshold is chosen on predictions of
    # models that did not see the row's city (or file).
    both = [*training, *tuning]
    advance("train + tune")
    model = _fit(both, outline, *fit, precedents=True)
    near: list[dict[int, float]] = []
    oof = _out_of_fold(both, outline, *fit, precedents=near)
    learned_oof = _learned_out_of_fold(both)
    choose_cases = [case(r, p, n, w_) for r, p, n, w_ in zip(both, oof, near, learned_oof)
                    if r.kind not in ("correction", "not_measure")]
    share = review_share(choose_cases, w, gate, margin)
    threshold = review_threshold(choose_cases, w, gate, margin, share)
    model.weight, model.review_below, model.review_model, model.generic = w, threshold, share, generic
    model.rule_gate, model.rule_margin = gate, margin
    model.learned = learned_words(both)
    labelled_cases = [k for k in choose_cases if k.row.kind == "labelled"]
    report = {
        "rows": {"train": len(training), "tune": len(tuning), "fitted_on": len(both),
                 "out_of_fold": len(choose_cases)},
        "C": c, "class_weight": class_weight or "none", "vector_weight": vector_weight,
        "neighbour_weight": neighbour_weight, "weight": w,
        "rule_gate": gate, "rule_margin": margin,
        "review_below": threshold, "review_model": share, "generic_words": len(generic), "learned_words": len(model.learned),
        "tune": figures(tune_cases, w, threshold, gate, margin, share),
        "tune_without_gate": figures(tune_cases, w, threshold, share=share),
        # (without the model's precedents too: a matcher without the model has none)
        "tune_without_model": figures([replace(k, precedented=frozenset(), learned=frozenset()) for k in tune_cases],
                                      0.0, threshold),
        "out_of_fold_train_and_tune": figures(choose_cases, w, threshold, gate, margin, share),
        "out_of_fold_rules_wording": figures(labelled_cases, w, threshold, gate, margin, share),
        "out_of_fold_rules_wording_without_gate": figures(labelled_cases, w, threshold, share=share),
        # The tune split's projects that are no measure: how many the matcher reports as fitting no
        # pillar (with the model fitted on train alone).
        "tune_not_measures": no_pillar_share(scorer, on_train, not_measures),
    }
    model.info = {"trained_on": sorted({r.origin.split(":")[0] for r in both}), **report}
    return Training(model, report)


__all__ = ["DEFAULT_LABELLED", "DEFAULT_NOT_MEASURES", "DEFAULT_REFERENCE", "Labelled", "Training", "choose", "figures", "from_corrections",
           "generic_factors", "learned_support", "learned_words", "no_pillar_share", "read_labelled", "read_reference", "review_threshold", "score", "train", "vocabulary"]
