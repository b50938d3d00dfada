"""Planner-editable matching knowledge: coding rules, synonyms, stop words (shipped defaults in
pipeline/data/) and a planner's corrections (item name → pillar), read into one record."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..messages import input_error
from ..model import Outline, Pillar
from ..resources import DATA_DIR
from ..text.encoding import TsvRecord, encode, newline_of, read_text, tsv_records, tsv_row
from ..text.normalize import clean
from ..text.similarity import dice
from .rules import Expr, Word, fold, holds, parse_expression

DATA = DATA_DIR
DEFAULT_RULES = DATA / "rules.tsv"
DEFAULT_SYNONYMS = DATA / "synonyms.tsv"
DEFAULT_STOPWORDS = DATA / "stopwords.txt"

# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Rule:
    target: str  # words that find the pillar in the outline, "|" between alternatives
    when: str  # the expression as written
    weight: float
    tree: Expr = field(repr=False, compare=False, default=Word(""))
    note: str = ""
    origin: str = ""  # file:line


@dataclass(frozen=True)
class Correction:
    """A planner's decision: item (normalized name) belongs to pillar (a number or a title)."""

    item: str  # the item's name (compared after item_key)
    pillar: str
    title: str = ""  # the pillar's title when the correction was made (resolves it if numbers change)
    text: str = ""  # the item's content, to learn from
    measure: str = ""  # the item's measure heading, to learn from
    policy: str = ""  # tells apart items of the same name under different policies
    origin: str = ""


@dataclass(frozen=True)
class Knowledge:
    rules: tuple[Rule, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()  # (word, canonical word)
    stopwords: frozenset[str] = frozenset()
    corrections: tuple[Correction, ...] = ()
    sources: tuple[str, ...] = ()  # the files read

    def with_corrections(self, corrections: Iterable[Correction]) -> Knowledge:
        """The same knowledge with other corrections (e.g. the rest of a gold set, for leave-one-out)."""
        return Knowledge(self.rules, self.synonyms, self.stopwords, tuple(corrections), self.sources)


def item_key(name: str) -> str:
    """An item name as corrections compare it: NFKC, no spaces, so （） and () are the same."""
    return fold(name)


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    """Non-empty, non-comment TSV rows with their line numbers; InputError if unreadable."""
    try:
        text, _ = read_text(path)  # as Excel saves it too (CP932, UTF-16), not only UTF-8
    except OSError as exc:
        raise input_error("tsv.unreadable", reason=exc.strerror or exc) from exc
    return [(r.line, r.cells) for r in tsv_records(text) if not r.skipped]


def read_table(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    rows = _rows(path)
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0][1]]
    missing = [c for c in required if c not in header]
    if missing:
        raise input_error("tsv.no_column", missing=", ".join(missing), columns=", ".join(required))
    return [(n, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)})
            for n, cells in rows[1:]]


def read_rules(path: Path | str) -> list[Rule]:
    """Rules of a rules TSV (columns pillar, when, weight, note); InputError naming the bad line."""
    path = Path(path)
    rules = []
    for n, row in read_table(path, ("pillar", "when", "weight")):
        try:
            weight = float(row["weight"] or 1)
            tree = parse_expression(row["when"])
        except ValueError as exc:
            raise input_error("rules.bad_rule", number=n, reason=exc) from exc
        if not row["pillar"]:
            raise input_error("rules.no_pillar", number=n)
        rules.append(Rule(row["pillar"], row["when"], weight, tree, row.get("note", ""), f"{path.name}:{n}"))
    return rules


def read_synonyms(path: Path | str) -> list[tuple[str, str]]:
    """(word, canonical) pairs of a synonyms file: one group a line, the first word canonical."""
    pairs: list[tuple[str, str]] = []
    for _, cells in _rows(Path(path)):
        words = [clean(c) for c in cells if c.strip()]
        pairs.extend((w, words[0]) for w in words[1:])
    return pairs


def read_stopwords(path: Path | str) -> frozenset[str]:
    return frozenset(clean(cells[0]) for _, cells in _rows(Path(path)) if cells and cells[0].strip())


