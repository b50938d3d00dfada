"""Table columns: each column's role from its header words (the longest word wins, a tie goes to the
word nearer the end, as in 事業概要 or 次年度へ向けた取組) checked against its cells (an amount, a
number or a date is never a name), and the label | value rows of one-measure-per-sheet layouts."""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from ...text.normalize import nfkc

# Words a header cell (or a label cell of a sheet) uses for each role.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("項目", "事業名", "取組名", "取り組み名", "具体的な取組", "具体的取組", "主な取組", "主な取り組み",
             "主な事業", "名称", "取組", "取り組み", "事業", "事業項目", "活動名", "プロジェクト名", "施策名称"),
    "content": ("内容", "概要", "説明", "手段", "取組内容", "取り組み内容", "事業内容", "事業概要", "実施内容",
                "活動内容", "取組の内容", "事業の概要", "具体的な内容", "事業の内容", "事業の目的"),
    "departments": ("関係部署", "担当部署", "担当課", "所管課", "主担当課", "関係課", "担当部局", "部署", "担当",
                    "所管", "所管部署", "担当部", "担当課名", "担当部名", "課名", "実施機関", "担当機関",
                    "統括課", "主管課", "施策統括課", "所属", "所属名", "担当所属"),
    "actor": ("主体", "実施主体"),
    "hierarchy": ("施策", "基本目標", "基本方針", "推進方策", "目標", "方針", "施策の方向", "取組方針", "基本施策",
                  "分野", "大分類", "中分類", "小分類", "分類", "プロジェクト", "政策", "施策の柱", "基本方向",
                  "総合計画体系", "体系", "年度", "柱", "重点項目", "方向性",
                  # (項目 alone is a measure's name; these are the levels above it)
                  "大項目", "中項目", "推進項目", "施策項目", "基本項目"),
    "tags": ("区分", "種別", "新規/継続", "新規・継続", "新規継続", "事業区分", "状況"),
    "schedule": ("実施時期", "スケジュール", "年次計画", "実施予定", "実施年度"),
    "status": ("進捗", "進捗状況", "実施状況", "実績", "評価", "達成度", "課題", "次年度", "今後の方向",
               "今後の方向性", "成果", "取組状況", "自己評価", "検証", "改善", "めざす姿", "目指す姿",
               # what was done and what comes next, where 取組 or 方向性 alone would name a measure or a heading
               "翌年度", "来年度", "今後の取組", "今後の取り組み", "取り組み状況", "取組み状況", "取組結果",
               "取り組み結果", "次年度の方向性", "今後の取組方針", "今後の方針", "達成状況",
               "今後の対応", "対応方針", "対応",
               # a committee's opinion of the measure and a sheet's evaluation viewpoints (必要性 … alone are
               # EXACT_WORDS: in a cell's sentence, 意見 or 必要性 is no label)
               "推進会議の意見", "委員会意見", "委員会の意見", "委員意見", "委員の意見", "審議会の意見",
               "推進委員会の意見", "評価委員会の意見", "事業の必要性", "事業の有効性", "事業の効率性", "事業の妥当性"),
    "kpi": ("指標", "指標名", "成果指標", "活動指標", "現状値", "目標値", "実績値", "基準値", "単位", "数値目標",
            "目標指標", "策定時", "計画策定時", "基準年度", "達成率", "計画値", "KPI"),
    "amount": ("事業費", "予算額", "予算", "決算額", "金額", "千円", "費用", "充当額", "財源", "歳出", "歳入",
               "交付金", "補助金額"),
    "number": ("番号", "No", "NO", "№", "No.", "整理番号", "コード", "事業番号", "通し番号"),
    "page": ("ページ", "頁", "掲載"),
    "year": ("開始年度", "終了年度", "対象年度", "実施期間", "計画期間", "事業期間"),
    "target": ("対象",),
    # where a measure comes from (plandraft's own draft prints the city of a 新規候補: 構成案（安城市の事例）)
    "origin": ("出典",),
}
# Single characters that are a role only as the whole cell (款 | 項 | 目 of a budget, № …).
EXACT_WORDS = {"款": "code", "項": "code", "目": "code", "節": "code", "No": "number", "NO": "number",
               "№": "number", "#": "number", "番": "number", "頁": "page",
               # a column of its own per 区分, marked ○ where it applies
               "新規": "tags", "継続": "tags", "拡充": "tags", "充実": "tags", "廃止": "tags", "完了": "tags",
               "重点": "tags", "必要性": "status", "有効性": "status", "効率性": "status", "妥当性": "status"}
