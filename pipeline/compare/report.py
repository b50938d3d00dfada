"""The comparison written out: comparison.xlsx (sheets 柱別の施策数, 施策の対応, 新規候補) and the Word report
(heatmap, matrix, gaps) on templates/compare_report.docx, whose section the draft can append too."""
from __future__ import annotations

import contextlib
import io
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..model import Item
from ..output import append_safe
from ..resources import TEMPLATE_DIR
from ..text.normalize import fiscal_year_label
from .compare import Comparison, Gap, OtherItem

TEMPLATE = TEMPLATE_DIR / "compare_report.docx"
MATRIX_COLUMNS_PER_TABLE = 12  # municipalities per Word table; wider matrices continue below
MATCHED, UNMATCHED = "対応あり", "対応なし"


def _year(o: OtherItem) -> str:
    return fiscal_year_label(o.fiscal_year) if o.fiscal_year else ""


def _pillar_title(c: Comparison, number: int) -> str:
    return next((f"({n}) {t}" for n, t in c.pillars if n == number), f"({number})")


def _item_text(item: Item | None) -> str:
    return item.name if item else ""


# ---------------------------------------------------------------------------------------------
# Excel


# The sheets of comparison.xlsx, in order (Japanese: planners print and pass them round).
SHEET_MATRIX, SHEET_PAIRS, SHEET_GAPS = "柱別の施策数", "施策の対応", "新規候補"
SHEETS = (SHEET_MATRIX, SHEET_PAIRS, SHEET_GAPS)
PAPER_A4, PAPER_A3 = 9, 8  # Excel's paperSize codes
WRAP_WIDTH = 48  # widest column (in Excel's character units); longer text wraps


def text_width(text: str) -> float:
    """How wide text is in Excel's column units: a full-width character counts two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def _fit_columns(ws: Any, minimum: Sequence[float], maximum: float = WRAP_WIDTH) -> None:
    """Each column as wide as its longest line (header included), between its minimum and maximum."""
    from openpyxl.utils import get_column_letter

    for k, low in enumerate(minimum, start=1):
        widest = max((text_width(line) for row in ws.iter_rows(min_col=k, max_col=k) for cell in row
                      if cell.value is not None for line in str(cell.value).splitlines()), default=0)
        ws.column_dimensions[get_column_letter(k)].width = round(min(max(low, widest + 2), maximum), 1)


def _print_setup(ws: Any, title: str, paper: int = PAPER_A4, one_page: bool = False) -> None:
    """Landscape, fit to one page wide (and tall, with one_page), the header row on every page,
    the sheet's name in the page header and page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = paper
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.print_title_rows = "1:1"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3  # inches: the page header clear of the table
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "&P / &N"


