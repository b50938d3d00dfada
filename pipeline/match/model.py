"""The trained text model: logistic regression over TF-IDF of an item's character 1–3-grams, its
Sudachi words and its head noun, and over the mean of its words' vectors (vectors.py), trained on
labelled measures by `plandraft train` and shipped as plain JSON (no pickle: loading a model never runs
code). Prediction needs numpy only, not scikit-learn."""
from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..messages import input_error, language
from ..messages import text as msg_text
from ..resources import DATA_DIR
from ..text.tokenize import Term, terms
from .rules import fold

FORMAT = "plandraft-text-model/1"
FORMAT_VECTORS = "plandraft-text-model/2"  # with a word-vector block (an older plandraft refuses it)
FORMAT_NEIGHBOURS = "plandraft-text-model/3"  # with the labelled measures (their vote, precedents: neighbours.py)
DEFAULT_MODEL = DATA_DIR / "match_model.json"
NGRAMS = (1, 2, 3)

# Words that end many measures without saying what they are about (…の実施, …の推進): the head noun
# is the last word before them.
LIGHT_HEADS = frozenset({
    "実施", "開催", "推進", "充実", "促進", "強化", "拡充", "継続", "検討", "取組", "取り組み", "展開", "運営",
    "活用", "実行", "設置", "運用", "事業", "等", "など", "ため", "向上", "見直す", "行う", "図る", "進める",
})
_PAREN_RE = re.compile(r"[（(［\[【〔][^）)］\]】〕]*[）)］\]】〕]?")


def split_parentheses(text: str) -> tuple[str, str]:
    """(text outside parentheses, text inside them): an explanatory parenthesis says less about what a
    measure is than the words around it."""
    inside = " ".join(m.group(0)[1:].rstrip("）)］]】〕") for m in _PAREN_RE.finditer(text))
    return _PAREN_RE.sub(" ", text).strip(), inside.strip()


def head_term(found: Sequence[Term]) -> Term | None:
    """The head noun of a measure's terms (in text order): the last single word that is not a light
    ending (実施, 推進, 事業 …), or None."""
    for t in reversed(found):
        if not t.compound and t.text not in LIGHT_HEADS and t.surface not in LIGHT_HEADS and len(t.text) > 1:
            return t
    return None


@lru_cache(maxsize=65_536)
def features(text: str) -> tuple[str, ...]:
    """The model's features of one measure: c: character n-grams of its folded text, w: its Sudachi
    normalized words and compounds, h: its head noun (outside parentheses)."""
    folded = fold(text)
    out = [f"c:{folded[i:i + n]}" for n in NGRAMS for i in range(len(folded) - n + 1)]
    found = terms(text)
    out += [f"w:{t.text}" for t in found]
    main, _ = split_parentheses(text)
    head = head_term(terms(main) if main != text else found)
    if head is not None:
        out.append(f"h:{head.text}")
    return tuple(out)


@dataclass(frozen=True)
class Prediction:
    probabilities: dict[int, float]  # class (pillar number; 0: no pillar) → probability
    names: tuple[str, ...] = ()  # the text's features as written
    index: Any = None  # numpy array: the text's feature numbers in the model
    x: Any = None  # numpy array: their TF-IDF values
    coef: Any = None  # the model's coefficients (features × classes)
    classes: tuple[int, ...] = ()
    words: tuple[str, ...] = ()  # the text's words that have a word vector (normalized forms)
    shares: Any = None  # numpy array, words × classes: each one's push, through its vector, to each class
    nearest: tuple[tuple[str, int, float], ...] = ()  # the nearest labelled measures: (text, class, cosine)

    def telling(self, cls: int, limit: int = 3) -> list[tuple[str, float]]:
        """The words and n-grams of two characters or more that pushed the text most towards cls
        (a word's push through its n-grams and through its vector added up)."""
        if cls not in self.classes:
            return []
        k = self.classes.index(cls)
        pushed: dict[str, float] = {}
        parts = [] if self.index is None or not len(self.names) else [(self.names, self.coef[self.index, k] * self.x)]
        if self.shares is not None:
            parts.append((self.words, self.shares[:, k]))
        for names, col in parts:
            for j in (col > 0).nonzero()[0].tolist():  # what pushed towards cls; a name's pushes added up
                pushed[names[j]] = pushed.get(names[j], 0.0) + float(col[j])
        ranked = sorted(((n, v) for n, v in pushed.items() if len(n) >= 2), key=lambda t: (-t[1], t[0]))
        return ranked[:limit]


