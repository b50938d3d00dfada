"""A 取組シート printed as one table: label | value rows (取組名, 取組内容, 担当課), then the 年次計画 inside the
same table (年次計画 | 令和6年度 | 令和7年度 | 令和8年度, the stages under it, a 実績 row under those). Before,
the sheet's name, content and department were read but its year rows were dropped, so the draft and the
進行管理シート had no schedule for it. Read alike in Word and its LibreOffice PDF. Names and the layout
follow real 取組シート; the contents are in our own words."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline.ingest import ingest_file
from tests.docmaker import libreoffice_pdf

SHEETS = [("市民協働出前講座", "地域に出向いて協働の考え方を伝える。", "市民協働課", ("実施", "実施", "拡充"), ("12回", "", "")),
          ("協働事例集の発行", "協働の事例を集めて冊子にする。", "市民協働課", ("検討", "発行", "改訂"), ("", "", ""))]
YEARS = ("令和6年度", "令和7年度", "令和8年度")


def _sheets(path: Path, merged_label: bool) -> Path:
    document = docx.Document()
    document.add_paragraph("市民協働推進計画 取組シート")
    for name, what, dept, stages, results in SHEETS:
        table = document.add_table(rows=0, cols=4)
        table.style = "Table Grid"

        def row(*cells: str, span: bool = False, table=table):  # type: ignore[no-untyped-def]
            made = table.add_row().cells
            for cell, text in zip(made, cells):
                cell.text = text
            if span:
                made[1].merge(made[3]).text = cells[1]
            return made

        for label, value in (("取組名", name), ("取組内容", what), ("担当課", dept)):
            row(label, value, "", "", span=True)
        head = row("年次計画", *YEARS)
        plan = row("", *stages)
        if merged_label:
            head[0].merge(plan[0])
        if any(results):
            row("実績", *results)
        document.add_paragraph("")
    document.save(path)
    return path


def _check(path: Path) -> None:
    items = ingest_file(path, use_cache=False).items
    assert [(i.name, i.content, i.departments) for i in items] == [(s[0], s[1], (s[2],)) for s in SHEETS]
    assert [i.schedule for i in items] == [dict(zip(YEARS, s[3])) for s in SHEETS]
    assert items[0].status == "令和6年度実績：12回" and items[1].status == ""


@pytest.mark.parametrize("merged_label", [False, True])
def test_the_year_rows_of_a_sheet_give_its_schedule(tmp_path: Path, merged_label: bool) -> None:
    _check(_sheets(tmp_path / "取組シート.docx", merged_label))


def test_its_libreoffice_pdf_alike(tmp_path: Path) -> None:
    _check(libreoffice_pdf(_sheets(tmp_path / "取組シート.docx", True)))
