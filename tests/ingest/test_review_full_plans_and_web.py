"""Layouts that the rules for copied web pages, 施策の体系 overviews, table captions, 基本目標 › 施策, closing
chapters, periods stated in the body, prefectures and dotted departments first misread, found by a review
that compared readings before and after them (each test fails on the commit whose rule it guards)."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline.ingest import ingest_file
from tests.docmaker import add_table


def _text(tmp_path: Path, text: str) -> list[tuple[str, tuple[str, ...]]]:
    path = tmp_path / "計画.txt"
    path.write_text(text, encoding="utf-8")
    return [(i.name, i.path) for i in ingest_file(path, use_cache=False).items]


def _docx(path: Path, blocks: list[tuple[str, object]]) -> Path:
    document = docx.Document()
    for kind, value in blocks:
        if kind.startswith("h"):
            document.add_heading(str(value), int(kind[1]))
        elif kind == "p":
            document.add_paragraph(str(value))
        else:
            add_table(document, value)  # type: ignore[arg-type]
    document.save(path)
    return path


WEB = """現在地 トップページ > 市政情報 > 市民協働 > 協働のまちづくり推進計画
協働のまちづくり推進計画
更新日：2024年4月1日
1 情報の共有
(1) 市政情報の発信{ext}
広報紙やホームページで市政情報をわかりやすく発信します。（担当：広報課）
ページの先頭へ戻る
2 市民活動の支援
(1) 市民活動センターの運営{ext}
市民活動の拠点として相談や情報提供を行います。（担当：市民協働課）
ページの先頭へ戻る
このページに関するお問い合わせ
市民協働課
"""


@pytest.mark.parametrize("ext", ["", "<外部リンク>"])
def test_a_web_pages_back_to_top_links_and_link_marks_end_nothing(tmp_path: Path, ext: str) -> None:
    """ページの先頭へ戻る after each section is dropped, not the end of the text, and a measure's line ending
    in <外部リンク> loses the mark, not the line."""
    assert [n for n, _ in _text(tmp_path, WEB.format(ext=ext))] == ["市政情報の発信", "市民活動センターの運営"]


def test_a_plans_own_text_listing_urls_is_no_web_page(tmp_path: Path) -> None:
    """関連情報 with two URL lines in 第2章 of a plan's text: read to its end."""
    found = _text(tmp_path, "大仙市市民協働推進計画\n第2章 市民活動の現状\n1 市民活動団体の状況\n市内のNPO法人は32団体です。\n関連情報\n"
                            "内閣府NPOホームページ\nhttps://www.npo-homepage.go.jp/\n県民活動支援センター\nhttps://www.example-pref.jp/npo/\n"
                            "第3章 具体的な取組\n基本目標1 協働の担い手づくり\n(1) 市民活動講座の開催\n講座を開きます。（担当：市民協働課）\n"
                            "(2) 協働コーディネーターの育成\n人材を育成します。（担当：市民協働課）\n")
    assert [n for n, _ in found] == ["市民活動講座の開催", "協働コーディネーターの育成"]


def test_a_bare_list_of_measures_detailed_by_a_later_table_is_the_overview(tmp_path: Path) -> None:
    """施策の体系, then a No | 事業名 list, then a 年次計画 table with each measure's 担当課 and stages: each measure
    once. Before the fix, every measure came twice."""
    names = ["市民活動講座の開催", "協働コーディネーターの育成", "市民活動センターの運営"]
    path = _docx(tmp_path / "計画.docx", [
        ("p", "市民協働推進計画"), ("h1", "第2章 施策の体系"),
        ("table", [["基本目標", "施策", "主な取組"], ["1 担い手づくり", "(1) 人材の育成", names[0]],
                   ["1 担い手づくり", "(1) 人材の育成", names[1]], ["2 活動の場づくり", "(1) 拠点の充実", names[2]]]),
        ("h1", "第3章 事業一覧"), ("table", [["No", "事業名"], *[[str(k + 1), n] for k, n in enumerate(names)]]),
        ("h1", "第4章 年次計画"), ("table", [["事業名", "担当課", "R6", "R7"], *[[n, "市民協働課", "実施", "→"] for n in names]])])
    items = ingest_file(path, use_cache=False).items
    assert sorted(i.name for i in items) == sorted(names)
    assert all(i.departments == ("市民協働課",) and i.schedule == {"R6": "実施", "R7": "→"} for i in items)


