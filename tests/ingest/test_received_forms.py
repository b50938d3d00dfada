"""Plans in the forms planners receive them, found by building them from real plans' pages and reading
them as a planner would: a Word plan whose measure chapter is followed by a heading without a number
(計画の推進にあたって), … Measure names are as printed in a 市民参加推進計画 (取組事項 (1) 情報の共有化);
the sentences and departments are our own."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline.ingest import ingest_file
from tests.docmaker import add_table

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
    add_table(document, rows)
    document.save(tmp_path / "計画.docx")
    items = ingest_file(tmp_path / "計画.docx", use_cache=False).items
    assert [i.name for i in items] == NAMES
    assert [i.content for i in items] == [m[1] for m in MEASURES]
    assert [dict(i.schedule) for i in items] == [dict(zip(rows[0][1:], r[1:])) for r in rows[1:]]


TABLE_PART = ["基本方針1　市民との情報の共有化", "No.\t取組名\t取組の内容\t担当課",
              "1\t正確で分かりやすい情報の整備\t読みやすい形に整えて出します。\t広報広聴課",
              "2\t適時適切な情報の提供\t必要な時期に届くよう発信します。\t広報広聴課"]
LINES_PART = ["基本方針2　市民のまちづくり活動の支援", "①市民提案型協働事業【新規】", "団体の提案を受けて市と協働で事業を行います。",
              "担当課：まちづくり協働課", "②情報収集機能の強化", "市民の声を集める仕組みを整えます。", "担当課：広報広聴課",
              "③まちづくり活動の紹介", "団体の活動を広報紙で紹介します。"]


@pytest.mark.parametrize("table_first", [True, False])
def test_a_plan_with_a_table_in_one_part_and_numbered_lines_in_another(tmp_path: Path, table_first: bool) -> None:
    """基本方針1 as a No. | 取組名 | 取組の内容 | 担当課 table, 基本方針2 as ①② lines with their 担当課: all four
    measures, in the document's order. Before, the numbered measures were dropped without a word wherever a
    table held measures. A numbered line with no department or 区分 of its own (③) is not taken for one."""
    parts = [TABLE_PART, LINES_PART] if table_first else [LINES_PART, TABLE_PART]
    path = tmp_path / "計画.txt"
    path.write_text("\n".join(["市民参加推進計画", *parts[0], "", *parts[1]]) + "\n", encoding="utf-8")
    items = ingest_file(path, use_cache=False).items
    table = [("正確で分かりやすい情報の整備", ("広報広聴課",), ()), ("適時適切な情報の提供", ("広報広聴課",), ())]
    lines = [("市民提案型協働事業", ("まちづくり協働課",), ("新規",)), ("情報収集機能の強化", ("広報広聴課",), ())]
    assert [(i.name, i.departments, i.tags) for i in items] == (table + lines if table_first else lines + table)
    assert {i.path for i in items} == {("基本方針1 市民との情報の共有化",), ("基本方針2 市民のまちづくり活動の支援",)}


def test_a_table_plans_numbered_headings_stay_headings(tmp_path: Path) -> None:
    """(1) 活動の場の充実 over a table of its measures is the table's heading, not a measure, though it has a
    department line; only the rows are measures."""
    path = tmp_path / "計画.txt"
    path.write_text("\n".join([
        "市民参加推進計画", "基本方針1　市民との情報の共有化", "(1)情報の共有化", "担当課：広報広聴課",
        "取組名\t取組の内容\t担当課", "正確で分かりやすい情報の整備\t読みやすい形に整えて出します。\t広報広聴課",
        "基本方針2　市民のまちづくり活動の支援", "(1)活動の支援", "担当課：まちづくり協働課",
        "取組名\t取組の内容\t担当課", "市民提案型協働事業\t団体の提案を受けて協働で行います。\tまちづくり協働課"]) + "\n",
        encoding="utf-8")
    assert [i.name for i in ingest_file(path, use_cache=False).items] == ["正確で分かりやすい情報の整備", "市民提案型協働事業"]


HEADER = "No.\t取組名\t取組の内容\t担当課\t区分"
ROWS = ["1\t正確で分かりやすい情報の整備\t市が出す情報を誰にでも読みやすい形に整えます。\t広報広聴課\t継続",
        '2\t適時適切な情報の提供\t"必要な時期に必要な情報が届くよう\n発信の時期と方法を見直します。"\t広報広聴課\t拡充',
        "3\t情報を得る手段の拡充\tSNSや動画など、情報を受け取る手段を増やします。\t情報政策課\t新規"]


@pytest.mark.parametrize("form", ["excel", "browser"])
def test_a_cell_with_a_line_break_in_tab_separated_text(tmp_path: Path, form: str) -> None:
    """Excel's 「テキスト (タブ区切り)」 writes a cell with Alt+Enter in quotes over two lines; a browser's copy of
    a cell with <br> breaks the row without them. Either way the row is one measure: before, it lost its
    担当課 and 区分 and a measure named 広報広聴課 was invented."""
    text = "\n".join(["市民参加推進計画の取組", HEADER, *ROWS]) + "\n"
    if form == "browser":
        text = text.replace('"', "")
    path = tmp_path / "取組.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("cp932"))
    items = ingest_file(path, use_cache=False).items
    assert [(i.name, i.departments, i.tags) for i in items] == [
        ("正確で分かりやすい情報の整備", ("広報広聴課",), ("継続",)), ("適時適切な情報の提供", ("広報広聴課",), ("拡充",)),
        ("情報を得る手段の拡充", ("情報政策課",), ("新規",))]
    assert items[1].content == "必要な時期に必要な情報が届くよう発信の時期と方法を見直します。"


def test_a_short_row_of_its_own_is_not_joined_to_the_next(tmp_path: Path) -> None:
    """Rows typed by hand without their trailing blank cells stay rows of their own."""
    text = "\n".join(["取組名\t取組の内容\t担当課\t区分", "市民活動フェスタ\t団体の活動を紹介します。",
                      "協働研修の実施\t職員の研修を行います。\t協働推進課"]) + "\n"
    path = tmp_path / "取組.txt"
    path.write_text(text, encoding="utf-8")
    assert [i.name for i in ingest_file(path, use_cache=False).items] == ["市民活動フェスタ", "協働研修の実施"]


def test_words_table_of_contents_with_a_tab_before_the_page(tmp_path: Path) -> None:
    """Word's 目次 (a right tab with a dotted leader, then the page): no measure, nor a page number in the
    path of the chapter; before, 基本方針1 市民との情報の共有化<tab>3 was a measure."""
    document = docx.Document()
    document.add_paragraph("参加・協働のまちづくり推進計画")
    document.add_paragraph("目次")
    for line, page in (("第3章　具体的な取組", 3), ("基本方針1　市民との情報の共有化", 3), ("基本方針2　市民のまちづくり活動の支援", 4)):
        document.add_paragraph(f"{line}\t{page}")
    document.add_heading("第3章　具体的な取組", 1)
    _measures(document)
    document.save(tmp_path / "計画.docx")
    items = ingest_file(tmp_path / "計画.docx", use_cache=False).items
    assert [i.name for i in items] == NAMES
    assert all(i.path == ("第3章 具体的な取組", "基本方針1 市民との情報の共有化") for i in items)


def test_markdown_headings_lose_their_marks(tmp_path: Path) -> None:
    """# 市民参加推進計画の取組 is the title and ## 基本方針1 … a heading, without the # marks."""
    path = tmp_path / "取組.md"
    path.write_text("# 市民参加推進計画の取組\n\n## 基本方針1 市民との情報の共有化\n\n"
                    "| No. | 取組名 | 取組の内容 | 担当課 |\n|---|---|---|---|\n"
                    "| 1 | 正確で分かりやすい情報の整備 | 読みやすい形に整えて出します。 | 広報広聴課 |\n", encoding="utf-8")
    doc = ingest_file(path, use_cache=False)
    assert doc.title == "市民参加推進計画の取組"
    assert [(i.name, i.path) for i in doc.items] == [("正確で分かりやすい情報の整備", ("基本方針1 市民との情報の共有化",))]


