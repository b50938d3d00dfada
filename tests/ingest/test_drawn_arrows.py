"""Year arrows drawn over a 年次計画's cells (右矢印, a connector with an arrowhead), as city offices draw
them in Excel and Word: neither openpyxl nor python-docx reads shapes, so an item's years under an arrow
read blank, and in their PDF export the arrows were taken as ruling lines. Each arrow now gives the years
it covers the stage it carries, in the workbook, the Word table and their PDF exports alike. Names are
real measures' as printed (秦野市, 安曇野市, 一関市 pages); the layout is the common
取組 | 担当課 | 令和7年度 … 令和11年度."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side

from pipeline.ingest import ingest_file
from pipeline.ingest.xlsx_shapes import column_emu
from tests.docmaker import DrawnArrow, add_drawn_arrows

YEARS = ["令和7年度", "令和8年度", "令和9年度", "令和10年度", "令和11年度"]
MID = 300_000  # an offset into a year cell (10 characters wide: 714,375 EMU)
ROW_MID = 150_000  # an offset into a row 24 points high (304,800 EMU)
WIDTHS = {"A": 5, "B": 26, "C": 16}  # in characters; the year columns 10


def _plan(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "年次計画"
    ws.append(["第2次市民協働推進計画 年次計画"])
    ws.append(["番号", "取組", "担当課", *YEARS])
    ws.append([1, "市民提案型協働事業", "市民活動支援課"])  # row 3: an arrow with 実施 over all five years
    ws.append([2, "市民協働事業提案制度", "地域づくり課", "検討", None, None, "実施", None])  # 検討 ──→ R9
    ws.append([3, "自治会等活動費総合補助金", "まちづくり推進課"])  # row 5: a bare arrow R8 → R9
    ws.append([4, "地域おこし事業費補助金", "まちづくり推進課", "継続"])  # row 6: merged down over row 7
    ws.append([None, None, None])
    ws.merge_cells("A6:A7")
    ws.merge_cells("B6:B7")
    ws.merge_cells("C6:C7")
    line = Side(style="thin")
    for row in ws.iter_rows(min_row=2, max_row=7, max_col=8):
        for cell in row:
            cell.border = Border(left=line, right=line, top=line, bottom=line)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for r in range(1, 8):
        ws.row_dimensions[r].height = 24
    widths = [WIDTHS.get(letter, 10) for letter in "ABCDEFGH"]
    for letter, chars in zip("ABCDEFGH", widths):
        ws.column_dimensions[letter].width = chars
    ws.page_setup.orientation = "landscape"
    wb.save(path)
    return add_drawn_arrows(path, widths=[column_emu(w) for w in widths], height=24 * 12_700, arrows=[
        DrawnArrow((3, MID, 2, ROW_MID - 70_000), (7, MID, 2, ROW_MID + 70_000), "実施"),
        DrawnArrow((3, MID, 3, ROW_MID), (5, MID, 3, ROW_MID), shape="straightConnector1"),
        DrawnArrow((4, 100_000, 4, ROW_MID - 50_000), (5, 500_000, 4, ROW_MID + 50_000)),
        DrawnArrow((4, 100_000, 6, ROW_MID - 70_000), (7, 500_000, 6, ROW_MID + 70_000), "継続"),  # in row 7 of item 4
        DrawnArrow((1, 100_000, 5, 20_000), (2, 200_000, 5, 60_000), shape="straightConnector1"),  # over 担当課
    ])


def test_year_arrows_give_the_years_they_cover_their_stage(tmp_path: Path) -> None:
    doc = ingest_file(_plan(tmp_path / "年次計画.xlsx"), use_cache=False)
    assert [(i.name, i.departments, i.schedule) for i in doc.items] == [
        ("市民提案型協働事業", ("市民活動支援課",), dict.fromkeys(YEARS, "実施")),
        ("市民協働事業提案制度", ("地域づくり課",),
         {"令和7年度": "検討", "令和8年度": "検討", "令和9年度": "検討", "令和10年度": "実施"}),
        ("自治会等活動費総合補助金", ("まちづくり推進課",), {"令和8年度": "→", "令和9年度": "→"}),
        ("地域おこし事業費補助金", ("まちづくり推進課",),
         {"令和7年度": "継続", "令和8年度": "継続", "令和9年度": "継続", "令和10年度": "継続", "令和11年度": "継続"}),
    ]


def _one_row_workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["取組", "担当課", *YEARS[:2]])
    ws.append(["市民提案型協働事業", "市民活動支援課", "実施", None])
    wb.save(path)
    return path


def test_a_workbook_without_drawings_reads_as_before(tmp_path: Path) -> None:
    path = _one_row_workbook(tmp_path / "plain.xlsx")
    assert [(i.name, i.schedule) for i in ingest_file(path, use_cache=False).items] == [
        ("市民提案型協働事業", {"令和7年度": "実施"})]


def test_the_workbook_exported_as_pdf_reads_the_same_with_its_arrows(tmp_path: Path) -> None:
    """LibreOffice opens the workbook (the arrows are real shapes to it) and exports it as a PDF, where
    they are drawn paths and lines crossing the year cells. Taken as ruling lines they split every
    cell they crossed into extra rows and columns; now they are the years' stages, as in the workbook."""
    from pipeline.draft.pages import soffice, to_pdf

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: `make test` installs it")
    book = _plan(tmp_path / "年次計画.xlsx")
    pdf = to_pdf(book.read_bytes(), suffix=".xlsx")
    assert pdf
    (tmp_path / "年次計画.pdf").write_bytes(pdf)
    doc = ingest_file(tmp_path / "年次計画.pdf", use_cache=False)
    assert [(i.name, i.departments, i.schedule) for i in doc.items] == [
        (i.name, i.departments, i.schedule) for i in ingest_file(book, use_cache=False).items]
    assert len(doc.items[0].schedule) == 5


