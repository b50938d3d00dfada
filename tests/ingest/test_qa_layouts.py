"""Layouts a QA pass found read wrongly: bulleted measures with their content on the same line (名前：内容
（課）), tab-separated measures with no header row, 取組シート whose 区分 and year rows are label | value
rows, and the 新規候補 a draft of plandraft writes, read back as its own tag."""
from __future__ import annotations

from pathlib import Path

import docx
import docx.document
import pytest

from pipeline.ingest import ingest_file
from pipeline.ingest.structure import extract_tags
from pipeline.ingest.structure.outline import attribute_role, split_name_content
from pipeline.model import Document
from pipeline.text.normalize import nfkc


def _fields(doc: Document) -> list[tuple[object, ...]]:
    return [(i.path, i.name, i.content, i.departments, i.tags) for i in doc.items]


def _txt(tmp_path: Path, name: str, text: str) -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ingest_file(path, use_cache=False)


# -- bulleted measures, 名前：内容 -----------------------------------------------------------------

def _bullets_docx(title: str, grant_departments: str) -> docx.document.Document:
    """A plan in Word whose measures are bulleted lines 「● 名前：内容（課）」 under ■ headings."""
    d = docx.Document()
    d.add_heading(title, level=0)
    d.add_heading("基本目標1 市民の協働意識の醸成", level=1)
    d.add_paragraph("■ 啓発の推進")
    d.add_paragraph("● 協働出前講座の開催：自治会や学校に職員が出向き、協働の進め方を話します。（市民協働課）")
    d.add_paragraph(f"● 市民活動団体補助金：公益的な活動を始める団体の経費の一部を助成します。（{grant_departments}）")
    d.add_heading("基本目標2 協働の仕組みづくり", level=1)
    d.add_paragraph("■ 提案制度")
    d.add_paragraph("◎ 協働事業提案制度：団体から市と一緒に取り組む事業の提案を受け付けます。（企画課）")
    return d


def test_bulleted_measures_with_content_in_word_are_one_item_each(tmp_path: Path) -> None:
    d = _bullets_docx("令和6年度 市民協働推進アクションプラン", "市民協働課・財政課")
    path = tmp_path / "bullets.docx"
    d.save(str(path))
    doc = ingest_file(path, use_cache=False)
    goal1, goal2 = ("基本目標1 市民の協働意識の醸成", "啓発の推進"), ("基本目標2 協働の仕組みづくり", "提案制度")
    assert _fields(doc) == [
        (goal1, "協働出前講座の開催", "自治会や学校に職員が出向き、協働の進め方を話します。", ("市民協働課",), ()),
        (goal1, "市民活動団体補助金", "公益的な活動を始める団体の経費の一部を助成します。", ("市民協働課", "財政課"), ()),
        (goal2, "協働事業提案制度", "団体から市と一緒に取り組む事業の提案を受け付けます。", ("企画課",), ()),
    ]
    assert [i.measure for i in doc.items] == ["啓発の推進", "啓発の推進", "提案制度"]


@pytest.mark.parametrize("bullet", ["・", "●", "○", "◎"])
def test_a_bulleted_name_and_content_in_text_are_split(tmp_path: Path, bullet: str) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n■ 啓発の推進\n"
               f"{bullet}協働出前講座の開催：地域の集まりに出向いて協働を紹介します。\n"
               f"{bullet}まちづくり出前トーク：市の取組を職員が説明します。（広報課）\n")
    assert [(i.name, i.content, i.departments) for i in doc.items] == [
        ("協働出前講座の開催", "地域の集まりに出向いて協働を紹介します。", ()),
        ("まちづくり出前トーク", "市の取組を職員が説明します。", ("広報課",)),
    ]


def test_a_bullet_the_legend_defines_gives_its_actor(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 協働推進計画\n凡例 ★市民が主体 ●市が主体 ◎市民と市が主体\n■ 情報の共有\n"
               "◎ 市民活動情報サイトの運営：団体の催しを一つのサイトで知らせます。\n● 広報紙での協働特集\n")
    assert [(i.name, i.actor) for i in doc.items] == [("市民活動情報サイトの運営", "both"), ("広報紙での協働特集", "city")]


@pytest.mark.parametrize("legend", ["凡例　◆：重点事業　●：その他の事業\n", ""])
def test_measures_of_two_kinds_the_legend_names_are_siblings(tmp_path: Path, legend: str) -> None:
    """府中市's 実施計画 marks 重点事業 ◆ and the others ● under each 施策 (凡例 ◆：重点事業 ●：その他の事業):
    both are measures, ◆ tagged 重点. Before, each ◆ line headed the ● line after it, and half the
    measures were lost. With no legend, ◆ still heads the ● lines under it (as 対馬's ■ does)."""
    doc = _txt(tmp_path, "plan.txt", f"令和6年度 府中市市民協働推進行動計画（実施計画）\n{legend}"
               "基本目標１　市民の協働に対する意識の醸成\n（１）市民協働に関する効果的な啓発・PR活動の推進\n"
               "◆市民協働推進シンポジウムの開催【継続】（市民活動支援課）\n"
               "協働の考え方を広く知ってもらう催しを年に一度開きます。\n"
               "●協働に関するミニシンポジウムの開催【新規】（市民活動支援課）\n"
               "（２）協働事例の周知\n◆協働事業事例集の作成【新規】（市民活動支援課・広報課）\n"
               "●市民協働出前講座の開催【継続】（市民活動支援課）\n")
    got = [(i.name, i.tags, i.departments, i.path[-1]) for i in doc.items]
    if legend:
        assert got == [
            ("市民協働推進シンポジウムの開催", ("継続", "重点"), ("市民活動支援課",), "(1)市民協働に関する効果的な啓発・PR活動の推進"),
            ("協働に関するミニシンポジウムの開催", ("新規",), ("市民活動支援課",), "(1)市民協働に関する効果的な啓発・PR活動の推進"),
            ("協働事業事例集の作成", ("新規", "重点"), ("市民活動支援課", "広報課"), "(2)協働事例の周知"),
            ("市民協働出前講座の開催", ("継続",), ("市民活動支援課",), "(2)協働事例の周知"),
        ]
        assert doc.items[0].content == "協働の考え方を広く知ってもらう催しを年に一度開きます。"
    else:
        assert [(name, where.split("(")[0]) for name, _, _, where in got] == [
            ("協働に関するミニシンポジウムの開催", "市民協働推進シンポジウムの開催"), ("市民協働出前講座の開催", "協働事業事例集の作成")]


