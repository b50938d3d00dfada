"""Layouts that the day's reading rules first misread, found by a review that compared the readings
before and after them (each test fails on the commit whose rule it guards): a ★ コラム box under a measure,
measures named …計画の策定 or …体制, 評価基準 in a 施策's title, a header repeated with 実績（令和6年度）, a
merged 項目 beside 主な取組, a measure's own sentence above its detail table, 成果指標 years inside a
取組シート, partners and facilities in brackets, a legend's 新たに重点的に…, and bodies before ・."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline.ingest import ingest_file
from pipeline.ingest.structure import split_departments
from pipeline.ingest.structure.marks import tag_of
from pipeline.ingest.structure.outline import reference_matter
from pipeline.ingest.structure.tables import label_like
from tests.docmaker import add_label_table


def _text_plan(tmp_path: Path, lines: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    path = tmp_path / "計画.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return [(i.name, i.departments) for i in ingest_file(path, use_cache=False).items]


def test_a_star_box_under_a_measure_is_no_measure(tmp_path: Path) -> None:
    """★ポイント under ① (no legend defines ★): content, as before, not a bullet that turns ① into a heading."""
    found = _text_plan(tmp_path, ["第2次市民協働推進計画", "(1) 担い手の育成", "① 市民活動講座の開催（市民協働課）",
                                  "団体の運営に役立つ講座を開きます。", "★ポイント", "初めての人も参加できます。",
                                  "② 地域デビュー応援事業（生涯学習課）", "退職した人の地域デビューを応援します。"])
    assert [n for n, _ in found] == ["市民活動講座の開催", "地域デビュー応援事業"]


def test_measures_named_like_sections_stay_measures(tmp_path: Path) -> None:
    found = _text_plan(tmp_path, ["第3次市民協働推進計画", "基本目標4 協働を進める仕組みづくり", "(1) 計画・条例の整備",
                                  "① 市民協働推進行動計画の策定", "毎年度の行動計画をつくります。", "担当課：市民協働課",
                                  "② 庁内の協働推進体制", "各課の推進員で協働を進めます。", "③ 地域福祉計画策定",
                                  "地域福祉の計画を市民と定めます。"])
    assert [n for n, _ in found] == ["市民協働推進行動計画の策定", "庁内の協働推進体制", "地域福祉計画策定"]


@pytest.mark.parametrize(("caption", "reference"), [
    ("4 市民アンケート結果（抜粋）", True), ("【評価基準】", True), ("(3) 協働事業の評価基準づくり", False),
    ("(4) 市民意識調査結果の活用", False), ("用語の解説", True)])
def test_reference_captions_end_with_their_word(caption: str, reference: bool) -> None:
    assert reference_matter(caption) is reference


@pytest.mark.parametrize("cell", ["実績（令和6年度）", "評価(R6)", "備考", "市民", "取組名", "令和6年度"])
def test_a_repeated_headers_cells_read_as_labels(cell: str) -> None:
    assert label_like(cell)


def test_a_merged_item_beside_main_works_keeps_the_works(tmp_path: Path) -> None:
    """項目 (the 施策, merged down) | 主な取組 | 担当課: each 主な取組 is a measure."""
    document = docx.Document()
    document.add_paragraph("第2次市民協働推進計画")
    rows = [["項目", "主な取組", "担当課"], ["協働の担い手づくり", "市民活動講座の開催", "市民協働課"],
            ["", "地域デビュー応援事業", "生涯学習課"], ["", "協働コーディネーターの養成", "市民協働課"]]
    table = document.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(3, 0)).text = rows[1][0]
    document.save(tmp_path / "計画.docx")
    names = [i.name for i in ingest_file(tmp_path / "計画.docx", use_cache=False).items]
    assert names[-2:] == ["地域デビュー応援事業", "協働コーディネーターの養成"] and len(names) == 3


def test_a_measures_own_sentence_does_not_name_its_detail_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("第2次市民協働推進計画")
    document.add_paragraph("(1) 地域で支え合う仕組みづくり")
    document.add_paragraph("① 地域見守りネットワーク事業")
    document.add_paragraph("高齢者の見守り活動を地域と一緒に進める取組")
    add_label_table(document, (("内容", "協力事業所と見守りの網をつくる。"), ("担当課", "高齢介護課"),
                               ("実施時期", "令和6年度から")))
    document.save(tmp_path / "計画.docx")
    names = [i.name for i in ingest_file(tmp_path / "計画.docx", use_cache=False).items]
    assert "高齢者の見守り活動を地域と一緒に進める取組" not in names and "地域見守りネットワーク事業" in names


def test_indicator_years_inside_a_sheet_stay_its_indicators(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("市民協働推進計画 取組シート")
    table = document.add_table(rows=0, cols=4)
    for cells in (("取組名", "市民活動団体育成支援事業", "", ""), ("取組内容", "団体の運営を講座で支える。", "", ""),
                  ("担当課", "市民協働課", "", ""), ("成果指標", "令和6年度", "令和7年度", "令和8年度"),
                  ("講座の参加者数", "120人", "140人", "160人")):
        for cell, text in zip(table.add_row().cells, cells):
            cell.text = text
    document.save(tmp_path / "シート.docx")
    items = ingest_file(tmp_path / "シート.docx", use_cache=False).items
    assert [i.name for i in items] == ["市民活動団体育成支援事業"] and items[0].schedule == {}
    assert items[0].kpis and items[0].kpis[0].get("令和6年度") == "120人"


def test_partners_and_facilities_in_brackets_are_no_departments(tmp_path: Path) -> None:
    found = _text_plan(tmp_path, ["第2次市民協働推進計画", "(1) 担い手の育成",
                                  "① ボランティア登録の推進【連携：社会福祉協議会ボランティアセンター】", "登録者と活動先をつなぎます。",
                                  "② 市民交流拠点の管理運営【市民交流センター】", "指定管理者と協働で拠点を運営します。",
                                  "③ 地域防災訓練の支援", "自主防災組織の訓練を支援します。（協力：消防本部）"])
    assert all(d == () for _, d in found)


def test_a_legend_tags_by_its_word_before_new() -> None:
    assert tag_of("新たに重点的に取り組む事業") == "重点" and tag_of("新たに取り組む事業") == "新規"


@pytest.mark.parametrize(("cell", "departments"), [("各小中学校・学校教育課", ["各小中学校", "学校教育課"]),
                                                   ("市・社会福祉協議会", ["市", "社会福祉協議会"]),
                                                   ("市民・NPO活動推進課", ["市民・NPO活動推進課"])])
def test_bodies_before_a_dot_are_their_own(cell: str, departments: list[str]) -> None:
    assert split_departments(cell) == departments
