"""The 進行管理シート out: one row per measure of the new plan, grouped by pillar, with the columns the
担当課 fill in (実施状況, 実績, 評価, 課題, 次年度の方向) as drop-downs where they are a choice, ready to
print on A3, and a hidden column with each measure's stable id so the filled sheet reads back."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..draft.records import CANDIDATE, Draft, plain
from ..model import Document, FiscalYear
from ..output import safe_cell
from .results import GRADES, ID_HEADER, SHEET_DIRECTIONS, STATUSES, plan_ids, stable_id

SHEET_NAME = "進行管理シート"
GUIDE_NAME = "記入の手引き"
PAPER_A3 = 8  # Excel's paperSize code
HEADER_ROW = 3  # rows 1–2: title and how to fill in
FILL_HEADERS = ("実施状況", "実績", "評価", "課題", "次年度の方向")
FILL_COLOUR = "FFF2CC"  # pale yellow: the cells the 担当課 fill in
HEADER_COLOUR = "D9E2F3"
PILLAR_COLOURS = ("FFFFFF", "F2F2F2")  # alternate pillars, so the groups show
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class SheetRow:
    """One measure of the new plan as the sheet shows it."""

    id: str
    number: str
    pillar: str
    name: str
    content: str
    departments: str
    status: str  # 区分
    years: tuple[str, ...]  # the schedule, one cell per plan year


@dataclass(frozen=True)
class SheetPlan:
    """The plan a sheet is for: its fiscal year, name and city, and the years its schedule shows."""

    year: int
    year_label: str
    plan_name: str
    city: str
    years: tuple[str, ...]


def city_in_title(city: str | None) -> str:
    """（対馬市） after a title; the draft's placeholder for a plan that names no city, （市町村名）, once."""
    name = (city or "").strip().strip("（）")
    return f"（{name}）" if name else ""


def _of_draft(draft: Draft) -> SheetPlan:
    return SheetPlan(draft.year, draft.year_label, draft.plan_name, draft.city, tuple(draft.schedule_years))


def sheet_name(draft: Draft | SheetPlan) -> str:
    """The file name: 平成22年度_進行管理シート.xlsx."""
    return f"{draft.year_label}_進行管理シート.xlsx"


def plan_sheet(doc: Document, year: FiscalYear | None = None) -> tuple[SheetPlan, list[SheetRow]]:
    """The sheet of a plan as adopted (plandraft's 案 as the planner finished it, or any city's plan):
    its measures in their order, under their headings, with the stable ids that plan's items have
    when its results are read back (the same year, number and name). Not the 新規候補 left
    undecided in it. year: the plan's fiscal year where the document does not say."""
    fy = year or doc.fiscal_year
    if fy is None:
        raise ValueError("the plan's fiscal year is not known")
    years: dict[str, None] = {}
    for item in doc.items:
        years.update(dict.fromkeys(item.schedule))
    rows = []
    ids = plan_ids(doc, fy.year)
    for item in doc.items:
        if CANDIDATE in item.tags:
            continue
        heading = item.path[-1] if item.path else item.policy
        rows.append(SheetRow(ids[item.id], item.number, heading, item.name,
                             item.content, "、".join(item.departments), "・".join(item.tags),
                             tuple(item.schedule.get(y, "") for y in years)))
    name = re.sub(r"^\s*(?:令和|平成|昭和)\s*(?:\d{1,2}|元)\s*年度\s*", "", doc.title).strip() or doc.title
    return SheetPlan(fy.year, fy.label, name, doc.city or "", tuple(years)), rows


def sheet_rows(draft: Draft) -> list[SheetRow]:
    """The new plan's measures (carried over or adopted, not the 新規候補 still to decide), by pillar."""
    schedule = {s.number: s for s in draft.schedule}
    out = []
    for part in draft.pillars:
        for row in part.rows:
            if row.kind != "carried":
                continue
            s = schedule.get(row.number)
            years = tuple(plain(c) for c in s.cells) if s else tuple("" for _ in draft.schedule_years)
            out.append(SheetRow(stable_id(draft.year, row.number, row.name), row.number, part.heading, row.name,
                                plain(row.content), row.departments, plain(row.status), years))
    return out


def _lines(text: str, width: float) -> int:
    """How many lines text takes in a column width characters wide (a full-width character counts two)."""
    import math
    import unicodedata

    per_line = max(width - 1.5, 1)
    return sum(max(1, math.ceil(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in line) / per_line))
               for line in text.splitlines() or [""])


def _text(value: str) -> str:
    return _ILLEGAL.sub("", value or "")


def workbook_bytes(draft: Draft, provenance: str = "") -> bytes:
    """The 進行管理シート of the new plan a draft is as .xlsx bytes (see sheet_bytes)."""
    return sheet_bytes(_of_draft(draft), sheet_rows(draft), provenance)