def test_attribute_lines_describe_the_measure_above(tmp_path: Path) -> None:
    """ア 取り組みの内容：… / イ 担当課：… / ウ 区分：… / エ 令和6年度：… under a measure heading are that
    measure's content, department, tag and schedule, not measures; an unknown label among them too."""
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進計画\n"
               "(1) 協働事業提案制度\nア 取り組みの内容：市民団体の提案を審査し、採択した事業を市と団体で行います。\n"
               "イ 主な担い手：市民活動団体、市\nウ 担当課：市民協働課\nエ 区分：拡充\nオ 令和6年度：制度の見直し\n"
               "(2) 地域担当職員制度\nア 担当課：地域振興課\n(3) 市民活動団体補助金\n・主な担い手：市民活動団体\n")
    a, b, c = doc.items
    assert (a.name, a.content, a.departments, a.tags, a.schedule) == (
        "協働事業提案制度", "市民団体の提案を審査し、採択した事業を市と団体で行います。", ("市民協働課",), ("拡充",),
        {"令和6年度": "制度の見直し"})
    assert (b.name, b.departments) == ("地域担当職員制度", ("地域振興課",))
    assert c.name == "市民活動団体補助金"


@pytest.mark.parametrize(("label", "role"), [
    ("担当課", "departments"), ("所管", "departments"), ("主な担当課", "departments"), ("内容", "content"),
    ("取り組みの内容", "content"), ("区分", "tags"), ("目標", "hierarchy"), ("令和6年度", "schedule"),
    ("協働出前講座の開催", None), ("協働事業提案制度", None), ("協働事業評価", None), ("地域づくり交付金", None),
    ("市民活動団体補助金", None), ("地域担当職員制度", None), ("主な担い手", "description"), ("実施場所", "description"),
    ("まちづくりの担い手育成", None),
])
def test_attribute_labels_and_measure_names(label: str, role: str | None) -> None:
    assert attribute_role(label) == role


# -- tab-separated measures with no header row -------------------------------------------------------

@pytest.mark.parametrize(("rows", "expected"), [
    ("● 協働出前講座の開催\t地域の集まりに出向いて協働を紹介します。\n● 協働フォーラムの開催\t年に一度、団体の発表の場を設けます。\n",
     [("協働出前講座の開催", "地域の集まりに出向いて協働を紹介します。", (), ()),
      ("協働フォーラムの開催", "年に一度、団体の発表の場を設けます。", (), ())]),
    ("● 協働出前講座の開催\t地域の集まりに出向いて協働を紹介します。\t市民協働課\t継続\n"
     "● 市民活動団体補助金\t団体の立ち上げ経費を助成します。\t市民協働課\t新規\n",
     [("協働出前講座の開催", "地域の集まりに出向いて協働を紹介します。", ("市民協働課",), ("継続",)),
      ("市民活動団体補助金", "団体の立ち上げ経費を助成します。", ("市民協働課",), ("新規",))]),
    ("・協働事業提案制度\t団体の提案を受けて市と一緒に事業を行います。\t企画課\n",
     [("協働事業提案制度", "団体の提案を受けて市と一緒に事業を行います。", ("企画課",), ())]),
    ("協働事業提案制度\t団体の提案を受けて市と一緒に事業を行います。\t企画課\n"
     "市民活動団体補助金\t団体の立ち上げ経費を助成します。\t市民協働課\n",
     [("協働事業提案制度", "団体の提案を受けて市と一緒に事業を行います。", ("企画課",), ()),
      ("市民活動団体補助金", "団体の立ち上げ経費を助成します。", ("市民協働課",), ())]),
], ids=["name-content", "name-content-department-tag", "one-row", "no-bullet"])
def test_tab_separated_measures_without_a_header_row(tmp_path: Path, rows: str, expected: list) -> None:
    doc = _txt(tmp_path, "plan.txt", f"令和6年度 市民協働推進アクションプラン\n基本目標1 協働の意識づくり\n■ 啓発の推進\n{rows}")
    assert [(i.name, i.content, i.departments, i.tags) for i in doc.items] == expected
    assert {i.path for i in doc.items} == {("基本目標1 協働の意識づくり", "啓発の推進")}
    assert all(i.source.table and i.source.row for i in doc.items)


def test_headerless_measure_rows_are_read_and_a_table_of_numbers_is_not(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n■ 活動の支援\n"
               "市民活動団体補助金\t団体の立ち上げ経費を助成します。\t市民協働課\n\n地区別の登録団体数\n"
               "中央地区\t12\t15\n北部地区\t8\t9\n\n目的\t団体の活動が続くように支えます。\n")
    assert [(i.name, i.departments) for i in doc.items] == [("市民活動団体補助金", ("市民協働課",))]