def read_corrections(path: Path | str) -> list[Correction]:
    """Corrections of a TSV with columns item and pillar (a number or a title), optional title, text
    (the item's content), measure and policy. A file with only its header line has none."""
    path = Path(path)
    out = []
    for n, row in read_table(path, ("item", "pillar")):
        if not row["item"] or not row["pillar"]:
            raise input_error("corrections.incomplete", number=n)
        out.append(Correction(clean(row["item"]), row["pillar"], row.get("title", ""), row.get("text", ""),
                              row.get("measure", ""), row.get("policy", ""), f"{path.name}:{n}"))
    return out


CORRECTION_COLUMNS = ("item", "pillar", "title", "text", "measure", "policy")
CORRECTIONS_HEADER_COMMENT = (
    "# A planner's corrections: item name (項目, as in the plan) → pillar (its number or its title; give the "
    "title too so the correction survives renumbering). They always win for that item and, as labelled "
    "examples, pull similar items of later plans. text, measure and policy are optional (content, ■ heading, "
    "施策 of the item)."
)


def _rewrite(path: Path, item: str, policy: str | None, row: dict[str, str] | None) -> bool:
    """The corrections TSV at path with the record of item (and policy, where given) replaced by row,
    or taken out (row None); every other record kept as it was written, line endings and encoding
    too. Returns whether the item had a record. A missing file is created (with row) as UTF-8 with a
    BOM, which Excel opens as Japanese."""
    from ..output import write_atomic

    exists = path.is_file()
    try:
        text, codec = read_text(path, strict=True) if exists else ("", "utf-8-sig")
    except InputError as exc:
        raise exc.at(path) from None
    newline = newline_of(text)
    records = tsv_records(text)
    head = next((k for k, r in enumerate(records) if not r.skipped), None)
    if head is None:
        if row is None:
            return False
        before = [r.raw if r.raw.endswith(("\r", "\n")) else r.raw + newline for r in records]
        records = [TsvRecord(1, list(CORRECTION_COLUMNS), tsv_row(CORRECTION_COLUMNS) + newline),
                   TsvRecord(2, [CORRECTIONS_HEADER_COMMENT], CORRECTIONS_HEADER_COMMENT + newline),
                   *(TsvRecord(r.line + 2, r.cells, raw) for r, raw in zip(records, before))]
        head = 0
    header = [h.strip().lower() for h in records[head].cells]
    missing = [c for c in ("item", "pillar") if c not in header]
    if missing:
        if row is None:
            return False
        raise input_error("tsv.no_column", missing=", ".join(missing), columns=", ".join(CORRECTION_COLUMNS))
    key, wanted = item_key(item), clean(policy or "")
    item_col, policy_col = header.index("item"), header.index("policy") if "policy" in header else None
    new = None if row is None else tsv_row([row.get(h, "") for h in header])
    out, found = [r.raw for r in records[: head + 1]], False
    for r in records[head + 1:]:
        cells = r.cells
        same = (not r.skipped and len(cells) > item_col and item_key(cells[item_col]) == key
                and (policy is None or policy_col is None
                     or clean(cells[policy_col] if policy_col < len(cells) else "") == wanted))
        if same and not found and new is not None:
            out.append(new + (r.raw[len(r.raw.rstrip("\r\n")):] or newline))
        elif not same:
            out.append(r.raw)
        found = found or same
    if not found and new is None:
        return False
    if not found and new is not None:
        if out and not out[-1].endswith(("\r", "\n")):
            out[-1] += newline
        out.append(new + newline)
    # in the encoding and with the line endings it was read with: a file saved from Excel opens as it did
    write_atomic(path, encode("".join(out), codec))
    return found


def write_correction(path: Path | str, correction: Correction) -> Path:
    """Record correction in the corrections TSV at path and return the path. The record of the same
    item (item_key) and policy is replaced, so the file holds one decision per item; every other
    record, comments included, is kept as it was. A missing file is created with the header line.
    Written atomically (a temporary file, then a rename), in the file's encoding."""
    path = Path(path)
    values = {"item": correction.item, "pillar": correction.pillar, "title": correction.title,
              "text": correction.text, "measure": correction.measure, "policy": correction.policy}
    _rewrite(path, correction.item, correction.policy, values)
    return path


