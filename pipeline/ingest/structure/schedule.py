"""Schedule tables printed apart from the measures (計画のスケジュール: 番号 | 事業名 | 令和7年度 | 令和8年度 …):
their rows matched to the items already read, by 番号 (its name agreeing) else by the same name."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...model import ACTOR_MARKS, Source
from ...text.normalize import join_wrapped
from .outline import numbering
from .tables import YEAR_LABEL, compact, is_numeric

# Numbering kinds that are a measure's number (1-1 協働出前講座の開催, (3) …), not a bullet or a mark.
NUMBER_KINDS = ("dash3", "dash2", "paren", "num_dot", "num_space", "circled")
_NUMBER_PREFIX = re.compile(r"^(?:No\.?|NO\.?|no\.?|№|番号)")
# A number printed before a name in one cell when numbering() does not read it (No.3 …, A-1 …).
_NUMBER_THEN_NAME = re.compile(r"^((?:No\.?|NO\.?|№)?\s*[(]?[0-9A-Za-z]{1,4}(?:[-‐.][0-9A-Za-z]{1,4}){0,3}[)]?)\s+(\S.*)$")
_NAME_EDGES = "「」『』【】[]()■□◆◇●○◎・:："
# A year cell holds a stage (○, →, 検討, 実施, 随時実施 …), not a figure (a KPI's 目標値) or a sentence.
_STAGE_MAX_CHARS = 20
STAGE_SHARE = 0.8  # of a table's filled year cells, for it to be a schedule
MATCH_SHARE = 0.6  # of a table's rows that must match an item already read
_SAME_NAME = 0.9  # name similarity that makes two names the same measure (equal, or one inside the other)
_AGREE = 0.5  # name similarity that confirms a match by 番号 (a name shortened in the schedule)


@dataclass
class ScheduleRow:
    """One row of a schedule table: what identifies its measure and the stages it prints."""

    number: str
    name: str
    content: str
    departments: str
    tags: list[str]
    stages: dict[str, str]  # column label → stage as printed; an empty cell is no stage
    source: Source
    index: int  # the row's place among the table's data rows
    years: list[str] = field(default_factory=list)  # the stages of the year columns, for the stage check


def is_year_label(label: str) -> bool:
    """A column label that names a fiscal year or a term (令和7年度, R7, 2025年度, スケジュール 令和7年度, 前期)."""
    return any(YEAR_LABEL.match(compact(part)) for part in label.split(" ") if part)


def year_columns(labels: Sequence[str], roles: Sequence[str | None]) -> list[int]:
    """The columns of a schedule by year: a schedule role under a year's label."""
    return [i for i, role in enumerate(roles) if role == "schedule" and i < len(labels) and is_year_label(labels[i])]


def read_rows(roles: Sequence[str | None], labels: Sequence[str], data: Sequence[tuple[Sequence[str | None], Source]],
              years: Sequence[int]) -> list[ScheduleRow]:
    """The rows of a schedule table that name a measure (by 番号 or 事業名), with their stages."""
    from . import cell_tags, extract_tags  # noqa: PLC0415 - the package's vocabulary of tags

    out: list[ScheduleRow] = []
    for index, (cells, src) in enumerate(data):
        texts: dict[str, str] = {}
        stages: dict[str, str] = {}
        year_stages: list[str] = []
        tags: list[str] = []
        spanned = ""  # the stage of the schedule cell just left of this one (a cell merged across years)
        for col, cell in enumerate(cells):
            role = roles[col] if col < len(roles) else None
            text = join_wrapped(cell or "") or (spanned if role == "schedule" and cell is None else "")
            spanned = text if role == "schedule" else ""
            if not text:
                continue
            if role == "schedule":
                stages.setdefault(labels[col] if col < len(labels) else "", text)
                if col in years:
                    year_stages.append(text)
            elif role == "tags":
                tags.extend(cell_tags(text))
            elif role in ("number", "name", "content", "departments") and role not in texts:
                texts[role] = text
        number, name = split_number(texts.get("number", ""))
        raw_name = (texts.get("name", "") or name).lstrip("".join(ACTOR_MARKS)).strip()  # ◎ 自治会: the actor's mark
        num = numbering(raw_name) if raw_name else None
        if num is not None and num.kind in NUMBER_KINDS:
            number, raw_name = number or num.number, num.text
        name, name_tags = extract_tags(raw_name)
        if not number and not name:
            continue
        out.append(ScheduleRow(
            number=number, name=name, content=texts.get("content", ""), departments=texts.get("departments", ""),
            tags=list(dict.fromkeys([*tags, *name_tags])), stages=stages, source=src, index=index, years=year_stages))
    return out


