"""A plan's table of indicators headed by a name's word (項目 | 現状値 | 目標値, 指標項目 | 基準値 | 目標値 | 備考),
as many 市民協働推進計画 print their 成果指標: its rows are indicators, not measures. Before, 市民活動団体の登録数
and the like were read as the plan's measures, in Word and in its PDF. A table headed 指標名 was already
not read as measures; a measure table with an indicator column (取組 | 内容 | 指標 | 目標値) still is."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline.ingest import ingest_file
from tests.docmaker import libreoffice_pdf

MEASURES = [("市民協働出前講座", "地域に出向いて協働の考え方を伝える。", "市民協働課"),
            ("協働事例集の発行", "協働の事例を集めて冊子にする。", "市民協働課")]
INDICATORS = [("市民活動団体の登録数", "120団体", "150団体", "市民協働課"),
              ("協働事業の実施件数", "35件", "50件", "市民協働課"),
              ("市民協働を知っている市民の割合", "32.5%", "50%", "市民協働課")]


def _table(document: docx.Document, header: list[str], rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text


def _plan(path: Path, header: str) -> Path:
    document = docx.Document()
    document.add_paragraph("第2次市民協働推進計画")
    document.add_heading("第4章 施策の展開", 1)
    document.add_heading("基本目標1 協働の担い手づくり", 2)
    _table(document, ["取組", "内容", "担当課"], MEASURES)
    document.add_heading("第5章 成果指標", 1)
    document.add_paragraph("計画の進み具合を測るため、次の指標を設定します。")
    _table(document, header.split(","), INDICATORS)
    document.save(path)
    return path


@pytest.mark.parametrize("header", ["項目,現状値（令和5年度）,目標値（令和10年度）,担当課", "指標項目,基準値,目標値,備考",
                                    "指標名,現状値,目標値,担当課"])
def test_a_table_of_indicators_gives_no_measures(tmp_path: Path, header: str) -> None:
    items = ingest_file(_plan(tmp_path / "計画.docx", header), use_cache=False).items
    assert [i.name for i in items] == [m[0] for m in MEASURES]


def test_its_libreoffice_pdf_neither(tmp_path: Path) -> None:
    pdf = libreoffice_pdf(_plan(tmp_path / "計画.docx", "項目,現状値,目標値,担当課"))
    assert [i.name for i in ingest_file(pdf, use_cache=False).items] == [m[0] for m in MEASURES]


def test_a_measure_table_with_an_indicator_column_is_still_measures(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("第2次市民協働推進計画")
    document.add_heading("基本目標1 協働の担い手づくり", 1)
    _table(document, ["取組", "内容", "指標", "目標値"],
           [("市民協働出前講座", "地域に出向いて協働の考え方を伝える。", "講座の開催回数", "年10回"),
            ("協働事例集の発行", "協働の事例を集めて冊子にする。", "発行部数", "1,000部")])
    document.save(tmp_path / "計画.docx")
    items = ingest_file(tmp_path / "計画.docx", use_cache=False).items
    assert [i.name for i in items] == ["市民協働出前講座", "協働事例集の発行"]