def test_a_bullet_in_a_name_cell_is_not_part_of_the_name(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "項目\t内容\t担当課\n・協働出前講座の開催\t地域に出向いて紹介します。\t市民協働課\n"
               "○協働フォーラムの開催\t団体の発表の場を設けます。\t市民協働課\n")
    assert [i.name for i in doc.items] == ["協働出前講座の開催", "協働フォーラムの開催"]


# -- 取組シート: label | value rows ---------------------------------------------------------------

def test_torikumi_sheet_reads_its_category_and_year_rows(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_heading("令和6年度 市民協働推進計画 取組シート", level=0)
    for goal, name, content, dept, tag, years in [
        ("1 協働の意識づくり", "協働出前講座", "地域の集まりに出向いて協働を紹介する。", "市民協働課", "継続", ("実施", "実施")),
        ("2 協働の仕組みづくり", "協働事業提案制度", "団体から協働事業の提案を募る。", "企画課", "新規", ("検討", "実施")),
    ]:
        rows = [("基本目標", goal), ("取組名", name), ("取組内容", content), ("担当課", dept), ("区分", tag),
                ("令和6年度", years[0]), ("令和7年度", years[1])]
        table = d.add_table(rows=len(rows), cols=2)
        for row, (label, value) in zip(table.rows, rows):
            row.cells[0].text, row.cells[1].text = label, value
        d.add_paragraph("")
    path = tmp_path / "torikumi.docx"
    d.save(str(path))
    doc = ingest_file(path, use_cache=False)
    assert [(i.name, i.departments, i.tags, i.schedule) for i in doc.items] == [
        ("協働出前講座", ("市民協働課",), ("継続",), {"令和6年度": "実施", "令和7年度": "実施"}),
        ("協働事業提案制度", ("企画課",), ("新規",), {"令和6年度": "検討", "令和7年度": "実施"}),
    ]
    assert [i.path for i in doc.items] == [("1 協働の意識づくり",), ("2 協働の仕組みづくり",)]


# -- 新規候補 ---------------------------------------------------------------------------------------

def test_a_candidate_is_its_own_tag_not_new(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和7年度 市民協働推進アクションプラン（案）\n項目\t内容\t担当課\t区分\n"
               "協働出前講座の開催\t地域に出向いて紹介します。\t市民協働課\t継続\n"
               "市民活動団体補助金\t団体の立ち上げ経費を助成します。\t\t新規候補\n"
               "協働事業提案制度\t団体の提案を受けて事業を行います。\t企画課\t新規事業\n"
               "まちづくり出前トーク\t職員が地域で説明します。\t広報課\t継続・拡充\n")
    assert [i.tags for i in doc.items] == [("継続",), ("新規候補",), ("新規",), ("継続", "拡充")]


def test_a_bracketed_candidate_tag() -> None:
    assert extract_tags("市民活動団体補助金〈新規候補〉") == ("市民活動団体補助金", ["新規候補"])


# -- review of 13da79b: reference tables, attribute labels it does not know, brackets ------------------

_GLOSSARY = ("用語の解説\n協働\t市民と行政が対等な立場で、共通の目的のために協力して取り組むことです。\n"
             "NPO\t営利を目的としない民間の団体のことです。\n")


def test_a_glossary_table_does_not_replace_the_bulleted_measures(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n■ 啓発の推進\n● 協働出前講座の開催\n"
               f"● 協働フォーラムの開催\n■ 情報の共有\n● 市民活動情報サイトの運営\n\n{_GLOSSARY}")
    assert [(i.path, i.name, i.content, i.departments) for i in doc.items] == [
        (("啓発の推進",), "協働出前講座の開催", "", ()),
        (("啓発の推進",), "協働フォーラムの開催", "", ()),
        (("情報の共有",), "市民活動情報サイトの運営", "", ()),  # the caption 用語の解説 is not its content
    ]


def test_a_glossary_in_word_under_a_reference_heading_is_not_measures(tmp_path: Path) -> None:
    d = _bullets_docx("令和6年度 湖南市市民協働推進アクションプラン", "市民協働課")
    d.add_heading("資料　用語の解説", level=1)
    table = d.add_table(rows=3, cols=2)
    for row, values in zip(table.rows, [("協働", "市民と行政が対等な立場で、共通の目的のために協力して取り組むことです。"),
                                        ("NPO", "営利を目的としない民間の団体のことです。"),
                                        ("中間支援組織", "市民活動団体と行政の間に立って、団体を支援する組織のことです。")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    path = tmp_path / "bullets_glossary.docx"
    d.save(str(path))
    doc = ingest_file(path, use_cache=False)
    assert [(i.name, i.content, i.departments) for i in doc.items] == [
        ("協働出前講座の開催", "自治会や学校に職員が出向き、協働の進め方を話します。", ("市民協働課",)),
        ("市民活動団体補助金", "公益的な活動を始める団体の経費の一部を助成します。", ("市民協働課",)),
        ("協働事業提案制度", "団体から市と一緒に取り組む事業の提案を受け付けます。", ("企画課",)),
    ]


def test_reference_tables_after_a_measure_table_are_not_its_rows(tmp_path: Path) -> None:
    """用語の解説, 策定の経過 and 推進委員名簿 with no header of their own are not read with the columns of
    the measure table above them."""
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n■ 啓発の推進\n項目\t内容\t担当課\n"
               f"協働出前講座の開催\t地域に出向いて紹介します。\t市民協働課\n\n{_GLOSSARY}\n策定の経過\n"
               "第1回推進委員会\t令和5年7月に開催し、計画の骨子を審議しました。\n\n推進委員名簿\n山田太郎\t○○大学教授\n")
    assert [(i.name, i.departments) for i in doc.items] == [("協働出前講座の開催", ("市民協働課",))]


def test_headerless_rows_without_departments_or_bullets_are_not_measures(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n■ 啓発の推進\n● 協働出前講座の開催\n\n"
               "協働\t市民と行政が対等な立場で、共通の目的のために協力して取り組むことです。\n"
               "NPO\t営利を目的としない民間の団体のことです。\n")
    assert [i.name for i in doc.items] == ["協働出前講座の開催"]


def test_labels_the_reader_does_not_know_still_describe_the_numbered_item(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n基本目標1 協働の意識づくり\n"
               "(1) 協働事業提案制度\nア 現状と課題：提案件数が伸び悩んでいます。\nイ 取組の方向：制度の周知を強化します。\n"
               "(2) 地域担当職員制度\nア 背景：地域の課題が多様化しています。\nイ 担当課：地域振興課\n"
               "(3) 市民活動団体補助金\nア 取組内容：団体の立ち上げ経費を助成します。\nイ KPI：助成件数 10件\n"
               "(4) 協働フォーラムの開催\nア 期待される効果：団体同士のつながりが生まれます。\n")
    goal = ("基本目標1 協働の意識づくり",)
    assert [(i.path, i.name, i.content, i.departments) for i in doc.items] == [
        (goal, "協働事業提案制度", "", ()),
        (goal, "地域担当職員制度", "", ("地域振興課",)),
        (goal, "市民活動団体補助金", "団体の立ち上げ経費を助成します。", ()),
        (goal, "協働フォーラムの開催", "", ()),
    ]


def test_a_short_bulleted_label_under_a_numbered_item_is_its_attribute(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n基本目標1 協働の意識づくり\n"
               "(1) 協働出前講座の開催\n 【現状】地域での認知度が低い。\n ・重点：自治会への周知\n"
               "(2) 協働フォーラムの開催\n(3) 協働事例集の発行\n")
    assert [(i.name, i.content) for i in doc.items] == [
        ("協働出前講座の開催", "【現状】地域での認知度が低い。"), ("協働フォーラムの開催", ""), ("協働事例集の発行", ""),
    ]


@pytest.mark.parametrize(("lines", "names"), [
    ("① 協働出前講座の開催\n・ねらい：協働の理解を広げる\n② 協働フォーラムの開催\n・ねらい：団体の交流\n",
     ["協働出前講座の開催", "協働フォーラムの開催"]),
    ("■ 協働出前講座の開催\n・ねらい：協働の理解を広げる\n■ 協働フォーラムの開催\n・ねらい：団体の交流\n",
     ["協働出前講座の開催", "協働フォーラムの開催"]),
    ("■ 啓発の推進\n● 出前講座：地域に出向いて紹介します。\n◎ 交流会：団体同士が知り合う場を設けます。\n",
     ["出前講座", "交流会"]),
], ids=["numbered-items", "heading-items", "short-bulleted-measures"])
def test_short_labels_repeated_describe_and_distinct_bullets_are_measures(tmp_path: Path, lines: str,
                                                                          names: list[str]) -> None:
    doc = _txt(tmp_path, "plan.txt", f"令和6年度 市民協働推進アクションプラン\n{lines}")
    assert [i.name for i in doc.items] == names


def test_a_known_label_after_bulleted_measures_describes_the_last_one(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n基本目標1 協働の意識づくり\n■ 情報の共有\n"
               "● 市民活動情報サイトの運営：団体の催しを一つのサイトで知らせます。\n・担当課：広報課\n"
               "● 広報紙での協働特集：年2回、協働の特集を組みます。\n・担当課：広報課\n")
    path = ("基本目標1 協働の意識づくり", "情報の共有")
    assert [(i.path, i.name, i.content, i.departments) for i in doc.items] == [
        (path, "市民活動情報サイトの運営", "団体の催しを一つのサイトで知らせます。", ("広報課",)),
        (path, "広報紙での協働特集", "年2回、協働の特集を組みます。", ("広報課",)),
    ]


def test_a_colon_inside_brackets_does_not_split_the_name(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n基本目標1 協働の意識づくり\n■ 啓発の推進\n"
               "・まちづくり出前講座（テーマ：協働のすすめ）の開催\n・協働フォーラム「市民と行政：これからの協働」の開催\n"
               "・市民活動団体の交流会\n")
    assert [(i.name, i.content) for i in doc.items] == [
        # as printed: NFKC's half-width ( : given back where the plan prints （ ：
        ("まちづくり出前講座（テーマ：協働のすすめ）の開催", ""), ("協働フォーラム「市民と行政：これからの協働」の開催", ""),
        ("市民活動団体の交流会", ""),
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("まちづくり出前講座（テーマ：協働のすすめ）の開催", ("まちづくり出前講座（テーマ：協働のすすめ）の開催", "")),
    ("協働フォーラム「市民と行政：これからの協働」", ("協働フォーラム「市民と行政：これからの協働」", "")),
    ("【重点：新規】協働出前講座", ("【重点：新規】協働出前講座", "")),
    ("出前講座（テーマ：協働）：地域で開催します。", ("出前講座（テーマ：協働）", "地域で開催します。")),
    ("協働出前講座の開催：自治会等へ出向きます。", ("協働出前講座の開催", "自治会等へ出向きます。")),
    ("朝の清掃活動 7:30開始", ("朝の清掃活動 7:30開始", "")),
])
def test_split_name_content_at_a_colon_outside_brackets(text: str, expected: tuple[str, str]) -> None:
    assert split_name_content(text) == expected


# -- two kinds of bullets: headings and their measures ----------------------------------------------

@pytest.mark.parametrize("top", ["◎", "●", "○"])
def test_bullets_heading_plain_bullets_are_headings_not_measures(tmp_path: Path, top: str) -> None:
    """A plan nesting without numbers (◎ 協働の意識づくり / ・協働出前講座の開催 …): the ◎ lines head the
    measures under them; they were read as measures too, beside their own measures."""
    doc = _txt(tmp_path, "plan.txt", f"令和6年度 市民協働推進アクションプラン\n{top} 協働の意識づくり\n・協働出前講座の開催\n"
               f"・広報紙での協働特集\n{top} 協働の仕組みづくり\n・協働事業提案制度\n・市民活動団体補助金\n")
    assert [(i.policy, i.name) for i in doc.items] == [
        ("協働の意識づくり", "協働出前講座の開催"), ("協働の意識づくり", "広報紙での協働特集"),
        ("協働の仕組みづくり", "協働事業提案制度"), ("協働の仕組みづくり", "市民活動団体補助金")]


def test_marks_of_one_level_are_not_taken_for_headings(tmp_path: Path) -> None:
    """◎ and ● marking who acts (as a legend says, or alternating with no plain bullet under them) stay
    measures of one level; so do ◎ lines one of which has no ・ under it."""
    legend = _txt(tmp_path, "a.txt", "令和6年度 協働推進計画\n凡例 ◎市民と市が主体 ・市が主体\n■ 情報の共有\n"
                  "◎ 市民活動情報サイトの運営\n・広報紙での協働特集\n◎ 協働フォーラムの開催\n・職員研修の実施\n")
    assert [i.name for i in legend.items] == ["市民活動情報サイトの運営", "広報紙での協働特集", "協働フォーラムの開催", "職員研修の実施"]
    lone = _txt(tmp_path, "b.txt", "令和6年度 協働推進計画\n■ 情報の共有\n◎ 市民活動情報サイトの運営\n"
                "◎ 協働フォーラムの開催\n・広報紙での協働特集\n")
    assert [i.name for i in lone.items] == ["市民活動情報サイトの運営", "協働フォーラムの開催", "広報紙での協働特集"]


# -- a measure with its points listed under it (ア イ ウ) ----------------------------------------------

def _points_docx() -> docx.document.Document:
    """Headings, then ① lines naming measures with 【区分】 and （課） after the name, one of them with
    its points listed under it as ア イ ウ, then a caption of indicators and their table (the layout
    of a 市民協働推進計画's 具体的な取組; names from 岡山市's 基本施策3 and 4)."""
    d = docx.Document()
    d.add_paragraph("市民協働推進計画（令和5年度～令和9年度）")
    d.add_heading("第4章 具体的な取組", level=1)
    d.add_heading("基本施策3 地域の拠点機能の強化", level=2)
    d.add_paragraph("(1)拠点の協働コーディネート機能")
    d.add_paragraph("①公民館の協働コーディネート機能の強化【拡充】（生涯学習課）")
    d.add_paragraph("次の取組を進めます。")
    d.add_paragraph("ア 地域を支える職員のためのワークショップ等研修の実施")
    d.add_paragraph("イ 公民館での課題解決ワークショップ等の開催")
    d.add_paragraph("ウ 公民館での市民活動等の展示や発表の機会の提供")
    d.add_paragraph("【成果指標】")
    t = d.add_table(rows=2, cols=3)
    for cell, value in zip(t.rows[0].cells, ("指標", "現状値", "目標値")):
        cell.text = value
    for cell, value in zip(t.rows[1].cells, ("研修の参加者数", "120人", "200人")):
        cell.text = value
    d.add_heading("基本施策4 協働を推進するコーディネート機関の設置", level=2)
    d.add_paragraph("(1)コーディネート機関")
    d.add_paragraph("①市民等からの協働提案制度の運営【継続】（市民協働推進課）")
    d.add_paragraph("団体からの提案を関係部署につなぎ、協議の場を設けます。")
    d.add_paragraph("②市民活動の広域展開支援【新規】（市民協働推進課、企画課）")
    return d


@pytest.mark.parametrize("suffix", [".docx", ".txt"])
def test_points_listed_under_a_measure_are_its_content_not_measures(tmp_path: Path, suffix: str) -> None:
    d = _points_docx()
    path = tmp_path / f"plan{suffix}"
    if suffix == ".docx":
        d.save(str(path))
    else:
        path.write_text("\n".join(p.text for p in d.paragraphs), encoding="utf-8")
    doc = ingest_file(path, use_cache=False)
    assert [(i.name, i.departments, i.tags) for i in doc.items] == [
        ("公民館の協働コーディネート機能の強化", ("生涯学習課",), ("拡充",)),
        ("市民等からの協働提案制度の運営", ("市民協働推進課",), ("継続",)),
        ("市民活動の広域展開支援", ("市民協働推進課", "企画課"), ("新規",)),
    ]
    first = doc.items[0]
    assert first.content == ("次の取組を進めます。　ア 地域を支える職員のためのワークショップ等研修の実施"
                             "　イ 公民館での課題解決ワークショップ等の開催　ウ 公民館での市民活動等の展示や発表の機会の提供")
    assert "成果指標" not in first.content
    # the chapter the policies are printed in is neither a measure nor their policy; 基本施策 as printed
    assert (first.policy, first.measure) == ("基本施策3 地域の拠点機能の強化", "(1)拠点の協働コーディネート機能")
    assert first.path[0] == "第4章 具体的な取組"


def test_points_are_measures_when_they_are_marked_as_measures(tmp_path: Path) -> None:
    """ア イ under a ① heading that marks no measure, or carrying 区分 and 課 of their own, stay measures."""
    doc = _txt(tmp_path, "plan.txt", "市民協働推進計画\n(1)協働の担い手づくり\n①人材の育成\n"
               "ア 協働コーディネーター養成講座\nイ 地域デビュー講座\n"
               "②協働事業の推進【継続】（市民協働課）\nア 協働事業提案制度【継続】（市民協働課）\n"
               "イ 地域づくり交付金【新規】（地域振興課）\n")
    assert [i.name for i in doc.items] == ["協働コーディネーター養成講座", "地域デビュー講座", "協働事業提案制度",
                                          "地域づくり交付金"]


# -- a matrix of ◎ / ○ under the 基本方針 a measure serves ---------------------------------------------

_MATRIX_HEAD = ("番号", "取組名", "担当課", "関連する基本方針", "区分")
_MATRIX_POLICIES = ("基本方針1 意識づくり", "基本方針2 人づくり", "基本方針3 仕組みづくり")
# (measures of 岡山市's 基本施策 4 and 5, as printed)
_MATRIX_ROWS = (("①", "市民協働推進モデル事業の支援", "市民協働推進課", "◎", "", "○", "継続"),
                ("②", "市民等からの協働提案制度の運営", "市民協働推進課", "", "○", "◎", "拡充"),
                ("③", "課題解決ワークショップ等の開催", "生涯学習課", "○", "◎", "", "新規"))


def _matrix_docx(path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("市民協働推進計画 アクションプラン 取組一覧（令和6年度）")
    d.add_paragraph("凡例 ◎：主に関連する基本方針 ○：関連する基本方針")
    t = d.add_table(rows=2, cols=7)
    t.style = "Table Grid"
    for col, text in zip((0, 1, 2, 3, 6), _MATRIX_HEAD):
        t.cell(0, col).text = text
    for col, text in zip((3, 4, 5), _MATRIX_POLICIES):
        t.cell(1, col).text = text
    for col in (0, 1, 2, 6):
        t.cell(0, col).merge(t.cell(1, col))
    t.cell(0, 3).merge(t.cell(0, 5))
    for row in _MATRIX_ROWS:
        for cell, text in zip(t.add_row().cells, row):
            cell.text = text
    d.save(str(path))


def _matrix_xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["市民協働推進計画 アクションプラン 取組一覧（令和6年度）"])
    ws.append(["凡例 ◎：主に関連する基本方針 ○：関連する基本方針"])
    ws.append([*_MATRIX_HEAD[:4], None, None, _MATRIX_HEAD[4]])
    ws.append([None, None, None, *_MATRIX_POLICIES, None])
    for col in "ABCG":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("D3:F3")
    for row in _MATRIX_ROWS:
        ws.append(list(row))
    wb.save(path)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pdf"])
def test_a_matrix_of_marks_under_policies_gives_the_policy_marked_strongest(tmp_path: Path, suffix: str) -> None:
    """The ◎ / ○ cells under 関連する基本方針 were read as headings (policy ○, measure 新規) and shifted
    the 区分 out of its column; now the ◎ policy is the measure's and every mark is kept."""
    path = tmp_path / f"matrix{suffix}"
    if suffix == ".xlsx":
        _matrix_xlsx(path)
    elif suffix == ".docx":
        _matrix_docx(path)
    else:
        from pipeline.draft.pages import soffice, to_pdf

        if soffice() is None:
            pytest.skip("LibreOffice (soffice) is not installed: `make test` installs it")
        _matrix_docx(tmp_path / "matrix.docx")
        pdf = to_pdf((tmp_path / "matrix.docx").read_bytes())  # Word exported by LibreOffice, fonts embedded
        assert pdf
        path.write_bytes(pdf)
    doc = ingest_file(path, use_cache=False)
    assert [(i.number, i.name, i.departments, i.tags, i.actor) for i in doc.items] == [
        (n, name, (dept,), (tag,), None) for n, name, dept, *_, tag in _MATRIX_ROWS]
    assert [i.policy for i in doc.items] == ["基本方針1意識づくり", "基本方針3仕組みづくり", "基本方針2人づくり"]
    assert doc.items[0].marks == ("基本方針1意識づくり：◎", "基本方針3仕組みづくり：○")


@pytest.mark.parametrize("text", [
    # ① headings ending in their department, each with its measures as ア イ ウ (no lead sentence)
    "基本施策1 協働の意識づくり\n(1) 情報の共有\n①協働に関する情報発信の充実（市民協働課）\nア 市民活動情報サイトの運営\n"
    "イ 協働フォーラムの開催\n②協働の担い手づくり（生涯学習課）\nア 協働コーディネーター養成講座\nイ 地域デビュー講座\n",
    # (1) headings ending in their department, with ① measures under them
    "1 協働の意識づくり\n(1) 協働意識の醸成（市民協働課）\n① 市民活動情報サイトの運営\n② 協働フォーラムの開催\n"
    "(2) 協働の担い手づくり（生涯学習課）\n① 協働コーディネーター養成講座\n② 地域デビュー講座\n",
])
def test_measures_under_a_heading_that_ends_in_its_department_stay_measures(tmp_path: Path, text: str) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n" + text)
    assert [i.name for i in doc.items] == ["市民活動情報サイトの運営", "協働フォーラムの開催", "協働コーディネーター養成講座",
                                          "地域デビュー講座"]


def test_a_chapter_over_policies_and_measure_headings_is_no_policy(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "平成22年度 市民協働推進アクションプラン\n第3章 具体的な取組\n施策1 協働の意識づくり\n"
               "■ 情報の共有\n・市民活動情報サイトの運営\n施策2 協働の担い手づくり\n・協働コーディネーター養成講座\n")
    assert [(i.policy, i.measure, i.name) for i in doc.items] == [
        ("施策1 協働の意識づくり", "情報の共有", "市民活動情報サイトの運営"),
        ("施策2 協働の担い手づくり", "", "協働コーディネーター養成講座")]


def test_indicator_bullets_after_their_caption_are_no_measure_or_point(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n基本施策3 地域の拠点機能の強化\n"
               "①公民館の協働コーディネート機能の強化【拡充】（生涯学習課）\n公民館で職員研修を行います。\n【成果指標】\n"
               "・研修の参加者数 120人→200人\n②市民活動の広域展開支援【新規】（市民協働推進課）\n")
    assert [(i.name, i.content) for i in doc.items] == [
        ("公民館の協働コーディネート機能の強化", "公民館で職員研修を行います。"), ("市民活動の広域展開支援", "")]


@pytest.mark.parametrize(("head", "mark"), [
    (("6年度", "7年度", "8年度"), "○"),  # years, whatever their marks
    (("市民の目標", "事業者の目標", "行政の目標"), "●"),  # who acts (●＝市), not policies
])
def test_marks_under_years_or_actors_are_no_policy(tmp_path: Path, head: tuple[str, ...], mark: str) -> None:
    d = docx.Document()
    d.add_paragraph("令和6年度 市民協働推進アクションプラン")
    t = d.add_table(rows=1, cols=6)
    for cell, value in zip(t.rows[0].cells, ("No.", "取組名", "担当課", *head)):
        cell.text = value
    names = ("市民活動情報サイトの運営", "協働フォーラムの開催", "協働コーディネーター養成講座")
    for k, (name, cells) in enumerate(zip(names, ((mark, mark, mark), ("", mark, mark), (mark, "", "")))):
        for cell, value in zip(t.add_row().cells, (str(k + 1), name, "市民協働課", *cells)):
            cell.text = value
    d.save(str(tmp_path / "plan.docx"))
    items = ingest_file(tmp_path / "plan.docx", use_cache=False).items
    assert [(i.name, i.departments) for i in items] == [(n, ("市民協働課",)) for n in names]
    assert all(i.policy not in head and not any(m.startswith(head) for m in i.marks) for i in items)


def test_an_indicator_line_under_a_measure_is_its_kpi_not_its_content(tmp_path: Path) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n基本施策4 協働を推進する仕組み\n"
               "①市民等からの協働提案制度の運営【継続】（市民協働推進課）\n団体からの提案を関係部署につなぎます。\n"
               "成果指標：提案件数 10件\n")
    (item,) = doc.items
    assert item.content == "団体からの提案を関係部署につなぎます。" and item.kpis == ({"成果指標": "提案件数 10件"},)


