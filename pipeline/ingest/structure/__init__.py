"""Blocks (lines and table rows, from any reader) → a Document of structured items.

The one place every format feeds, so a layout is taught once for .txt, .docx, .pdf and .xlsx:

- tables with any vocabulary (tables.py): each column's role from its header words and its cells,
  two-row headers, cells merged down as hierarchy, no name column (the content is the measure);
- label | value sheets, one measure per sheet (事務事業評価シート, 取組シート, KPI 評価票);
- numbered and bulleted lines (outline.py): headings nest by numbering, the deepest lines are items
  (名前：内容（課） split; 担当課：…, 区分：… lines are the item's attributes);
- rows of bulleted measures with no header row (● 名前 | 内容 | 課 | 区分), read by their cells;
- schedule tables printed apart from the measures (計画のスケジュール: 番号 | 事業名 | 令和7年度 …,
  schedule.py): their stages go to the items already read, their rows are not read again;
- marks read from the document's own legend (marks.py); title, city, fiscal year and period
  (metadata.py); whether the document is a plan at all (plan_like.py).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from ...model import ACTOR_MARKS, Actor, Block, Document, Item, Source
from ...settings import StructureSettings
from ...text.normalize import CJK_CHARS, clean, join_wrapped, nfkc, parse_fiscal_year
from . import marks as marks_mod
from . import schedule as schedule_mod
from .metadata import guess_city, guess_fiscal_year, guess_title, plan_period
from .outline import (
    CLOSING_CHAPTER,
    FRONT_SECTIONS,
    Numbered,
    attribute_role,
    is_attribute_label,
    is_sentence,
    label_line,
    non_measure_section,
    numbering,
    reference_matter,
    reference_section,
    short_label,
    split_name_content,
)
from .plan_like import Evidence, verdict
from .tables import (
    DIRECTION_WORDS,
    RELATION_MARKS,
    RESULT_ROWS,
    YEAR_LABEL,
    bare_name,
    combine_headers,
    compact,
    decide_roles,
    is_department_cell,
    is_numeric,
    is_schedule_cell,
    label_like,
    label_role,
)
from .tables import header_roles as _header_roles

# 新規候補 (a measure of another city still to be decided, as plandraft's own draft writes it) is its
# own tag and comes before 新規, the word it holds.
TAG_WORDS = ("新規候補", "新規", "継続", "随時", "再掲", "検討", "拡充", "充実", "廃止", "完了", "終了")
_TAG_ALT = "|".join(TAG_WORDS)
_OPEN = r"(?:<<|《|〈|<|\(|【|\[|≪|«)"
_CLOSE = r"(?:>>|》|〉|>|\)|】|\]|≫|»)"
TAG_RE = re.compile(rf"\s*{_OPEN}\s*((?:{_TAG_ALT})(?:\s*[・、,/]\s*(?:{_TAG_ALT}))*)\s*{_CLOSE}")

POLICY_RE = re.compile(r"^(?:基本)?施策\s*(\d{1,2}(?:[-－‐]\d{1,2})*|[一二三四五六七八九十]{1,3})\s*[:：.．、)）]?\s*(.*)$")
MEASURE_MARKS = ("■", "◆")
MARKS = "".join(ACTOR_MARKS)
_DEPT_SPLIT = re.compile(r"[\s、,，/／]+")
# The dot leaders of a table of contents (a PDF's 目次: 第2章 具体的な施策 .......... 1)
_LEADERS = re.compile(r"[.．·]{5,}|[…‥]{3,}|・{6,}")
# A numbered section about the plan before any heading (1 実施計画について): front matter
_ABOUT_END = re.compile(r"(?:について|とは)$")
# A 基本目標 / 基本方針 heading, which a 施策 heading may stand under (StructureParser._goal_over_policies)
_GOAL = re.compile(r"^(?:基本)?(?:目標|方針)")
# What a table's caption says it is (取組の年次計画, 【スケジュール】, 成果指標)
_CAPTION = re.compile(r"計画|スケジュール|年次|工程|指標|一覧|単位|^[【〔\[（(].*[】〕\]）)]$")
_TOC_TAB = re.compile(r"\S\s*\t[\s.．·…‥・]*\d{1,3}\s*$")
# A line of a paragraph that is only a department in brackets, after a line of its own: the end of
# that line (a name and its 担当課 parted by a manual line break).
_DEPT_ON_ITS_LINE = re.compile(r"(?<=[^\s）)〉])[ \t\u3000]*\n[ \t\u3000]*([（(〈][^（）()〈〉\n:：]*?(?:課|室|係|部|局|センター|本部)"
                               r"(?:[・、,，/／][^（）()〈〉\n:：]*?)?[）)〉])[ \t\u3000]*(?=\n|$)")
# …　〔地域支援課〕, …【担当：地域支援課】, …（担当課：市民協働課）: a department in other brackets, or labelled
_BRACKETED_DEPT = re.compile(r"\s*[〔【［\[（(](?:(?:主|関係)?(?:担当|所管)(?:課|部署|部局)?\s*[:：]\s*)?"
                             r"([^〔〕【】［］\[\]（）()]*?(?:課|室|係|部|局|センター|本部))[〕】］\]）)]\s*$")


def _department_label(found: re.Match[str]) -> bool | None:
    """Whether a _BRACKETED_DEPT match's bracket opens with a department's label (担当課：…); False for
    another label (会場：…, 連携：…), None for none."""
    label = _DEPT_LABEL.match(found.group(0).strip()[1:])
    return None if label is None else attribute_role(label.group(1)) == "departments"


def _named_department(text: str) -> re.Match[str] | None:
    """A department after a measure's name in other brackets: labelled as one (【担当：地域支援課】), or in 〔〕【】
    ending as a section does (〔地域支援課〕; not 【市民交流センター】, a facility, nor 【連携：社会福祉協議会】)."""
    m = _BRACKETED_DEPT.search(text)
    if m is None:
        return None
    labelled = _department_label(m)
    if labelled is not None:
        return m if labelled else None
    return m if re.search(r"[課室係部局]$", m.group(1)) and m.group(0).strip()[0] not in "（(" else None


_TRAILING_DEPT = re.compile(r"[（(〈《]([^（）()〈〉《》]*?(?:課|室|係|部|局|センター|本部))[）)〉》]\s*$")
# The gap before a department set apart on a name's line: a tab (a Word paragraph aligned by tab
# stops) or a run of two spaces or more (a text or PDF line spaced out).
_COLUMN_GAP = re.compile(r"\t+|[ \u3000]{2,}")
# An amount at the end of a 主要事業 line (420万円, 1,851万6千円, 5,000千円), and a 区分 word before it.
_AMOUNT = r"(?=\d)(?:\d[\d,]*億)?(?:\d[\d,]*万)?(?:\d[\d,]*千)?[\d,]*円"
_TRAILING_AMOUNT = re.compile(rf"(?:\s+|(?<=[〉》）)]))({_AMOUNT})\s*$")
_TRAILING_TAG = re.compile(rf"(?<=[〉》）)])\s*({_TAG_ALT})\s*$")
_TAG_CELL_WORDS = (*TAG_WORDS, "重点")
# Outline nodes that are headings rather than numbered items (■ 啓発の推進, Word 見出し, 第1章, 基本目標1):
# bullets under them are the measures.
_HEADING_KINDS = ("mark", "style", "md", "chapter", "section", "policy", "policy_paren")
# A line that only captions the indicators printed next (【成果指標】, ＜目標指標＞): not the measure's content.
_INDICATOR_CAPTION = re.compile(r"^[【\[＜<〈《■◆]?\s*(?:成果|目標|評価|活動)?指標(?:名)?(?:等|の設定)?\s*[】\]＞>〉》]?\s*$")
# A heading of a chapter, part or section (第4章, 第2部, 第1節): above the policies, not one of them.
_CHAPTER = re.compile(r"^第\s*[0-9一二三四五六七八九十]{1,3}\s*[章編部節]")


def _band(cells: Sequence[str | None], text: str) -> bool:
    """A one-cell table row that is a heading band: its cell merged across most of the row (None after
    it), a short phrase (no sentence, note, legend or number of its own)."""
    first = next(i for i, c in enumerate(cells) if c)
    spanned = 0
    for c in cells[first + 1:]:
        if c is not None:
            break
        spanned += 1
    return (spanned >= max(1, (len(cells) - 1) // 2) and len(compact(text)) <= 40 and not text.rstrip().endswith("。")
            and not text.lstrip().startswith(("※", "注", "＊", "*", "(注")) and numbering(text) is None
            and not marks_mod.parse_legend(text) and not POLICY_RE.match(text)
            and not re.search(r"\d[\d,，]*\s*(?:千円|円)?$", text))  # a budget line ends in its amount


# what a note or a sub-heading typed in a table's row begins with, not a measure's name
_NOTE_STARTS = ("※", "注", "＊", "*", "(注", "備考", "出典", "資料", "単位", "(単位")
_SUBHEADING = re.compile(r"^(?:基本|推進)?(?:施策|目標|方針|方策|政策|分野|柱|項目)[(（]?[0-9０-９一二三四五六七八九十]")


def _lone_cell(cells: Sequence[str | None]) -> bool:
    """A row of a table with one cell filled that is still a row of it, not a line inside it (a measure
    whose 内容 and 担当課 are blank): every cell its own (none merged over, None), the filled one not the
    first (where a heading or title line is mostly written), and neither a note or legend nor a numbered
    or worded sub-heading (基本施策(2) …, typed in the name's column)."""
    k = next(i for i, c in enumerate(cells) if c)
    text = (cells[k] or "").strip()
    return k > 0 and all(c is not None for c in cells) and not text.startswith(_NOTE_STARTS) \
        and not marks_mod.parse_legend(text) and numbering(text) is None and not POLICY_RE.match(text) \
        and not _SUBHEADING.match(compact(text)) and not _CHAPTER.match(text)


# A row that shows how to fill a sheet in: its first cell marked as an example
_EXAMPLE_ROW = re.compile(r"^(?:[【\[［(（〔<＜]\s*(?:記入|記載)?例\s*[】\]］)）〕>＞]|記入例[:：】]|例[)）:：])")


def _listed_under(cells: Sequence[str | None], above: Sequence[str | None]) -> bool:
    """A row whose one filled cell is the last column, every cell left of it merged down from above, and
    the row above filled that column too: one more entry of the list under the headings merged down
    beside it (施策の体系: 基本方針 | 基本施策 | 主な取組, the 取組 of one 施策 one a row), not a department or
    a stage of the row above."""
    k = len(cells) - 1
    text = (cells[k] or "").strip()
    return (k > 0 and bool(text) and all(c is None for c in cells[:k]) and len(above) == len(cells)
            and bool(above[k]) and numbering(text) is None and not text.startswith(_NOTE_STARTS)
            and not _DEPT_END.search(text) and not is_schedule_cell(text))


def _ticked(cell: str) -> bool:
    """A cell that only ticks its column (○, ●, ✓, レ)."""
    return compact(cell) in ("○", "◯", "〇", "●", "◎", "✓", "✔", "☑", "レ")


# Columns whose marks say something other than who acts: a policy's relation (◎○ under 基本方針 …), a
# year's stage (●＝実施 under 令和6年度) or a status.
_NOT_ACTOR_ROLES = ("relation", "schedule", "status")
# The numbering of a measure's points (ア イ ウ, (ア) (イ)): what _fold_points folds.
_POINT_KINDS = ("kata", "paren_kata")
# The longest line read as a point of the measure above it (StructureParser._fold_points).
_POINT_CHARS = 60
# The share of a headerless table's rows that must be bulleted or carry a department, 区分 or schedule
# cell for its rows to be read as measures (_guess_roles).
_MEASURE_ROW_SHARE = 0.6


_TITLE_ENDS = ("シート", "票", "表", "一覧", "計画", "書")
# Columns a schedule table does not have: what they hold would be lost if its rows were only stages.
_NOT_SCHEDULE = ("status", "kpi", "target", "amount", "origin")


# The name of a table's totals row (合計 of a 事業費 column): no measure.
_TOTAL_NAMES = frozenset({"合計", "小計", "総計", "計", "総額", "合計額"})
# A row that says a heading has no measure (（該当する事業なし）, 該当なし, なし).
_NONE_ROW = re.compile(r"^[(（]?(?:該当する(?:事業|取組|取り組み)(?:は)?なし|該当(?:事業)?なし|なし)[)）]?$")


def _bare(d: _Draft) -> bool:
    """A row that names a measure and gives nothing but its headings (an overview table's row; （再掲） is no
    more: the measure is printed in full in another place)."""
    return bool(d.name) and not (d.content or d.departments or set(d.tags) - {"再掲"} or d.schedule or d.status
                                 or d.kpis or d.actor)


def _common_prefix(paths: Sequence[Sequence[str]]) -> list[str]:
    out: list[str] = []
    for parts in zip(*paths):
        if any(p != parts[0] for p in parts):
            break
        out.append(parts[0])
    return out


def _ends_in_department(text: str) -> bool:
    """Whether an outline line ends in its department（市民協働課）, after any 区分 tag."""
    return bool(_TRAILING_DEPT.search(extract_tags(text)[0]))


def _marked_measure(text: str) -> bool:
    """Whether an outline line marks itself a measure: a 区分 tag (【新規】) or a department at its end."""
    return bool(TAG_RE.search(text)) or _ends_in_department(text)


def _is_policy_heading(text: str) -> bool:
    """施策1 …, 基本目標2 …, 基本方針3 …: a policy's own heading."""
    found = numbering(text)
    return bool(POLICY_RE.match(text)) or (found is not None and found.kind.startswith("policy"))


def cell_tags(cell: str) -> list[str]:
    """The tags a 区分 cell names (新規事業 → 新規, 継続・拡充 → both, 新規候補 → 新規候補 only)."""
    tags: list[str] = []
    for word in _TAG_CELL_WORDS:
        if word in cell:
            tags.append(word)
            cell = cell.replace(word, "・")  # a longer word is not read again as the word it holds
    return tags


def header_roles(cells: Sequence[str]) -> list[str | None] | None:
    """The role of each column if cells look like a table header, else None (see tables.py)."""
    return _header_roles(cells)


def extract_tags(text: str) -> tuple[str, list[str]]:
    """Text without its bracketed tags, and the tags (〈新規〉, 《継続》, (随時), <<新規>> …)."""
    tags: list[str] = []

    def take(m: re.Match[str]) -> str:
        tags.extend(t for t in re.split(r"\s*[・、,/]\s*", m.group(1)) if t)
        return ""

    return TAG_RE.sub(take, text).strip(), tags


def split_mark(text: str) -> tuple[Actor | None, str]:
    """An actor mark at the start of text (◎ 自治会 → both, '自治会')."""
    text = text.strip()
    if text and text[0] in ACTOR_MARKS:
        return ACTOR_MARKS[text[0]], text[1:].strip()
    return None, text


# How a department's name ends (…本部, …課, …センター, 職員); a PDF cell line that ends otherwise was
# wrapped inside a name.
_DEPT_END = re.compile(r"(?:[部課室局係所館署庁班会員]|センター|グループ|チーム|担当)$")


_NUMBER_ONLY = re.compile(r"^(?:[①-⑳❶-❿]|[(（]?\d{1,2}[)）.．、]?)$")
# what a cell after a name's tab can be besides its 担当課: a venue (第1会議室) or a partner (〇〇大学, …法人)
_NOT_A_DEPARTMENT = re.compile(r"^第?\d|(?:会議室|研修室|和室|ホール|会場|公民館)$|大学|株式会社|法人")


def _set_apart_department(raw: str) -> str:
    """A line that is a name and its 担当課 set apart by a tab or a wide gap (①市民活動フェスタの開催→市民協働課,
    optionally a 区分 word after: …→市民協働課→継続) as the bracketed form the measure lines are read in
    (①市民活動フェスタの開催（市民協働課）継続); any other line as it is."""
    parts = [p.strip() for p in _COLUMN_GAP.split(raw.strip())]
    if len(parts) >= 3 and _NUMBER_ONLY.match(parts[0]):  # ①→出前講座の実施→市民協働課: the number at a tab stop too
        parts = [parts[0] + parts[1], *parts[2:]]
    if len(parts) == 3 and compact(parts[2]) in TAG_WORDS:
        tag = compact(parts.pop())
    else:
        tag = ""
    if len(parts) != 2 or len(compact(parts[0])) < 2 or not is_department_cell(parts[1]):
        return raw
    # a header or a label line (事業名→担当課, 担当課→市民協働課), a venue (第1会議室) or a partner (〇〇大学地域連携
    # センター), not a measure's 担当課
    if label_role(parts[0], 6) is not None or label_role(parts[1], 6) is not None or _NOT_A_DEPARTMENT.search(compact(parts[1])):
        return raw
    if parse_fiscal_year(parts[0]) is not None:  # a title and the office that wrote it (令和6年度 協働事業一覧→市民協働課)
        return raw
    bracketed = f"{parts[0]}（{parts[1]}）"
    return bracketed + tag if _TRAILING_DEPT.search(bracketed) else raw


def _department_lines(raw: str, value: str) -> str:
    """A 担当 cell's departments (raw: as printed; value: its wrapped lines joined): where its lines are
    labelled (実施団体：… / 協働事業担当課：下水道課), the values of those with a department's label, else
    the value."""
    pairs: list[tuple[str, str]] = []
    for line in (line.strip() for line in raw.split("\n")):
        pair = label_line(line) if line else None
        if pair is not None:
            pairs.append(pair)
        elif line and pairs:  # a line wrapped in the cell (…まちづくり推進課（農業政 / 策課）)
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + line)
        elif line:
            return value
    if len(pairs) > 1:
        return "\n".join(v for label, v in pairs if attribute_role(label) == "departments")
    return value


