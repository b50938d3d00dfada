"""Excel sheets printed without cell borders. LibreOffice (and Excel, unless 枠線 is ticked) prints no
gridlines, so a 取組一覧 or 進行管理シート kept without borders reaches the PDF as text aligned in columns,
with no ruling lines to find a table by. Before, such a PDF gave no measure at all ("no measures found");
now the columns under a line of column words are read as the table they were in the workbook.
Layouts after 沼津市's 市民協働重点プロジェクト 年次計画 (project names as printed there) and common
進行管理シート (令和5年度 over 計画 | 実績); the sentences are our own."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Border, Side

from pipeline.ingest import ingest_file
from pipeline.settings import PdfSettings, ReadSettings
from tests.docmaker import libreoffice_pdf

ENGINES = ("pdfplumber", "pdfium")


def _sheet(path: Path, rows: list[list[object]], widths: list[int], bordered: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for col, width in zip("ABCDEFGHIJ", widths):
        ws.column_dimensions[col].width = width
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.page_setup.orientation = "landscape"
    thin = Side(style="thin")
    if bordered:
        for line in ws.iter_rows(min_row=2, max_row=len(rows), max_col=len(widths)):
            for c in line:
                c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def sheet_pdf(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """The LibreOffice PDF of a sheet, made once for both engines' tests (a conversion takes a second or two)."""
    made: dict[str, Path] = {}
    folder = tmp_path_factory.mktemp("sheets")

    def pdf(name: str, rows: list[list[object]], widths: list[int], bordered: bool = False) -> Path:
        if name not in made:
            made[name] = libreoffice_pdf(_sheet(folder / f"{name}.xlsx", rows, widths, bordered))
        return made[name]
    return pdf


def _fields(path: Path, engine: str) -> list[tuple[object, ...]]:
    doc = ingest_file(path, use_cache=False, settings=ReadSettings(pdf=PdfSettings(pdf_engine=engine), ocr="never"))
    return [(i.name, i.departments, i.tags, i.content, dict(i.schedule), i.status) for i in doc.items]


TORIKUMI = [
    ["令和6年度 市民協働推進プラン 取組一覧"],
    ["取組名", "取組内容", "担当課", "区分"],
    ["市民活動支援センターの運営", "団体の相談と交流の拠点を運営する。", "市民協働課", "継続"],
    ["市民提案型協働事業", "団体の企画を市と協働で実施する。", "市民活動支援課", "拡充"],
    ["自治会について語ろう会", "自治会の役員が課題を話し合う場を設ける。", "自治振興課", "新規"],
]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_sheet_without_borders_reads_as_its_bordered_copy(sheet_pdf: Callable[..., Path], engine: str) -> None:
    plain = sheet_pdf("取組一覧", TORIKUMI, [30, 44, 16, 8])
    framed = sheet_pdf("取組一覧_罫線", TORIKUMI, [30, 44, 16, 8], bordered=True)
    got = _fields(plain, engine)
    assert [g[0] for g in got] == [r[0] for r in TORIKUMI[2:]]
    assert [g[1] for g in got] == [("市民協働課",), ("市民活動支援課",), ("自治振興課",)]
    assert [g[2] for g in got] == [("継続",), ("拡充",), ("新規",)]
    assert got == _fields(framed, engine)


NENJI = [
    ["沼津市 市民協働重点プロジェクト 年次計画"],
    ["凡例　○：検討・準備　●：実施　→：継続実施"],
    [],
    [None, None, None, "年次計画"],
    ["プロジェクト名", "主な取組", "担当課", "R6", "R7", "R8", "R9", "R10"],
    ["すごいぞ大地と海のめぐみプロジェクト", "地場産品を味わう催しを市民団体と開く。", "環境政策課", "●", "→", "→", "→", "→"],
    ["ごみニャーぬまづプロジェクト", "ごみ減量の啓発を地域と行う。", "環境政策課", "●", "●", "●", "→", "→"],
    ["ストップ地球温暖化プロジェクト", "省エネの取組を事業者と広げる。", "環境政策課", None, "○", "○", "●", "→"],
]


@pytest.mark.parametrize("engine", ENGINES)
def test_year_columns_under_a_group_label_keep_their_years_and_blanks(sheet_pdf: Callable[..., Path], engine: str) -> None:
    """年次計画 over R6 … R10: the years are the group's, and a year left blank stays blank (the marks are
    centred in their cells, the labels too)."""
    got = _fields(sheet_pdf("年次計画", NENJI, [34, 40, 14, 5, 5, 5, 5, 5]), engine)
    assert [g[0] for g in got] == [r[0] for r in NENJI[5:]]
    years = ["年次計画 R6", "年次計画 R7", "年次計画 R8", "年次計画 R9", "年次計画 R10"]
    assert [g[4] for g in got] == [{y: m for y, m in zip(years, r[3:]) if m} for r in NENJI[5:]]
    assert [g[3] for g in got] == [r[1] for r in NENJI[5:]]


SHINKO = [
    ["令和6年度 協働推進計画 進行管理シート"],
    [None, None, None, "令和5年度", None, "令和6年度"],
    ["No.", "取組名", "担当課", "計画", "実績", "計画", "実績", "評価", "今後の方向性"],
    [1, "協働事業提案制度", "協働推進課", "募集・審査", "3事業を採択", "募集・審査", "2事業を採択", "B", "継続"],
    [2, "市民活動フェスタ", "協働推進課", "開催", "来場1,200人", "開催", "来場1,500人", "A", "拡充"],
    [],
    ["【評価基準】"],
    ["A", "計画以上に進んだ"],
    ["B", "計画どおり進んだ"],
]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_progress_sheet_with_two_header_rows_and_a_number_column(sheet_pdf: Callable[..., Path], engine: str) -> None:
    """令和5年度 | 令和6年度 over 計画 | 実績 | 計画 | 実績, a No. column whose number prints close to the name,
    and the 評価基準 under the table: two measures, their plans and results by year, as the workbook has them."""
    plain = sheet_pdf("進行管理", SHINKO, [5, 22, 12, 12, 14, 12, 14, 6, 12])
    got = _fields(plain, engine)
    assert [g[0] for g in got] == ["協働事業提案制度", "市民活動フェスタ"]
    assert got[0][4] == {"令和5年度 計画": "募集・審査", "令和6年度 計画": "募集・審査"}
    assert got[0][5] == "令和5年度 実績：3事業を採択; 令和6年度 実績：2事業を採択; 評価：B; 今後の方向性：継続"
    assert got[1][1:] == (("協働推進課",), (), "", {"令和5年度 計画": "開催", "令和6年度 計画": "開催"},
                          "令和5年度 実績：来場1,200人; 令和6年度 実績：来場1,500人; 評価：A; 今後の方向性：拡充")


@pytest.mark.parametrize("engine", ENGINES)
def test_aligned_text_without_column_words_stays_text(sheet_pdf: Callable[..., Path], engine: str) -> None:
    """Lines a tab's width apart are a table only under a line of column words: a list of dates and
    events (no header) is read as lines, as before, and makes up no measure."""
    rows = [["市民活動の日程"], ["4月", "総会を開く。"], ["7月", "交流会を開く。"], ["10月", "フェスタを開く。"]]
    doc = ingest_file(sheet_pdf("日程", rows, [10, 40]), use_cache=False,
                      settings=ReadSettings(pdf=PdfSettings(pdf_engine=engine), ocr="never"))
    assert doc.items == ()
