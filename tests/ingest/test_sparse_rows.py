"""A measure printed with its name alone (its 内容 and 担当課 still blank, as in a plan being drafted or a
list of 主な取組): before, a table row with one cell filled was taken for a heading or a note line inside
the table, so the measure was lost. It is now a measure in Word, Excel and PDF alike, while a heading
written from the row's start, a band merged across the row and a ※ note stay lines. Names are real
measures' as printed (秦野市, 安城市, 一関市 pages); the contents are in our own words."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from pipeline.ingest import ingest_file
from tests.docmaker import libreoffice_pdf

HEADER = ["施策", "取組", "内容", "担当課"]
ROWS = [
    ("協働の意識づくり", "市民協働出前講座", "職員が地域に出向いて協働の考え方を話す。", "市民協働課"),
    ("", "市民協働事例集の発行", "", ""),  # the name alone
    ("", "協働パネル展", "", "市民協働課"),
    ("", "※ 再掲の取組は省略", "", ""),  # a note: not a measure
    ("", "基本施策(2) 担い手づくり", "", ""),  # a sub-heading typed in the name's column: a heading
    ("協働の仕組みづくり", "市民提案型協働事業", "市民団体の提案を受けて市と協働で事業を行う。", "企画課"),
]
EXPECTED = [
    ("市民協働出前講座", ("協働の意識づくり",), ("市民協働課",)),
    ("市民協働事例集の発行", ("協働の意識づくり",), ()),
    ("協働パネル展", ("協働の意識づくり",), ("市民協働課",)),
    ("市民提案型協働事業", ("基本施策(2) 担い手づくり", "協働の仕組みづくり"), ("企画課",)),  # (under the sub-heading)
]


def _word(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("第2次市民協働推進行動計画")
    table = document.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
    for r, values in enumerate(ROWS, start=1):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    document.save(path)
    return path


def _workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["第2次市民協働推進行動計画"])
    ws.append(HEADER)
    for values in ROWS:
        ws.append(list(values))
    wb.save(path)
    return path


def _read(path: Path) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [(i.name, i.path, i.departments) for i in ingest_file(path, use_cache=False).items]


def test_a_measure_with_its_name_alone_is_a_measure_in_word_and_excel(tmp_path: Path) -> None:
    assert _read(_word(tmp_path / "行動計画.docx")) == EXPECTED
    assert _read(_workbook(tmp_path / "行動計画.xlsx")) == EXPECTED


def test_a_measure_with_its_name_alone_is_a_measure_in_the_pdf(tmp_path: Path) -> None:
    assert _read(libreoffice_pdf(_word(tmp_path / "行動計画.docx"))) == EXPECTED


def test_a_heading_written_from_the_rows_start_stays_a_heading(tmp_path: Path) -> None:
    """(取組 | 内容 | 担当課 with a 施策 heading in the first cell of a row of its own, cells not merged)"""
    import docx

    document = docx.Document()
    document.add_paragraph("第2次市民協働推進行動計画")
    rows = [("取組", "内容", "担当課"), ("施策1 協働の意識づくり", "", ""),
            ("市民協働出前講座", "職員が地域に出向いて協働の考え方を話す。", "市民協働課"),
            ("施策2 協働の仕組みづくり", "", ""),
            ("市民提案型協働事業", "市民団体の提案を受けて市と協働で事業を行う。", "企画課")]
    table = document.add_table(rows=len(rows), cols=3)
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    document.save(tmp_path / "見出し.docx")
    assert [(name, path) for name, path, _ in _read(tmp_path / "見出し.docx")] == [
        ("市民協働出前講座", ("施策1 協働の意識づくり",)), ("市民提案型協働事業", ("施策2 協働の仕組みづくり",))]
