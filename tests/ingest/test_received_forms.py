"""Plans in the forms planners receive them, found by building them from real plans' pages and reading
them as a planner would: a Word plan whose measure chapter is followed by a heading without a number
(計画の推進にあたって), … Measure names are as printed in a 市民参加推進計画 (取組事項 (1) 情報の共有化);
the sentences and departments are our own."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline.ingest import ingest_file

MEASURES = [("①正確で分かりやすい情報の整備【継続】", "市が出す情報を誰にでも読みやすい形に整えます。", "広報広聴課"),
            ("②適時適切な情報の提供【拡充】", "必要な時期に必要な情報が届くよう、発信の時期と方法を見直します。", "広報広聴課"),
            ("③情報を得る手段の拡充【新規】", "SNSや動画など、情報を受け取る手段を増やします。", "情報政策課")]
NAMES = ["正確で分かりやすい情報の整備", "適時適切な情報の提供", "情報を得る手段の拡充"]


def _measures(document: docx.document.Document) -> None:
    document.add_heading("基本方針1　市民との情報の共有化", 2)
    for name, content, department in MEASURES:
        document.add_paragraph().add_run(name).bold = True
        document.add_paragraph(content)
        document.add_paragraph(f"担当課：{department}")


@pytest.mark.parametrize("level", [1, 2])
def test_a_heading_without_a_number_after_the_measures_closes_them(tmp_path: Path, level: int) -> None:
    """計画の推進にあたって in 見出し1 or 2 after ①②③ under 基本方針1 (見出し2): before, it was nested under ③,
    which so became a heading, and every measure was lost (no measures found)."""
    document = docx.Document()
    document.add_paragraph("参加・協働のまちづくり推進計画")
    _measures(document)
    document.add_heading("計画の推進にあたって", level)
    document.add_paragraph("毎年度、取組の状況を確かめ、次の年度に生かします。")
    document.save(tmp_path / "計画.docx")
    doc = ingest_file(tmp_path / "計画.docx", use_cache=False)
    assert [i.name for i in doc.items] == NAMES
    assert [i.content for i in doc.items] == [m[1] for m in MEASURES]
    assert [i.tags for i in doc.items] == [("継続",), ("拡充",), ("新規",)]
    assert all(i.path == ("基本方針1 市民との情報の共有化",) for i in doc.items)


def test_a_schedule_table_under_its_own_heading_joins_the_measures(tmp_path: Path) -> None:
    """取組の年次計画 in 見出し2 over 取組名 | R6 | R7 | R8: the stages are the measures' schedule; before, the
    table's rows replaced the measures (no content, no 区分, the last measure's name in their path)."""
    document = docx.Document()
    _measures(document)
    document.add_heading("取組の年次計画", 2)
    rows = [("取組名", "R6", "R7", "R8"), ("正確で分かりやすい情報の整備", "実施", "→", "→"),
            ("適時適切な情報の提供", "検討", "試行", "実施"), ("情報を得る手段の拡充", "制度設計", "募集", "実施")]
    table = document.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(tmp_path / "計画.docx")
    items = ingest_file(tmp_path / "計画.docx", use_cache=False).items
    assert [i.name for i in items] == NAMES
    assert [i.content for i in items] == [m[1] for m in MEASURES]
    assert [dict(i.schedule) for i in items] == [dict(zip(rows[0][1:], r[1:])) for r in rows[1:]]