# A schedule column's header: a fiscal year or a term (R6, 令和6年度, H27, 2024年度, 前期, 短期 …).
YEAR_LABEL = re.compile(
    r"^(?:(?:令和|平成|昭和)\s*(?:\d{1,2}|元)\s*(?:年度?)?|[RHrh]\s*\d{1,2}\s*(?:年度?)?|(?:19|20)\d\d\s*(?:年度?)?"
    r"|前期|中期|後期|短期|長期)"
)
# A word and the year it is of in brackets after it (実績（令和5年度）, 目標(R7)); the closing bracket is
# stripped with the label's ends
_YEAR_IN_BRACKETS = re.compile(r"^([^(（]+?)[(（]([^()（）]+)[)）]?$")
# A 区分 cell that makes its row the results of the measure's years (the row under its 計画 row)
RESULT_ROWS = ("実績", "結果", "進捗", "進捗状況", "実施状況", "達成状況")
# Under a year group, these sub-headers are progress, not the plan (令和2年度 | 実績).
_STATUS_SUB = ("実績", "評価", "進捗", "達成", "状況", "結果", "成果")
TEXT_ROLES = ("name", "content", "departments", "hierarchy")

_WHITESPACE = re.compile(r"\s+")
_NUMERIC = re.compile(r"^[\s\d,.，．\-−△▲+％%円千万億件人回箇所か所]*\d[\s\d,.，．\-−△▲+％%円千万億件人回箇所か所]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}|^(?:令和|平成|昭和)?\s*\d{1,2}年\d{1,2}月(?:\d{1,2}日)?$")
_NUMBERED_CELL = re.compile(r"^(?:\d{1,2}(?:[-‐－]\d{1,2}){1,3}|[(（]\d{1,2}[)）]|[①-⑳])\s*[^\d\s年月日-]")
DEPT_END = re.compile(r"(?:[部課室局係所館署庁班]|センター|グループ|チーム|本部|事務局)$")
SCHEDULE_MARKS = frozenset("○◯〇●◎△▲×→⇒―－-─━☆★◇◆□■✓✔")
SCHEDULE_WORDS = ("実施", "検討", "継続", "拡充", "充実", "着手", "完了", "準備", "試行", "見直し", "調査", "開始",
                  "実施予定", "推進", "運用", "整備", "策定")


@functools.lru_cache(maxsize=8192)  # a table's header and label cells repeat on every page
def compact(text: str | None) -> str:
    return _WHITESPACE.sub("", nfkc(text or ""))


# The brackets and marks around a label's word (【担当課】, ■内容, 目標：)
_LABEL_FRAME = "【】[]()（）■□◆◇●○・:："


@functools.lru_cache(maxsize=8192)
def label_role(label: str | None, max_chars: int = 40) -> str | None:
    """The role a header or label cell names, or None."""
    word = compact(label).strip(_LABEL_FRAME)
    if not word or len(word) > max_chars:
        return None
    bracketed = _YEAR_IN_BRACKETS.match(word)
    if bracketed and YEAR_LABEL.match(bracketed.group(2)):
        # 実績（令和5年度）, 計画(R6): the year qualifies the word, as in 令和5年度実績 (whose 年度 would
        # otherwise make it a heading)
        word = bracketed.group(2) + bracketed.group(1)
    if word in EXACT_WORDS:
        return EXACT_WORDS[word]
    if YEAR_LABEL.match(word) and len(word) <= 14 and not any(w in word for w in ("年度末", "年度まで")):
        rest = YEAR_LABEL.sub("", word, count=1)
        if not rest or rest[:1] in "・/／" or any(s in rest for s in (*_STATUS_SUB, "計画", "予定", "目標")):
            return "status" if any(s in rest for s in _STATUS_SUB) else "schedule"
    best: tuple[int, int] | None = None
    role = None
    for name, words in ROLE_WORDS.items():
        for w in words:
            pos = word.rfind(w)
            if pos >= 0 and not (w in _HEAD_NAMES and word[pos + len(w):].startswith(_NOT_AFTER_HEAD)):
                key = (len(w), pos + len(w))
                if best is None or key > best:
                    best, role = key, name
    if role in ("departments", "name") and best is not None and best[1] < len(word):
        # 担当課の評価, 所管課評価, 担当課の意見: the department's evaluation, a result (not the department)
        last = max((len(w) for w in ROLE_WORDS["status"] if word.endswith(w)), default=0)
        if last:
            return "status"
    return role