def test_a_measures_own_short_line_before_a_table_stays_its_content(tmp_path: Path) -> None:
    """随時実施 under ② just above an 指標 table is the measure's; only a caption (取組の年次計画) is the table's."""
    kpi = [["指標", "現状値（R5）", "目標値（R10）"], ["市民活動センター利用者数", "12,000人", "15,000人"]]
    path = _docx(tmp_path / "計画.docx", [
        ("p", "市民協働推進計画"), ("h1", "第3章 具体的な取組"), ("h2", "基本目標1 協働の担い手づくり"),
        ("h3", "① 市民活動フェスタの開催"), ("p", "団体が活動を発表する場を設けます。"), ("p", "年1回開催"),
        ("h3", "② 市民活動講座の開催"), ("p", "活動を始めたい市民向けの講座を開きます。"), ("p", "随時実施"), ("table", kpi)])
    items = ingest_file(path, use_cache=False).items
    assert [i.content for i in items][-1] == "活動を始めたい市民向けの講座を開きます。随時実施"


def test_a_list_of_basic_policies_before_the_goals_is_not_above_them(tmp_path: Path) -> None:
    """【計画の基本方針】 基本方針1, 基本方針2 (each with a paragraph), then 施策1 with measures: 施策1 is not under
    基本方針2; 基本目標1 right over 施策1 (nothing between) is."""
    found = _text(tmp_path, "大仙市市民協働推進計画\n【計画の基本方針】\n基本方針1 市民が主役のまちづくり\n市民が担い手となることを目指します。\n"
                            "基本方針2 多様な主体の連携\n強みを生かします。\n【施策の展開】\n施策1 協働の担い手づくり\n"
                            "(1) 市民活動講座の開催\n講座を開きます。（担当：市民協働課）\n")
    assert ("市民活動講座の開催", ("施策1 協働の担い手づくり",)) in found


def test_a_measures_chapter_titled_keikaku_no_suishin(tmp_path: Path) -> None:
    """第2章 計画の推進 holding 基本目標1 and its measures is the measures' chapter; a closing chapter is one after
    the measures (第3章 計画の推進体制's 1 推進体制 is none)."""
    found = _text(tmp_path, "大仙市協働のまちづくり推進計画\n第1章 計画の概要\n1 計画策定の趣旨\n本計画を策定します。\n第2章 計画の推進\n"
                            "基本目標1 協働の担い手づくり\n(1) 市民活動講座の開催\n講座を開きます。（担当：市民協働課）\n"
                            "(2) 協働コーディネーターの育成\n人材を育成します。（担当：市民協働課）\n第3章 計画の推進体制\n1 推進体制\n"
                            "庁内推進会議で進み具合を確かめます。\n")
    assert [n for n, _ in found] == ["市民活動講座の開催", "協働コーディネーターの育成"]


def test_a_yearly_plans_intro_and_the_period_of_another_plan(tmp_path: Path) -> None:
    """1 実施計画について before 第2章 is the front matter (no measure); the parent plan's (計画期間：…) is not this
    plan's period, but 本計画の期間は… is."""
    path = tmp_path / "計画.txt"
    pad = "".join(f"協働のまちづくりを進めるための説明です。その{k}。\n" for k in range(12))  # (past the title page)
    path.write_text("大仙市市民協働推進計画 令和6年度実施計画\n大仙市\n1 実施計画について\n" + pad +
                    "この実施計画は、大仙市市民協働推進計画（計画期間：令和3年度～令和7年度）に基づく令和6年度の取組です。\n"
                    "第2章 具体的な取組\n基本目標1 協働の担い手づくり\n(1) 市民活動講座の開催\n講座を開きます。（担当：市民協働課）\n",
                    encoding="utf-8")
    doc = ingest_file(path, use_cache=False)
    assert [i.name for i in doc.items] == ["市民活動講座の開催"] and doc.period is None
    assert doc.fiscal_year is not None and doc.fiscal_year.label == "令和6年度"


def test_a_plan_citing_a_prefecture_is_not_the_prefectures(tmp_path: Path) -> None:
    path = tmp_path / "計画.txt"
    path.write_text("市民協働推進計画\n本計画は、埼玉県の「協働推進指針」を踏まえて策定しました。\n基本目標1 協働の担い手づくり\n"
                    "(1) 市民活動講座の開催\n講座を開きます。（担当：市民協働課）\n", encoding="utf-8")
    assert ingest_file(path, use_cache=False).city is None


