"""A document's title, city, fiscal year and plan period: from the cover and title first (its first
lines, then its header cells), body text last."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ...model import FiscalYear
from ...text.normalize import fiscal_year_label, parse_fiscal_year, parse_period
from ...text.tokenize import place_names
from .marks import parse_legend

_TITLE_WORDS = ("アクションプラン", "計画", "プラン", "方針", "指針", "構成案", "事業", "シート", "一覧", "事例集")
# A line that is a label or a slide number, not a title (資料2, 〇課題と対応, 別記様式第1号).
_NOT_TITLE = re.compile(r"^(?:資料\s*\d*|参考資料\s*\d*|別紙\s*\d*|別記様式.*|別添.*|[〇○●◎■□◆]\S{0,12}|\d+|p\.?\s*\d+)$")
# A measure's line, not a title, though it may name 事業 or 事例集: led by a list mark (①, ・, ●, (1), 1))
# or ending in its department's parenthesis (…の発行(市民協働課)); a plan's title may have either (■ before
# it, the office that wrote it after it).
_ITEM_MARK = re.compile(r"^(?:[①-⑳❶-❿・●○◆◇■□▪※]|[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[)）])")
_DEPARTMENT_END = re.compile(r"[(（][^()（）]{1,20}?(?:課|室|係|局|センター)[)）]\s*$")
# what a plan's or a list's title names (a measure's line may name 事業 or 事例集 as well)
_PLAN_NAME = re.compile(r"計画|プラン|方針|指針|一覧|シート|進行管理|実施状況")
_BODY_YEAR_NOISE = re.compile(r"年度\s*(?:末|まで|以降|から|中|当初|以前)")


def guess_title(lines: Sequence[str], path: str) -> str:
    """The document's title: an early line naming a plan, else its first real line, else the file name
    (never a measure's line: a document with no title line starts with its measures)."""
    head = [line for line in lines[:15] if 2 <= len(line) <= 60 and not _NOT_TITLE.match(line.strip())
            and not _measure_line(line.strip()) and not parse_legend(line)]  # (【凡例】 ★：重点事業: no title)
    for line in head:
        if any(w in line for w in _TITLE_WORDS):
            return line
    return head[0] if head else Path(path).stem


def _measure_line(line: str) -> bool:
    """Led by a list mark or ending in a department, and naming no plan or list; or both (・行動計画の推進
    (企画課)). A line with its fiscal year is a title however it is marked (■令和6年度 市民協働推進事業一覧)."""
    if parse_fiscal_year(line) is not None:
        return False
    marked, placed = bool(_ITEM_MARK.match(line)), bool(_DEPARTMENT_END.search(line))
    return (marked and placed) or ((marked or placed) and not _PLAN_NAME.search(line))


def find_period(lines: Sequence[str]) -> tuple[str, FiscalYear] | None:
    """The plan period as printed and its first fiscal year (labelled as that year alone: 令和6年度, not
    the period), from the given (title) lines."""
    for line in lines:
        period = parse_period(line)
        if period is not None:
            label, first, _ = period
            return label, FiscalYear(label=fiscal_year_label(first), year=first)
    return None


# A line stating the plan's own period (本計画の期間は、令和7年度から…), not another plan's it quotes
_PERIOD_LINE = re.compile(r"(?:本|この|当該)(?:計画|プラン|指針|方針|ビジョン)の?(?:計画)?(?:期間|計画期間|年度)")
# ... else a line with the word that quotes no other plan's (計画期間：令和6年度～…, not 総合計画（計画期間：…）)
_PERIOD_WORD = re.compile(r"計画の?期間")
_OTHER_PLAN = re.compile(r"[(（][^()（）]*計画の?期間|総合計画|基本構想|基本計画|に基づ|上位計画|個別計画")


def plan_period(lines: Sequence[str], head: int = 12, body: int = 400) -> tuple[str, FiscalYear] | None:
    """The plan's period (find_period): on its title page, else as the plan states it in its first
    chapter (本計画の期間は、令和7年度から令和11年度まで…, 計画期間：…), not a period of another plan it quotes."""
    text = lines[:body]
    return (find_period(lines[:head]) or find_period([line for line in text if _PERIOD_LINE.search(line)])
            or find_period([line for line in text if _PERIOD_WORD.search(line) and not _OTHER_PLAN.search(line)]))


def guess_fiscal_year(lines: Sequence[str], header_cells: Sequence[str] = (), head: int = 10) -> FiscalYear | None:
    """The plan's fiscal year: one written in the first lines (title, date line; a period gives its
    first year), else the first year in a table header, else the most frequent one in the body (not
    counting "…年度末までに" and the like)."""
    for line in lines[:head]:
        fy = parse_fiscal_year(line)
        period = find_period([line])
        if period and (fy is None or period[1].year <= fy.year):
            return period[1]
        if fy:
            return fy
    for cell in header_cells:
        fy = parse_fiscal_year(cell)
        if fy:
            return fy
    found = [fy for line in lines for fy in [parse_fiscal_year(line)] if fy and not _BODY_YEAR_NOISE.search(line)]
    if not found:
        return None
    year, _ = Counter(fy.year for fy in found).most_common(1)[0]
    return next(fy for fy in found if fy.year == year)


_PREFECTURE_CITY = re.compile(r"(?:都|道|府|県)\s*([^\s都道府県]{1,6}?[市町村区])")
_PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県",
    "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県")


def guess_city(lines: Sequence[str], cells: Sequence[str] = ()) -> str | None:
    """The municipality the document is about: the place name most used in its opening text, with the
    title page weighing most; a prefecture when it is the author (北海道). (cells is kept for callers
    that pass table text; the place names of table rows are 町丁目, not the author.)"""
    votes: Counter[str] = Counter()
    for i, line in enumerate(lines[:60]):
        weight = 3 if i < 12 else 1
        for name in place_names(line):
            votes[name] += weight
    if not votes:
        # a prefecture as the author: its name opening a line (宮崎県, 埼玉県NPO協働推進指針, 北海道 環境生活部 …),
        # not one a plan cites (本計画は、埼玉県の指針を…)
        for line in lines[:12]:
            text = line.strip()
            for pref in _PREFECTURES:
                if text.startswith(pref):
                    return pref
        return None
    return votes.most_common(1)[0][0]