# -- a name and its 担当課 set apart by a tab stop --------------------------------------------------

_TABBED = [("市民協働推進シンポジウムの開催", "市民活動支援課", "継続"), ("協働事業事例集の作成", "市民活動支援課、広報課", "新規"),
           ("職員向け協働研修の実施", "職員課", "拡充")]


def _tabbed_docx(path: Path) -> Path:
    """府中市's 実施計画 measures typed as Word users align columns: name → 担当課 → 区分 at tab stops."""
    from docx.oxml.ns import qn
    from docx.shared import Mm

    d = docx.Document()
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    normal = d.styles["Normal"]
    normal.font.name = "IPAexGothic"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "IPAexGothic")
    d.add_paragraph("令和6年度 府中市市民協働推進行動計画（実施計画）")
    d.add_paragraph("基本目標１\t市民の協働に対する意識の醸成")  # a tab, but no department after it
    d.add_paragraph("（１）市民協働に関する効果的な啓発・PR活動の推進")
    for name, department, tag in _TABBED:
        p = d.add_paragraph(f"●{name}\t{department}\t{tag}")
        p.paragraph_format.tab_stops.add_tab_stop(Mm(85))
        p.paragraph_format.tab_stops.add_tab_stop(Mm(135))
    d.add_paragraph("●市民協働の推進 市民活動支援課")  # one space: it could be a name, so it stays one
    d.save(path)
    return path