# The measure's own word in a label (事業, 取組) names no measure before の or 期間: 事業の目的, 事業期間,
# 取組の必要性 describe it (事業名, 取組事項, 取組み, 事業等, 事業者 still hold the name's word).
_HEAD_NAMES = frozenset({"事業", "取組", "取り組み"})
_NOT_AFTER_HEAD = ("の", "期間")


# Header cells that name no column role but are common beside a measure's columns: the actors of a
# matrix of who acts (◎○△ under them) and a remarks column. They do not count against a header.
NEUTRAL_HEADERS = frozenset({
    "市民", "地域", "事業者", "企業", "市", "町", "村", "行政", "団体", "市民団体", "地域組織", "地域団体", "自治会",
    "NPO", "大学", "学校", "関係機関", "備考", "その他", "特記事項", "摘要", "注",
})


def label_like(cell: str | None) -> bool:
    """Whether a cell reads as a column's label: a column word makes up half of it or more (取組内容,
    関連する基本方針, 令和5年度実績), not a name that ends with one (市民活動支援事業, 協働推進課)."""
    word = compact(cell).strip(_LABEL_FRAME)
    bracketed = _YEAR_IN_BRACKETS.match(word)
    if bracketed and YEAR_LABEL.match(bracketed.group(2)):
        word = bracketed.group(1)  # 実績（令和6年度）: the word the year qualifies
    if not word or word in EXACT_WORDS or word in NEUTRAL_HEADERS or YEAR_LABEL.match(word):
        return True
    longest = max((len(w) for words in ROLE_WORDS.values() for w in words if w in word), default=0)
    return longest * 2 >= len(word)


def bare_name(label: str | None) -> bool:
    """A header that is only a measure's name word (項目, 事業名), no word of its own besides."""
    return compact(label) in ROLE_WORDS["name"]


def is_numeric(cell: str | None) -> bool:
    text = compact(cell)
    return bool(text) and (bool(_NUMERIC.match(text)) or bool(_DATE.match(text)))


# Marks a matrix sets under the policies a measure serves (◎ 主に関連, ○ 関連), strongest first (● is
# left out: plans mark who acts with it, ●＝市が主体).
RELATION_MARKS = "◎○◯〇△▲☆★"
# The column words of a policy a matrix marks its measures under (基本方針1 …, 施策の方向), not of the
# actors (市民の目標 | 事業者の目標) or the years (6年度 | 7年度) it may mark as well.
_POLICY_LABEL = re.compile(r"基本方針|基本目標|施策|方針|方向|柱")
_YEAR_IN_LABEL = re.compile(r"年度|\d{4}|[RH]\s*\d")


def _relation_mark(cell: str) -> bool:
    text = compact(cell)
    return 0 < len(text) <= 2 and all(c in RELATION_MARKS for c in text)


def is_schedule_cell(cell: str | None) -> bool:
    text = compact(cell)
    return bool(text) and (all(c in SCHEDULE_MARKS for c in text) or text in SCHEDULE_WORDS)


def is_department_cell(cell: str | None) -> bool:
    parts = [p for p in re.split(r"[\s、,，/／・]+", nfkc(cell or "")) if p]
    return bool(parts) and all(DEPT_END.search(p) or p.endswith("各課") for p in parts)


