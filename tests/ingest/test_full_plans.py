"""Whole plans as city offices publish them (cover, 目次, 第1章 … 資料編), read for exactly the measures a
planner would list, found by building full plans from real plans' tables of contents: the 基本目標 ›
施策 › 取組 hierarchy, … Heading and measure names follow public plans; the sentences are our own."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline.ingest import ingest_file
from tests.docmaker import add_table, libreoffice_pdf


def _goal_and_policy(path: Path, goal: str) -> Path:
    document = docx.Document()
    document.add_paragraph("市民協働推進計画")
    document.add_heading("第4章　施策の展開", 1)
    document.add_heading(f"{goal}1　情報の共有と対話", 2)
    for policy, rows in (("施策1　広報広聴活動の充実", [("まちづくり出前トーク", "職員が地域に出向きます。", "広報課")]),
                         ("施策1-2　市民参加の推進", [("パブリックコメント手続の活用", "意見を募ります。", "政策推進課")])):
        document.add_heading(policy, 3)
        add_table(document, [("取組名", "取組内容", "担当課"), *rows])
    document.save(path)
    return path


@pytest.mark.parametrize("goal", ["基本目標", "基本方針"])
@pytest.mark.parametrize("pdf", [False, True])
def test_a_goal_above_its_policies_stays_in_the_path(tmp_path: Path, goal: str, pdf: bool) -> None:
    """基本目標1 › 施策1 › the measures table: the measure's policy is 基本目標1 and 施策1 its heading. Before, 施策1
    closed 基本目標1 as if they were one level, and 施策1-2 was printed 施策1 -2."""
    path = _goal_and_policy(tmp_path / "計画.docx", goal)
    items = ingest_file(libreoffice_pdf(path) if pdf else path, use_cache=False).items
    assert [i.name for i in items] == ["まちづくり出前トーク", "パブリックコメント手続の活用"]
    assert [i.path[1:] for i in items] == [(f"{goal}1 情報の共有と対話", "施策1 広報広聴活動の充実"),
                                           (f"{goal}1 情報の共有と対話", "施策1-2 市民参加の推進")]
    assert items[0].policy == f"{goal}1 情報の共有と対話" and items[0].measure == "施策1 広報広聴活動の充実"


@pytest.mark.parametrize("pdf", [False, True])
def test_the_closing_chapter_and_the_appendix_hold_no_measures(tmp_path: Path, pdf: bool) -> None:
    """After 第4章's ① measures, 第5章 計画の推進 (1 推進体制, 2 進行管理) and 資料編 (1 策定経過, 2 用語解説), each in
    見出し with a paragraph: only the measures. Before, the four sections were measures too."""
    document = docx.Document()
    document.add_paragraph("協働によるまちづくり推進計画")
    document.add_heading("第4章　具体的な取組", 1)
    document.add_heading("基本方針1　地域運営の体制づくり", 2)
    for name, text, department in (("①地域運営組織の立ち上げ支援", "組織づくりの相談に応じます。", "まちづくり定住課"),
                                   ("②集落支援員の配置", "地域の見守りを担う支援員を置きます。", "まちづくり定住課")):
        document.add_paragraph(name)
        document.add_paragraph(text)
        document.add_paragraph(f"担当課：{department}")
    for chapter, sections in (("第5章　計画の推進", ("1　推進体制", "2　進行管理")), ("資料編", ("1　策定経過", "2　用語解説"))):
        document.add_heading(chapter, 1)
        for section in sections:
            document.add_heading(section, 2)
            document.add_paragraph("毎年度、取組の状況を確かめて公表します。")
    document.save(tmp_path / "計画.docx")
    path = libreoffice_pdf(tmp_path / "計画.docx") if pdf else tmp_path / "計画.docx"
    items = ingest_file(path, use_cache=False).items
    assert [(i.name, i.departments) for i in items] == [("地域運営組織の立ち上げ支援", ("まちづくり定住課",)),
                                                        ("集落支援員の配置", ("まちづくり定住課",))]


def test_the_period_stated_in_the_first_chapter(tmp_path: Path) -> None:
    """A cover (令和7年3月), 市長あいさつ and 目次 before 第1章's 3 計画の期間: the period is the plan's, and its
    first year the fiscal year (not 令和6年度 from the cover's month); the chapter closes 3 計画の期間."""
    document = docx.Document()
    for line in ("第2次横須賀市市民協働推進計画", "令和7年3月", "横須賀市", "市長あいさつ", *["協働のまちづくりを進めてまいります。"] * 12):
        document.add_paragraph(line)
    document.add_heading("第1章　計画の策定にあたって", 1)
    document.add_paragraph("3　計画の期間")
    document.add_paragraph("本計画の期間は、令和7年度から令和11年度までの5年間とします。")
    document.add_heading("第4章　施策の展開", 1)
    document.add_paragraph("①まちづくり出前トーク")
    document.add_paragraph("職員が地域に出向きます。")
    document.add_paragraph("担当課：広報課")
    document.save(tmp_path / "計画.docx")
    doc = ingest_file(tmp_path / "計画.docx", use_cache=False)
    assert doc.period == "令和7年度から令和11年度"
    assert doc.fiscal_year is not None and doc.fiscal_year.label == "令和7年度"
    assert [(i.name, i.path) for i in doc.items] == [("まちづくり出前トーク", ("第4章 施策の展開",))]


def test_a_prefectures_plan_and_a_department_named_with_dots(tmp_path: Path) -> None:
    """宮崎県's みやざき社会貢献活動促進基本方針: the author is 宮崎県 (no municipality is named), and its
    生活・協働・男女参画課 is one department."""
    path = tmp_path / "基本方針.txt"
    path.write_text("みやざき社会貢献活動促進基本方針（第2期）\n宮崎県\n第3章　施策の展開方向\n"
                    "①ボランティアフェアの開催【継続】\n年1回開きます。\n担当課：生活・協働・男女参画課\n", encoding="utf-8")
    doc = ingest_file(path, use_cache=False)
    assert doc.city == "宮崎県"
    assert [i.departments for i in doc.items] == [("生活・協働・男女参画課",)]


def test_bullets_in_a_pdf_cell_with_a_wrapped_line() -> None:
    """本宮市's 施策の柱 | 主な取組 | 担当課: ・審議会等への女性の登用促進 ⏎ ・ワーク・ライフ・バランスの ⏎ 啓発 in a PDF's
    narrow cell are two measures (the wrapped 啓発 is the second's). Before, one measure named with both."""
    from pipeline.ingest.structure import parse_blocks
    from pipeline.model import Block, Source

    src = Source("x.pdf", page=1, table=1, row=1)
    blocks = [Block("", src, ("施策の柱", "主な取組", "担当課")),
              Block("", src, ("男女共同参画の推進", "・審議会等への女性の登用促進\n・ワーク・ライフ・バランスの\n啓発",
                              "商工観光課\n政策推進課"))]
    doc = parse_blocks(blocks, path="x.pdf", sha256="", fmt="pdf", cjk_spaces=True)
    assert [i.name for i in doc.items] == ["審議会等への女性の登用促進", "ワーク・ライフ・バランスの啓発"]
