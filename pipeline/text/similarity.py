"""How alike two texts are, in one place for every stage: character bigrams (titles, suggested
projects) and tf-idf cosine over content words (measures against measures). Terms follow the one
set of rules in tokenize.py (content_word)."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

# Spaces, brackets and punctuation carry no meaning in a title: 協働(共働)事例集 ≈ 協働・共働事例集.
_NOISE = re.compile(r"[\s()（）「」『』【】〈〉<>《》、。・,.!！?？:：\-ー～〜]")


def strip_noise(text: str) -> str:
    """text without spaces, brackets and punctuation."""
    return _NOISE.sub("", text)


def bigrams(text: str) -> set[str]:
    """The character bigrams of text, spaces and punctuation left out (a one-character text: itself)."""
    text = strip_noise(text)
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def dice(a: str, b: str) -> float:
    """Character-bigram Dice similarity of two short texts such as titles (0..1)."""
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


class Overlap:
    """How much of a candidate text one of ours already covers: the share of the candidate's
    character bigrams found in the text, each bigram weighted by how rare it is in corpus (so words
    every item has, 市民, 協働, まちづくり, count for little). No corpus: every bigram counts 1."""

    def __init__(self, corpus: Iterable[str] = ()) -> None:
        docs = [bigrams(t) for t in corpus]
        self.n = len(docs)
        self.df = Counter(b for d in docs for b in d)

    def weight(self, bigram: str) -> float:
        return math.log((self.n + 1) / (self.df.get(bigram, 0) + 1)) if self.n else 1.0

    def __call__(self, candidate: str, text: str) -> float:
        """0..1: the weighted share of candidate's bigrams that occur in text."""
        a = bigrams(candidate)
        total = sum(self.weight(b) for b in a)
        return sum(self.weight(b) for b in a & bigrams(text)) / total if total else 0.0


def overlap(candidate: str, text: str) -> float:
    """Unweighted Overlap: the share of candidate's character bigrams that occur in text (0..1)."""
    return Overlap()(candidate, text)


class TfidfSpace:
    """tf-idf unit vectors of texts given as their terms with a weight each (a term counts once, at
    its largest weight), for cosine similarity between any two of them."""

    def __init__(self, texts: Sequence[Mapping[str, float]], surface: Mapping[str, str] | None = None) -> None:
        df: Counter[str] = Counter()
        for ts in texts:
            df.update(ts.keys())
        n = max(len(texts), 1)
        self.idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        self.vectors: list[dict[str, float]] = []
        for ts in texts:
            v = {w: self.idf[w] * weight for w, weight in ts.items()}
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            self.vectors.append({w: x / norm for w, x in v.items()})
        self.surface = dict(surface or {})

    def similarity(self, a: int, b: int) -> float:
        """Cosine similarity of texts a and b (0..1)."""
        va, vb = self.vectors[a], self.vectors[b]
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(x * vb.get(w, 0.0) for w, x in va.items())

    def shared(self, a: int, b: int) -> tuple[str, ...]:
        """The terms a and b share, rarest first, as written."""
        common = self.vectors[a].keys() & self.vectors[b].keys()
        return tuple(self.surface.get(w, w) for w in sorted(common, key=lambda w: (-self.idf[w], w)))