def test_partners_after_a_department_stay_apart(tmp_path: Path) -> None:
    """子育て支援課・社会福祉協議会・NPO・ボランティア団体 are four; 観光・商工・農政課 is one."""
    from pipeline.ingest.structure import split_departments

    assert split_departments("子育て支援課・社会福祉協議会・NPO・ボランティア団体") == [
        "子育て支援課", "社会福祉協議会", "NPO", "ボランティア団体"]
    assert split_departments("市民協働課・地域・各団体") == ["市民協働課", "地域", "各団体"]
    assert split_departments("観光・商工・農政課") == ["観光・商工・農政課"]


def test_a_goal_with_its_own_paragraph_stays_above_its_policies(tmp_path: Path) -> None:
    """基本目標1 with a paragraph, then 施策1: still under 基本目標1 (a third review: the rule for a list of 基本方針
    had dropped it from every path)."""
    found = _text(tmp_path, "市民協働推進計画\n第4章 施策の展開\n基本目標1 情報の共有\n市民と情報を共有します。\n施策1 広報の充実\n"
                            "(1) 広報紙の発行\n市の情報を発信します。（担当：広報課）\n基本目標2 活動の促進\n活動を広げます。\n"
                            "施策2 担い手の育成\n(1) 講座の開催\n講座を開きます。（担当：市民協働課）\n")
    assert found == [("広報紙の発行", ("第4章 施策の展開", "基本目標1 情報の共有", "施策1 広報の充実")),
                     ("講座の開催", ("第4章 施策の展開", "基本目標2 活動の促進", "施策2 担い手の育成"))]


@pytest.mark.parametrize("line", ["計画期間：令和6年度～令和10年度", "計画の期間は、令和6年度から令和10年度までの5年間です。"])
def test_a_period_stated_without_hon_in_the_body(tmp_path: Path, line: str) -> None:
    pad = "".join(f"協働のまちづくりを進めるための説明です。その{k}。\n" for k in range(12))
    path = tmp_path / "計画.txt"
    path.write_text(f"市民協働推進計画\n{pad}{line}\n第2章 施策\n施策1 広報の充実\n(1) 広報紙の発行\n発信します。（担当：広報課）\n",
                    encoding="utf-8")
    doc = ingest_file(path, use_cache=False)
    assert doc.period is not None and doc.period.startswith("令和6年度")
    assert doc.fiscal_year is not None and doc.fiscal_year.label == "令和6年度"


def test_a_mokuteki_column_beside_naiyou(tmp_path: Path) -> None:
    """事業名 | 目的 | 内容 | 担当課: the content is 内容's (目的 names no column)."""
    path = _docx(tmp_path / "計画.docx", [("p", "市民協働推進計画"), ("table", [
        ["事業名", "目的", "内容", "担当課"], ["情報提供", "市民に伝える", "広報紙で発信する", "広報課"]])])
    assert [(i.name, i.content) for i in ingest_file(path, use_cache=False).items] == [("情報提供", "広報紙で発信する")]


def test_a_web_pages_last_back_to_top_link_ends_it(tmp_path: Path) -> None:
    """A page whose text ends at ページの先頭へ戻る with the site's footer after it (no contact box)."""
    found = _text(tmp_path, "現在地 トップページ > くらし > 市民協働の取組\n市民協働の取組\n更新日：2024年4月1日\n(1) 市民活動の支援\n"
                            "団体の活動資金を補助します。（担当：協働推進課）\nページの先頭へ戻る\nサイトマップ\n〒000-0000 本町1番1号\n"
                            "Copyright 秋津市\n")
    assert found == [("市民活動の支援", ())]


def test_measures_named_nitsuite_under_a_policy(tmp_path: Path) -> None:
    """(1) 活動資金の支援について with its paragraph under 施策1 is a measure; only a front section is not."""
    found = _text(tmp_path, "市民協働推進計画\n第3章 施策の展開\n施策1 活動の支援\n(1) 活動資金の支援について\n団体の活動を補助します。\n"
                            "(2) 活動場所の提供について\n公共施設を貸し出します。\n")
    assert [n for n, _ in found] == ["活動資金の支援について", "活動場所の提供について"]