def header_roles(cells: Sequence[str], max_chars: int = 24, word_share: float = 0.6) -> list[str | None] | None:
    """The role of each column if cells look like a table header (most filled cells are column words,
    none is running text), else None."""
    roles: list[str | None] = []
    filled = 0
    known = 0
    for cell in cells:
        word = compact(cell)
        if not word:
            roles.append(None)
            continue
        filled += 1
        # A sentence is data, never a column name (協働窓口担当者を配置します。 names no 担当 column), nor
        # is a numbered measure (1-1-2 複合的な生活課題への対応 names no 課題 column) or a list of departments
        # (福祉政策課、健康づくり課 no 政策 column): rows whose cells above were left blank or merged down.
        if (len(word) > max_chars or is_numeric(word) or word.endswith(("。", "ます", "です"))
                or _NUMBERED_CELL.match(word) or ("、" in word and DEPT_END.search(word))):
            return None
        role = label_role(word, max_chars)
        roles.append(role)
        known += role is not None
        if role is None and word in NEUTRAL_HEADERS:
            filled -= 1  # (市民 | 事業者 | 市 of a matrix of who acts, 備考: columns beside the measure's own)
    if filled < 2 or known < 2 or known / filled < word_share:
        return None
    found = {r for r in roles if r}
    legacy = ("name" in found and ({"content", "departments"} & found)) or {"content", "departments"} <= found
    if legacy or found & {"name", "content", "kpi", "schedule", "status"} or len(found) >= 2:
        return roles
    return None


def combine_headers(rows: Sequence[Sequence[str | None]]) -> list[str]:
    """Column labels of a header of one or more rows: a group cell merged across (None to its right)
    is put before each sub-header under it (平成27年度 / 計画 → 平成27年度 計画)."""
    width = max(len(r) for r in rows)
    labels = [""] * width
    for n, row in enumerate(rows):
        group = ""
        for i in range(width):
            cell = row[i] if i < len(row) else ""
            above = rows[n - 1][i] if n and i < len(rows[n - 1]) else None
            if cell is None and above is not None:
                # under a cell of the row above: covered by it from above (令和5年度 merged over two rows
                # and two columns), not by the cell to the left in this row
                group = ""
                continue
            if cell is None:
                # Covered by the merged cell to the left: a group over the sub-headers below it, or in
                # the last row a header over the columns under it (施策 over a number's column and a
                # name's: each is the 施策's, the cells tell which is which)
                text = group if n + 1 < len(rows) or len(rows) == 1 else ""  # (else merged down from above)
            else:
                text = compact(cell)
                group = text
            if text and text not in labels[i]:
                labels[i] = f"{labels[i]} {text}".strip()
    return labels


