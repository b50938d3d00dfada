"""Cells merged down in a plan's table, read alike in Word, Excel and PDF: a measure whose name is
merged over two rows is one measure with the stages of both (before, Word gave it twice and the other
formats took the lower row's 実施 for a heading line), and a 区分 or a year's stage merged down beside
several measures is each of theirs (before, only Word's reader repeated it)."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.ingest import ingest_file
from tests.docmaker import libreoffice_pdf

YEARS = ["令和7年度", "令和8年度", "令和9年度"]


def _word(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("第2次市民協働推進計画 年次計画")
    table = document.add_table(rows=5, cols=3 + len(YEARS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["区分", "取組", "担当課", *YEARS]):
        cell.text = text
    rows = [("重点", "市民提案型協働事業", "市民活動支援課", "検討", "", ""),
            ("", "", "", "", "", "実施"),  # the measure's lower row
            ("", "市民協働事業提案制度", "地域づくり課", "実施", "", ""),
            ("新規", "協働コーディネーター養成講座", "生涯学習課", "", "実施", "")]
    for r, values in enumerate(rows, start=1):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(3, 0))  # 重点 beside the first two measures
    table.cell(1, 1).merge(table.cell(2, 1))  # the first measure's name and department over two rows
    table.cell(1, 2).merge(table.cell(2, 2))
    table.cell(3, 3).merge(table.cell(4, 3))  # 実施 in 令和7年度 beside the last two
    document.save(path)
    return path


def _workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["区分", "取組", "担当課", *YEARS])
    ws.append(["重点", "市民提案型協働事業", "市民活動支援課", "検討", None, None])
    ws.append([None, None, None, None, None, "実施"])
    ws.append([None, "市民協働事業提案制度", "地域づくり課", "実施", None, None])
    ws.append(["新規", "協働コーディネーター養成講座", "生涯学習課", None, "実施", None])
    for rng in ("A2:A4", "B2:B3", "C2:C3", "D4:D5"):
        ws.merge_cells(rng)
    wb.save(path)
    return path


EXPECTED = [
    ("市民提案型協働事業", ("市民活動支援課",), ("重点",), {"令和7年度": "検討", "令和9年度": "実施"}),
    ("市民協働事業提案制度", ("地域づくり課",), ("重点",), {"令和7年度": "実施"}),
    ("協働コーディネーター養成講座", ("生涯学習課",), ("新規",), {"令和7年度": "実施", "令和8年度": "実施"}),
]


@pytest.mark.parametrize("make", [_word, _workbook], ids=["docx", "xlsx"])
def test_cells_merged_down_are_read_alike(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / ("年次計画.docx" if make is _word else "年次計画.xlsx"))
    doc = ingest_file(path, use_cache=False)
    assert [(i.name, i.departments, i.tags, i.schedule) for i in doc.items] == EXPECTED


def test_the_word_tables_pdf_reads_the_same(tmp_path: Path) -> None:
    doc = ingest_file(libreoffice_pdf(_word(tmp_path / "年次計画.docx")), use_cache=False)
    assert [(i.name, i.departments, i.tags, i.schedule) for i in doc.items] == EXPECTED