def load_knowledge(
    rules: Path | str | None = None,
    synonyms: Path | str | None = None,
    stopwords: Path | str | None = None,
    corrections: Path | str | None = None,
) -> Knowledge:
    """Knowledge from files; each defaults to the shipped file in pipeline/data, corrections to none.
    Raises InputError (with the file as .path) for a file that cannot be read."""
    paths = {
        "rules": Path(rules) if rules else DEFAULT_RULES,
        "synonyms": Path(synonyms) if synonyms else DEFAULT_SYNONYMS,
        "stopwords": Path(stopwords) if stopwords else DEFAULT_STOPWORDS,
    }
    if corrections:
        paths["corrections"] = Path(corrections)
    readers = {"rules": read_rules, "synonyms": read_synonyms, "stopwords": read_stopwords,
               "corrections": read_corrections}
    loaded: dict[str, object] = {}
    for key, path in paths.items():
        try:
            loaded[key] = readers[key](path)  # type: ignore[operator]
        except InputError as exc:
            exc.at(str(path))
            raise
    return Knowledge(
        rules=tuple(loaded["rules"]),  # type: ignore[arg-type]
        synonyms=tuple(loaded["synonyms"]),  # type: ignore[arg-type]
        stopwords=loaded["stopwords"],  # type: ignore[arg-type]
        corrections=tuple(loaded.get("corrections", ())),  # type: ignore[arg-type]
        sources=tuple(str(p) for p in paths.values()),
    )


# ---------------------------------------------------------------------------------------------
# Resolving pillars described by words or titles against a particular outline


def _levels(p: Pillar) -> tuple[str, ...]:
    """A pillar's text from most to least telling: titles, topics, description, details and examples."""
    return (
        fold(" ".join((p.title, *p.alt_titles))),
        fold(" ".join(p.topics)),
        fold(p.description),
        fold(" ".join((*p.details, *(e.text for e in p.examples)))),
    )


def resolve_target(outline: Outline, target: str) -> int | None:
    """The pillar a rule's words describe: at the most telling level where any alternative is found,
    the pillar with most alternatives (ties: the earliest alternative, then the lowest number)."""
    alts = [fold(a) for a in target.split("|") if a.strip()]
    texts = [(p.number, _levels(p)) for p in outline.pillars]
    for level in range(4):
        best: tuple[int, int, int] | None = None  # (-count, first alternative, number)
        for number, levels in texts:
            found = [i for i, a in enumerate(alts) if a and a in levels[level]]
            if found:
                key = (-len(found), found[0], number)
                best = key if best is None or key < best else best
        if best:
            return best[2]
    return None


def resolve_pillar(outline: Outline, pillar: str, title: str = "", title_similarity: float = 0.5) -> int | None:
    """The outline's number for a correction's pillar: by title when one is given and found in the
    outline (so corrections survive renumbering), else by number."""
    pillar = clean(pillar)
    number = int(pillar) if re.fullmatch(r"\d{1,2}", pillar) else None
    named = title or ("" if number is not None else pillar)
    if named:
        scored = sorted(((max(dice(named, t) for t in (p.title, *p.alt_titles)), p.number)
                         for p in outline.pillars), reverse=True)
        if scored and scored[0][0] >= title_similarity:
            return scored[0][1]
        hits = [p.number for p in outline.pillars if fold(named) in fold(p.title)]
        if len(hits) == 1:
            return hits[0]
    if number is not None and any(p.number == number for p in outline.pillars):
        return number
    return None


__all__ = [
    "remove_correction",
    "CORRECTION_COLUMNS",
    "Correction",
    "Knowledge",
    "Rule",
    "fold",
    "holds",
    "item_key",
    "load_knowledge",
    "parse_expression",
    "read_corrections",
    "resolve_pillar",
    "resolve_target",
    "write_correction",
]


def remove_correction(path: Path, item: str, policy: str = "") -> bool:
    """Take the record of item (and policy) out of the corrections TSV at path, as write_correction
    matches it (item_key, cleaned policy); every other record is kept. Returns whether one was there."""
    if not path.is_file():
        return False
    return _rewrite(path, item, policy, None)