def _tabbed_expected(doc: Document) -> None:
    # (the one-space line's space is closed up in the PDF, as the spacing of Japanese text there is)
    got = [(i.name.replace(" ", ""), i.departments, i.tags) for i in doc.items]
    assert got == [(name, tuple(d.split("、")), (tag,)) for name, d, tag in _TABBED] + [
        ("市民協働の推進市民活動支援課", (), ())]
    assert {i.path[-1] for i in doc.items} == {"(1)市民協働に関する効果的な啓発・PR活動の推進"}
    assert doc.items[0].path[0] == "基本目標1 市民の協働に対する意識の醸成"


def test_a_department_set_apart_by_a_tab_stop_is_the_measures_department(tmp_path: Path) -> None:
    """Before, the 担当課 after a tab stayed in the name (市民協働推進シンポジウムの開催 市民活動支援課), in Word
    and, closed up, in its PDF (…開催市民活動支援課継続)."""
    _tabbed_expected(ingest_file(_tabbed_docx(tmp_path / "実施計画.docx"), use_cache=False))


def test_a_department_set_apart_by_spaces_in_a_text_file(tmp_path: Path) -> None:
    lines = "".join(f"●{n}　　　{d}　　{t}\n" for n, d, t in _TABBED)
    _tabbed_expected(_txt(tmp_path, "plan.txt", "令和6年度 府中市市民協働推進行動計画（実施計画）\n"
                          "基本目標１　　市民の協働に対する意識の醸成\n（１）市民協働に関する効果的な啓発・PR活動の推進\n"
                          f"{lines}●市民協働の推進 市民活動支援課\n"))