def split_departments(text: str, rejoin_wrapped: bool = False) -> list[str]:
    """関係部署 cell → list of departments (separated by spaces, line breaks or 、).

    With rejoin_wrapped (a PDF cell, whose lines may wrap inside a name: 地域再生推進本 / 部), a line
    that follows a line not ending like a department name, or that is a single character, is joined
    to the line above."""
    if rejoin_wrapped and "\n" in text:
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        joined = lines[:1]
        for line in lines[1:]:
            if len(line) == 1 or not _DEPT_END.search(joined[-1]):
                joined[-1] += line
            else:
                joined.append(line)
        text = "\n".join(joined)
    label = _DEPT_LABEL.match(text)  # （担当課：市民協働課）: the label is no department
    if label and attribute_role(label.group(1)) == "departments":
        text = text[label.end():]
    # (◎ 主担当, ○ 関係課: the legend's marks before a name are not part of it)
    parts = (d.lstrip("◎○◯〇●◇◆☆★※") for d in _dotted_departments(_DEPT_SPLIT.split(text)))
    return [d for d in parts if d and d not in _NOT_DEPARTMENTS]


# The first cell of a 取組シート's row of planned stages under its 年次計画 years
_PLAN_ROWS = frozenset({"計画", "予定", "目標", "実施計画"})
# what ends a body of its own before ・ (各小中学校・学校教育課, 市・社会福祉協議会, 市立病院・健康推進課)
_BODY_END = re.compile(r"(?:校|院|園|市|町|村|県|国|会|所|館|団|社)$")


def _ticked_result(label: str, cell: str) -> str | None:
    """A result ticked in the column of its word (今後の方向性 拡充 | 継続 | 見直し | 廃止, ○ in one): group：word;
    None where the cell is no tick or the column names no such word."""
    group, _, word = label.rpartition(" ")
    if _ticked(cell) and group and compact(word) in DIRECTION_WORDS:
        return f"{group}：{word}"
    return None


def _label_pairs(row: tuple[list[str | None], Source]) -> list[tuple[list[str | None], Source]]:
    """A sheet's row holding two label | value pairs or more (事業番号 | H1-1 | 事業名 | 地域コミュニティの…,
    施策№ | … | 施策名 | …) as one row a pair; other rows as they are. A pair is a column word and a cell that
    is none (a header's row of column words is no pairs)."""
    cells, source = row
    filled = [c for c in cells if c]
    if len(filled) < 4 or len(filled) % 2:
        return [row]
    labels, values = filled[0::2], filled[1::2]
    if not all(label_role(c) and label_like(c) and len(compact(c)) <= 20 and not YEAR_LABEL.match(compact(c))
               for c in labels) or any(label_like(v) and label_role(v) and not YEAR_LABEL.match(compact(v)) for v in values):
        # (年次計画 | 令和6年度 | 令和7年度 | 令和8年度 is a row of year columns, no pairs)
        return [row]
    return [([label, value], source) for label, value in zip(labels, values)]


def _dotted_departments(parts: list[str]) -> list[str]:
    """parts split at ・ too, but only after a department's name (市民協働課・企画課 are two; 市民・NPO活動推進課
    is one)."""
    out: list[str] = []
    for part in parts:
        pieces = part.split("・")
        if len(pieces) > 2 and _DEPT_END.search(pieces[-1]) and all(
                p and len(p) <= 4 and not _DEPT_END.search(p) and not _BODY_END.search(p) for p in pieces[:-1]):
            out.append(part)  # 生活・協働・男女参画課: short words before its 課, one name
            continue
        joined = pieces[:1]
        for piece in pieces[1:]:
            if _DEPT_END.search(joined[-1]) or not piece or _BODY_END.search(joined[-1]) or not _DEPT_END.search(piece):
                joined.append(piece)
            else:
                joined[-1] = f"{joined[-1]}・{piece}"
        out.extend(joined)
    return out


_DEPT_LABEL = re.compile(r"\s*([^\s:：]{1,8}?)\s*[:：]\s*")

# What an indicator's name ends with: what it counts (登録数, 実施件数, 参加者数, 割合, 満足度, 認知率), a
# bracketed unit or note after it allowed (（累計）, （%）); not 制度 or 年度
_INDICATOR_NAME = re.compile(r"(?:数|率|割合|(?<![制年])度|人数|件数|回数)(?:[（(][^（）()]*[)）])?$")

# A cell that repeats the one above (〃, 同上): the value above it
DITTO = ("〃", "同上", "同左", "\u3003", "々", "”")
# what ends a list of departments without being one (市民協働課 ほか)
_NOT_DEPARTMENTS = ("ほか", "他", "など", "等", "外")


# a line that stops inside a sentence (人材を / 育成します。): a sentence wrapped in its cell, not a name
_PARTICLE_END = re.compile(r"(?:[をにがはでとへやもて]|から|より|ため|ながら)$")
_BRACKETED_NAME = re.compile(r"^【([^】]{2,40})】\s*(.+。)$", re.S)


def _explained(cell: str, paragraphs: bool) -> tuple[str, str] | None:
    """A name cell that holds the measure's name and its explanation, where the table has no 内容 of its
    own for it: (name, explanation), else None. Its first paragraph and the sentences after it (a Word
    or Excel cell, whose line breaks are paragraphs: not a PDF's, whose lines wrap), 【name】 and a
    sentence, or 'name：sentence'."""
    lines = [line.strip() for line in cell.split("\n") if line.strip()]
    if paragraphs and len(lines) >= 2 and len(lines[0]) <= 40 and not lines[0].endswith(("。", "、")) \
            and not _PARTICLE_END.search(lines[0]) and lines[-1].endswith("。") and numbering(lines[1]) is None:
        whole = re.fullmatch(r"【([^】]{2,40})】", lines[0])
        name = whole.group(1) if whole and compact(whole.group(1)) not in TAG_WORDS else lines[0]
        return name, "\n".join(lines[1:])
    text = join_wrapped(cell)
    bracketed = _BRACKETED_NAME.match(text)
    if bracketed and compact(bracketed.group(1)) not in TAG_WORDS and not TAG_RE.match(text):
        return bracketed.group(1), bracketed.group(2).strip()
    name, rest = split_name_content(text)
    if rest and rest.endswith("。") and not is_sentence(name):
        return name, rest
    return None


# What a 'label：value' line under a numbered measure, not bulleted, gives the measure besides content
_LINE_ATTRIBUTES = ("kpi", "departments", "tags", "status", "schedule")
# What frames a result's label on a line of its own (【実績】, ■取組実績, 〈課題〉, ＜今後の方向性＞)
_RESULT_FRAME = "【】[]〈〉<>《》≪≫■◆□◇ "
# The labels of a measure's results in a yearly report, after a year (令和5年度の実績) or not: only these,
# as the whole label (■意見交換, ■外部評価 are measures of their own).
_RESULT_LABELS = frozenset({
    "実績", "取組実績", "取り組み実績", "取組の実績", "主な実績", "事業実績", "実施状況", "取組状況", "取り組み状況",
    "進捗状況", "進捗", "達成状況", "成果", "取組の成果", "効果", "課題", "今後の課題", "評価", "自己評価",
    "担当課の評価", "所管課の評価", "担当課評価", "今後の方向性", "今後の方針", "今後の取組", "今後の取り組み",
    "今後の展開", "今後の予定", "次年度の取組", "次年度の方向性", "改善点", "改善策", "取組結果", "結果"})


def _result_label(label: str) -> bool:
    word = compact(label).strip(_RESULT_FRAME)
    word = YEAR_LABEL.sub("", word, count=1).removeprefix("の") if YEAR_LABEL.match(word) else word
    return word in _RESULT_LABELS