WEB_PAGE = """ページの先頭です。 メニューを飛ばして本文へ
現在地 トップページ > 分類でさがす > まちづくり > 参加・協働(地域づくり) > 参加・協働のまちづくり推進計画
本文
参加・協働のまちづくり推進計画
印刷用ページを表示する 更新日:2024年4月1日更新
■基本方針1　市民との情報の共有化
①正確で分かりやすい情報の整備【継続】
　市が出す情報を誰にでも読みやすい形に整えます。
②適時適切な情報の提供【拡充】
　必要な時期に必要な情報が届くよう発信の時期と方法を見直します。
{tail}"""
FOOTER = """関連ファイル
参加・協働のまちづくり推進計画（PDF：1.2MB）
Adobe Reader<外部リンク>
PDF形式のファイルをご覧いただく場合には、Adobe社が提供するAdobe Readerが必要です。
このページに関するお問い合わせ
まちづくり協働課　協働推進班
電話：0183-00-0000
https://www.city-yuzawa.jp/soshiki/30/403.html
このページの先頭へ"""


@pytest.mark.parametrize("tail", [FOOTER, "このカテゴリーの他のページ\n・市民参加の方法\n・審議会等の会議の公開",
                                  "よく見られているページ\n1.ごみの分け方・出し方\n2.住民票の写しの請求"],
                         ids=["footer", "category-links", "ranking"])