def number_key(text: str) -> str:
    """A measure's number made comparable (No.3, (3), 3. and ３ are one number)."""
    key = _NUMBER_PREFIX.sub("", compact(text))
    return key.strip("()[]【】.．、")


def split_number(cell: str) -> tuple[str, str]:
    """A 番号 cell → (number, name): the name printed after the number in the same cell (番号・名:
    1-1 協働出前講座の開催), '' when it holds the number alone; a cell with no digit is a name."""
    text = join_wrapped(cell).strip()
    num = numbering(text)
    if num is not None and num.kind in NUMBER_KINDS:
        return num.number, num.text
    if len(compact(text)) <= 8 and not re.search(r"\s", text):
        return text, ""
    m = _NUMBER_THEN_NAME.match(text)
    if m:
        return m.group(1), m.group(2).strip()
    if not re.search(r"\d", text):
        return "", text
    return text, ""


def name_key(text: str) -> str:
    return compact(text).strip(_NAME_EDGES)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def name_similarity(a: str, b: str) -> float:
    """1 for the same name, 0.9 when one holds the other (a name shortened or lengthened), else the
    share of shared character pairs (Dice)."""
    a, b = name_key(a), name_key(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long = sorted((a, b), key=len)
    if short in long and (len(short) >= 4 or 2 * len(short) >= len(long)):
        return _SAME_NAME
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def is_stage(cell: str) -> bool:
    """A year cell that reads as a stage (実施, 検討, ○, →, 採否), not a figure or running text."""
    text = compact(cell)
    return bool(text) and not is_numeric(text) and len(text) <= _STAGE_MAX_CHARS and not text.endswith("。")


def same_text(a: str, b: str) -> bool:
    """Whether a schedule row's 内容 repeats the item's (as printed, or shortened)."""
    x, y = compact(a), compact(b)
    return x == y or (bool(x) and bool(y) and (x in y or y in x))


def match_rows(rows: Sequence[ScheduleRow], targets: Sequence[tuple[str, str]]) -> list[int | None]:
    """The index in targets ((number, name) of the items already read) of each row's measure, or None.

    By 番号 first: a row that prints a name too takes the numbered item only when the names agree
    (a table of its own that numbers from 1 again is not the items above it); else by the same name.
    Among equals the first item no earlier row took (a 再掲 measure listed twice)."""
    by_number: dict[str, list[int]] = {}
    for i, (number, _) in enumerate(targets):
        if number_key(number):
            by_number.setdefault(number_key(number), []).append(i)
    used: set[int] = set()
    out: list[int | None] = []
    for row in rows:
        found = _match(row, targets, by_number, used)
        if found is not None:
            used.add(found)
        out.append(found)
    return out


def _match(row: ScheduleRow, targets: Sequence[tuple[str, str]], by_number: dict[str, list[int]],
           used: set[int]) -> int | None:
    numbered = by_number.get(number_key(row.number), []) if row.number else []
    if numbered and not row.name:
        return numbered[0] if len(numbered) == 1 else None  # a number two items share says nothing alone
    if numbered:
        agree = [(name_similarity(row.name, targets[i][1]), i not in used, -i) for i in numbered]
        best = max(agree)
        if best[0] >= _AGREE:
            return -best[2]
    if not row.name:
        return None
    named = [(s, i not in used, -i) for i, (_, name) in enumerate(targets)
             if (s := name_similarity(row.name, name)) >= _SAME_NAME]
    return -max(named)[2] if named else None