def decide_roles(labels: Sequence[str], rows: Sequence[Sequence[str | None]], numeric_share: float) -> list[str | None]:
    """Each column's role from its label, checked against its data cells."""
    roles: list[str | None] = []
    for col, label in enumerate(labels):
        parts = label.split(" ")
        role = label_role(label)
        if len(parts) > 1 and label_role(parts[-1]) in ("schedule", "status") and YEAR_LABEL.match(compact(parts[-1])):
            # A year under a group (年度別計画 | 平成28年度, whose 年度 alone would make it a heading):
            # the year's stage, or its results under a group of results (実績 | 令和6年度).
            role = "status" if label_role(parts[0]) == "status" else label_role(parts[-1])
        elif role is None and len(parts) > 1:
            role = label_role(parts[-1]) or label_role(parts[0])
        cells: list[str] = [c for r in rows if col < len(r) and (c := r[col])]
        n = len(cells) or 1
        numeric = sum(is_numeric(c) for c in cells) / n
        marks = sum(is_schedule_cell(c) for c in cells) / n
        depts = sum(is_department_cell(c) for c in cells) / n
        if role == "hierarchy" and cells and _POLICY_LABEL.search(label) and not _YEAR_IN_LABEL.search(label) \
                and all(_relation_mark(c) for c in cells):
            role = "relation"  # ◎ / ○ under each 基本方針 of a matrix: the measure's relation to it
        elif role in ("name", "content", "hierarchy") and cells and numeric >= numeric_share:
            role = "number" if all(len(compact(c)) <= 4 for c in cells) else "amount"
        elif role == "name" and cells and marks >= 0.6 and (not bare_name(label) or labels.count(label) > 1):
            # ○ under 重点取組: a mark of the column's word, never a measure's name; under 項目 merged over
            # the marks' column and the names', the marks before the names (★ ● ◎, who acts). (Under a
            # 項目 of its own, marks printed each in a cell before the names: _align puts them aside.)
            role = "marks"
        elif role == "hierarchy" and cells and sum(_direction(c) for c in cells) / n >= 0.6:
            role = "status"  # 継続 / 拡充 / 縮小 under 方向性: where each measure goes next, not a heading
        elif role == "tags" and cells and compact(label) == "重点" and marks >= 0.6:
            role = "marks"  # ● under 重点: a mark of the word (重点●); the word itself under it is the tag
        elif role == "tags" and cells:
            from . import TAG_WORDS  # noqa: PLC0415 - the package's vocabulary

            tagged = sum(any(t in c for t in (*TAG_WORDS, "重点")) for c in cells) / n
            long_text = sum(len(compact(c)) > 8 for c in cells) / n
            if tagged < 0.3 and long_text >= 0.5:
                role = "hierarchy"  # 区分 merged down over groups of rows
        elif role == "actor" and cells and marks < 0.5:
            role = "departments"
        elif role is None and cells:
            if numeric >= numeric_share:
                role = "amount"
            elif depts >= 0.6:
                role = "departments"
            elif marks >= 0.6:
                role = "marks"
        roles.append(role)
    if "name" not in roles and "content" in roles:
        # 施策名 | 施策の概要 | 施策統括課: with no other name, the 施策 named is the measure (a 施策評価表's)
        titled = next((k for k, (r, label) in enumerate(zip(roles, labels)) if r == "hierarchy"
                       and compact(label).endswith("名")), None)
        if titled is not None:
            roles[titled] = "name"
    named = [k for k, r in enumerate(roles) if r == "name"]
    first_filled = sum(1 for r in rows if named and named[0] < len(r) and r[named[0]]) if named else 0
    if len(named) >= 2 and "content" not in roles and not re.search(r"取組|取り組み", labels[named[0]]) \
            and re.search(r"取組|取り組み", labels[named[1]]) and compact(labels[named[0]]) != "項目" \
            and first_filled >= 0.9 * len(rows):
        # プロジェクト名 | 主な取組, 事業名 | 主な取組: the project is the measure, what it does its content
        roles[named[1]] = "content"
    if not {"name", "content"} & set(roles):
        # a plan's table of 現状と課題 | 今後の取組 | 担当課: its 今後の取組 are the measures themselves
        ahead = next((k for k, (r, label) in enumerate(zip(roles, labels)) if r == "status"
                      and re.search(r"取組|取り組み", label) and not re.search(r"状況|結果|実績|方針|方向", label)), None)
        if ahead is not None:
            roles[ahead] = "name"
    if "kpi" in roles:
        # a year's 目標 beside an indicator (指標 | 現状値 | 令和7年度目標) is the indicator's target, not a
        # stage of the measure's schedule
        roles = ["kpi" if r == "schedule" and "目標" in compact(label) else r for r, label in zip(roles, labels)]
    return roles


# What a 方向性 / 今後の方針 cell says of a measure's next year (a cell may go on: 継続：テーマを毎年見直す。)
DIRECTION_WORDS = ("継続", "拡充", "充実", "縮小", "廃止", "完了", "終了", "休止", "統合", "見直し", "改善", "現状維持",
                   "新規", "重点化", "民営化", "移管")


def _direction(cell: str) -> bool:
    text = compact(cell)
    word = next((w for w in DIRECTION_WORDS if text.startswith(w)), None)
    return word is not None and (len(text) <= 8 or text[len(word):][:1] in ":：、。・（(")