def test_a_web_page_copied_into_a_text_file(tmp_path: Path, tail: str) -> None:
    """A city's page pasted from the browser (furniture as 湯沢市's and 君津市's pages print it): the title is
    the page's, not its breadcrumb, and the footer or link list after the measures is none of them. Before,
    the link titles took the measures' place, or the footer ran into the last measure's content."""
    path = tmp_path / "計画.txt"
    path.write_text(WEB_PAGE.format(tail=tail), encoding="cp932", errors="strict")
    doc = ingest_file(path, use_cache=False)
    assert doc.title == "参加・協働のまちづくり推進計画"
    assert [(i.name, i.tags) for i in doc.items] == [("正確で分かりやすい情報の整備", ("継続",)), ("適時適切な情報の提供", ("拡充",))]
    assert doc.items[1].content == "必要な時期に必要な情報が届くよう発信の時期と方法を見直します。"


def test_a_plans_own_text_keeps_a_contact_section(tmp_path: Path) -> None:
    """A plan's text with no mark of a web page reads to its end: お問い合わせ there is the plan's own."""
    path = tmp_path / "計画.txt"
    path.write_text("市民参加推進計画\n①正確で分かりやすい情報の整備【継続】\n読みやすい形に整えます。\nお問い合わせ\n"
                    "②適時適切な情報の提供【拡充】\n必要な時期に届くよう発信します。\n", encoding="utf-8")
    assert [i.name for i in ingest_file(path, use_cache=False).items] == ["正確で分かりやすい情報の整備", "適時適切な情報の提供"]


def test_a_taikei_table_listing_measures_one_a_line_in_a_cell(tmp_path: Path) -> None:
    """基本方針 | 施策 | 取組 with ①…⏎②…⏎③… in the 取組 cell, then the measures printed in full and a table of
    their stages: the three full measures with their stages, the 体系 an overview. Before, one item was named
    with the cell's lines run together and the full measures were lost."""
    document = docx.Document()
    document.add_paragraph("参加・協働のまちづくり推進計画")
    document.add_heading("第2章　施策の体系", 1)
    rows = [("基本方針", "施策", "取組"), ("1 市民との情報の共有化", "(1) 情報の共有化", "\n".join(m[0][:-4] for m in MEASURES))]
    add_table(document, rows)
    document.add_heading("第3章　具体的な取組", 1)
    _measures(document)
    document.add_paragraph("取組の年次計画")
    stages = [("取組名", "R6", "R7"), ("正確で分かりやすい情報の整備", "実施", "→"), ("情報を得る手段の拡充", "検討", "実施")]
    add_table(document, stages)
    document.save(tmp_path / "計画.docx")
    items = ingest_file(tmp_path / "計画.docx", use_cache=False).items
    assert [i.name for i in items] == NAMES
    assert [i.content for i in items] == [m[1] for m in MEASURES]
    assert [dict(i.schedule) for i in items] == [{"R6": "実施", "R7": "→"}, {}, {"R6": "検討", "R7": "実施"}]
