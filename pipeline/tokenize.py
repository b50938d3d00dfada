"""SudachiPy adapter: the only module that imports sudachipy. One tokenizer per process, input
chunked by line and under Sudachi's byte limit, pinned dictionary and split mode."""
from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

SPLIT_MODE = "C"
DICTIONARY = "core"
# Sudachi rejects one input over 49,149 bytes; stay well under it.
MAX_CHUNK_BYTES = 16_000


@dataclass(frozen=True)
class Token:
    surface: str
    normalized: str  # Sudachi's normalized form (表記ゆれ folded: 引越し → 引っ越し)
    dictionary: str  # dictionary (lemma) form
    pos: tuple[str, ...]


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from sudachipy import Dictionary, SplitMode

    mode = {"A": SplitMode.A, "B": SplitMode.B, "C": SplitMode.C}[SPLIT_MODE]
    return Dictionary(dict=DICTIONARY).create(mode)


def info() -> dict[str, str]:
    """Tokenizer versions and settings, recorded in every output's metadata."""
    return {
        "sudachipy": importlib.metadata.version("sudachipy"),
        "dictionary": f"sudachidict-{DICTIONARY} {importlib.metadata.version(f'sudachidict-{DICTIONARY}')}",
        "split_mode": SPLIT_MODE,
    }


def chunks(text: str, limit: int = MAX_CHUNK_BYTES) -> list[str]:
    """Text cut into pieces of at most limit UTF-8 bytes: at line ends first, then after 。、 or
    spaces, and only as a last resort inside a run of characters."""
    out: list[str] = []
    for line in text.split("\n"):
        if not line:
            continue
        if len(line.encode("utf-8")) <= limit:
            out.append(line)
            continue
        piece = ""
        for part in re.split(r"(?<=[。、．，!?！？ ])", line):
            while len(part.encode("utf-8")) > limit:
                cut = limit // 4  # a UTF-8 character is at most 4 bytes
                if piece:
                    out.append(piece)
                    piece = ""
                out.append(part[:cut])
                part = part[cut:]
            if len((piece + part).encode("utf-8")) > limit:
                out.append(piece)
                piece = part
            else:
                piece += part
        if piece:
            out.append(piece)
    return out


def tokenize(text: str) -> list[Token]:
    """Sudachi tokens of text (whitespace tokens dropped), chunked so no input is too long."""
    tok = _tokenizer()
    result: list[Token] = []
    for chunk in chunks(text):
        for m in tok.tokenize(chunk):
            pos = tuple(m.part_of_speech())
            if pos[0] == "空白":
                continue
            result.append(Token(m.surface(), m.normalized_form(), m.dictionary_form(), pos))
    return result


_PLACE_SUFFIX = ("市", "町", "村", "区")


def place_names(text: str) -> list[str]:
    """Municipality names (…市/町/村/区) Sudachi tags as place names, in order of appearance."""
    names: list[str] = []
    tokens = tokenize(text)
    for i, t in enumerate(tokens):
        if t.pos[:3] == ("名詞", "固有名詞", "地名"):
            if t.surface.endswith(_PLACE_SUFFIX) and len(t.surface) >= 2:
                names.append(t.surface)
            elif i + 1 < len(tokens) and tokens[i + 1].surface in _PLACE_SUFFIX and tokens[i + 1].pos[0] == "接尾辞":
                names.append(t.surface + tokens[i + 1].surface)
    return names