def _dedupe(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


@dataclass
class _Draft:
    path: list[str]
    name: str
    content: str
    departments: list[str]
    actor: Actor | None
    tags: list[str]
    source: Source
    measure_heading: bool = False  # the last path entry is a ■/◆ heading (the legacy measure)
    number: str = ""
    schedule: dict[str, str] = field(default_factory=dict)
    status: list[str] = field(default_factory=list)
    kpis: list[dict[str, str]] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    kind: str = "table"  # table, record, outline, guessed (rows of a table with no header)
    after_node: int = -1  # an outline or guessed item's place among the outline nodes (see document)
    header: int = 0  # which table header (counted through the document) its row was read under
    table_node: int = -2  # a table's row: the last outline node before its table (-1: none)
    read_bare: bool = False  # a table's row with a name and nothing but headings as its table gave it (_bare)


@dataclass
class _Heading:
    kind: str
    text: str
    tags: list[str]
    node: int | None = None  # index in the parser's outline nodes
    level: int | None = None  # the Word 見出し level its line had (None: a plain line)

# What a legend's entries say when they name kinds of measure (重点事業, その他の取組).
_MEASURE_KINDS = ("事業", "取組", "取り組み", "施策")
# Bullets that head plain ones (◎ / ● / ○ … then ・), and the plain ones (StructureParser._nest_bullets).
_TOP_BULLETS = "●○◎◯〇◆◇"
_SUB_BULLETS = "・-－"


@dataclass
class _Node:
    """A numbered or bulleted line: a heading or, if nothing is numbered under it, an item."""

    kind: str
    number: str
    text: str
    source: Source
    parent: int | None
    path: list[str]
    measure_heading: bool
    children: int = 0
    content: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str]] = field(default_factory=list)
    label_line: bool = False  # a 'label：value' line read as a measure of its own (see _attribute)
    tags: list[str] = field(default_factory=list)  # the 区分 its line printed (■名前【継続】), taken off its text