def workbook_bytes(c: Comparison) -> bytes:
    """comparison.xlsx: 柱別の施策数 (pillars × municipalities, counts), 施策の対応 (every other-city
    measure and our nearest item) and 新規候補 (per pillar, ranked); every text cell stored as text,
    never as a formula; each sheet prints landscape, one page wide, its header row repeated."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="D9E2F3")
    wrap = Alignment(wrap_text=True, vertical="top")

    def header(ws: Any, names: Sequence[str], freeze: str = "B2") -> None:
        append_safe(ws, list(names))
        for k in range(1, len(names) + 1):
            cell = ws.cell(row=1, column=k)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, Alignment(wrap_text=True, vertical="center")
        ws.freeze_panes = freeze

    def wrapped(ws: Any) -> None:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap

    ws = wb.active
    ws.title = SHEET_MATRIX
    header(ws, ["施策の柱", *c.cities])
    for number, _ in c.pillars:
        append_safe(ws, [_pillar_title(c, number), *[c.count(number, city) for city in c.cities]])
    append_safe(ws, ["合計", *[sum(c.count(n, city) for n, _ in c.pillars) for city in c.cities]])
    last = ws.max_row
    for cell in ws[last]:
        cell.font = header_font
    if c.cities and c.pillars:
        span = f"B2:{get_column_letter(1 + len(c.cities))}{last - 1}"
        ws.conditional_formatting.add(span, ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                                                           end_type="max", end_color="5B9BD5"))
    ws.cell(row=1, column=2).font = Font(bold=True, color="B00020")  # our city
    for row in ws.iter_rows(min_row=2, max_col=1):
        row[0].alignment = wrap
    # The pillar names wrap rather than being cut; a municipality column fits its name.
    _fit_columns(ws, [30, *[8.0] * len(c.cities)], maximum=60)
    for k in range(2, len(c.cities) + 2):
        ws.cell(row=1, column=k).alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    _print_setup(ws, "施策の柱 × 市町村の施策数", PAPER_A4 if len(c.cities) <= 12 else PAPER_A3, one_page=True)

    ws = wb.create_sheet(SHEET_PAIRS)
    header(ws, ["柱", "市町村", "年度", "他市町村の施策", "内容", "出典", "判定", "当市の最も近い項目", "類似度",
                "共通する語", "当市の出典"], freeze="E2")
    for p in c.pairs:
        o = p.other
        append_safe(ws, [p.pillar, o.city, _year(o), o.item.name, o.item.content, o.item.source.label(),
                         MATCHED if p.ours else UNMATCHED, _item_text(p.nearest), p.nearest_score,
                         "、".join(p.shared), p.nearest.source.label() if p.nearest else ""])
    wrapped(ws)
    _fit_columns(ws, [5, 10, 12, 24, 30, 20, 9, 24, 7, 16, 20])
    ws.auto_filter.ref = ws.dimensions
    _print_setup(ws, "他市町村の施策と当市の最も近い項目", PAPER_A3)

    ws = wb.create_sheet(SHEET_GAPS)
    header(ws, ["柱", "施策の柱", "順位", "新規候補（他市町村の施策）", "市町村", "同様の施策", "当市の最も近い項目",
                "類似度", "出典"], freeze="D2")
    for g in c.gaps:
        append_safe(ws, [g.pillar, _pillar_title(c, g.pillar), g.rank, g.text, "、".join(g.cities),
                         "\n".join(f"{s.item.name}（{s.city}）" for s in g.similar), _item_text(g.nearest),
                         g.nearest_score, g.other.item.source.label()])
    wrapped(ws)
    _fit_columns(ws, [5, 24, 5, 30, 14, 30, 24, 7, 20])
    ws.auto_filter.ref = ws.dimensions
    _print_setup(ws, "新規候補（他市町村にあって当市にない施策）", PAPER_A3)

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Word


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement

    from ..ooxml import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _table(container: Any, rows: Sequence[Sequence[str]], widths_mm: Sequence[float] | None = None) -> Any:
    from docx.shared import Mm

    table = container.add_table(rows=len(rows), cols=len(rows[0]))
    with contextlib.suppress(KeyError, ValueError):  # a document without the style keeps its default look
        table.style = "Table Grid"
    if widths_mm:
        table.autofit = False
        for k, w in enumerate(widths_mm):
            table.columns[k].width = Mm(w)  # the grid (LibreOffice reads this) and every cell (Word)
    for r, values in enumerate(rows):
        cells = table.rows[r].cells
        for k, value in enumerate(values):
            cells[k].text = str(value)
            if widths_mm:
                cells[k].width = Mm(widths_mm[k])
    _repeat_header(table.rows[0])
    return table


def _gap_rows(gaps: Sequence[Gap]) -> list[list[str]]:
    rows = [["順位", "新規候補（他市町村の施策）", "市町村", "同様の施策", "当市の最も近い項目（類似度）"]]
    for g in gaps:
        similar = "、".join(f"{s.item.name}（{s.city}）" for s in g.similar)
        nearest = f"{g.nearest.name}（{g.nearest_score:.2f}）" if g.nearest else "なし"
        rows.append([str(g.rank), g.text, "、".join(g.cities), similar, nearest])
    return rows


def add_comparison(container: Any, c: Comparison, heatmap_png: bytes | None, level: int = 1,
                   page_width_mm: float = 250, max_picture_height_mm: float = 120) -> None:
    """Append the comparison (heatmap, matrix, gaps by pillar) to a python-docx Document or a docxtpl
    Subdoc, with headings at level and level + 1 (the draft can add it as an appendix)."""
    from docx.shared import Mm

    container.add_heading("施策の柱ごとの比較", level=level)
    container.add_paragraph(
        f"{c.our_city}と他の市町村の施策を、構成案の施策の柱ごとに数えました（当市は左端の列）。"
        f"他市町村の施策ごとに当市の最も近い項目を探し、類似度が{c.threshold:.2f}未満のものを新規候補としています。")
    if heatmap_png:
        w_px, h_px = struct.unpack(">II", heatmap_png[16:24])  # the PNG's IHDR
        aspect = h_px / w_px
        # As wide as the page allows, but short enough to share the page with its caption.
        width = min(page_width_mm, 60 + 22 * len(c.cities), max_picture_height_mm / aspect)
        container.add_picture(io.BytesIO(heatmap_png), width=Mm(width))
        container.add_paragraph("図　施策の柱 × 市町村の施策数", style="Caption")
    for start in range(0, max(len(c.cities), 1), MATRIX_COLUMNS_PER_TABLE):
        cities = c.cities[start : start + MATRIX_COLUMNS_PER_TABLE]
        rows = [["施策の柱", *cities]]
        rows += [[_pillar_title(c, n), *[str(c.count(n, city)) for city in cities]] for n, _ in c.pillars]
        rows.append(["合計", *[str(sum(c.count(n, city) for n, _ in c.pillars)) for city in cities]])
        _table(container, rows, [70, *[max(14.0, (page_width_mm - 70) / max(len(cities), 1))] * len(cities)])
        container.add_paragraph("")

    container.add_heading("新規候補（他市町村にあって当市にない施策）", level=level)
    if not c.gaps:
        container.add_paragraph("他市町村の施策には、すべて当市に対応する項目がありました。")
    for number, _ in c.pillars:
        gaps = [g for g in c.gaps if g.pillar == number]
        if not gaps:
            continue
        container.add_heading(_pillar_title(c, number), level=level + 1)
        _table(container, _gap_rows(gaps), [12, 80, 40, 60, 60])
    for note in c.skipped:
        container.add_paragraph(f"注：{note}")


def report_bytes(c: Comparison, heatmap_png: bytes | None, template: Path | str | None = None,
                 provenance: str = "") -> bytes:
    """The Word report: a title, what was compared, then add_comparison's sections."""
    from docx import Document

    doc = Document(str(template or TEMPLATE))
    doc.add_heading(f"他市町村との施策比較（{c.our_city}）", level=0)
    others = [x for x in c.cities if x != c.our_city]
    doc.add_paragraph(f"比較した市町村：{'、'.join(others) or 'なし'}（他市町村の施策 {len(c.pairs)} 件、"
                      f"対応なし {sum(1 for p in c.pairs if p.ours is None)} 件）")
    add_comparison(doc, c, heatmap_png)
    if provenance:
        try:
            doc.add_paragraph(provenance, style="Report Note")
        except KeyError:
            doc.add_paragraph(provenance)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
