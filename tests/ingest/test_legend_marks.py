"""Measures led by the marks a plan's 凡例 defines, in running text (菊川市's 協働の指針: 【凡例】 ★：重点的に取り組む
事業 新：新たに取り組む事業, then ★ 市民協働センターの機能拡充, ・ コミュニティセンター等の利用促進, 新 提案型
協働事業交付金の検討, each with its sentence). Before, the ★ measure was lost, the 新 one glued into the
content of the one before, and the legend was taken for the document's title. The names are 菊川市's as
printed; the sentences are our own."""
from __future__ import annotations

from pathlib import Path

import docx

from pipeline.ingest import ingest_file
from tests.docmaker import libreoffice_pdf

LINES = ["第4章　具体的な取り組み", "【凡例】　★：重点的に取り組む事業　　新：新たに取り組む事業", "基本方針1　活動の拠点と資金",
         "★ 市民協働センターの機能拡充", "相談や交流の機能を高め、活動の拠点として充実させます。",
         "・ コミュニティセンター等の利用促進", "地域の集いの場としての利用を広げます。",
         "新 提案型協働事業交付金の検討", "団体からの提案による事業を支える仕組みを検討します。"]


def _plan(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("菊川市協働の指針")
    for line in LINES:
        document.add_paragraph(line)
    document.save(path)
    return path


def test_marks_the_legend_defines_lead_measures(tmp_path: Path) -> None:
    doc = ingest_file(_plan(tmp_path / "指針.docx"), use_cache=False)
    assert doc.title == "菊川市協働の指針"
    assert [(i.name, i.tags, i.content) for i in doc.items] == [
        ("市民協働センターの機能拡充", ("重点",), "相談や交流の機能を高め、活動の拠点として充実させます。"),
        ("コミュニティセンター等の利用促進", (), "地域の集いの場としての利用を広げます。"),
        ("提案型協働事業交付金の検討", ("新規",), "団体からの提案による事業を支える仕組みを検討します。")]


def test_the_star_measure_in_its_pdf_too(tmp_path: Path) -> None:
    """(The PDF closes the space after 新, so 新提案型… cannot be told from a name that starts with 新: that
    line stays the content of the measure before it.)"""
    items = ingest_file(libreoffice_pdf(_plan(tmp_path / "指針.docx")), use_cache=False).items
    assert [(i.name, i.tags) for i in items][:2] == [("市民協働センターの機能拡充", ("重点",)),
                                                     ("コミュニティセンター等の利用促進", ())]


def _table_plan(path: Path, legend: bool, header: list[str], rows: list[list[str]]) -> Path:
    document = docx.Document()
    document.add_paragraph("菊川市協働の指針")
    if legend:
        document.add_paragraph("【凡例】★：重点的に取り組む事業")
    document.add_paragraph("基本方針1 活動の拠点づくり")
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    document.save(path)
    return path


def test_a_star_before_a_name_in_a_table_tags_it_as_the_legend_says(tmp_path: Path) -> None:
    """★市民協働センターの機能拡充 in a 取組名 cell under 【凡例】★：重点的に取り組む事業: before, the ★ was dropped and
    nothing said 重点; a 重点 column holding the word 重点 was ignored too."""
    rows = [["★市民協働センターの機能拡充", "相談や交流の機能を高める。", "地域支援課"],
            ["コミュニティセンター等の利用促進", "集いの場として利用を広げる。", "地域支援課"]]
    items = ingest_file(_table_plan(tmp_path / "a.docx", True, ["取組名", "取組内容", "担当課"], rows), use_cache=False).items
    assert [(i.name, i.tags, i.actor) for i in items] == [("市民協働センターの機能拡充", ("重点",), None),
                                                          ("コミュニティセンター等の利用促進", (), None)]
    worded = [[r[0].lstrip("★"), r[1], r[2], w] for r, w in zip(rows, ("重点", ""))]
    items = ingest_file(_table_plan(tmp_path / "b.docx", False, ["取組名", "取組内容", "担当課", "重点"], worded),
                        use_cache=False).items
    assert [i.tags for i in items] == [("重点",), ()]
