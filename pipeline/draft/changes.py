"""Text changes: what the draft does to last year's wording (one line, years rolled over, stale figures
marked) and the 新旧対照表 that shows it (old against new, the changed parts marked)."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

from ..model import Item, Match
from ..text.normalize import LETTER_OF_ERA, join_wrapped, rollover, wareki
from .records import (
    CANDIDATE,
    CONTINUING,
    DELETED,
    INSERTED,
    NEW,
    REVIEW,
    ChangeRow,
    PillarPart,
    Row,
    Span,
    Text,
    plain,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def one_line(text: str) -> str:
    """A cell's text on one line (Japanese wrapped lines joined without a space), control characters gone."""
    return join_wrapped(_CONTROL.sub("", text or ""))


def old_content(item: Item) -> str:
    """An item's 内容 as last year's plan showed it: (随時) put back where the reader took it off."""
    content = one_line(item.content)
    if "随時" in item.tags and "随時" not in content:
        content += "（随時）"
    return content


def rolled(text: str, from_year: int, year: int) -> str:
    """text on one line with last year's fiscal years turned into this year's (see normalize.rollover)."""
    return rollover(one_line(text), from_year, year)


def short_label(year: int) -> str:
    """A fiscal year the way tables abbreviate it: 2009 → 'H21', 2019 → 'R1'."""
    era, n = wareki(year)
    return f"{LETTER_OF_ERA[era]}{n}"


def policy_short(policy: str) -> str:
    """'施策1 協働(共働)の意識を高める!!' → '施策1'."""
    return policy.split(" ", 1)[0] if policy else ""


# --- what needs a decision ----------------------------------------------------------------------

_COUNTER = r"(?:団体|件|回|人|名|か所|箇所|ヶ所|ヵ所|校|地区|世帯|千円|万円|円|%|％)"
# Figures and dates that describe last year's state; each one is highlighted and listed as 要更新.
_STALE = re.compile(
    rf"現在\s*(?:[0-9,]+\s*{_COUNTER}?)?"
    r"|[0-9０-９一二三四五六]+\s*[ヶヵかケカ箇]月に\s*[0-9]+\s*回(?:程度)?"
    r"|(?:令和|平成|昭和)?\s*[0-9元]{1,4}年\s*[0-9]{1,2}月(?:\s*[0-9]{1,2}日)?"
    r"|[0-9]{1,2}月\s*[0-9]{1,2}日"
    r"|[0-9]{1,4}/[0-9]{1,2}(?:/[0-9]{1,2})?"
    rf"|[0-9][0-9,]*\s*{_COUNTER}"
)
_STUDIED = re.compile(r"検討(?!段階|会|委員|結果)")
# A fiscal year followed by words that end the measure then: 平成30年度で完了します, 令和6年度末をもって廃止,
# 2024年度まで実施 (not 令和6年度までの実績, which is history).
_YEAR_MENTION = (r"(?:(?:令和|平成|昭和)\s*(?:\d{1,2}|元)|[RH]\s*\d{1,2}|(?:19|20)\d\d"
                 r"|(?<![\d年成和RH])(?:\d{1,2}|元))\s*年度")
_ENDS = re.compile(rf"{_YEAR_MENTION}\s*(?:末|中)?\s*(?:(?:(?:で|に|を(?:もって|持って))\s*)?(?:完了|終了|廃止|終え|終わ)"
                   r"|まで(?!の|に))")  # 令和6年度までに見直す is a deadline, not an end
_YEAR_MENTION_RE = re.compile(_YEAR_MENTION)


def stale_figures(text: str) -> list[tuple[int, int]]:
    """(start, end) of every figure or date in text that describes last year's state."""
    return [(m.start(), m.end()) for m in _STALE.finditer(text)]


def studied(text: str) -> list[tuple[int, int]]:
    """(start, end) of every 検討 in text that says the item was only being studied."""
    return [(m.start(), m.end()) for m in _STUDIED.finditer(text)]


def ends_in(text: str, first: int, last: int) -> list[tuple[int, int]]:
    """(start, end) of every place in text that says the measure ends in a fiscal year from first to
    last (a mention of one that rollover would move, followed by 完了, 終了, 廃止 or まで)."""
    out = []
    for m in _ENDS.finditer(text):
        mention = _YEAR_MENTION_RE.match(text, m.start())
        if mention and any(rollover(mention.group(0), y, y + 1) != mention.group(0) for y in range(first, last + 1)):
            out.append((m.start(), m.end()))
    return out


def marked(text: str, spans: Iterable[tuple[int, int]]) -> Text:
    """text as Spans, the (start, end) ranges marked REVIEW (overlaps merged)."""
    ranges: list[list[int]] = []
    for start, end in sorted(spans):
        if ranges and start <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end])
    out: list[Span] = []
    pos = 0
    for start, end in ranges:
        if start > pos:
            out.append(Span(text[pos:start]))
        out.append(Span(text[start:end], REVIEW))
        pos = end
    if pos < len(text):
        out.append(Span(text[pos:]))
    return tuple(out)


