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


def _taikei(path: Path) -> Path:
    """施策の体系 drawn as a table (郡山市's 基本方針 | 基本施策 | 主な取組 as printed), the heading cells merged
    down beside the 取組 of each, one 取組 a row and no 内容 column."""
    import docx

    document = docx.Document()
    document.add_paragraph("施策の体系")
    rows = [["基本方針", "基本施策", "主な取組"],
            ["1 協働のまちを支えるひとづくり", "(1) 協働を支える人材の育成と協働意識の醸成", "若者の人材育成"],
            ["", "", "ワークライフバランスの推進"],
            ["", "", "協働意識の醸成"],
            ["", "(2) 協働の担い手となる人材の活用", "シニア世代の知識・経験の活用"]]
    table = document.add_table(rows=len(rows), cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(4, 0)).text = rows[1][0]
    table.cell(1, 1).merge(table.cell(3, 1)).text = rows[1][1]
    document.save(path)
    return path


TAIKEI = [("若者の人材育成", "(1) 協働を支える人材の育成と協働意識の醸成"), ("ワークライフバランスの推進", "(1) 協働を支える人材の育成と協働意識の醸成"),
          ("協働意識の醸成", "(1) 協働を支える人材の育成と協働意識の醸成"), ("シニア世代の知識・経験の活用", "(2) 協働の担い手となる人材の活用")]


def test_each_listed_measure_beside_merged_headings(tmp_path: Path) -> None:
    """Before, a 取組 row whose heading cells were merged down from above was dropped (2 of 4 here)."""
    items = ingest_file(_taikei(tmp_path / "体系.docx"), use_cache=False).items
    assert [(i.name, i.path) for i in items] == [(n, ("1 協働のまちを支えるひとづくり", h)) for n, h in TAIKEI]


def test_each_listed_measure_in_its_libreoffice_pdf(tmp_path: Path) -> None:
    items = ingest_file(libreoffice_pdf(_taikei(tmp_path / "体系.docx")), use_cache=False).items
    assert [(i.name, i.path[-1]) for i in items] == TAIKEI