@dataclass
class TextModel:
    """A linear model over sublinear TF-IDF features (L2-normalized), as scikit-learn fits it, plus
    what `plandraft train` tuned with it: the mix weight, the review threshold and the generic words."""

    classes: tuple[int, ...]  # pillar numbers (0: fits no pillar)
    titles: dict[int, str]  # pillar number → title in the outline it was trained with
    vocabulary: dict[str, int]
    idf: Any  # numpy array, one per feature
    coef: Any  # numpy array, features × classes
    intercept: Any  # numpy array, one per class
    weight: float = 1.0  # combined score = normalized outline/rule score + weight × probability
    review_below: float = 0.5  # review score (review_score) under which a match is flagged
    # Where a coding rule (or a correction) gives the pillar of the most points and leads the next by
    # rule_margin of them or more, the model's weight is multiplied by rule_gate (see clear_rule).
    rule_gate: float = 1.0
    rule_margin: float = 1.0
    generic: dict[str, float] = field(default_factory=dict)  # term → factor (< 1: a generic word)
    info: dict[str, Any] = field(default_factory=dict)  # how it was trained (data, figures)
    # The mean word vector of the text (vectors.text_vector), times vector_weight, is a feature block
    # of its own: vector_coef is dims × classes, None for a model trained without vectors.
    vector_weight: float = 0.0
    vector_coef: Any = None
    vector_table: str = ""  # the name (hash) of the table it was trained with
    vector_mean: Any = None  # numpy array (dims): the training texts' mean vector, subtracted
    unseen_idf: float = 1.0  # a word's weight in the mean where the model has no idf for it
    neighbours: Any = None  # neighbours.Neighbours: the labelled measures (vote, precedents), None for none
    # Words the labelled measures use mostly under one pillar (trainer.learned_words): word → (pillar,
    # measures of that pillar with it, measures with it). An item holding one is supported for that
    # pillar: the word is its evidence, not 根拠なし.
    learned: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    review_model: float = 0.0  # the model's say in the review score (review_score; 0: the confidence alone)

    def predict(self, text: str) -> Prediction:
        """Probabilities of every class for text (and what to tell why, see Prediction.telling)."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str], batch: int = 512) -> list[Prediction]:
        """predict() of every text, the logits of a batch in one matrix product."""
        import numpy as np

        encoded = [self._encode(t) for t in texts]
        out: list[Prediction] = []
        names = self._names()
        for start in range(0, len(encoded), batch):
            part = encoded[start:start + batch]
            # the logits from each text's own features (a few dozen of the model's thousands), not from
            # a dense texts × features matrix
            rows = np.repeat(np.arange(len(part)), [len(idx) for idx, _, _ in part])
            pushed = self.coef[np.concatenate([idx for idx, _, _ in part]).astype(np.int64)] \
                * np.concatenate([values for _, values, _ in part])[:, None]
            logits = np.empty((len(part), len(self.classes)), dtype=np.float64)
            for k in range(len(self.classes)):
                logits[:, k] = np.bincount(rows, weights=pushed[:, k], minlength=len(part))
            logits += self.intercept
            centred: list[Any] = [None if tv is None else tv.centred(self.vector_mean) for _, _, tv in part]
            if self.vector_coef is not None:
                d = np.array([c[0] for c in centred], dtype=np.float64).reshape(len(part), -1)
                logits += self.vector_weight * (d @ self.vector_coef)
            z = np.exp(logits - logits.max(axis=1, keepdims=True))
            prob = z / z.sum(axis=1, keepdims=True)
            near: list[tuple[tuple[str, int, float], ...]] = [()] * len(part)
            nb = self.neighbours
            if nb is not None and nb.weight > 0 and nb.texts:
                votes, top, sims = nb.vote(nb.similarities([(idx, values) for idx, values, _ in part]), self.classes)
                # The vote counts as much as its nearest measure is near: fully for the same words,
                # hardly for a text that shares a particle with some measure (その他).
                a = nb.weight * np.clip(sims[:, :1], 0.0, 1.0)
                prob = (1 - a) * prob + a * votes
                near = [tuple((nb.texts[j], nb.labels[j], round(min(v, 1.0), 3)) for j, v in zip(ts, vs) if v > 0)
                        for ts, vs in zip(top.tolist(), sims.tolist())]
            probs = prob.tolist()
            for (idx, values, tv), c, p, found in zip(part, centred, probs, near):
                shares = None if c is None else self.vector_weight * (c[1] @ self.vector_coef)
                out.append(Prediction(dict(zip(self.classes, p)), tuple(names[k][2:] for k in idx.tolist()),
                                      idx, values, self.coef, self.classes, tv.words if tv else (), shares, found))
        return out

    def precedents(self, predictions: Sequence[Prediction], batch: int = 512) -> list[dict[int, tuple[str, float]]]:
        """For each prediction, class → the nearest labelled measure the model carries of that class
        (text, cosine to 3 places), for the classes one of them shares a kept word with (none for a
        model that carries none): what the matcher and `plandraft train` take precedents from."""
        nb = self.neighbours
        out: list[dict[int, tuple[str, float]]] = [{} for _ in predictions]
        if nb is None or not nb.texts:
            return out
        for start in range(0, len(predictions), batch):
            sims = nb.similarities([(p.index, p.x) for p in predictions[start:start + batch]])
            for c in self.classes:
                for k, found in enumerate(nb.nearest_of(sims, [c])):
                    if found is not None:
                        out[start + k][c] = (nb.texts[found[0]], round(found[1], 3))
        return out

    def learned_support(self, prediction: Prediction) -> dict[int, list[tuple[str, int, int]]]:
        """Class → the learned words (self.learned) of the predicted text that support it: (word,
        measures of the class with it, measures with it), the most telling first."""
        if not self.learned or prediction.index is None:
            return {}
        names = self._names()
        out: dict[int, list[tuple[str, int, int]]] = {}
        for k in prediction.index.tolist():
            name = names[k]
            found = self.learned.get(name[2:]) if name.startswith("w:") else None
            if found is not None:
                out.setdefault(found[0], []).append((name[2:], found[1], found[2]))
        for words in out.values():
            words.sort(key=lambda t: (-t[1] / t[2], -t[2], t[0]))
        return out

    def _encode(self, text: str) -> tuple[Any, Any, Any]:
        """(feature numbers, sublinear TF-IDF values, L2-normalized, and the text's word vector or
        None) of text (cached per model)."""
        import numpy as np

        cache = self.__dict__.setdefault("_encoded", {})
        found = cache.get(text)
        if found is not None:
            return found
        counts: dict[int, int] = {}
        for f in features(text):
            k = self.vocabulary.get(f)
            if k is not None:
                counts[k] = counts.get(k, 0) + 1
        idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        x = (1.0 + np.log(tf)) * self.idf[idx]
        x /= np.linalg.norm(x) or 1.0
        tv = None
        if self.vector_coef is not None:
            from .vectors import text_vector

            tv = text_vector(self._table(), text, self.word_idf)
        if len(cache) > 50_000:
            cache.clear()
        cache[text] = (idx, x, tv)
        return idx, x, tv

    def word_idf(self, normalized: str) -> float:
        return word_weight(self.vocabulary, self.idf, self.unseen_idf, normalized)

    def with_vectors(self, coef: Any, weight: float, table: str, unseen_idf: float, mean: Any) -> TextModel:
        """This model with a word-vector block (see the fields), returned for chaining."""
        self.vector_coef, self.vector_weight, self.vector_table = coef, weight, table
        self.unseen_idf, self.vector_mean = unseen_idf, mean
        return self

    def check_vectors(self, table: Any) -> Any:
        """table (vectors.WordVectors or None) if it is the one the model was trained with; InputError
        otherwise: the shipped file missing (reinstall) or other vectors (retrain)."""
        from .vectors import DEFAULT_TABLE

        if table is None:
            raise input_error("model.vectors_missing", path=str(DEFAULT_TABLE))
        if table.name != self.vector_table or not table.dims == self.vector_coef.shape[0] == len(self.vector_mean):
            raise input_error("model.other_vectors", table=self.vector_table)
        return table

    def _table(self) -> Any:
        """The word vectors the model was trained with (checked when the model was read)."""
        from .vectors import load_table

        return self.check_vectors(load_table())

    def _names(self) -> list[str]:
        cached = self.__dict__.get("_names_cache")
        if cached is None:
            cached = [""] * len(self.vocabulary)
            for f, k in self.vocabulary.items():
                cached[k] = f
            self.__dict__["_names_cache"] = cached
        return cached

    # -- file ------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        names = self._names()
        return {
            "format": FORMAT_NEIGHBOURS if self.neighbours is not None else
                      FORMAT if self.vector_coef is None else FORMAT_VECTORS,
            "classes": list(self.classes),
            "titles": {str(c): t for c, t in self.titles.items()},
            "weight": self.weight,
            "review_below": self.review_below,
            "review_model": self.review_model,
            "rule_gate": self.rule_gate,
            "rule_margin": self.rule_margin,
            "intercept": [round(float(v), 4) for v in self.intercept],
            "features": {names[k]: [round(float(self.idf[k]), 4), [round(float(v), 4) for v in self.coef[k]]]
                         for k in range(len(names))},
            "generic": {t: round(v, 3) for t, v in sorted(self.generic.items())},
            **({} if self.vector_coef is None else {"vectors": {
                "table": self.vector_table, "weight": self.vector_weight, "unseen_idf": round(self.unseen_idf, 4),
                "mean": [round(float(v), 5) for v in self.vector_mean],
                "coef": [[round(float(v), 4) for v in row] for row in self.vector_coef]}}),
            **({} if self.neighbours is None else {"neighbours": self.neighbours.to_json()}),
            **({} if not self.learned else {"learned": {w: list(v) for w, v in sorted(self.learned.items())}}),
            "info": self.info,
        }

    def save(self, path: Path | str) -> Path:
        from ..output import write_atomic

        text = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))
        return write_atomic(Path(path), text + "\n")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TextModel:
        import numpy as np

        if data.get("format") not in (FORMAT, FORMAT_VECTORS, FORMAT_NEIGHBOURS):
            raise ValueError(msg_text("model.bad_format", format=FORMAT_NEIGHBOURS))
        classes = tuple(int(c) for c in data["classes"])
        feats = data["features"]
        vocabulary = {f: k for k, f in enumerate(feats)}
        idf = np.array([v[0] for v in feats.values()], dtype=np.float64)
        coef = np.array([v[1] for v in feats.values()], dtype=np.float64).reshape(len(feats), len(classes))
        model = cls(classes, {int(c): t for c, t in data.get("titles", {}).items()}, vocabulary, idf, coef,
                    np.array(data["intercept"], dtype=np.float64), float(data.get("weight", 1.0)),
                    float(data.get("review_below", 0.5)), float(data.get("rule_gate", 1.0)),
                    float(data.get("rule_margin", 1.0)),
                    {t: float(v) for t, v in data.get("generic", {}).items()}, dict(data.get("info", {})))
        if "vectors" in data and data["format"] != FORMAT:
            v = data["vectors"]
            model.with_vectors(np.array(v["coef"], dtype=np.float64).reshape(-1, len(classes)), float(v["weight"]),
                               str(v["table"]), float(v["unseen_idf"]), np.array(v["mean"], dtype=np.float64))
            model._table()
        learned = data.get("learned", {})
        if not isinstance(learned, dict) or not all(isinstance(v, list) and len(v) == 3 for v in learned.values()):
            raise ValueError("learned: not word → [pillar, measures of it, measures]")
        model.learned = {str(w): (int(v[0]), int(v[1]), int(v[2])) for w, v in learned.items()}
        model.review_model = float(data.get("review_model", 0.0))
        if not 0.0 <= model.review_model <= 1.0:  # (plandraft train tries 0 to 1)
            raise ValueError(f"review_model: {model.review_model} is not between 0 and 1")
        if data["format"] == FORMAT_NEIGHBOURS:
            from .neighbours import Neighbours

            model.neighbours = Neighbours.from_json(data["neighbours"], len(vocabulary), classes)
        return model


def load_model(path: Path | str | None = None) -> TextModel | None:
    """The model at path (default: the shipped one), or None when the default file is missing.
    InputError (with the file as .path) for a file that is not a model."""
    target = Path(path) if path else DEFAULT_MODEL
    if path is None and not target.is_file():
        return None
    try:
        return TextModel.from_json(json.loads(target.read_text("utf-8")))
    except InputError as exc:  # its word vectors
        exc.at(target)
        raise
    except OSError as exc:
        raise input_error("tsv.unreadable", reason=exc.strerror or exc, path=str(target)) from exc
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise input_error("model.not_a_model", reason=_damage(exc), path=str(target)) from exc


def _damage(exc: Exception) -> str:
    """What is wrong with a file that is not a model, in the planner's language: in Japanese a sentence
    of the catalogue (Python's own wording of the fault says nothing to a planner), in English that
    wording as it is."""
    if language() != "ja" or (isinstance(exc, ValueError) and str(exc) == msg_text("model.bad_format", format=FORMAT_NEIGHBOURS)):
        return str(exc)
    if isinstance(exc, json.JSONDecodeError):  # a model is one line: where it breaks says nothing
        return msg_text("model.damage.json")
    if isinstance(exc, ValueError) and str(exc).startswith("neighbours:"):
        return msg_text("model.damage.neighbours")
    if isinstance(exc, KeyError):
        return msg_text("model.damage.missing", key=exc.args[0] if exc.args else "")
    return msg_text("model.damage.other")


def word_weight(vocabulary: dict[str, int], idf: Any, unseen: float, normalized: str) -> float:
    """A word's idf in a model's vocabulary (that of its w: feature), else unseen: its weight in the
    mean word vector, alike when the model is fitted and when it predicts."""
    k = vocabulary.get(f"w:{normalized}")
    return unseen if k is None else float(idf[k])


def review_score(confidence: float, probability: float, share: float) -> float:
    """What the review flag compares with its threshold: the match's confidence, and share × the
    model's own probability of the chosen pillar, over 1 + share. Where a coding rule is clear the mix
    gives the model less say (rule_gate), so its confidence can look sure while the model finds the
    pillar unlikely; measured by cross-validation by city (bench/match_cv.py), a share of the model's
    probability flags more of the misses at the same share of the correct ones. share 0 (a model of
    before it, or no model) is the confidence alone."""
    return (confidence + share * probability) / (1.0 + share) if share > 0 else confidence


def needs_review(confidence: float, threshold: float, supported: bool) -> bool:
    """Whether a match is flagged for review (the matcher and `plandraft train` alike): under the
    threshold, or with no word of the outline or a rule for it (supported), however sure the trained
    model is: on text that is not a 協働 measure (a works item of a budget list) the model's guess
    can look sure and be meaningless."""
    return confidence < threshold or not supported


def is_precedent(similarity: float, minimum: float) -> bool:
    """Whether a labelled measure this similar to an item is its precedent (MatchSettings.precedent_min;
    1 or more: never), for the matcher and `plandraft train` alike (the similarity as stored, to 3
    places)."""
    return minimum < 1 and round(similarity, 3) >= minimum


def clear_rule(points: dict[int, float], ruled: Iterable[int], margin: float) -> bool:
    """Whether the pillar of the most points is one a coding rule (or a correction) gave points to,
    ahead of the next pillar by margin (a share of its points) or more: evidence a planner wrote down,
    which a model trained mostly on other wording should not overturn."""
    ranked = sorted(points.values(), reverse=True)
    if not ranked or ranked[0] <= 0:
        return False
    top = max(points, key=lambda n: (points[n], -n))
    second = ranked[1] if len(ranked) > 1 else 0.0
    return top in set(ruled) and (ranked[0] - second) / ranked[0] >= margin


def mix(rule_share: dict[int, float], probability: dict[int, float], weight: float,
        gate: float = 1.0) -> dict[int, float]:
    """Combined score per pillar: the share of the outline's and rules' points plus weight × the
    model's probability (as a share of the pillars', without its "no pillar"), the model counting as much as the rules are unsure (1 − their best share, so
    a clear rule decides and an item without evidence is the model's guess) and as much as it is sure
    itself (certainty), times gate (below 1 where a coding rule is clear, see clear_rule), over 1 +
    that weight."""
    unsure = 1.0 - max(rule_share.values(), default=0.0)
    # the pillars' probabilities as shares of theirs: how likely the model finds "no pillar" is judged on
    # its own (Matcher.fits_no_pillar), not by making the model's say on the pillars smaller
    total = sum(probability.get(n, 0.0) for n in rule_share)
    probability = {n: probability.get(n, 0.0) / total for n in rule_share} if total > 0 else {}
    w = weight * unsure * gate * certainty(probability)
    return {n: (r + w * probability.get(n, 0.0)) / (1 + w) for n, r in rule_share.items()}


def certainty(probability: dict[int, float]) -> float:
    """How sure the model is of a text: 1 − the entropy of its probabilities over the pillars (as
    shares) over that of an even spread; 0 when it spreads them evenly. A name that says nothing of
    its pillar (その他, a fragment of a table cell) gets the model's prior, nearly even, and should not
    outvote the item's heading. Five-fold cross-validation by city over train + tune (2,007 real
    measures and the 197 in the rules' words) scored the same with it as without (0.887 / 0.885, the
    mean of top-1, acceptable and top-2 over both halves, w chosen for each)."""
    if len(probability) < 2 or sum(probability.values()) <= 0:
        return 0.0  # nothing to be sure of
    return entropy_factor(probability, len(probability), 0.0)


def entropy_factor(counts: dict[int, float], classes: int, floor: float) -> float:
    """How telling a word is from the pillars of the labelled measures it occurs in: 1 when all are
    one pillar, falling towards floor as they spread evenly over every pillar."""
    n = sum(counts.values())
    if n <= 0 or classes < 2:
        return 1.0
    h = -sum((v / n) * math.log(v / n) for v in counts.values() if v > 0)
    return max(floor, 1.0 - h / math.log(classes))


__all__ = ["DEFAULT_MODEL", "FORMAT", "FORMAT_NEIGHBOURS", "FORMAT_VECTORS", "LIGHT_HEADS", "Prediction", "TextModel", "certainty", "clear_rule", "is_precedent", "entropy_factor", "features", "head_term",
           "load_model", "mix", "needs_review", "split_parentheses", "word_weight"]