# --- old against new ----------------------------------------------------------------------------

_TOKEN = re.compile(r"[0-9０-９]+|[A-Za-z]+|.", re.DOTALL)


def diff_spans(old: str, new: str) -> tuple[Text, Text]:
    """old and new as Spans, what was removed from old marked DELETED and what was added in new
    marked INSERTED, the way a 新旧対照表 underlines 改正部分. Compared character by character, but a
    number or Latin word changes as a whole (21年度 → 22年度 underlines 21 and 22, not one digit)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[Span] = []
    right: list[Span] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(Span("".join(a[i1:i2])))
            right.append(Span("".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(Span("".join(a[i1:i2]), DELETED))
        if j2 > j1:
            right.append(Span("".join(b[j1:j2]), INSERTED))
    return _joined(left), _joined(right)


def _joined(spans: list[Span]) -> Text:
    out: list[Span] = []
    for s in spans:
        if out and out[-1].mark == s.mark:
            out[-1] = Span(out[-1].text + s.text, s.mark)
        else:
            out.append(s)
    return tuple(out)


def change_rows(items: Sequence[Item], parts: Sequence[PillarPart], by_id: dict[str, Match],
                year_label: str, projects_no: int, reasons: Mapping[str, str] | None = None) -> tuple[ChangeRow, ...]:
    """The 新旧対照表: last year's items in their old order (an item no part carries is 削除, with
    its reason from reasons by item id where there is one), then the new candidates."""
    located = {r.item_id: (p, r) for p in parts for r in p.rows if r.item_id}
    out: list[ChangeRow] = []
    for k, item in enumerate(items, 1):
        if item.id not in located:
            out.append(_dropped_row(k, item, year_label, (reasons or {}).get(item.id, "")))
        else:
            part, row = located[item.id]
            out.append((_kept_candidate_row if row.kind == "candidate" else _carried_row)(k, item, part, row,
                                                                                          projects_no))
    n = len(items)
    for part in parts:
        for row in part.rows:
            if row.kind != "candidate" or row.item_id:  # one of last year's rows is listed above
                continue
            n += 1
            out.append(ChangeRow(str(n), (), (), (Span(row.name, INSERTED),),
                                 tuple(Span(s.text, INSERTED) for s in row.content),
                                 (Span(CANDIDATE, REVIEW),),
                                 (row.source, f"→ {projects_no}.{part.heading.split(' ')[0]} {row.number}")))
    return tuple(out)


def _dropped_row(k: int, item: Item, year_label: str, reason: str = "") -> ChangeRow:
    notes = tuple(x for x in (policy_short(item.policy), reason or f"{year_label}は実施しない") if x)
    return ChangeRow(str(k), (Span(one_line(item.name), DELETED),), (Span(old_content(item), DELETED),), (), (),
                     (Span("削除", REVIEW),), notes, item.id)


def candidate_origin(item: Item) -> str:
    """Where a 新規候補 read back from last year's draft came from, as its 出典 cell said (構成案（安城市の
    事例）, a city's plan), so the second year still names the city; "" when the row printed none."""
    value = next((v for label, v in item.status_cells() if label == "出典"), "")
    return one_line(value).replace("(", "（").replace(")", "）")  # (read NFKC-normalized: brackets as printed)

def _kept_candidate_row(k: int, item: Item, part: PillarPart, row: Row, projects_no: int) -> ChangeRow:
    """A 新規候補 of last year's draft that is still one: its 区分 stays 新規候補 (never 新規→継続)."""
    name_old, name_new = diff_spans(one_line(item.name), row.name)
    content_old, content_new = diff_spans(one_line(item.content), plain(row.content))
    where = f"{policy_short(item.policy)} → {projects_no}.{part.heading.split(' ')[0]} {row.number}".strip()
    origin = candidate_origin(item)
    return ChangeRow(str(k), name_old, content_old, name_new, content_new, (Span(CANDIDATE, REVIEW),),
                     (where, f"区分 {CANDIDATE}のまま（採否未定）", *([f"出典 {origin}"] if origin else [])), item.id)


def _carried_row(k: int, item: Item, part: PillarPart, row: Row, projects_no: int) -> ChangeRow:
    old_name, old_text = one_line(item.name), old_content(item)
    old_status = NEW if NEW in item.tags else CONTINUING
    name_old, name_new = diff_spans(old_name, row.name)
    content_old, content_new = diff_spans(old_text, plain(row.content))
    changed = old_name != row.name or old_text != plain(row.content)
    moved = [f"{policy_short(item.policy)} → {projects_no}.{part.heading.split(' ')[0]} {row.number}".strip()]
    if old_status != CONTINUING:
        moved.append(f"区分 {old_status}→{CONTINUING}")
        changed = True
    kinds = [f.kind for f in row.flags]
    if kinds:
        moved.append("要確認：" + "・".join(dict.fromkeys(kinds)))
    return ChangeRow(str(k), name_old, content_old, name_new, content_new,
                     (Span("変更" if changed else "変更なし"),), tuple(moved), item.id)
