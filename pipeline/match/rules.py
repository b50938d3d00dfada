"""Coding rules' Boolean term expressions (KH Coder's): `研修 and 職員`, `評価 or 検証`, `not`, ( );
parsed once into a tree and tried on folded text with holds()."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..messages import text as msg_text
from ..text.normalize import clean


@dataclass(frozen=True)
class Word:
    text: str  # folded (see fold)


@dataclass(frozen=True)
class Not:
    part: Expr


@dataclass(frozen=True)
class And:
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Expr, ...]


Expr = Word | Not | And | Or
_OPS = {"and": "and", "&": "and", "or": "or", "|": "or", "not": "not", "!": "not"}
_LEX_RE = re.compile(r"\s*([()&|!]|[^\s()&|!]+)")


def _lex(text: str) -> list[str]:
    return [m.group(1) for m in _LEX_RE.finditer(text) if m.group(1).strip()]


def parse_expression(text: str) -> Expr:
    """The tree of a Boolean term expression; ValueError if it is malformed. `not` binds tightest,
    then `and`, then `or`; words are terms (NFKC-normalized)."""
    tokens = _lex(text)
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError(msg_text("rules.ends_early", rule=text))
        pos += 1
        return tokens[pos - 1]

    def or_expr() -> Expr:
        parts = [and_expr()]
        while _OPS.get((peek() or "").lower()) == "or":
            take()
            parts.append(and_expr())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr() -> Expr:
        parts = [not_expr()]
        while _OPS.get((peek() or "").lower()) == "and":
            take()
            parts.append(not_expr())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def not_expr() -> Expr:
        if _OPS.get((peek() or "").lower()) == "not":
            take()
            return Not(not_expr())
        return atom()

    def atom() -> Expr:
        tok = take()
        if tok == "(":
            inner = or_expr()
            if take() != ")":
                raise ValueError(msg_text("rules.missing_paren", rule=text))
            return inner
        if tok == ")" or tok.lower() in _OPS:
            raise ValueError(msg_text("rules.missing_term", rule=text, token=tok))
        return Word(fold(tok))

    tree = or_expr()
    if pos != len(tokens):
        raise ValueError(msg_text("rules.unexpected", rule=text, token=tokens[pos]))
    return tree


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Text as rule terms see it: NFKC, lower-case Latin letters, no spaces."""
    return clean(text).lower().replace(" ", "").replace("\n", "")


def holds(tree: Expr, text: str) -> tuple[bool, tuple[str, ...]]:
    """Whether folded text satisfies the expression, and the words found that made it so."""
    if isinstance(tree, Word):
        return (tree.text in text, (tree.text,) if tree.text in text else ())
    if isinstance(tree, Not):
        return (not holds(tree.part, text)[0], ())
    results = [holds(t, text) for t in tree.parts]
    ok = all(r for r, _ in results) if isinstance(tree, And) else any(r for r, _ in results)
    return ok, (tuple(w for r, ws in results if r for w in ws) if ok else ())


def needs(tree: Expr) -> frozenset[str] | None:
    """Words of which text must hold at least one for the expression to hold (None: no such set,
    e.g. under `not`): a quick test before holds()."""
    if isinstance(tree, Word):
        return frozenset((tree.text,))
    if isinstance(tree, Not):
        return None
    found = [needs(t) for t in tree.parts]
    if isinstance(tree, And):
        known = [f for f in found if f is not None]
        return min(known, key=len) if known else None
    if any(f is None for f in found):
        return None
    return frozenset().union(*found)  # type: ignore[arg-type]


__all__ = ["And", "Expr", "Not", "Or", "Word", "fold", "holds", "needs", "parse_expression"]