@pytest.mark.slow
def test_a_department_set_apart_by_a_tab_stop_in_the_pdf_word_exports(tmp_path: Path) -> None:
    import subprocess
    import tempfile

    from pipeline.ingest import convert

    soffice = convert.soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: `make test` installs it")
    source = _tabbed_docx(tmp_path / "実施計画.docx")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                       check=True, capture_output=True, timeout=240)
    _tabbed_expected(ingest_file(tmp_path / "実施計画.pdf", use_cache=False))


def test_a_document_with_no_title_line_is_not_titled_by_its_first_measure(tmp_path: Path) -> None:
    """A 実施計画 page saved on its own starts with its measures: before, the title was the first line
    naming 事業 or 事例集 (②協働事例集の発行(市民協働課)). A plan's title keeps the office that wrote it."""
    doc = _txt(tmp_path, "基本目標1の取組.txt", "①市民協働出前講座の実施(市民協働課)\n②協働事例集の発行(市民協働課)\n"
               "③NPO・ボランティア交流事業の開催(市民協働課)\n")
    assert doc.title == "基本目標1の取組"
    assert [i.name for i in doc.items][:2] == ["市民協働出前講座の実施", "協働事例集の発行"]
    assert {i.departments for i in doc.items} == {("市民協働課",)}
    titled = _txt(tmp_path, "plan.txt", "・行動計画の推進(企画課)\n令和6年度 府中市市民協働推進計画（市民協働課）\n"
                  "①市民協働出前講座の実施(市民協働課)\n")
    assert titled.title == "令和6年度 府中市市民協働推進計画(市民協働課)"  # (（） as NFKC writes them)


