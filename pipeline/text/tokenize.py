"""SudachiPy adapter: the only module that imports sudachipy. One tokenizer per process, input
chunked by line and under Sudachi's byte limit, pinned dictionary and split mode."""
from __future__ import annotations

import re
import threading
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
def _dictionary() -> Any:
    from sudachipy import Dictionary

    return Dictionary(dict=DICTIONARY)  # loaded once per process, shared by every thread's tokenizer


_local = threading.local()


def prepare() -> None:
    """Load the dictionary and this thread's tokenizer now (~0.05 s), for a caller that is waiting
    anyway and will tokenize next."""
    _tokenizer()


def _tokenizer() -> Any:
    """This thread's tokenizer: a SudachiPy Tokenizer cannot be used by two threads at once (the web
    page reads and renders in worker threads), so each thread gets its own over the one dictionary."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import SplitMode

        mode = {"A": SplitMode.A, "B": SplitMode.B, "C": SplitMode.C}[SPLIT_MODE]
        tok = _local.tokenizer = _dictionary().tokenizer(mode)
    return tok


def info() -> dict[str, str]:
    """Tokenizer versions and settings, recorded in every output's metadata."""
    import importlib.metadata  # here, not at the top: it costs start-up time every command pays
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


def known_word(text: str) -> tuple[str, ...] | None:
    """The part of speech of text where Sudachi reads it as one word of its dictionary, else None."""
    found = _tokenizer().tokenize(text)
    if len(found) != 1 or found[0].is_oov():
        return None
    return tuple(found[0].part_of_speech())


_PLACE_SUFFIX = ("市", "町", "村", "区")


_RESIDENTS = re.compile(r"(?<=\S)([市町村区])(\1民)")


def place_names(text: str) -> list[str]:
    """Municipality names (…市/町/村/区) Sudachi tags as place names, in order of appearance."""
    names: list[str] = []
    # 裾野市市民協働…: the place ends before 市民 (Sudachi reads 市市 as a place name of its own)
    tokens = tokenize(_RESIDENTS.sub(r"\1 \2", text))
    for i, t in enumerate(tokens):
        if t.pos[:3] == ("名詞", "固有名詞", "地名"):
            if t.surface.endswith(_PLACE_SUFFIX) and len(t.surface) >= 2:
                names.append(t.surface)
            elif i + 1 < len(tokens) and tokens[i + 1].surface in _PLACE_SUFFIX and tokens[i + 1].pos[0] == "接尾辞":
                names.append(t.surface + tokens[i + 1].surface)
    return names


# ---------------------------------------------------------------------------------------------
# Terms for matching: content words and compound nouns, in Sudachi's normalized forms.

# Terms are tokenized in short pieces: a Sudachi tokenizer that has once seen a long input stays
# slower for the rest of the process.
TERM_CHUNK_BYTES = 2_048


@dataclass(frozen=True)
class Term:
    text: str  # normalized form; a compound's units' normalized forms joined
    surface: str  # as written
    compound: bool = False  # a run of two or more nouns, e.g. 出前講座, 事業提案制度
    units: tuple[str, ...] = ()  # a compound's units (normalized forms)


def content_word(pos: tuple[str, ...]) -> bool:
    """The one rule for which words carry meaning, for matching, comparing and search alike: nouns
    but numerals, pronouns and adverbial nouns (為, 今後, 以降), and general verbs and adjectives."""
    if pos[0] == "名詞":
        return pos[1] not in ("数詞", "代名詞") and pos[2] != "副詞可能"
    return pos[0] in ("動詞", "形容詞") and pos[1] == "一般"


def _in_compound(pos: tuple[str, ...]) -> bool:
    if pos[0] == "名詞":
        return pos[1] != "数詞"
    return pos[0] == "接頭辞" or (pos[0] == "接尾辞" and pos[1] == "名詞的")


@lru_cache(maxsize=1)
def _split_a() -> Any:
    from sudachipy import SplitMode

    return SplitMode.A


_Unit = tuple[str, str, tuple[str, ...], int]  # surface, normalized, part of speech, token index


def _compounds(run: list[_Unit], longest: int) -> list[Term]:
    """Every span of 2..longest units of a noun run that spans two tokens or more and neither
    starts with a suffix nor ends with a prefix."""
    out: list[Term] = []
    for i in range(len(run)):
        if run[i][2][0] == "接尾辞":
            continue
        for j in range(i + 2, min(len(run), i + longest) + 1):
            if run[j - 1][2][0] == "接頭辞" or run[i][3] == run[j - 1][3]:
                continue
            span = run[i:j]
            out.append(Term("".join(u[1] for u in span), "".join(u[0] for u in span), True,
                            tuple(u[1] for u in span)))
    return out


@lru_cache(maxsize=65_536)
def _piece_terms(piece: str, longest: int) -> tuple[Term, ...]:
    tok = _tokenizer()
    mode_a = _split_a()
    out: list[Term] = []
    run: list[_Unit] = []
    for k, m in enumerate(tok.tokenize(piece)):
        pos = tuple(m.part_of_speech())
        parts = [(p.surface(), p.normalized_form(), tuple(p.part_of_speech()), k) for p in m.split(mode_a)]
        units = parts if len(parts) > 1 else [(m.surface(), m.normalized_form(), pos, k)]
        if content_word(pos):
            out.append(Term(m.normalized_form(), m.surface()))
        if len(units) > 1:
            out.extend(Term(n, s) for s, n, p, _ in units if content_word(p))
        if _in_compound(pos):
            run.extend(units)
            continue
        out.extend(_compounds(run, longest))
        run = []
    out.extend(_compounds(run, longest))
    return tuple(out)


def terms(text: str, longest: int = 4) -> list[Term]:
    """Content words (nouns but numerals, general verbs) and compound nouns of up to longest units,
    in order, tokenized line by line in pieces under TERM_CHUNK_BYTES."""
    out: list[Term] = []
    for piece in chunks(text, TERM_CHUNK_BYTES):
        out.extend(_piece_terms(piece, longest))
    return out
