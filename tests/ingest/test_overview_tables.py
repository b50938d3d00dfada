"""An overview table (施策の体系: 基本目標 | 施策 | 主な取組, names and headings only) before the measures
printed in full, in a table or as numbered lines: each measure is read once, with the overview's
headings where its own place has none; an overview with no measures printed elsewhere is the plan's
list of measures, read as before."""
from __future__ import annotations

from pathlib import Path

import docx

from pipeline.ingest import ingest_file

OVERVIEW = (("基本目標", "施策", "主な取組"),
            ("1 協働の意識づくり", "(1) 意識の啓発", "まちづくり出前講座"),
            ("", "(2) 活動への支援", "市民活動団体補助金"),
            ("2 協働の仕組みづくり", "(1) 提案制度", "協働事業提案制度"))
MEASURES = (("まちづくり出前講座", "自治会に職員が出向き、協働の進め方を説明します。", "市民協働課", "継続"),
            ("市民活動団体補助金", "公益的な活動に取り組む団体に補助金を交付します。", "市民協働課", "継続"),
            ("協働事業提案制度", "団体から協働事業の提案を募集し、市と共に実施します。", "市民協働課", "新規"))
PATHS = {"まちづくり出前講座": ("1 協働の意識づくり", "(1) 意識の啓発"),
         "市民活動団体補助金": ("1 協働の意識づくり", "(2) 活動への支援"),
         "協働事業提案制度": ("2 協働の仕組みづくり", "(1) 提案制度")}


def _table(d: docx.document.Document, rows: tuple[tuple[str, ...], ...]) -> None:
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for i, v in enumerate(row):
            t.cell(r, i).text = v


def _plan(path: Path, measures: str) -> Path:
    d = docx.Document()
    d.add_paragraph("令和7年度 市民協働推進アクションプラン")
    d.add_paragraph("施策の体系")
    _table(d, OVERVIEW)
    d.add_paragraph("具体的な取組")
    if measures == "table":
        _table(d, (("事業名", "内容", "担当課", "区分"), *MEASURES))
    elif measures == "lines":
        for n, (name, content, dept, _) in enumerate(MEASURES, 1):
            d.add_paragraph(f"（{n}）{name}（{dept}）")
            d.add_paragraph(content)
    d.save(str(path))
    return path


def test_an_overview_then_a_table_of_the_measures_reads_each_measure_once(tmp_path: Path) -> None:
    doc = ingest_file(_plan(tmp_path / "plan.docx", "table"), use_cache=False)
    assert [(i.name, i.path, i.departments, i.tags) for i in doc.items] == [
        (name, PATHS[name], (dept,), (tag,)) for name, _, dept, tag in MEASURES]
    assert all(i.content for i in doc.items)


def test_an_overview_then_the_measures_as_numbered_lines_reads_the_lines(tmp_path: Path) -> None:
    """The lines' contents and departments are not lost to the overview's bare names."""
    doc = ingest_file(_plan(tmp_path / "plan.docx", "lines"), use_cache=False)
    assert [(i.name, i.path, i.content, i.departments) for i in doc.items] == [
        (name, PATHS[name], content, (dept,)) for name, content, dept, _ in MEASURES]


def test_an_overview_alone_is_the_list_of_measures(tmp_path: Path) -> None:
    doc = ingest_file(_plan(tmp_path / "plan.docx", "none"), use_cache=False)
    assert [(i.name, i.path) for i in doc.items] == list(PATHS.items())