@pytest.mark.parametrize("title", ["■令和6年度 市民協働推進事業一覧", "令和6年度 協働事業実施状況シート（市民協働課）",
                                   "●令和6年度 協働のまちづくり事業一覧", "■令和6年度 市民協働推進計画(市民協働課)"])
def test_a_title_with_a_mark_or_its_office_is_still_the_title(tmp_path: Path, title: str) -> None:
    doc = _txt(tmp_path, "plan.txt", f"{title}\n基本目標1 意識の醸成\n①市民協働出前講座の実施(市民協働課)\n")
    assert doc.title == nfkc(title)


def _numbered_at_tab_stops(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("令和6年度 協働事業一覧\t市民協働課")  # the title, the office at the right margin
    d.add_paragraph("基本目標１\t市民の協働に対する意識の醸成")
    d.add_paragraph("事業名\t担当課")  # the list's header line
    d.add_paragraph("①\t市民協働出前講座の実施\t市民協働課")
    d.add_paragraph("②\t協働事例集の発行\t市民協働課\t新規")
    d.add_paragraph("③\t協働講座の開催\t第1会議室")  # where it is held, not who holds it
    d.add_paragraph("④\t大学連携講座\t〇〇大学地域連携センター")  # a partner, not the city's department
    d.save(path)
    return path


def test_a_number_at_a_tab_stop_and_columns_that_are_no_department(tmp_path: Path) -> None:
    """A measure numbered at a tab stop (①→name→課) kept its 担当課 in the name; a venue after a tab
    became the department, and a header line (事業名→担当課) a measure of 担当課."""
    text = tmp_path / "plan.txt"
    text.write_text("令和6年度 協働事業一覧\n基本目標1 意識の醸成\n①\t市民協働出前講座の実施\t市民協働課\n"
                    "②\t協働事例集の発行\t市民協働課\t新規\n", "utf-8")
    for doc in (ingest_file(_numbered_at_tab_stops(tmp_path / "plan.docx"), use_cache=False),
                ingest_file(text, use_cache=False)):
        got = [(i.name, i.departments, i.tags) for i in doc.items[:2]]
        assert got == [("市民協働出前講座の実施", ("市民協働課",), ()), ("協働事例集の発行", ("市民協働課",), ("新規",))]
        assert [i.number for i in doc.items][:2] == ["①", "②"]
        assert doc.title.startswith("令和6年度 協働事業一覧")
        assert not any({"第1会議室", "担当課", "〇〇大学地域連携センター"} & set(i.departments) for i in doc.items)
        assert len(doc.items) in (2, 4)  # (the text file has no ③ and ④; the header line is no measure)


@pytest.mark.parametrize(("text", "names"), [
    # a plan that prints （） and ： gets them back after NFKC; its numbers' (1) and an (NPO) stay
    ("(1) 協働意識の醸成\n・職員協働研修（新規採用職員向け）\n・協働講座（テーマ：地域の防災）\n・(NPO)法人の交流会\n"
     "・協働サイトの運営（https://kyodo.example.jp、更新：毎週10:00）\n",
     ["職員協働研修（新規採用職員向け）", "協働講座（テーマ：地域の防災）", "(NPO)法人の交流会",
      "協働サイトの運営（https://kyodo.example.jp、更新：毎週10:00）"]),
    # a plan printed with ( ) keeps them (対馬市's is)
    ("(1) 協働意識の醸成\n・協働(共働)事例集の作成\n・協働(共働)に関する標語の募集\n",
     ["協働(共働)事例集の作成", "協働(共働)に関する標語の募集"]),
])
def test_names_keep_the_parentheses_the_plan_prints(tmp_path: Path, text: str, names: list[str]) -> None:
    doc = _txt(tmp_path, "plan.txt", "令和6年度 市民協働推進アクションプラン\n" + text)
    assert [i.name for i in doc.items] == names
