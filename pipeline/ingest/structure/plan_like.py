"""Is it a plan of measures? Cheap signals only (the page count, what the tables hold, the words of the
title), so a 600-page budget book costs no more than reading it."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...messages import text as msg_text
from ...settings import StructureSettings

# Words of a title or heading that name a kind of document that is not a plan of measures.
NONPLAN_TITLE_WORDS = ("予算書", "予算説明書", "予算の概要", "予算概要", "予算案の概要", "歳入歳出", "事項別明細",
                       "決算書", "決算カード", "決算状況", "統計", "人口", "世帯数", "名簿", "電話番号", "所在地",
                       "会議録", "議事録", "診療所", "医療機関", "施設一覧")
PLAN_TITLE_WORDS = ("計画", "プラン", "アクション", "取組", "取り組み", "事業一覧", "主要事業", "施策", "進行管理",
                    "評価シート", "事例集", "プロジェクト", "協働")


@dataclass
class Evidence:
    """What the parser saw, for the verdict."""

    pages: int | None = None
    items: int = 0
    data_cells: int = 0  # filled cells of table data rows
    numeric_cells: int = 0
    data_rows: int = 0  # table data rows
    lines: int = 0  # lines of running text
    headerless_rows: int = 0  # table rows under no header that names a measure column
    table_items: int = 0
    outline_items: int = 0


def verdict(ev: Evidence, head_lines: Sequence[str], settings: StructureSettings) -> tuple[bool, list[str]]:
    """(plan_like, warnings)."""
    warnings: list[str] = []
    head = " ".join(head_lines[:8])
    title_nonplan = [w for w in NONPLAN_TITLE_WORDS if w in head]
    title_plan = [w for w in PLAN_TITLE_WORDS if w in head]
    numeric = ev.numeric_cells / ev.data_cells if ev.data_cells else 0.0
    if ev.items == 0:
        if ev.headerless_rows:
            warnings.append(msg_text("plan_like.no_header"))
        else:
            warnings.append(msg_text("plan_like.no_measures"))
        return False, warnings
    reasons: list[str] = []
    # Mostly numbers, and most rows no measure: a budget or statistics table (a project list with an
    # amount per row still has one measure per row).
    if ev.data_cells >= 20 and numeric >= settings.nonplan_numeric_share and ev.table_items < 0.5 * ev.data_rows:
        reasons.append(msg_text("plan_like.numbers", share=f"{numeric:.0%}"))
    if ev.pages and ev.pages >= settings.nonplan_min_pages and ev.items / ev.pages < settings.nonplan_items_per_page:
        reasons.append(msg_text("plan_like.few_per_page", pages=ev.pages, items=ev.items))
    rows = ev.data_rows + ev.lines
    if rows >= settings.nonplan_min_rows and ev.items / rows < settings.nonplan_item_share:
        reasons.append(msg_text("plan_like.few_items", items=ev.items, rows=rows))
    if title_nonplan and not title_plan:
        reasons.append(msg_text("plan_like.title", word=title_nonplan[0]))
    if reasons:
        warnings.append(msg_text("plan_like.not_plan", reasons=msg_text("plan_like.and").join(reasons)))
        return False, warnings
    return True, warnings
