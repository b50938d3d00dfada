"""The labelled measures nearest an item: the cosine over the text model's TF-IDF features that are
not common (each stored measure and each item renormalized over those), so the same words give 1.
The k nearest vote for their pillars, each by its similarity times its weight (a measure labelled
several times, or a planner's correction, counts more), and the vote is mixed into the model's
probabilities by a weight times the nearest one's similarity: a text no measure is near keeps the
model's say. The nearest measure of the chosen pillar is evidence a planner can read.

A model carries its labelled measures even where the vote is off (weight 0): an item no word of the
outline or a rule supports, but nearly the same as a labelled measure of the pillar it is put under
(a precedent, MatchSettings.precedent_min), has that measure as its evidence instead of 根拠なし.

Features found in more than COMMON of the measures (and more than COMMON_MIN) are left out: they say
little of which measure is near, and they are most of the work (a single character is in hundreds
of them). numpy only, as the rest of prediction."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

COMMON = 0.05
COMMON_MIN = 20  # but a feature of this many measures or fewer is always kept (a small labelled set)


@dataclass(frozen=True, eq=False)
class Neighbours:
    texts: tuple[str, ...]  # the labelled measures, as written (each text and pillar once)
    labels: tuple[int, ...]  # their pillar (class)
    weights: Any  # numpy array: their weight in the vote (the rows' weights added up)
    # Their encodings over the kept features, row by row (CSR): measure i's feature numbers are
    # features[indptr[i]:indptr[i + 1]] and values[…] their TF-IDF values, L2-normalized; numpy arrays.
    indptr: Any
    features: Any
    values: Any
    k: int = 5
    weight: float = 0.0  # probability = (1 - a) × model + a × vote, a = weight × the nearest one's cosine

    @classmethod
    def build(cls, texts: Sequence[str], labels: Sequence[int], weights: Sequence[float],
              encoded: Sequence[tuple[Any, Any]], k: int, weight: float) -> Neighbours:
        """From the rows' texts, pillars, weights and encodings (feature numbers, values), as
        TextModel._encode gives them. Rows of the same text and pillar become one measure."""
        import numpy as np

        kept: dict[tuple[str, int], list[float]] = {}  # (text, pillar) → [first row, weight added up]
        for n, (t, label, w) in enumerate(zip(texts, labels, weights)):
            kept.setdefault((t, int(label)), [n, 0.0])[1] += float(w)
        encoded = [encoded[int(n)] for n, _ in kept.values()]
        features = np.concatenate([idx for idx, _ in encoded] or [np.zeros(0)]).astype(np.int64)
        values = np.concatenate([x for _, x in encoded] or [np.zeros(0)]).astype(np.float64)
        rows = np.repeat(np.arange(len(encoded), dtype=np.int64), [len(idx) for idx, _ in encoded])
        df = np.bincount(features, minlength=int(features.max()) + 1 if len(features) else 0)
        keep = df[features] <= max(COMMON_MIN, COMMON * len(encoded))
        features, values, rows = features[keep], values[keep], rows[keep]
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(encoded)))
        values = np.round(values / np.where(norms > 0, norms, 1.0)[rows], 3)
        indptr = np.searchsorted(rows, np.arange(len(encoded) + 1)).astype(np.int64)
        return cls(tuple(t for t, _ in kept), tuple(p for _, p in kept), np.array([w for _, w in kept.values()]),
                   indptr, features, values, k, weight)

    def _index(self) -> tuple[Any, Any, Any, Any]:
        """(start of each feature's postings, their measures, their values, whether any measure has
        the feature) by feature number, built once."""
        cached = self.__dict__.get("_cached")
        if cached is None:
            import numpy as np

            rows = np.repeat(np.arange(len(self.texts), dtype=np.int64), np.diff(self.indptr))
            order = np.argsort(self.features, kind="stable")
            feat, rows, vals = self.features[order], rows[order], self.values[order]
            top = int(feat.max()) + 2 if len(feat) else 1
            starts = np.searchsorted(feat, np.arange(top))
            cached = (starts, rows, vals, np.diff(starts) > 0)
            object.__setattr__(self, "_cached", cached)
        return cached

    def similarities(self, encoded: Sequence[tuple[Any, Any]]) -> Any:
        """numpy array, texts × measures: the cosine of each text (its encoding, renormalized over
        the kept features) with each measure."""
        import numpy as np

        starts, rows, vals, used = self._index()
        n = len(self.texts)
        out = np.zeros((len(encoded), n), dtype=np.float64)
        if not encoded or not n:
            return out
        sizes = [len(idx) for idx, _ in encoded]
        qf = np.concatenate([idx for idx, _ in encoded]).astype(np.int64)
        qv = np.concatenate([x for _, x in encoded]).astype(np.float64)
        qr = np.repeat(np.arange(len(encoded), dtype=np.int64), sizes)
        keep = qf < len(used)
        keep[keep] = used[qf[keep]]
        qf, qv, qr = qf[keep], qv[keep], qr[keep]
        norms = np.sqrt(np.bincount(qr, weights=qv * qv, minlength=len(encoded)))
        qv = qv / np.where(norms > 0, norms, 1.0)[qr]
        lens = starts[qf + 1] - starts[qf]
        if not lens.sum():
            return out
        which = np.repeat(np.arange(len(qf)), lens)
        offsets = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens)
        at = starts[qf][which] + offsets
        flat = np.bincount(qr[which] * n + rows[at], weights=qv[which] * vals[at], minlength=len(encoded) * n)
        return np.minimum(flat.reshape(len(encoded), n), 1.0)  # 1.0: the rounding of the stored values

    def vote(self, sims: Any, classes: Sequence[int]) -> tuple[Any, Any, Any]:
        """(votes, nearest, their similarities): per text, the k nearest measures' shares of classes,
        each by its similarity times its weight (a row of zeros when no measure shares a feature with
        it), and those measures (texts × k, nearest first; similarity 0 for none). numpy arrays."""
        import numpy as np

        rows, n = sims.shape
        k = min(self.k, n)
        shares = np.zeros((rows, len(classes)), dtype=np.float64)
        if not k:
            return shares, np.zeros((rows, 0), dtype=np.int64), np.zeros((rows, 0))
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        near = np.take_along_axis(sims, top, axis=1)
        order = np.argsort(-near, axis=1, kind="stable")
        top, near = np.take_along_axis(top, order, axis=1), np.take_along_axis(near, order, axis=1)
        near = np.where(near > 0, near, 0.0)
        col = {c: j for j, c in enumerate(classes)}
        label_col = np.array([col[v] for v in self.labels], dtype=np.int64)[top]  # texts × k
        pull = near * self.weights[top]
        every = np.arange(rows)
        for j in range(k):  # k columns, not a loop over the texts (a text once in each)
            shares[every, label_col[:, j]] += pull[:, j]
        total = pull.sum(axis=1, keepdims=True)
        return np.divide(shares, total, out=np.zeros_like(shares), where=total > 0), top, near

    def nearest_of(self, sims: Any, classes: Sequence[int]) -> list[tuple[int, float] | None]:
        """Per text (a row of sims), its nearest measure of one of classes and their similarity, or
        None where no measure of those classes shares a kept feature with it."""
        import numpy as np

        cols = np.nonzero(np.isin(np.array(self.labels, dtype=np.int64), list(classes)))[0]
        if not len(cols) or not sims.shape[0]:
            return [None] * sims.shape[0]
        sub = sims[:, cols]
        best = sub.argmax(axis=1)
        value = sub[np.arange(sub.shape[0]), best]
        return [(int(cols[j]), float(v)) if v > 0 else None for j, v in zip(best.tolist(), value.tolist())]

    def to_json(self) -> dict[str, Any]:
        return {"k": self.k, "weight": self.weight, "texts": list(self.texts), "labels": list(self.labels),
                "weights": [round(float(w), 3) for w in self.weights], "indptr": self.indptr.tolist(),
                "features": self.features.tolist(), "values": self.values.tolist()}

    @classmethod
    def from_json(cls, data: dict[str, Any], features: int, classes: Sequence[int]) -> Neighbours:
        """From to_json's dict, for a model of that many features and those classes (ValueError for
        one that does not fit them or itself)."""
        import numpy as np

        texts, labels = data["texts"], data["labels"]
        k, weight = data["k"], data["weight"]
        if not (isinstance(k, int) and k >= 1 and isinstance(weight, (int, float)) and math.isfinite(weight)
                and 0 <= weight <= 1):
            raise ValueError("neighbours: k must be a whole number from 1, weight a number from 0 to 1")
        # (checked as arrays: a model carries thousands of measures, read at every start)
        label_array = np.array(labels) if isinstance(labels, list) else None
        if not (isinstance(texts, list) and all(isinstance(t, str) for t in texts) and label_array is not None
                and label_array.ndim == 1 and (not len(labels) or label_array.dtype.kind == "i")
                and np.isin(label_array, list(classes)).all()):
            raise ValueError("neighbours: texts must be texts, labels the model's classes")
        raw = np.array(data["features"]) if isinstance(data["features"], list) else None
        if raw is None or (len(raw) and raw.dtype.kind != "i"):
            raise ValueError("neighbours: feature numbers must be whole numbers")
        indptr = np.array(data["indptr"], dtype=np.int64)
        feats = raw.astype(np.int64)
        values = np.array(data["values"], dtype=np.float64)
        weights = np.array(data["weights"], dtype=np.float64)
        if not (indptr.ndim == feats.ndim == values.ndim == weights.ndim == 1
                and len(texts) == len(labels) == len(weights) == len(indptr) - 1 and indptr[0] == 0
                and (np.diff(indptr) >= 0).all() and len(feats) == len(values) == indptr[-1]
                and (len(feats) == 0 or 0 <= feats.min() <= feats.max() < features)
                and np.isfinite(values).all() and np.isfinite(weights).all() and (weights >= 0).all()):
            raise ValueError("neighbours: the texts, labels, weights and encodings do not fit together or the model")
        return cls(tuple(texts), tuple(labels), weights, indptr, feats, values, k, float(weight))