class StructureParser:
    """Walks blocks in document order and collects items; one instance per document."""

    def __init__(self, cjk_spaces: bool = False, settings: StructureSettings | None = None) -> None:
        self.cjk_spaces = cjk_spaces
        self.settings = settings or StructureSettings()
        self.items: list[_Draft] = []
        self.lines: list[str] = []  # cleaned running text, for title/city/year
        self.header_cells: list[str] = []  # table header cells, for the year when no line gives it
        self.cells_text: list[str] = []  # opening cells of tables, for the city when no line gives it
        self.legend: dict[str, str] = {}
        self.stack: list[_Heading] = []
        self.policy_pending = False
        self.nodes: list[_Node] = []
        self.ev = Evidence()
        self.pending: list[Block] = []  # rows of the table being read
        self.roles: list[str | None] | None = None  # the last table header's roles
        self.headers_read = 0  # table headers read so far (a row's _Draft.header)
        self.labels: list[str] = []
        self.last_values: dict[int, str | None] = {}
        self.record_item: int | None = None  # index of the item a label | value sheet made
        self._record_table: int | None = None  # the table number of the last label | value sheet
        self._goals_over: set[int] = set()  # 基本目標 / 基本方針 nodes a 施策 heading went under
        self.outline_schedules: list[schedule_mod.ScheduleRow] = []  # for the items of numbered lines
        self._roles_caption: str | None = None  # the reference caption the last header was under
        # The last line read and what it became (text, source, made a node, went into the content of the
        # node before), until a table is read: a label | value sheet's name printed above it
        self.line_before: tuple[str, Source, bool, bool] | None = None
        # the departments a line names for the tables after it in this part (担当課：… above a sheet's
        # table), given to their rows that name none
        self.banner: list[str] = []

    def clean(self, text: str | None) -> str:
        return clean(text, cjk_spaces=self.cjk_spaces)

    # -- headings ---------------------------------------------------------------------------
    def path(self) -> tuple[list[str], bool]:
        texts = [h.text for h in self.stack if h.text]
        return texts, bool(self.stack) and self.stack[-1].kind.startswith("mark")

    def _push(self, kind: str, text: str, tags: list[str] | None = None, node: int | None = None) -> None:
        for i, h in enumerate(self.stack):
            if h.kind == kind:
                del self.stack[i:]
                break
        self.stack.append(_Heading(kind, text, tags or [], node))

    def _heading(self, text: str) -> bool:
        """Handle a 施策N policy heading or a ■/◆ measure heading (the 対馬 layout); True if it was one."""
        m = POLICY_RE.match(text)
        if m:
            number, title = m.group(1), m.group(2).strip()
            prefix = re.sub(r"\s+", "", text[: m.start(1)])  # 施策 or 基本施策, as printed
            # A new policy closes every heading but the chapter it is in (第4章 具体的な取組), which so
            # has something under it and is no measure, and the 基本目標 / 基本方針 it is printed right under
            # (one with a paragraph of its own is one of a list of them: 基本方針1 …, 基本方針2 …, then 施策1).
            del self.stack[next((i for i, h in enumerate(self.stack) if not (
                h.kind == "chapter" or (h.kind == "policy" and _GOAL.match(h.text) and self._goal_over_policies(h)))),
                len(self.stack)):]
            chapter = self._node_parent()
            if chapter is not None:
                self.nodes[chapter].children += 1
            # (appended, not _push'd: the stack holds no 施策 now, only what it stays under)
            self.stack.append(_Heading("policy", f"{prefix}{number}" + (f" {title}" if title else ""), []))
            self.policy_pending = not title
            return True
        if text.startswith(MEASURE_MARKS) and text[1:].strip() and not self._peer_mark(text[0]):
            heading, tags = extract_tags(text[1:].strip())
            kind = f"mark{text[0]}"
            same = next((i for i, h in enumerate(self.stack) if h.kind == kind), None)
            if same is not None:
                del self.stack[same:]
            parent = self._node_parent()
            self._add_node(Numbered(kind, text[0], heading), parent)
            self.nodes[-1].tags = list(tags)  # an item, if nothing comes under it, keeps them
            self._push(kind, heading, tags, node=len(self.nodes) - 1)
            self.policy_pending = False
            return True
        return False

    def _peer_mark(self, mark: str) -> bool:
        """Whether the legend names mark one of two or more kinds of measure (凡例 ◆：重点事業 ●：その他の
        事業): its lines are measures beside the other kinds' lines, not headings of them (■ / ◆ head the
        ● lines under them where no legend says so, as 対馬's plan prints them)."""
        meanings = list(self.legend.values())
        return (mark in self.legend and len(meanings) >= 2
                and all(any(w in m for w in _MEASURE_KINDS) for m in meanings))

    def _goal_over_policies(self, goal: _Heading) -> bool:
        """Whether a 施策 heading goes under the 基本目標 / 基本方針 heading open above it: where nothing is
        written under that one, it is the first of them, or the one before it has a 施策 under it; not where
        the plan first lists its 基本方針 with a paragraph each (基本方針1 …, 基本方針2 …) and then its 施策."""
        if goal.node is None:
            return False
        parent = self.nodes[goal.node].parent  # (its siblings: the 基本目標 of its own chapter)
        goals = [i for i, n in enumerate(self.nodes)
                 if n.kind == "policy" and _GOAL.match(n.number) and i <= goal.node and n.parent == parent]
        if not self.nodes[goal.node].content or len(goals) < 2 or goals[-2] in self._goals_over:
            self._goals_over.add(goal.node)
            return True
        return False

    def _lineage(self, index: int) -> Iterator[int]:
        """An outline node's index and its parents', up to the top."""
        node: int | None = index
        while node is not None:
            yield node
            node = self.nodes[node].parent

    def _node_parent(self) -> int | None:
        return next((h.node for h in reversed(self.stack) if h.node is not None), None)

    def _add_node(self, num: Numbered, parent: int | None, source: Source | None = None) -> None:
        """A numbered line as an outline node, under the headings open before it."""
        path, heading = self.path()
        node = _Node(num.kind, num.number, num.text, source or Source(path=""), parent, path, heading)
        self.nodes.append(node)
        if parent is not None:
            self.nodes[parent].children += 1

    def line(self, block: Block) -> None:
        self._flush_table()
        if "\n" in block.text:  # ① 名前【継続】 / （市民活動支援課） broken by hand: the department is the line's
            block = replace(block, text=_DEPT_ON_ITS_LINE.sub(r" \1", block.text))
        if block.level == 0:  # a new part of the document (a workbook's sheet): the headings before close
            self.stack.clear()
            self.policy_pending = False
            self.banner = []
            name = self.clean(block.text)
            if name:  # the part's name is its heading (a sheet named 推進方策2)
                self._add_node(Numbered("style0", "", name), None, block.source)
                self._push("style0", name, node=len(self.nodes) - 1)
            return
        for raw in (block.text or "").split("\n"):
            raw = _set_apart_department(raw)
            part = self.clean(raw)
            if not part:
                continue
            self.lines.append(part)
            nodes, content = len(self.nodes), [len(n.content) for n in self.nodes[-1:]]
            attributes = [len(n.attributes) for n in self.nodes[-1:]]
            self._line(part, block.source, raw, block.level)
            pair = label_line(part)
            if (pair is not None and attribute_role(pair[0]) == "departments" and len(self.nodes) == nodes
                    and (attributes == [len(n.attributes) for n in self.nodes[-1:]] or self.nodes[-1].kind == "style0")):
                # 担当課：市民活動課 above a sheet's table, no measure's line: the department of its rows
                self.banner = split_departments(pair[1])
            # (what the line became: a node of its own, or content of the node before)
            self.line_before = (part, block.source, len(self.nodes) > nodes,
                                bool(content) and len(self.nodes) == nodes and len(self.nodes[-1].content) > content[0])

    def _line(self, part: str, source: Source, raw: str | None = None, level: int | None = None) -> None:
        if _LEADERS.search(part) or (raw is not None and _TOC_TAB.search(raw)):
            # a line of the table of contents (第2章 …………… 1, or Word's 目次: 基本方針1 …<tab>3 with the
            # tab's dotted leader): the heading comes again where it is
            return
        legend = marks_mod.parse_legend(part)
        if legend:
            self.legend.update(legend)
            return
        opening = numbering(nfkc(raw).strip()) if raw is not None else numbering(part)  # the line's number, if any
        if level is not None and len(part) <= 60:
            # A heading in Word's 見出し N closes the ones of its level or below before it, numbered or
            # not (はじめに in 見出し1 does not stay above 第2章 具体的な取組 in 見出し1).
            # A heading without a number closes a numbered one in 見出し N too (基本方針1 in 見出し2 before
            # 計画の推進にあたって in 見出し2): what was under it, the measures too. (Numbered headings close
            # by their numbers: 第4章 and 基本目標1 may share 見出し1.)
            numbered = opening is not None or POLICY_RE.match(part) is not None or part.startswith(MEASURE_MARKS)
            for i, h in enumerate(self.stack):
                own = int(h.kind[5:]) if h.kind.startswith("style") else None
                if own is None and not numbered and h.level is None and h.node is not None and (
                        self.nodes[h.node].content or self.nodes[h.node].attributes):
                    own = level  # (a measure typed plainly with its sentence: a コラム in 見出し2 is not under it)
                if (own if own is not None else -1 if numbered or h.level is None else h.level) >= level:
                    del self.stack[i:]
                    break
        if level is not None:
            self._held = None  # (a 見出し after the results, コラム…, is none of their text)
        if self._result_line(part):
            return
        self._held = None
        if self._heading(part):
            if self.nodes and self.stack and self.nodes[-1].text == self.stack[-1].text:
                self.nodes[-1].source = source
            if self.stack and level is not None:
                self.stack[-1].level = level
            return
        if self.policy_pending:
            self.stack[-1].text += f" {part}"
            self.policy_pending = False
            return
        num = opening
        if num is None and part[:1] in self.legend and part[:1] in marks_mod.WORD_MARKS and part[1:2] == " " \
                and part[2:].strip():
            num = Numbered("bullet", part[0], part[2:].strip())  # 新 提案型協働事業… under 凡例 新：新たに…
        elif (num is None and part[:1] in "★☆" and part[:1] in self.legend and part[1:].strip()
              and not is_sentence(part) and numbering(part[1:].strip()) is None):
            num = Numbered("bullet", part[0], part[1:].strip())  # ★ 市民協働センターの機能拡充 under 凡例 ★：重点…
        if num is not None:
            # ◆ a measure of the kind the legend names (◆：重点事業 ●：その他の事業): a bullet like the ● ones
            kind = "bullet" if num.kind == f"mark{num.number}" and self._peer_mark(num.number) else num.kind
            num = Numbered(kind, num.number, self.clean(num.text))
        elif level is not None and len(part) <= 60:
            # A heading by its style alone (Word 見出し N): nests what follows, never an item itself.
            parent = self._node_parent()
            self._add_node(Numbered(f"style{level}", "", part), parent, source)
            self._push(f"style{level}", part, node=len(self.nodes) - 1)
            return
        last = self.nodes[-1] if self.nodes else None
        if num is None:
            pair = label_line(part)
            if _INDICATOR_CAPTION.match(part):
                self._indicators = True  # 【成果指標】: what follows is the indicators, not the measure
            elif last is not None and not last.children and self._just_after(last) and not self._indicators:
                if pair is not None and attribute_role(pair[0]) in _LINE_ATTRIBUTES:
                    # 成果指標：提案件数 10件, 【担当課】市民協働課, 区分：継続 — the measure's, not its content
                    last.attributes.append(pair)
                else:
                    last.content.append(part)
            self._after_text = True
            return
        self._after_text = False
        if self._indicators and num.kind == "bullet":
            return  # ・研修の参加者数 120人→200人 under 【成果指標】: an indicator, not a measure or a point
        self._indicators = False
        attr = label_line(num.text) if num.kind in ("kata", "paren_kata", "circled", "bullet") else None
        kind = f"bullet{num.number}" if num.kind == "bullet" else num.kind
        if attr is not None and self._attribute(attr, kind):
            return
        if num.kind.startswith("bullet"):
            parent = self._node_parent()
            self._add_node(Numbered(kind, num.number, num.text), parent, source)
        else:
            same = next((i for i, h in enumerate(self.stack) if h.kind == num.kind
                         or (num.kind == "chapter" and not h.kind.startswith("style"))), None)
            if same is not None:  # (a chapter closes every numbered heading before it: 3 計画の期間 of 第1章)
                del self.stack[same:]
            parent = self._node_parent()
            self._add_node(num, parent, source)
            self._push(num.kind, part, node=len(self.nodes) - 1)
            self.stack[-1].level = level
        self.nodes[-1].label_line = attr is not None

    def _attribute(self, attr: tuple[str, str], kind: str) -> bool:
        """Attach a 'label：value' line to the item above it when it describes that item (ア 取り組みの
        内容：…, ・担当課：… under a project heading); True if attached. It does when its label is an
        attribute's, or when it follows such a line; the label lines just before such a line describe
        the same item (イ 主な担い手：… before ウ 取り組みの内容：…), when numbered or bulleted as it is: a
        line bulleted otherwise is a measure of its own, which the line describes (● 名前：内容 then ・担当課：…).
        Else the line is a measure of its own (● 協働出前講座の開催：…, 名前：内容), unless _folded_labels
        finds it describes its item after all (ア 現状と課題：… under (1) 協働事業提案制度)."""
        known = is_attribute_label(attr[0])
        start = len(self.nodes)
        while (known and start and self.nodes[start - 1].label_line and not self.nodes[start - 1].children
               and self.nodes[start - 1].kind == kind):
            start -= 1
        if any(node.parent != start - 1 for node in self.nodes[start:]):
            start = len(self.nodes)  # not the description of one item: the line above is its item
        host_index = start - 1
        if host_index < 0:
            return False
        host = self.nodes[host_index]
        run = self.nodes[start:]
        if host.children > len(run) or host.kind == kind:
            return False
        if not known and not (host.attributes and any(is_attribute_label(label) for label, _ in host.attributes)):
            return False
        for index in range(len(self.nodes) - 1, start - 1, -1):
            self.stack = [h for h in self.stack if h.node != index]
            del self.nodes[index]
        host.children = 0
        host.attributes.extend(pair for node in run if (pair := label_line(node.text)) is not None)
        host.attributes.append(attr)
        return True

    _after_text = False
    _indicators = False  # after a caption of indicators (【成果指標】), until the next numbered line
    _held: str | None = None  # a result's label on a line of its own (【実績】), whose text follows

    def _result_line(self, part: str) -> bool:
        """A line of a measure's results in a yearly report, attached to the measure above it (status);
        True if it was one:
        - a result's label on its line (【実績】, ■取組実績, ◆今後の方向性, 〈課題〉): the lines after it are
          its text, up to the next label or numbered line (so 継続：新たな利用層を… is the direction's text,
          not a 区分);
        - a label bulleted ■ or ◆ with its text (■実績：講座を開いた。, ◆取組実績 講座を開いた。);
        - （担当：地域活動推進課） on a line of its own: the measure's department.
        Not under a heading (a node with nodes under it), nor before any measure."""
        last = self.nodes[-1] if self.nodes else None
        if last is None or last.children or last.kind.startswith("style"):
            self._held = None
            return False
        word = part.strip(_RESULT_FRAME)
        if word and part[:1] in _RESULT_FRAME and _result_label(word):
            self._held = word
            return True
        if part[:1] in "■◆□◇" and len(part) > 2:
            rest = part[1:].strip()
            pair = label_line(rest) or (tuple(rest.split(" ", 1)) if " " in rest else None)
            if pair is not None and len(pair) == 2 and pair[1].strip() and _result_label(pair[0]):
                self._held = None
                last.attributes.append((pair[0].strip(), pair[1].strip()))
                return True
        if part[:1] in "(（" and part[-1:] in ")）":
            pair = label_line(part[1:-1])
            if pair is not None and attribute_role(pair[0]) == "departments" and pair[1]:
                last.attributes.append(pair)
                return True
        if self._held is not None:
            pair = label_line(part)
            if numbering(part) is not None or pair is not None and attribute_role(pair[0]) not in (None, "tags"):
                self._held = None  # (a 区分 word's line, 継続：…, is the text held: the direction)
                return False
            if last.attributes and last.attributes[-1][0] == self._held:
                label, text = last.attributes[-1]
                last.attributes[-1] = (label, f"{text}{part}")
            else:
                last.attributes.append((self._held, part))
            return True
        return False

    def _just_after(self, node: _Node) -> bool:
        return self.nodes and self.nodes[-1] is node  # type: ignore[return-value]

    # -- tables -----------------------------------------------------------------------------
    def row(self, block: Block) -> None:
        if self.pending:
            a, b = self.pending[-1].source, block.source
            if (a.page is None, a.table) != (b.page is None, b.table):
                self._flush_table()
        if not self.pending:
            self._drop_table_caption()
        self.pending.append(block)

    def _drop_table_caption(self) -> None:
        """A table's caption printed just above it (取組の年次計画, 【スケジュール】), which went to the measure
        above as its content: a short line, no sentence and no label line, is the table's, not the measure's."""
        before = self.line_before
        if before is None or not before[3] or not self.nodes:
            return
        node = self.nodes[-1]
        text = before[0]
        if (node.kind.startswith(_HEADING_KINDS) or not node.content or node.content[-1] != text or len(text) > 20
                or is_sentence(text) or "、" in text or label_line(text) is not None or not _CAPTION.search(text)):
            return  # (随時実施, 年2回開催: the measure's own last line)
        node.content.pop()
        self.line_before = (text, before[1], before[2], False)

    def _flush_table(self) -> None:
        before = len(self.items)
        self._read_table()
        for draft in self.items[before:]:
            draft.table_node = len(self.nodes) - 1  # (the outline's line the table was printed under)
            draft.read_bare = _bare(draft)  # (before a later table of stages adds to it)

    def _read_table(self) -> None:
        blocks, self.pending = self.pending, []
        if not blocks:
            return
        rows: list[tuple[list[str | None], Source]] = []
        measured = False  # a row of several cells came before in this table
        prev: list[str | None] = []  # the row before
        for block in blocks:
            cells = [None if c is None else self.clean(c) for c in block.cells]
            filled = [c for c in cells if c]
            if not filled:
                continue
            joined = " ".join(join_wrapped(c) for c in filled)
            if _EXAMPLE_ROW.match(compact(filled[0])):
                continue  # 【記入例】市民活動フェスタ, （例）見守りネットワーク事業: how to fill the sheet, no measure
            # (a row whose first cell is merged down from the row above, with a stage of its own (実施, →):
            # the lower row of an item, a year's stage in it, not a line)
            lower_row = measured and cells[0] is None and is_schedule_cell(filled[0])
            if len(filled) == 1 and not lower_row and not (measured and (_lone_cell(cells) or _listed_under(cells, prev))):
                # A one-cell row is a heading, a legend or a title line inside the table.
                self._flush_rows(rows)
                rows = []
                pair = label_line(joined)
                if measured and self.items and pair is not None and pair[1] and attribute_role(pair[0]) == "status":
                    # 【推進会議の意見】… merged across under a measure's row: that measure's result
                    self.items[-1].status.append(f"{compact(pair[0])}：{pair[1]}")
                    continue
                self.lines.append(joined)
                if measured and _band(cells, joined):
                    # a band merged across the table between its rows (市民活動の裾野の拡大): the heading of
                    # the rows under it, until the next band (_push closes the band before)
                    self._push("band", joined)
                    continue
                self._line(joined, block.source)
                continue
            measured = True
            rows.append((cells, block.source))
            prev = cells
        self._flush_rows(rows)

    def _flush_rows(self, rows: list[tuple[list[str | None], Source]]) -> None:
        if not rows:
            return
        for cells, _ in rows[:3]:
            self.cells_text.extend(join_wrapped(c) for c in cells if c)
        before, self.line_before = self.line_before, None
        if self._record(rows, before):
            return
        segments: list[tuple[list[list[str | None]], list[tuple[list[str | None], Source]]]] = []
        header: list[list[str | None]] = []
        data: list[tuple[list[str | None], Source]] = []
        s = self.settings
        for cells, src in rows:
            roles = _header_roles([c or "" for c in cells], s.header_max_chars, s.header_word_share)
            if roles is not None and header and sum(map(label_like, filled := [c for c in cells if c])) * 2 < len(filled):
                # under a header, a row of names that end with column words (市民活動支援事業 | 協働推進課) is
                # data, not a second header row
                roles = None
            if roles is not None or (header and not data and self._subheader(header[-1], cells)):
                if data or (header and roles is not None and [c for c in cells] in header):
                    segments.append((header, data))
                    header, data = [], []
                if roles is not None and header and not data and header[-1] == cells:
                    continue
                header.append(cells)
                continue
            data.append((cells, src))
        segments.append((header, data))
        for header, data in segments:
            self._segment(header, data)

    def _subheader(self, above: list[str | None], cells: list[str | None]) -> bool:
        """A second header row under group cells merged across (平成27年度 over 計画 | 実績 | 評価)."""
        if not any(c is None or not c for c in above):
            return False
        filled = [c for c in cells if c]
        if not filled:
            return False
        if all(len(compact(c)) <= 8 and (label_role(c) is not None or compact(c) in ("計画", "予定", "目標", "見込")
                                          or compact(c) in DIRECTION_WORDS) for c in filled):
            return True  # (拡充 | 継続 | 見直し | 廃止 under 今後の方向性: a column to tick each)
        # Longer column words only under the group cell (関連する基本方針 over 基本方針1 意識づくり | …):
        # a data row fills the columns the first header names too.
        def grouped(i: int) -> bool:  # under a cell merged across: its first column or one after it
            return i < len(above) and (not above[i] or (i + 1 < len(above) and not above[i + 1]))

        under_group = all(grouped(i) for i, c in enumerate(cells) if c)
        return under_group and all(len(compact(c)) <= 24 and label_role(c) is not None for c in filled)

    def _segment(self, header: list[list[str | None]], data: list[tuple[list[str | None], Source]]) -> None:
        if header:
            labels = combine_headers(header)
            self.header_cells.extend(x for x in labels if x)
            new_roles = decide_roles(labels, [c for c, _ in data], self.settings.numeric_share)
            if new_roles != self.roles or labels != self.labels:
                self.last_values = {}
                self.headers_read += 1  # (a header repeated on the next page is the same one)
            self._roles_caption = self._reference_caption(strict=True)
            self.roles, self.labels = new_roles, labels
        elif data and self._reference_caption(strict=True) not in (None, self._roles_caption):
            # A table with no header under 用語の解説, 策定の経過 …: a glossary or a history, not more rows of
            # the measure table above it.
            self._count_cells(data)
            self.ev.headerless_rows += len(data)
            self._drop_caption()
            return
        elif self.roles is None or not data or max(len(c) for c, _ in data) > len(self.roles) + 1:
            guessed = self._guess_roles(data)
            self._count_cells(data)
            if guessed is None:
                self._drop_caption()
                # No header names this table's columns: not read as measures.
                self.ev.headerless_rows += len(data)
                return
            # Rows of bulleted measures with no header (● 名前 | 内容 | 課 | 区分): read by their cells,
            # without taking the place of the last header for the tables after it. They stand beside the
            # measures of numbered and bulleted lines, not for them (see document), and make the heading
            # they are under a heading.
            saved = self.roles, self.labels, self.last_values
            self.roles, self.labels, self.last_values = guessed, [""] * len(guessed), {}
            first = len(self.items)
            for cells, src in data:
                self._data_row(cells, src)
            self.roles, self.labels, self.last_values = saved
            for draft in self.items[first:]:
                draft.kind, draft.after_node = "guessed", len(self.nodes) - 1
            parent = self._node_parent()
            if parent is not None:
                self.nodes[parent].children += len(self.items) - first
            return
        roles = self.roles
        if self._schedule_table(data):
            return
        self._count_cells(data)
        if self._indicator_rows(roles, data):
            roles = ["kpi" if r == "name" else r for r in roles]
        if not ({"name", "content"} & set(roles)):
            if "kpi" in roles and self.record_item is not None:
                self._attach_kpis(data)
            else:
                self.ev.headerless_rows += len(data)
            return
        for cells, src in data:
            self._data_row(cells, src)

    # -- schedule tables ----------------------------------------------------------------------
    def _schedule_table(self, data: list[tuple[list[str | None], Source]]) -> bool:
        """A table that schedules the measures already read (計画のスケジュール: 番号 | 事業名 | 令和7年度
        …, printed apart from the measures): its stages go to those items' schedules, and its rows are
        not read again as items. True if data was one. Not one when its year cells are no stages (a
        KPI's 目標値), when too few of its rows name an item already read, or when a row brings 内容 of
        its own (a measure table with year columns after a list of the same names), nor when it reports
        more than stages (実績, 評価, 指標, 事業費: a progress or budget table, read as before)."""
        roles, labels = self.roles or [], self.labels
        years = schedule_mod.year_columns(labels, roles)
        if not years or "kpi" in roles:
            return False
        if any(col < len(roles) and roles[col] in _NOT_SCHEDULE and cell for cells, _ in data
               for col, cell in enumerate(cells)):
            return False
        rows = schedule_mod.read_rows(roles, labels, data, years)
        stages = [stage for row in rows for stage in row.years]
        if not rows or not stages or sum(map(schedule_mod.is_stage, stages)) < schedule_mod.STAGE_SHARE * len(stages):
            return False
        from_outline = not self.items
        if from_outline and any(row.content or row.departments for row in rows):
            return False  # a table of measures of its own, which stands for the numbered lines above it
        targets = self.items or self._outline_items()  # measures as numbered lines: matched again at the end
        found = schedule_mod.match_rows(rows, [(d.number, d.name) for d in targets])
        matched = [(row, targets[i]) for row, i in zip(rows, found) if i is not None]
        if not matched or len(matched) < schedule_mod.MATCH_SHARE * len(rows):
            return False
        if any(row.content and not schedule_mod.same_text(row.content, d.content) for row, d in matched):
            return False
        if from_outline:
            self.outline_schedules.extend(row for row, _ in matched)
        else:
            for row, d in matched:
                self._merge_schedule(row, d)
        # Rows of measures not read before are read as the table's own (as any table's rows are).
        rest = {row.index for row, i in zip(rows, found) if i is None}
        unmatched = [(cells, src) for n, (cells, src) in enumerate(data) if n in rest]
        self._count_cells(unmatched)
        if {"name", "content"} & set(roles):
            for cells, src in unmatched:
                self._data_row(cells, src)
        return True

    def _merge_schedule(self, row: schedule_mod.ScheduleRow, draft: _Draft) -> None:
        """A schedule row's stages into its item's schedule (a year the item gives keeps the item's);
        its 区分 and 担当課 where the item has none."""
        for label, stage in row.stages.items():
            draft.schedule.setdefault(label, stage)
        if not draft.tags and row.tags:
            draft.tags = list(row.tags)
        if not draft.departments and row.departments:
            draft.departments = list(_dedupe(split_departments(row.departments, rejoin_wrapped=self.cjk_spaces)))

    def _guess_roles(self, data: list[tuple[list[str | None], Source]]) -> list[str | None] | None:
        """The columns' roles of a table with no header whose rows look like measures, or None: a short
        name first, the other columns by their cells (a department, a 区分 word, schedule marks, an
        amount, else the content), and most rows bulleted or numbered or with a department, 区分 or
        schedule cell (● 協働出前講座の開催 | 内容 | 課 | 区分, as a tab-separated text saved from Excel has
        it). Never under a heading or caption of reference matter (用語の解説 | 策定の経過 | 推進委員名簿:
        a term and its sentence, a date and what was done, a name and a title look like measures too)."""
        if not data or self._reference_caption() is not None:
            return None
        # a number column first (① | 出前講座の実施 | 市民協働課, as a Word list at tab stops saves it): the
        # name is the next cell
        skip = int(all(len(cells) >= 2 and _NUMBER_ONLY.match(compact(cells[0] or "")) for cells, _ in data))
        numbered = 0
        for cells, _ in data:
            first = cells[skip] or ""
            num = numbering(first)
            name = num.text if num is not None else compact(first)
            if not name or len(name) > self.settings.name_max_chars or is_sentence(name) or is_numeric(name):
                return None
            if num is None and (is_attribute_label(name) or non_measure_section(name) or parse_fiscal_year(name)):
                return None  # a label | value row (担当課 | …, 目的 | …), not a measure's name
            numbered += num is not None or bool(skip)
        roles: list[str | None] = [*(["number"] * skip), "name"]
        for col in range(1 + skip, max(len(c) for c, _ in data)):
            column: list[str] = [c for r, _ in data if col < len(r) for c in (r[col],) if c]
            n = len(column) or 1
            role: str | None = None
            if not column:
                pass
            elif sum(is_department_cell(c) for c in column) / n >= 0.6:
                role = "departments"
            elif all(cell_tags(c) and len(compact(c)) <= 8 for c in column):
                role = "tags"
            elif sum(is_schedule_cell(c) for c in column) / n >= 0.6:
                role = "marks"
            elif sum(is_numeric(c) for c in column) / n >= self.settings.numeric_share:
                role = "amount"
            elif "content" not in roles:
                role = "content"
            roles.append(role)
        described = [col for col, role in enumerate(roles) if role in ("departments", "tags", "marks")]
        measures = sum(1 for cells, _ in data
                       if numbering(cells[0] or "") is not None or any(col < len(cells) and cells[col] for col in described))
        if numbered < len(data) and measures < _MEASURE_ROW_SHARE * len(data):
            return None
        return roles

    def _reference_caption(self, strict: bool = False) -> str | None:
        """The heading above, or the line just before, the table being read when it opens reference
        matter (資料 用語の解説, 策定の経過 …; strict: only those, not 趣旨, 体制 … a measure's heading may
        hold), else None."""
        texts, _ = self.path()
        if self.lines:
            texts = [*texts, self.lines[-1]]
        opens = reference_matter if strict else reference_section
        return next((t for t in reversed(texts) if len(t) <= 30 and opens(t)), None)

    def _drop_caption(self) -> None:
        """A reference table's caption (用語の解説) read as the content of the item above it: not its content."""
        caption = self._reference_caption()
        node = self.nodes[-1] if self.nodes else None
        if caption is not None and node is not None and node.content and node.content[-1] == caption:
            node.content.pop()

    def _count_cells(self, data: list[tuple[list[str | None], Source]]) -> None:
        self.ev.data_rows += len(data)
        for cells, _ in data:
            for c in cells:
                if c:
                    self.ev.data_cells += 1
                    self.ev.numeric_cells += is_numeric(c)

    @staticmethod
    def _indicator_rows(roles: Sequence[str | None], data: list[tuple[list[str | None], Source]]) -> bool:
        """Whether a table's rows are indicators, not measures, though its first column is headed by a
        name's word (項目 | 現状値 | 目標値, 指標項目 | 基準値 | 目標値): it has indicator columns and no 内容, and
        most of its names say what is counted (市民活動団体の登録数, 協働事業の実施件数, … の割合)."""
        if "kpi" not in roles or "content" in roles or "name" not in roles:
            return False
        col = roles.index("name")
        names = [compact(cells[col]) for cells, _ in data if col < len(cells) and cells[col]]
        return bool(names) and sum(bool(_INDICATOR_NAME.search(n)) for n in names) >= 0.6 * len(names)

    def _attach_kpis(self, data: list[tuple[list[str | None], Source]]) -> None:
        item = self.items[self.record_item]  # type: ignore[index]
        for cells, _ in data:
            kpi = {self.labels[i]: join_wrapped(c) for i, c in enumerate(cells)
                   if c and i < len(self.labels) and self.labels[i]}
            if kpi:
                item.kpis.append(kpi)

    def _align(self, cells: list[str | None]) -> list[tuple[int, str | None, str | None]]:
        """(column, role, cell) of a data row: positionally, or with mark-only cells and unnamed header
        columns left out, whichever puts more text under a text role (a mark column the header does
        not name)."""
        roles = self.roles or []

        def is_mark(c: str | None) -> bool:
            return bool(c) and len(c.strip()) == 1 and c.strip() in ACTOR_MARKS  # type: ignore[union-attr]

        text_roles = ("name", "content", "departments", "hierarchy")

        def score(pairs: Sequence[tuple[int, str | None, str | None]]) -> int:
            s = 0
            for _, role, cell in pairs:
                if role in text_roles and cell and not is_mark(cell):
                    s += 1
                if role in text_roles and is_mark(cell):
                    s -= 2
            return s

        positional = [(i, roles[i] if i < len(roles) else None, c) for i, c in enumerate(cells)]
        named = [i for i, r in enumerate(roles) if r and r not in ("actor", "marks", "relation")]
        compact_cells = [c for c in cells if not is_mark(c)]
        while compact_cells and len(compact_cells) > len(named) and not compact_cells[-1]:
            compact_cells.pop()
        compacted = [(i, roles[i], c) for i, c in zip(named, compact_cells)]
        chosen = compacted if score(compacted) > score(positional) else positional
        marks = [c.strip() for i, c in enumerate(cells)  # type: ignore[union-attr]
                 if is_mark(c) and (i >= len(roles) or not (roles[i] in _NOT_ACTOR_ROLES or self._tag_column(i)
                                                             or self._labelled_marks(i)))]
        if marks and not any(r == "actor" and c for _, r, c in chosen):
            chosen = [*chosen, (-1, "actor", marks[0])]
        return chosen

    def _labelled_marks(self, col: int) -> bool:
        """A column of marks its header names (重点 with ●): a mark there says the header's word of the
        measure (重点●), not who acts, whatever the legend gives ● elsewhere."""
        roles = self.roles or []
        return col < len(roles) and roles[col] == "marks" and col < len(self.labels) and bool(compact(self.labels[col])) \
            and not bare_name(self.labels[col])  # (項目 over the marks and the names: who acts)

    def _tag_column(self, col: int) -> bool:
        """A column of its own for one 区分 (新規 | 継続 …, ticked ○): its marks are no actor. (A 区分 column
        of marks, as 対馬's ◎ / ●, names no tag and is one.)"""
        roles = self.roles or []
        return col < len(roles) and roles[col] == "tags" and col < len(self.labels) and bool(cell_tags(self.labels[col]))

    def _data_row(self, cells: list[str | None], source: Source) -> None:
        values: dict[str, str] = {}
        hierarchy: list[str] = []
        schedule: dict[str, str] = {}
        status: list[str] = []
        kpi: dict[str, str] = {}
        row_marks: list[str] = []
        relations: list[tuple[str, str]] = []  # (policy, mark) of a matrix's ◎ / ○ columns
        tag_cells: list[str] = []
        number = ""
        number_weak = False  # whether number came from a column a heading's word heads
        spanned: tuple[int, str] | None = None  # (column, stage) of the last schedule cell of this row
        aligned = list(self._align(cells))
        if not any(role == "name" and cell for _, role, cell in aligned) \
                and any(compact(cell) in _TOTAL_NAMES for _, _, cell in aligned if cell):
            return  # 合計 | | | 11,500 | 13,500: the totals of a 事業費 table, not the measure above's
        # a measure's own row (its name or content its own), not the lower row of one merged down
        named = any(role in ("name", "content") and cell is not None for _, role, cell in aligned)
        # a row of results under the measure's row of plans (区分 計画 / 実績, a year per column): its years'
        # cells are what was done, not stages of the schedule
        results = next((compact(cell) for _, role, cell in aligned if role == "tags" and cell
                        and compact(cell) in RESULT_ROWS), None)
        for col, role, cell in aligned:
            label = self.labels[col] if 0 <= col < len(self.labels) else ""
            if role == "schedule" and cell is None and spanned is not None and spanned[0] == col - 1:
                cell = spanned[1]  # merged across the years (検討 | 実施 over 令和7–8): each year's stage
            if role == "schedule":
                spanned = (col, cell) if cell else None
            if role in ("hierarchy", "departments", "actor") and col >= 0:
                if cell is None or (role == "hierarchy" and not cell) or compact(cell) in DITTO:
                    cell = self.last_values.get(col)  # merged down (or written once for its group)
                else:
                    self.last_values[col] = cell
            elif role in ("tags", "schedule") and col >= 0:
                if cell is None and named:
                    cell = self.last_values.get(col)  # a 区分 or a year's stage merged down beside several measures
                elif cell is not None:
                    self.last_values[col] = cell
            if not cell:
                continue
            text = join_wrapped(cell)
            if role == "hierarchy":
                heading, heading_tags = extract_tags(text.lstrip("■◆ "))
                hierarchy.append(heading)
                tag_cells.extend(heading_tags)
            elif role == "schedule" and results:
                status.append(f"{label} {results}：{text}")
            elif role == "schedule":
                schedule[label] = text
            elif role in ("status", "origin") and (ticked := _ticked_result(label, text)) is not None:
                status.append(ticked)  # 今後の方向性 | 見直し ticked ○: 今後の方向性：見直し
            elif role in ("status", "origin"):
                status.append(f"{label}：{text}" if label else text)
            elif role == "kpi":
                kpi[label] = text
            elif role == "number":
                # (of two, the measure's: 取組 1-1 over its 施策's 1; else the first, No over 施策番号)
                weak = label_role(label) == "hierarchy"
                if not number or (number_weak and not weak):
                    number, number_weak = text, weak
            elif role == "marks":
                row_marks.append(f"{label}{text}" if label else text)
            elif role == "relation":
                relations.append((label.split(" ")[-1], compact(text)))
            elif role == "tags":
                # a mark under a column of its own per 区分 (新規 | 継続 | 拡充 with ○): the column's tag
                tag_cells.append(label if _ticked(text) and cell_tags(label) else text)
            elif role == "departments" and role in values:
                values[role] = f"{values[role]}\n{cell}"  # 主担当課 | 関係課: the measure's departments, both
            elif role in ("name", "content", "departments", "actor") and role not in values:
                values[role] = cell
        if relations:
            # The policy marked strongest (◎ over ○) is the measure's; every mark is kept as printed.
            main = min(relations, key=lambda r: min(RELATION_MARKS.find(c) for c in r[1]))
            hierarchy.append(main[0])
            row_marks.extend(f"{policy}：{mark}" for policy, mark in relations)
        base, measure_heading = self.path()
        path = [*base, *hierarchy]
        if hierarchy:
            measure_heading = False
        raw_name = values.get("name", "")
        names = self._split_bullets(raw_name) if raw_name else [""]
        for raw in names:
            self._table_item(raw, values, path, measure_heading, source, number=number, schedule=schedule,
                             status=status, kpi=kpi, row_marks=row_marks, tag_cells=tag_cells)

    def _split_bullets(self, cell: str) -> list[str]:
        """Several bulleted lines in one name cell: one item each; so are lines numbered alike (①…⏎②…⏎③…,
        a 施策の体系 table's 取組 cell), each with its number."""
        lines: list[str] = []
        for line in (line.strip() for line in cell.split("\n")):
            if line and lines and numbering(line) is None and numbering(lines[0]) is not None:
                lines[-1] = join_wrapped(f"{lines[-1]}\n{line}")  # (a bullet's text wrapped in a PDF's narrow cell)
            elif line:
                lines.append(line)
        bullets = [numbering(line) for line in lines]
        if len(lines) >= 2 and all(b is not None and b.kind.startswith("bullet") for b in bullets):
            return [b.text for b in bullets if b is not None]
        if len(lines) >= 2 and all(b is not None and b.text and b.kind == bullets[0].kind  # type: ignore[union-attr]
                                   and not b.kind.startswith(("bullet", "mark")) for b in bullets):
            return lines
        return [cell]

    def _table_item(self, raw_name: str, values: dict[str, str], path: list[str], measure_heading: bool,
                    source: Source, *, number: str, schedule: dict[str, str], status: list[str],
                    kpi: dict[str, str], row_marks: list[str], tag_cells: list[str]) -> None:
        content = join_wrapped(values.get("content") or "")
        if not content and raw_name:
            explained = _explained(raw_name, paragraphs=not self.cjk_spaces)
            if explained is not None:
                raw_name, content = explained
        actor, name = split_mark(join_wrapped(raw_name))
        mark_cell = (values.get("actor") or "").strip()
        if actor is None and mark_cell[:1] in ACTOR_MARKS:
            actor = ACTOR_MARKS[mark_cell[0]]
        if actor is None and content[:1] in ACTOR_MARKS:
            actor, content = split_mark(content)
        actor = self._legend_actor(actor, raw_name or mark_cell)
        if is_numeric(name):
            name = ""  # an amount, a number or a date is never a name
        num = numbering(name) if name else None
        if num is not None and not num.kind.startswith(("bullet", "mark", "md")):
            number, name = number or num.number, num.text
        elif num is not None and num.kind == "bullet" and num.number not in (*self.legend, *"-－*＊"):
            name = num.text  # ・ ○ as a bullet, not a mark the legend defines (nor -, *: a cell may begin so)
        name, name_tags = extract_tags(name)
        if _NONE_ROW.match(compact(name)):
            return  # （該当する事業なし）: a pillar's place left to fill (plandraft's own draft), no measure
        if compact(name) in _TOTAL_NAMES and not content:
            return  # the 合計 / 小計 row of a 事業費 column
        content, content_tags = extract_tags(content)
        tags = [t for cell in tag_cells for t in cell_tags(cell)]
        lead = join_wrapped(raw_name).strip()[:1]
        if lead in self.legend and (legend_tag := marks_mod.tag_of(self.legend[lead])):
            tags.append(legend_tag)  # ★市民協働センターの機能拡充 under 凡例 ★：重点的に取り組む事業
        departments = list(_dedupe(split_departments(values.get("departments") or "",
                                                     rejoin_wrapped=self.cjk_spaces))) or list(self.banner)
        measure_tags = self.stack[-1].tags if self.stack and measure_heading else []
        prev_item = self.items[-1] if self.items else None
        if (name and prev_item is not None and prev_item.kind == "table" and prev_item.number and not number
                and not (departments or tags or name_tags or schedule or status or kpi or actor)
                and source.page is not None and prev_item.source.page == source.page - 1
                and source.path == prev_item.source.path
                # (under the same header and headings: not the first row of a table with a header and
                # a heading of its own at the top of the next page)
                and prev_item.header == self.headers_read and path == prev_item.path):
            # The rest of a numbered row cut by a page break (地域づくりリーダー養 | 成講座 on the next page,
            # the number and the other cells printed with the first half only): it continues that row.
            prev_item.name = join_wrapped(f"{prev_item.name}\n{name}")
            prev_item.content = join_wrapped(f"{prev_item.content}\n{content}") if content else prev_item.content
            return
        if not name and actor is None and self.items and (content or departments or schedule or status or kpi) \
                and "name" in (self.roles or []):
            # A row split by a page break, or the lower row of an item whose name is merged down over two
            # (a year's stage, a second indicator in it): it continues the item above.
            prev = self.items[-1]
            prev.content = join_wrapped(prev.content + "\n" + content) if content else prev.content
            prev.departments = list(_dedupe(prev.departments + departments))
            prev.tags = list(_dedupe(prev.tags + content_tags))
            for label, stage in schedule.items():
                prev.schedule.setdefault(label, stage)
            prev.status = list(_dedupe(prev.status + status))
            if kpi:
                prev.kpis.append(dict(kpi))
            return
        if not name and content and "name" not in (self.roles or []):
            name = self._short_name(content)
        if not name and not content:
            return
        self.ev.table_items += 1
        self.items.append(_Draft(
            path=path, name=name, content=content, departments=departments, actor=actor,
            tags=list(_dedupe(measure_tags + name_tags + content_tags + tags)), source=source,
            measure_heading=measure_heading, number=number, schedule=dict(schedule), status=list(status),
            kpis=[dict(kpi)] if kpi else [], marks=list(row_marks), header=self.headers_read))

    def _short_name(self, content: str) -> str:
        """The name of a measure written only as its content: the content itself when short, else
        its first sentence (the full text stays in content)."""
        if len(content) <= self.settings.name_max_chars:
            return content
        first = re.split(r"(?<=。)", content, maxsplit=1)[0]
        return first[: self.settings.name_max_chars]

    def _legend_actor(self, actor: Actor | None, raw: str) -> Actor | None:
        """A mark whose legend says something else (★＝重点事業) is not an actor."""
        mark = raw.strip()[:1]
        meaning = self.legend.get(mark)
        if actor is not None and meaning is not None:
            return marks_mod.actor_of(meaning)
        return actor

    # -- label | value sheets ---------------------------------------------------------------
    def _record(self, rows: list[tuple[list[str | None], Source]],
                before: tuple[str, Source, bool, bool] | None = None) -> bool:
        """A one-measure-per-sheet layout: label | value rows make one item (more if a sheet names
        several); its KPI rows go to the item. True if rows were one. With no name row, the line just
        before the table (before) names it where it reads as a name (龍ケ崎市's 協働事業: the project's
        name, then 実施団体・協働事業担当課 | …, 内容 | …, 提案年度・実施年度 | …)."""
        def label_row(cells: list[str | None]) -> tuple[str, str, str] | None:
            filled = [(i, c) for i, c in enumerate(cells) if c]
            if len(filled) != 2 or filled[0][0] != 0:
                return None
            label = compact(filled[0][1])
            role = label_role(label)
            if role is None or is_numeric(label) or len(label) > 40:
                return None
            value = join_wrapped(filled[1][1])
            if role == "schedule" and not compact(value).endswith(_TITLE_ENDS):
                return role, label, value  # 令和6年度 | 検討: the sheet's year columns
            if role == "status" and YEAR_LABEL.match(label) and label_like(YEAR_LABEL.sub("", label, count=1).removeprefix("の")):
                return role, label, value  # 令和5年度の取組実績 | …: the year's results
            if parse_fiscal_year(label) or label.endswith(_TITLE_ENDS):
                return None  # the sheet's title (令和4年度 事務事業評価シート), not a label
            return role, label, value

        rows = [pair for row in rows for pair in _label_pairs(row)]
        labelled = [label_row(c) for c, _ in rows]
        count = sum(1 for x in labelled if x)
        names = sum(1 for x in labelled if x and x[0] == "name")
        opening = next((x for x in labelled if x), None)
        if count < self.settings.record_min_labels or count < 0.5 * len(rows) or (
                opening is not None and opening[0] == "name" and label_like(opening[2]) and label_role(opening[2])):
            # (事業名 | 担当課 over 市民活動支援事業 | 協働推進課: a header over a list of measures, no sheet)
            return False
        named = self._name_above(before, labelled) if names == 0 else None
        # (a sheet's second table of labels right under its first, 事業の目的 | … under 事務事業名 | …: the
        # same measure's)
        going_on = (names == 0 and named is None and before is None and self.record_item is not None
                    and count == len(rows)  # (every row a label's: a title row would name a measure of its own)
                    and self.record_item == len(self.items) - 1 and self._record_table == rows[0][1].table - 1
                    if rows[0][1].table is not None and self._record_table is not None else False)
        if names == 0 and named is None and not going_on:
            return False
        base, _ = self.path()
        draft: _Draft | None = None
        if named is not None:
            draft = _Draft(path=list(base), name=named[0], content="", departments=[], actor=None,
                           tags=list(named[2]), source=named[1], kind="record")
        elif going_on:
            draft = self.items.pop()
            self.ev.table_items -= 1
        depts: list[tuple[str, str]] = []
        kpi_labels: list[str] | None = None

        def finish() -> None:
            nonlocal draft, depts
            if draft is None:
                return
            chosen = [v for lab, v in depts if "課" in lab] or [v for _, v in depts]
            draft.departments = list(_dedupe([*draft.departments, *(d for v in chosen for d in split_departments(v))]))
            if not draft.name and draft.content:
                draft.name = self._short_name(draft.content)
            if draft.name:
                self.items.append(draft)
                self.record_item = len(self.items) - 1
                self.ev.table_items += 1
                self._record_table = rows[-1][1].table
            draft, depts = None, []

        year_labels: dict[int, str] = {}  # a 年次計画 row's year columns (column → 令和6年度)
        for (cells, src), lab in zip(rows, labelled):
            target = draft if draft is not None else (self.items[-1] if self.items else None)
            first = compact(cells[0] or "") if cells else ""
            planned = first in _PLAN_ROWS
            if (year_labels and target is not None and (not first or planned or first.startswith(RESULT_ROWS))
                    and any(cells[i] for i in year_labels if i < len(cells))):
                # a row under the sheet's 年次計画 | 令和6年度 | …: the measure's stages, or (実績) its results
                for i, year in year_labels.items():
                    cell = join_wrapped(cells[i] or "") if i < len(cells) else ""
                    if cell and first and not planned:
                        target.status.append(f"{year}{first}：{cell}")
                    elif cell:
                        target.schedule[year] = cell
                continue
            year_labels = {}
            if lab is None:
                roles = _header_roles([c or "" for c in cells])
                filled = [join_wrapped(c) for c in cells if c]
                years = schedule_mod.year_columns([compact(c or "") for c in cells], roles or [])
                if len(years) >= 2 and (not first or label_role(first) == "schedule") and "kpi" not in (roles or []) \
                        and "amount" not in (roles or []):
                    # (年次計画 | 令和6年度 | …, not 成果指標 | 令和6年度 | … or 事業費 | 令和6年度 | …)
                    year_labels = {i: compact(cells[i] or "") for i in years}
                    continue
                if roles is not None and "kpi" in roles:
                    kpi_labels = [compact(c) for c in cells]
                    self.header_cells.extend(x for x in kpi_labels if x)
                elif kpi_labels is not None and (draft is not None or self.items):
                    kpi = {kpi_labels[i]: join_wrapped(c) for i, c in enumerate(cells)
                           if c and i < len(kpi_labels) and kpi_labels[i]}
                    target = draft if draft is not None else self.items[-1]
                    if kpi:
                        target.kpis.append(kpi)
                elif draft is None:
                    self.lines.extend(filled)  # the sheet's title and city
                continue
            role, label, value = lab
            if role == "name":
                if draft is not None and draft.name:
                    finish()
                if draft is None:
                    draft = _Draft(path=list(base), name="", content="", departments=[], actor=None, tags=[],
                                   source=src, kind="record")
                name, tags = extract_tags(value)
                draft.name, draft.source = name, src
                draft.tags.extend(tags)
                continue
            if draft is None:
                draft = _Draft(path=list(base), name="", content="", departments=[], actor=None, tags=[],
                               source=src, kind="record")
            if role == "content":
                draft.content = join_wrapped(f"{draft.content}\n{value}") if draft.content else value
            elif role == "departments":
                depts.append((label, _department_lines(next(c for c in cells[1:] if c), value)))
            elif role == "hierarchy":
                draft.path.append(value)
            elif role == "number":
                draft.number = draft.number or value
            elif role == "year":
                if "対象" in label:
                    self.header_cells.insert(0, value)
                draft.schedule[label] = value
            elif role == "schedule":
                draft.schedule[label] = value
            elif role == "tags" and cell_tags(value):
                draft.tags.extend(t for t in cell_tags(value) if t not in draft.tags)
            elif role in ("status", "kpi", "target", "tags", "amount", "origin"):
                draft.status.append(f"{label}：{value}")
        finish()
        return True

    def _name_above(self, before: tuple[str, Source, bool, bool] | None,
                    labelled: list[tuple[str, str, str] | None]) -> tuple[str, Source, list[str]] | None:
        """The name a label | value table without a name row has in the line printed just above it,
        that line's source and its 区分 tags (…【新規】); the line leaves the headings or the content it went to. None where
        there is no such line, or it reads as no name (a sentence, a label line, a sheet's title, a
        heading of the document's parts), or the table holds no content."""
        if before is None or not any(x and x[0] == "content" for x in labelled):
            return None
        text, source, made_node, into_content = before
        name, tags = extract_tags(text)
        pair = label_line(name)  # (名前：副題 is a name; 担当課：… is a label)
        if (len(name) > self.settings.name_max_chars or is_sentence(name) or attribute_role(name) is not None
                or (pair is not None and attribute_role(pair[0]) is not None)
                or compact(name).endswith(_TITLE_ENDS) or parse_fiscal_year(name)
                or non_measure_section(name) or POLICY_RE.match(name)):
            return None
        if made_node:
            node = self.nodes[-1]
            if node.children or node.text != text and numbering(text) is None:
                return None
            index = len(self.nodes) - 1
            self.stack = [h for h in self.stack if h.node != index]
            del self.nodes[index]
            num = numbering(name)
            name = num.text if num is not None and num.text else name
        elif into_content:
            node = self.nodes[-1]
            if not node.kind.startswith(_HEADING_KINDS):
                return None  # a measure's own sentence (① 名前 / its content / its table): not the table's name
            node.content.pop()
        return name, source, tags

    # -- document -----------------------------------------------------------------------------
    def feed(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            if block.is_row:
                self.row(block)
            else:
                self.line(block)
        self._flush_table()

    def _folded_labels(self) -> dict[int, int]:
        """The 'label：value' lines read as nodes that describe their item after all (index → the item's
        index): a short label (現状と課題, 重点, KPI: short_label) with nothing under it, under a numbered item
        or a heading. Not when bulleted like the measures: bullets (● ◎ ・ …), each with its own label,
        under headings (■ 啓発の推進 / ● 出前講座：… / ◎ フォーラム：…) are measures of their own."""
        def heading_like(node: _Node) -> bool:
            return node.kind.startswith(_HEADING_KINDS)

        measure_labels: dict[str, list[str]] = {}  # heading kind → the labels of the bullets under it
        candidates: list[tuple[int, _Node, str]] = []
        for index, node in enumerate(self.nodes):
            pair = label_line(node.text) if node.label_line and not node.children else None
            if pair is None or node.parent is None:
                continue
            parent = self.nodes[node.parent]
            if node.kind.startswith("bullet") and heading_like(parent):
                measure_labels.setdefault(parent.kind, []).append(compact(pair[0]))
            if short_label(pair[0]):
                candidates.append((index, node, compact(pair[0])))
        folded: dict[int, int] = {}
        for index, node, label in candidates:
            parent_node = self.nodes[node.parent]  # type: ignore[index]
            labels = measure_labels.get(parent_node.kind, []) if node.kind.startswith("bullet") else []
            if len(labels) >= 2 and labels.count(label) == 1:
                continue  # one of several bullets, each naming a measure
            folded[index] = node.parent  # type: ignore[assignment]
        return folded

    def _nest_bullets(self) -> None:
        """Bullets of two kinds under one heading, as plans nest them without numbers (◎ 協働の意識づくり
        / ・協働出前講座の開催 / ・広報紙での特集 / ◎ 協働の仕組みづくり / ・…): the lines of the first
        kind are headings of the plain bullets after them, not measures. Only where every line of the
        first kind is a short title followed by at least one plain bullet, the sub-bullets are plain
        (・ -), and neither kind is a mark the legend defines (◎＝市民と市が主体 marks measures)."""
        groups: dict[int | None, list[int]] = {}
        for index, node in enumerate(self.nodes):
            groups.setdefault(node.parent, []).append(index)
        for members in groups.values():
            nodes = [self.nodes[i] for i in members]
            if len(nodes) < 2 or not all(n.kind.startswith("bullet") and not n.children for n in nodes):
                continue
            top, low = nodes[0].number, next((n.number for n in nodes if n.number != nodes[0].number), None)
            if (low is None or low not in _SUB_BULLETS or top not in _TOP_BULLETS or top in self.legend
                    or low in self.legend or {n.number for n in nodes} != {top, low}):
                continue
            heads = [k for k, n in enumerate(nodes) if n.number == top]
            ends = [*heads[1:], len(nodes)]
            if any(end - start < 2 for start, end in zip(heads, ends)):
                continue  # a heading with no bullet under it: the two kinds are marks of one level
            if any(n.content or n.attributes or n.label_line or len(n.text) > 30 or n.text.endswith("。")
                   for n in (nodes[k] for k in heads)):
                continue
            for start, end in zip(heads, ends):
                head_index = members[start]
                head = self.nodes[head_index]
                for k in range(start + 1, end):
                    sub = self.nodes[members[k]]
                    if sub.parent is not None:
                        self.nodes[sub.parent].children -= 1
                    sub.parent = head_index
                    sub.path = [*head.path, head.text]
                    head.children += 1

    def _fold_points(self) -> dict[int, list[str]]:
        """A measure printed with its points listed under it (①協働コーディネーター養成講座【拡充】（市民協働課）
        / 次のような内容で実施します。/ ア 基礎講座 / イ 実践講座 / ウ フォローアップ研修): the points are
        part of its content, not measures in its place. Only where the line marks itself a measure (a
        区分 tag or a department at its end), is no heading, and none of the lines under it is marked
        so, has lines under it or is long. Returns host index → its points as printed; the points'
        nodes are left childless and counted out of their host."""
        under: dict[int, list[int]] = {}
        for index, node in enumerate(self.nodes):
            if node.parent is not None:
                under.setdefault(node.parent, []).append(index)
        points: dict[int, list[str]] = {}
        # the kinds of numbering the document's measures are printed with: those of a line with a sentence
        # of its own and nothing under it
        measure_kinds = {n.kind for n in self.nodes if not n.children and n.content}
        for host, members in under.items():
            node = self.nodes[host]
            subs = [self.nodes[i] for i in members]
            # A 区分 tag, or a department and a sentence leading into the points (次のような内容で実施します):
            # a department alone also ends headings of measures ((1) 協働意識の醸成（市民協働課） / ① …).
            marked = bool(TAG_RE.search(node.text)) or (bool(node.content) and _ends_in_department(node.text))
            # ... or a ① measure with a sentence of its own and ・ points under it, beside a ② with none
            # (a measure that has points, among measures: not a heading of measures)
            dotted = (node.kind == "circled" and bool(node.content) and node.kind in measure_kinds
                      and all(sub.kind.startswith("bullet") and sub.number == "・" for sub in subs))
            if node.kind.startswith(_HEADING_KINDS) or not (marked or dotted):
                continue
            if any((sub.kind not in _POINT_KINDS and not dotted) or sub.children or (sub.attributes and not dotted)
                   or sub.label_line or len(sub.text) > _POINT_CHARS or _marked_measure(sub.text) for sub in subs):
                continue
            for sub in subs:  # (【担当課】… after the points: the measure's)
                node.attributes.extend(sub.attributes)
                sub.attributes = []
            points[host] = [f"{sub.number} {join_wrapped(chr(10).join([sub.text, *sub.content]))}".strip()
                            for sub in subs]
            node.children = 0
        return points

    def _outline_items(self) -> list[_Draft]:
        """Numbered and bulleted lines with nothing numbered under them, in a group of siblings none of
        which has lines under it, outside sections that are not measures (趣旨, 手順, 凡例 …)."""
        self._nest_bullets()
        points = self._fold_points()
        pointed = {i for i, node in enumerate(self.nodes) if node.parent in points}
        folded = self._folded_labels()
        children = [node.children for node in self.nodes]
        attributes = [list(node.attributes) for node in self.nodes]
        for index, host in sorted(folded.items()):
            children[host] -= 1
            label, value = label_line(self.nodes[index].text) or ("", "")
            attributes[host].append((label, join_wrapped("\n".join([value, *self.nodes[index].content]))))
        group_has_children: dict[tuple[int | None, str], bool] = {}
        for index, node in enumerate(self.nodes):
            key = (node.parent, node.kind)
            group_has_children[key] = group_has_children.get(key, False) or children[index] > 0
        out: list[_Draft] = []
        for index, node in enumerate(self.nodes):
            if index in folded or index in pointed or children[index] or group_has_children[(node.parent, node.kind)]:
                continue
            if node.kind.startswith("style") and (node.kind == "style0" or not any(
                    attribute_role(label) == "departments" for label, _ in node.attributes)):
                continue  # (a Word 見出し with its own 担当課：… line under it is a measure, not a heading)
            if any(non_measure_section(h) for h in node.path):
                continue
            if out and any(CLOSING_CHAPTER.match(compact(h)) for h in node.path) and not any(
                    CLOSING_CHAPTER.match(compact(h)) for d in out for h in d.path):
                continue  # (第5章 計画の推進 after the measures: 1 推進体制, 2 進行管理 are how they are carried out)
            if (node.content and not node.kind.startswith("bullet") and not node.attributes
                    and (compact(node.text).endswith(FRONT_SECTIONS)
                         or (node.parent is None and not node.path and _ABOUT_END.search(compact(node.text))))):
                continue  # 1 計画策定の趣旨 / 2 計画期間 / 1 実施計画について with their paragraphs: the front chapter
            text, name_tags = extract_tags(node.text)
            marks: list[str] = []
            tags: list[str] = [*node.tags, *name_tags]
            actor: Actor | None = None
            if node.kind.startswith("bullet") and node.number in marks_mod.WORD_MARKS and node.number in self.legend:
                tags.append(marks_mod.tag_of(self.legend[node.number]) or node.number)  # 新 … → 新規
            elif node.kind.startswith("bullet") and node.number in self.legend:
                text = f"{node.number}{text}"  # the bullet is a mark the legend defines (●＝市が主体)
            while text and text[0] in marks_mod.MARK_CHARS:
                mark, text = text[0], text[1:].strip()
                meaning = self.legend.get(mark)
                if meaning is None:
                    marks.append(mark)
                    continue
                actor = actor or marks_mod.actor_of(meaning)
                tag = marks_mod.tag_of(meaning)
                if tag:
                    tags.append(tag)
                elif marks_mod.actor_of(meaning) is None:
                    marks.append(mark)
            departments: list[str] = []
            schedule: dict[str, str] = {}
            status: list[str] = []
            kpis: list[dict[str, str]] = []
            # 主要事業 lines: ○市民活動支援事業〈市民協働課〉拡充 420万円 (department, 区分 word and amount last)
            amount = _TRAILING_AMOUNT.search(text)
            if amount and len(text) - len(amount.group(0)) >= 2:
                status.append(f"事業費：{amount.group(1)}")
                text = text[: amount.start()].strip()
            bare_tag = _TRAILING_TAG.search(text)
            if bare_tag and _TRAILING_DEPT.search(text[: bare_tag.start()]):
                tags.append(bare_tag.group(1))
                text = text[: bare_tag.start()].strip()
            m = _TRAILING_DEPT.search(text) or _named_department(text)
            if m and len(text) - len(m.group(0)) >= 2:
                departments = split_departments(m.group(1))
                text = text[: m.start()].strip()
            text, inline = split_name_content(text)
            content = join_wrapped("\n".join([inline, *node.content]) if inline else "\n".join(node.content))
            noted = _BRACKETED_DEPT.search(content)
            if noted and _department_label(noted):
                # …つくります。（担当課：市民協働課）: the department printed at the end of the sentence
                departments = [*departments, *split_departments(noted.group(1))]
                content = content[: noted.start()].rstrip()
            if index in points:  # its points after its own words, one after another as printed
                content = "　".join([c for c in (content, *points[index]) if c])
            for label, value in attributes[index]:
                role = attribute_role(label) or label_role(label)
                if role == "departments":
                    departments.extend(split_departments(value))
                elif role == "content" and not content:
                    content = value
                elif role == "tags":
                    tags.extend(cell_tags(value))
                elif role == "schedule":
                    schedule[compact(label)] = value
                elif role == "kpi":
                    kpis.append({compact(label): value})
                elif role == "status":
                    status.append(f"{compact(label)}：{value}")
            if not text or len(text) > 120:
                continue
            out.append(_Draft(path=list(node.path), name=text, content=content, departments=departments,
                              actor=actor, tags=list(_dedupe(tags)), source=node.source,
                              measure_heading=node.measure_heading, number=node.number, marks=marks,
                              kind="outline", schedule=schedule, status=status, kpis=kpis, after_node=index))
        return out

    def _overview_tables(self, drafts: list[_Draft], others: Sequence[_Draft]) -> list[_Draft]:
        """drafts without the rows of an overview table (施策の体系: 基本目標 | 施策 | 主な取組, names and
        headings only) whose measures others (a table of them, or numbered lines) print in full: each
        of those gives its headings to its measure (where the overview's tell the measures apart better
        than their own, or a measure has none), and is not a second item. An overview is a table with 2 rows or more that all have a name and nothing but headings,
        MATCH_SHARE of them the same name as one measure in others; its other rows stay items."""
        by_table: dict[tuple[str, int | None], list[int]] = {}
        for i, d in enumerate(drafts):
            if d.kind == "table":
                by_table.setdefault((d.source.path, d.source.table), []).append(i)
        # The measures printed in full, by name (never an overview's own rows: those are bare).
        keys: dict[str, list[_Draft]] = {}
        for d in others:
            if d.content or d.departments or d.schedule or d.status:
                keys.setdefault(schedule_mod.name_key(d.name), []).append(d)
        dropped: set[int] = set()
        for rows in by_table.values():
            if len(rows) < 2 or not all(_bare(drafts[i]) or drafts[i].read_bare for i in rows):
                continue
            own = {id(drafts[i]) for i in rows}  # (a row is never its own measure printed in full)
            found = {i: [d for d in keys.get(schedule_mod.name_key(drafts[i].name), []) if id(d) not in own]
                     for i in rows}
            # (a measure printed twice, once as 再掲: the overview's row is the first's)
            found = {i: ds if len(ds) < 2 else [d for d in ds if "再掲" not in d.tags] or ds for i, ds in found.items()}
            pairs = [(i, ds[0]) for i, ds in found.items() if len(ds) == 1]
            if len(pairs) < schedule_mod.MATCH_SHARE * len(rows):
                continue
            dropped.update(i for i, ds in found.items() if len(ds) > 1)
            # The overview's headings where it tells the measures apart better than their own place
            # does (one caption 具体的な取組 over them all), else only where a measure has none.
            # (Without the headings above the whole overview, its caption 施策の体系.)
            shared = len(_common_prefix([drafts[i].path for i in rows]))
            finer = len({tuple(drafts[i].path) for i, _ in pairs}) > len({tuple(d.path) for _, d in pairs})
            for i, d in pairs:
                if finer or not [p for p in d.path if p]:
                    d.path, d.measure_heading = list(drafts[i].path[shared:] or drafts[i].path), False
                d.number = d.number or drafts[i].number
                # what a later table of stages gave the overview's row (取組名 | 担当課 | R6 …) is the measure's
                d.schedule = d.schedule or drafts[i].schedule
                d.departments = d.departments or drafts[i].departments
                d.status = d.status or drafts[i].status
                dropped.add(i)
        return [d for i, d in enumerate(drafts) if i not in dropped]

    def _with_untabled_measures(self, drafts: list[_Draft]) -> list[_Draft]:
        """A plan whose measures are in tables in some parts and numbered lines in others (基本方針1 a
        table, 基本方針2 ①② with their 担当課): drafts with the numbered measures of the parts no table is
        under, in document order. Such a line counts where it has a department or a 区分 of its own, its
        top heading has no table under it, and neither has it or a heading above it (a table plan's
        numbered lines are the headings of its tables; a measure's own table of stages holds it)."""
        held: set[int] = set()
        for d in drafts:
            node = self.nodes[d.table_node] if d.table_node >= 0 else None
            # (not the line before the table where it is in another part: 基本方針2's table after 基本方針1's ②)
            if node is not None and not (node.path and node.path[:1] != d.path[:1]):
                held.update(self._lineage(d.table_node))
        parts = {tuple(d.path[:1]) for d in drafts}  # the top headings tables are under (施策1 …)
        if () in parts:
            return drafts  # (a table before any heading: the whole document is the table's)
        extra = [o for o in self._outline_items()
                 if held.isdisjoint(self._lineage(o.after_node)) and tuple(o.path[:1]) not in parts
                 and (o.departments or o.tags)]
        if not extra:
            return drafts
        self.ev.outline_items = len(extra)
        placed = [(d.table_node if d.table_node >= 0 else d.after_node, 1, n, d) for n, d in enumerate(drafts)]
        placed += [(o.after_node, 0, n, o) for n, o in enumerate(extra)]
        return [d for *_, d in sorted(placed, key=lambda x: x[:3])]

    def document(self, *, path: str, sha256: str, fmt: str, pages: int | None, id_prefix: str) -> Document:
        drafts = self._overview_tables(list(self.items), self.items)
        overview_only = bool(drafts) and all(d.kind == "table" and (_bare(d) or d.read_bare) for d in drafts)
        if all(d.kind == "guessed" for d in drafts) or overview_only:
            # Measures outside tables: only where no table holds them (a table plan's ■ lines are headings)
            # or the tables are an overview of them (施策の体系 before the measures as numbered lines).
            # Rows read from tables with no header stand beside them in document order, never for them
            # (a glossary that looked like measures would otherwise take every measure's place).
            outline = self._outline_items()
            if overview_only:
                rest = self._overview_tables(drafts, outline)
                outline, drafts = (outline, rest) if len(rest) < len(drafts) else ([], drafts)
            self.ev.outline_items = len(outline)
            rows = self.outline_schedules
            for row, i in zip(rows, schedule_mod.match_rows(rows, [(d.number, d.name) for d in outline])):
                if i is not None:
                    self._merge_schedule(row, outline[i])
            drafts = sorted([*outline, *drafts], key=lambda d: (d.after_node, d.kind == "guessed"))
        else:
            drafts = self._with_untabled_measures(drafts)
        self.ev.pages = pages
        self.ev.lines = len(self.lines)
        self.ev.items = len(drafts)
        items = tuple(self._item(f"{id_prefix}-{n:03d}", d) for n, d in enumerate(drafts, start=1))
        period = plan_period(self.lines)
        fiscal_year = guess_fiscal_year(self.lines, self.header_cells)
        if period and (fiscal_year is None or fiscal_year.year == period[1].year - 1):
            fiscal_year = period[1]  # (none, or the cover's 令和7年3月: the month before the plan's first year)
        plan_like, warnings = verdict(self.ev, self.lines[:8], self.settings)
        return Document(
            path=path,
            sha256=sha256,
            title=guess_title(self.lines, path),
            city=guess_city(self.lines, self.cells_text),
            fiscal_year=fiscal_year,
            items=items,
            format=fmt,
            pages=pages,
            plan_like=plan_like,
            warnings=tuple(warnings),
            period=period[0] if period else None,
        )

    @staticmethod
    def _item(item_id: str, d: _Draft) -> Item:
        path = [p for p in d.path if p]
        # (the chapter a plan's measures are printed in, 第4章 具体的な取組, is not their policy where a
        # heading under it is)
        start = next((k for k, p in enumerate(path) if not _CHAPTER.match(p)), 0)
        if start and len(path) - start < 2 and not _is_policy_heading(path[start]):
            start = 0  # 第5章 … / 5-2 …: the chapter is all the plan says above its measures' heading
        headings = path[start:]
        if d.measure_heading and headings:
            measure, policy = headings[-1], (headings[0] if len(headings) > 1 else "")
        else:
            policy = headings[0] if headings else ""
            measure = headings[-1] if len(headings) > 1 else ""
        return Item(
            id=item_id, policy=policy, measure=measure, name=d.name, content=d.content,
            departments=tuple(d.departments), actor=d.actor, tags=tuple(d.tags), source=d.source,
            path=tuple(path), number=d.number, schedule=dict(d.schedule), status="; ".join(d.status),
            kpis=tuple(d.kpis), marks=tuple(_dedupe(d.marks)),
        )


def parse_blocks(
    blocks: Iterable[Block], *, path: str, sha256: str, fmt: str, pages: int | None = None, cjk_spaces: bool = False,
    settings: StructureSettings | None = None,
) -> Document:
    """Document with the items found in blocks (any reader's output)."""
    parser = StructureParser(cjk_spaces=cjk_spaces, settings=settings)
    blocks = list(blocks)
    parser.feed(blocks)
    doc = parser.document(path=path, sha256=sha256, fmt=fmt, pages=pages, id_prefix=sha256[:8] or "doc")
    return _printed_parentheses(doc, blocks)


# Parentheses around Japanese words (（仮称）, (新規採用職員向け)), not a number's ((1), （２）) or a Latin
# abbreviation's ((NPO)), which many plans print half-width whatever their text's style.
_FULL_AROUND_WORDS = re.compile(f"（[^（）\n]*[{CJK_CHARS}][^（）\n]*）")
_HALF_AROUND_WORDS = re.compile(f"\\([^()\n]*[{CJK_CHARS}][^()\n]*\\)")
# A colon beside Japanese words (テーマ:協働), not one of a URL (https://) or a time (10:00).
_COLON_BY_WORDS = re.compile(f"(?<=[{CJK_CHARS}）」』]):|:(?=[{CJK_CHARS}（「『])")


def _printed_parentheses(doc: Document, blocks: Sequence[Block]) -> Document:
    """The measures' names and contents with the parentheses and colons the document prints. Text is
    read NFKC-normalized, which makes （） and ： half-width; a plan that prints （） around its words
    (nearly all do: 6 in 7 of those parentheses or more) gets them back in what a planner reads and the
    draft repeats, and ： likewise, while a plan printed with ( ) keeps those. A number's (1) and an
    abbreviation's (NPO) stay as they are read."""
    full = half = full_colons = half_colons = 0
    for block in blocks:
        for text in (block.cells or (block.text,)):
            if text:
                full += len(_FULL_AROUND_WORDS.findall(text))
                half += len(_HALF_AROUND_WORDS.findall(text))
                full_colons += text.count("：")
                half_colons += len(_COLON_BY_WORDS.findall(text))
    parens = bool(full) and full >= 6 * half
    colons = bool(full_colons) and full_colons >= 6 * half_colons
    if not (parens or colons):
        return doc

    def printed(text: str) -> str:
        if parens:
            text = _HALF_AROUND_WORDS.sub(lambda m: "（" + m.group(0)[1:-1] + "）", text)
        return _COLON_BY_WORDS.sub("：", text) if colons else text

    items = tuple(replace(i, name=printed(i.name), content=printed(i.content), measure=printed(i.measure))
                  for i in doc.items)
    return replace(doc, items=items)


__all__ = [
    "MEASURE_MARKS", "POLICY_RE", "TAG_RE", "TAG_WORDS", "StructureParser", "extract_tags", "guess_city",
    "guess_fiscal_year", "guess_title", "header_roles", "parse_blocks", "split_departments", "split_mark",
]