_WORD_ARROW = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:drawing>'
    '<wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" distT="0" distB="0"'
    ' distL="0" distR="0" simplePos="0" relativeHeight="{n}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>{offset}</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>30000</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{width}" cy="140000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="{n}" name="右矢印 {n}"/><wp:cNvGraphicFramePr/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:cNvSpPr/>'
    '<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="140000"/></a:xfrm>'
    '<a:prstGeom prst="rightArrow"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="BFBFBF"/></a:solidFill></wps:spPr>'
    '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')


def _word_plan(path: Path) -> Path:
    """The 年次計画 as a Word table (2 cm year columns), an arrow drawn in a cell of each of two rows:
    anchored in the 令和7年度 cell and running to the middle of 令和10年度, and anchored in 令和8年度
    and running through 令和9年度 (its offset is from the cell it is anchored in, as Word lays it)."""
    import docx
    from docx.oxml import parse_xml
    from docx.shared import Cm

    document = docx.Document()
    document.add_paragraph("第2次市民協働推進計画 年次計画")
    table = document.add_table(rows=3, cols=2 + len(YEARS))
    table.style = "Table Grid"
    widths = [Cm(5), Cm(3)] + [Cm(2)] * len(YEARS)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    for col, width in zip(table.columns, widths):
        col.width = width
    for cell, text in zip(table.rows[0].cells, ["取組", "担当課", *YEARS]):
        cell.text = text
    for r, (name, dept) in enumerate([("市民提案型協働事業", "市民活動支援課"), ("市民協働事業提案制度", "地域づくり課")], start=1):
        table.rows[r].cells[0].text, table.rows[r].cells[1].text = name, dept
    year = int(Cm(2))
    arrows = [(1, 2, year // 3, 3 * year), (2, 3, year // 5, year + year // 2)]  # (row, cell, offset, width)
    for n, (r, c, offset, width) in enumerate(arrows, start=1):
        paragraph = table.rows[r].cells[c].paragraphs[0]
        paragraph._p.append(parse_xml(_WORD_ARROW.format(n=n, offset=offset, width=width)))
    document.save(path)
    return path


def test_year_arrows_drawn_in_a_word_table_give_the_years_they_cover(tmp_path: Path) -> None:
    doc = ingest_file(_word_plan(tmp_path / "年次計画.docx"), use_cache=False)
    assert [(i.name, i.departments, i.schedule) for i in doc.items] == [
        ("市民提案型協働事業", ("市民活動支援課",), {"令和7年度": "→", "令和8年度": "→", "令和9年度": "→", "令和10年度": "→"}),
        ("市民協働事業提案制度", ("地域づくり課",), {"令和8年度": "→", "令和9年度": "→"}),
    ]


def test_arrows_in_a_word_table_whose_grid_lacks_a_width_are_left_out(tmp_path: Path) -> None:
    """A table grid with a column of no width (a hand-made or converted document): the columns after it
    cannot be placed, so the arrows give no years rather than years they do not cover (with the widths
    summed as given, the first arrow also covered 令和11年度)."""
    import zipfile

    word = _word_plan(tmp_path / "年次計画.docx")
    damaged = tmp_path / "幅なし.docx"
    with zipfile.ZipFile(word) as src, zipfile.ZipFile(damaged, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                cols = text.split("<w:gridCol ")
                assert len(cols) == 8  # 7 grid columns
                cols[5] = "/>" + cols[5].split("/>", 1)[1]  # 令和9年度's column: no w
                data = "<w:gridCol ".join(cols).encode("utf-8")
            out.writestr(info, data)
    items = ingest_file(damaged, use_cache=False).items
    assert [(i.name, i.departments) for i in items] == [("市民提案型協働事業", ("市民活動支援課",)),
                                                        ("市民協働事業提案制度", ("地域づくり課",))]
    assert all(not i.schedule for i in items)


def test_the_word_table_exported_as_pdf_reads_the_same_with_its_arrows(tmp_path: Path) -> None:
    from pipeline.draft.pages import soffice, to_pdf

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: `make test` installs it")
    word = _word_plan(tmp_path / "年次計画.docx")
    pdf = to_pdf(word.read_bytes())
    assert pdf
    (tmp_path / "年次計画.pdf").write_bytes(pdf)
    assert [(i.name, i.departments, i.schedule) for i in ingest_file(tmp_path / "年次計画.pdf", use_cache=False).items] == [
        (i.name, i.departments, i.schedule) for i in ingest_file(word, use_cache=False).items]


def test_a_damaged_drawing_is_left_out_and_the_sheet_still_reads(tmp_path: Path) -> None:
    """Anchors beyond any sheet Excel can make, with negative or missing parts, draw nothing and cost
    nothing (an anchor at column 10¹² must not be walked cell by cell)."""
    path = _one_row_workbook(tmp_path / "壊れた図形.xlsx")
    add_drawn_arrows(path, [DrawnArrow((2, 0, 1, 0), (10**12, 0, 1, 0), "実施"),
                            DrawnArrow((2, -5, -1, 0), (3, 0, 1, 0)),
                            DrawnArrow((2, 0, 1, 0), (3, 0, 10**9, 0))])
    assert [(i.name, i.schedule) for i in ingest_file(path, use_cache=False).items] == [
        ("市民提案型協働事業", {"令和7年度": "実施"})]


def test_arrows_on_a_pdf_page_whose_table_has_no_header_of_its_own(tmp_path: Path) -> None:
    """A 年次計画 longer than a page, exported without repeating its header row: the arrows on the
    second page are placed under the header of the first, as the rows are."""
    from pipeline.draft.pages import soffice, to_pdf

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: `make test` installs it")
    names = [line.split("\t")[0] for line in (Path(__file__).parent.parent / "data" / "other_cities_labelled.tsv")
             .read_text("utf-8").splitlines()[1:41]]
    wb = Workbook()
    ws = wb.active
    ws.append(["番号", "取組", "担当課", *YEARS])
    for n, name in enumerate(names, start=1):
        ws.append([n, name, "市民協働課"])
    line = Side(style="thin")
    for row in ws.iter_rows(min_row=1, max_row=len(names) + 1, max_col=8):
        for cell in row:
            cell.border = Border(left=line, right=line, top=line, bottom=line)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.page_setup.orientation = "landscape"  # one page wide, as long as it needs (no print titles)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    widths = [WIDTHS.get(letter, 10) for letter in "ABCDEFGH"]
    for letter, chars in zip("ABCDEFGH", widths):
        ws.column_dimensions[letter].width = chars
    for r in range(1, len(names) + 2):
        ws.row_dimensions[r].height = 24
    path = tmp_path / "長い年次計画.xlsx"
    wb.save(path)
    arrows = [DrawnArrow((4, 100_000, r, ROW_MID - 60_000), (6, 400_000, r, ROW_MID + 60_000), "実施")
              for r in (1, len(names) - 1, len(names))]  # the first measure's row and the last two
    add_drawn_arrows(path, arrows, widths=[column_emu(w) for w in widths], height=24 * 12_700)
    pdf = to_pdf(path.read_bytes(), suffix=".xlsx")
    assert pdf
    (tmp_path / "長い年次計画.pdf").write_bytes(pdf)
    doc = ingest_file(tmp_path / "長い年次計画.pdf", use_cache=False)
    assert doc.pages and doc.pages >= 2
    stages = dict.fromkeys(["令和8年度", "令和9年度", "令和10年度"], "実施")
    assert [i.schedule for i in doc.items] == [stages, *([{}] * (len(names) - 3)), stages, stages]
    assert [i.schedule for i in ingest_file(path, use_cache=False).items] == [i.schedule for i in doc.items]
