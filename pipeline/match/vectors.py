"""Word vectors for the text model: a measure's words averaged into one vector, so that a word the
labelled measures never used (研修会 where they said 講座) still counts by what it means.

The table (data/word_vectors.npz, built by scripts/build_word_vectors.py from GiNZA's chiVe vectors)
holds about 116,000 Sudachi words, their vectors PCA-reduced and stored as int8. It is read without
pickle (np.load(allow_pickle=False)): loading it never runs code."""
from __future__ import annotations

import hashlib
import io
import operator
import zipfile
import zlib
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..messages import input_error
from ..resources import DATA_DIR
from ..text.tokenize import terms
from .model import split_parentheses

DEFAULT_TABLE = DATA_DIR / "word_vectors.npz"
# Words inside an explanatory parenthesis count this much of those around it.
INSIDE_PARENTHESES = 0.5


@dataclass(frozen=True)
class WordVectors:
    words: list[str]  # sorted (looked up by bisection: a dict of them took longer to build than the
    # lookups of a whole run)
    rows: Any  # numpy array, one per word: its row of vectors
    vectors: Any  # numpy float array, rows × dims, unit length, read-only
    name: str  # the table's identity: the sha256 of its words and vectors, first 16 hex digits

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) is not None

    def _find(self, word: str) -> int | None:
        k = bisect_left(self.words, word)
        return k if k < len(self.words) and self.words[k] == word else None

    def get(self, surface: str, normalized: str) -> Any:
        """The unit vector of a word (as written, else its normalized form), or None."""
        k = self._find(surface)
        if k is None:
            k = self._find(normalized)
        return None if k is None else self.vectors[self.rows[k]]


def read_table(path: Path) -> WordVectors | None:
    """The table at path, or None where there is no such file; InputError (naming it) for a file that
    is not a table."""
    import numpy as np

    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        if not raw.startswith(b"PK\x03\x04"):  # numpy would try it as a pickle (and refuse, saying so)
            raise ValueError("not an .npz file")
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            words, rows, stored = bytes(z["words"]), np.asarray(z["rows"], dtype=np.int64), np.asarray(z["vectors"])
        names = words.decode("utf-8").split("\n")
        if stored.ndim != 2 or len(rows) != len(names) or (len(rows) and not 0 <= rows.min() <= rows.max() < len(stored)):
            raise ValueError("words, rows and vectors do not fit together")
        if not all(map(operator.lt, names, names[1:])):
            raise ValueError("the words are not sorted")
    except (ValueError, KeyError, EOFError, OSError, zipfile.BadZipFile, zlib.error) as exc:
        raise input_error("vectors.unreadable", reason=exc, path=str(path)) from exc
    digest = hashlib.sha256(words)
    for a in (rows, stored):
        digest.update(f"{a.dtype}{a.shape}".encode())
        digest.update(np.ascontiguousarray(a).tobytes())
    vectors = stored.astype(np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    vectors.setflags(write=False)
    return WordVectors(names, rows, vectors, digest.hexdigest()[:16])


@lru_cache(maxsize=1)
def load_table() -> WordVectors | None:
    """The shipped table (read once per process), or None where it is missing."""
    return read_table(DEFAULT_TABLE)


@dataclass(frozen=True)
class TextVector:
    vector: Any  # numpy array (dims), unit length, or all zeros where no word has a vector
    words: tuple[str, ...]  # the words that have one (normalized forms)
    shares: Any  # numpy array, words × dims: what each word adds to vector (they sum to it)

    def centred(self, mean: Any) -> tuple[Any, Any]:
        """(vector − mean, shares of it): the model's feature, where the mean of its training texts'
        vectors is 0, and so is a text without any word that has a vector (it looks like the average
        text, not like one far from every text). Each word's share takes its part of the mean."""
        if not self.words:
            return mean * 0.0, self.shares
        part = self.shares @ self.vector  # how much of the vector each word makes (they sum to 1)
        return self.vector - mean, self.shares - part[:, None] * mean[None, :]


def weighted_words(text: str) -> list[tuple[str, str, float]]:
    """(surface, normalized form, weight) of the single words of text: those inside parentheses at
    INSIDE_PARENTHESES."""
    main, inside = split_parentheses(text)
    out: list[tuple[str, str, float]] = []
    for part, weight in ((main, 1.0), (inside, INSIDE_PARENTHESES)):
        if part:
            out += [(t.surface, t.text, weight) for t in terms(part) if not t.compound]
    return out


def text_vector(table: WordVectors, text: str, idf: Callable[[str], float]) -> TextVector:
    """The idf-weighted mean of the unit vectors of text's words, scaled to unit length; idf maps a
    word's normalized form to its weight (its rarity in the labelled measures). Words are named by
    their normalized forms, as the model's word features are (作り → 作る)."""
    import numpy as np

    found: list[tuple[str, Any, float]] = []
    for surface, normalized, weight in weighted_words(text):
        v = table.get(surface, normalized)
        if v is not None:
            found.append((normalized, v, weight * idf(normalized)))
    shares = np.array([w * v for _, v, w in found], dtype=np.float64).reshape(len(found), table.dims)
    total = shares.sum(axis=0)
    norm = float(np.linalg.norm(total))
    if norm <= 1e-12:
        return TextVector(np.zeros(table.dims, dtype=np.float64), (), np.zeros((0, table.dims)))
    return TextVector(total / norm, tuple(n for n, _, _ in found), shares / norm)


def matrix(table: WordVectors, texts: Sequence[str], idf: Callable[[str], float]) -> tuple[Any, Any]:
    """(the centred text_vector of every text as rows of one array, the mean it was centred on: that
    of the texts with a word vector)."""
    import numpy as np

    found = [text_vector(table, t, idf) for t in texts]
    with_words = [tv.vector for tv in found if tv.words]
    mean = np.mean(with_words, axis=0) if with_words else np.zeros(table.dims)
    rows = [tv.centred(mean)[0] for tv in found]
    return np.array(rows, dtype=np.float64).reshape(len(texts), table.dims), mean


__all__ = ["DEFAULT_TABLE", "INSIDE_PARENTHESES", "TextVector", "WordVectors", "load_table", "matrix",
           "read_table", "text_vector", "weighted_words"]