def sheet_bytes(plan: SheetPlan, rows: list[SheetRow], provenance: str = "") -> bytes:
    """The 進行管理シート of rows as .xlsx bytes; every text is stored as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    years = list(plan.years)
    headers = ["番号", "施策の柱", "項目", "内容", "担当課", "区分", *years, *FILL_HEADERS, ID_HEADER]
    widths = [7, 18, 24, 40, 14, 8, *(9 for _ in years), 10, 36, 6, 30, 12, 14]
    first_fill = 7 + len(years)  # column of 実施状況
    id_col = len(headers)
    title = f"{plan.year_label} {plan.plan_name} 進行管理シート{city_in_title(plan.city)}"
    safe_cell(ws.cell(row=1, column=1), _text(title)).font = Font(bold=True, size=14)
    safe_cell(ws.cell(row=2, column=1),
              "担当課の方は、網掛けの欄（実施状況・実績・評価・課題・次年度の方向）を記入してください。"
              "実施状況・評価・次年度の方向は一覧から選べます。行・列の追加や削除、番号の変更はしないでください。")
    ws.cell(row=2, column=1).alignment = Alignment(wrap_text=False)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for k, h in enumerate(headers, start=1):
        c = safe_cell(ws.cell(row=HEADER_ROW, column=k), h)
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.fill = PatternFill("solid", fgColor=FILL_COLOUR if first_fill <= k < id_col else HEADER_COLOUR)
        c.border = border
    pillar_no = -1
    last_pillar = None
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        if row.pillar != last_pillar:
            pillar_no, last_pillar = pillar_no + 1, row.pillar
        values = [row.number, row.pillar, row.name, row.content, row.departments, row.status, *row.years,
                  *("" for _ in FILL_HEADERS), row.id]
        shade = PILLAR_COLOURS[pillar_no % 2]
        for k, value in enumerate(values, start=1):
            c = ws.cell(row=r, column=k)
            if value:
                safe_cell(c, _text(value))
            c.alignment = Alignment(vertical="top", wrap_text=True,
                                    horizontal="center" if k in (1, 6, first_fill, first_fill + 2) or 6 < k < first_fill
                                    else None)
            c.border = border
            c.fill = PatternFill("solid", fgColor=FILL_COLOUR if first_fill <= k < id_col else shade)
    last = HEADER_ROW + max(len(rows), 1)
    for k, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = w
    for r in range(HEADER_ROW + 1, last + 1):
        # Heights set from the wrapped text: LibreOffice keeps the default height of a row it is not told.
        lines = max((_lines(str(ws.cell(r, k).value), widths[k - 1]) for k in range(1, id_col)
                     if ws.cell(r, k).value), default=1)
        ws.row_dimensions[r].height = max(2, lines) * 14.5  # two lines at least: room to write in
    ws.column_dimensions[get_column_letter(id_col)].hidden = True
    ws.row_dimensions[HEADER_ROW].height = 30

    def choice(col: int, words: tuple[str, ...], what: str) -> None:
        dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True,
                            showDropDown=False, showErrorMessage=True, errorTitle=what,
                            error=f"{what}は一覧（{'・'.join(words)}）から選んでください",
                            showInputMessage=True, promptTitle=what, prompt="・".join(words))
        letter = get_column_letter(col)
        dv.add(f"{letter}{HEADER_ROW + 1}:{letter}{max(last, HEADER_ROW + 1) + 200}")  # room for added rows
        ws.add_data_validation(dv)

    choice(first_fill, STATUSES, "実施状況")
    choice(first_fill + 2, GRADES, "評価")
    choice(first_fill + 4, SHEET_DIRECTIONS, "次年度の方向")
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=4)  # the header rows and 番号・柱・項目 stay in view
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(id_col)}{last}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(id_col - 1)}{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A3
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddHeader.center.text = f"{plan.year_label} 進行管理シート"
    ws.oddFooter.center.text = "&P / &N"
    _guide(wb.create_sheet(GUIDE_NAME), provenance)
    wb.properties.title = _text(title)[:255]
    wb.properties.creator = "plandraft"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _guide(ws: Any, provenance: str) -> None:
    """The second sheet: what each column means and what happens to each answer next year."""
    from openpyxl.styles import Alignment, Font

    lines = [
        ("記入の手引き", ""),
        ("", ""),
        ("実施状況", "実施／一部実施／未実施／完了 から選ぶ"),
        ("実績", "実施した内容、回数・人数などの実績"),
        ("評価", "A：目標以上　B：おおむね目標どおり　C：目標を下回る　D：取り組めなかった"),
        ("課題", "実施して分かった課題、できなかった理由"),
        ("次年度の方向", "継続／拡充／実施（検討中の事業が実施に移るとき）／見直し／廃止／完了 から選ぶ"),
        ("", ""),
        ("次年度の計画では", "完了・廃止の事業は載せず「前年度に完了・廃止した事業」に理由とともに挙げます。"),
        ("", "未実施・一部実施の事業は課題とともに「要確認」、拡充・見直しは書き換えの対象として示します。"),
        ("", "検討中の事業で実施に移るものは、区分を継続とし実施の段階で載せます。"),
        ("", "実績は「前年度の実績」欄に、評価は記号で示します。何も記入のない事業は「結果未記入」となります。"),
        ("", ""),
        ("作成", provenance or "plandraft"),
    ]
    for r, (label, text) in enumerate(lines, start=1):
        safe_cell(ws.cell(row=r, column=1), label).font = Font(bold=True, size=14 if r == 1 else 11)
        safe_cell(ws.cell(row=r, column=2), _text(text)).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 100


def write_sheet(draft: Draft, out: Path | str, provenance: str = "") -> tuple[Path, bytes]:
    """(where the sheet goes in out, its bytes): the caller writes it atomically, with a backup."""
    return Path(out) / sheet_name(draft), workbook_bytes(draft, provenance)
