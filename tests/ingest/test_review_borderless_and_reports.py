"""Layouts that the reading rules for borderless sheets, result labels, unnumbered Word headings and
label words first misread, found by a review that compared readings before and after them (each test
fails on the commit whose rule it guards): a 主体別の役割 matrix, name columns headed 取組み / 取組事項,
意見 inside a result cell, numbered headings that share a 見出し style, ■ measures named 意見交換 or
外部評価, a Word list aligned by tab stops in its PDF, a sheet's title beside its 凡例, and a コラム
見出し after a measure's results."""
from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from pipeline.ingest import ingest_file
from tests.docmaker import add_table, libreoffice_pdf


def _names(path: Path) -> list[str]:
    return [i.name for i in ingest_file(path, use_cache=False).items]


def _table_docx(path: Path, rows: list[list[str]], before: tuple[str, ...] = ("市民協働推進計画",)) -> Path:
    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    add_table(document, rows)
    document.save(path)
    return path


def test_an_actor_matrix_keeps_its_measures(tmp_path: Path) -> None:
    """取組名 | 市民 | 地域 | 事業者 | 市 with ◎○△: 事業者 still counts as a column word."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["市民協働推進計画 主体別の役割"], ["取組名", "市民", "地域", "事業者", "市"],
                ["市民活動フェスタの開催", "◎", "○", "△", "○"], ["地域防災訓練の実施", "○", "◎", "○", "○"]):
        ws.append(row)
    wb.save(tmp_path / "役割.xlsx")
    assert _names(tmp_path / "役割.xlsx") == ["市民活動フェスタの開催", "地域防災訓練の実施"]


@pytest.mark.parametrize("word", ["取組み", "取組事項", "取り組み事項", "事業等"])
def test_name_columns_headed_with_the_measures_word(tmp_path: Path, word: str) -> None:
    rows = [[word, "内容", "担当課"], ["市民活動フェスタの開催", "団体の活動発表の場を設ける", "市民協働課"],
            ["協働事業提案制度", "団体の提案を受けて事業を行う", "市民協働課"]]
    assert _names(_table_docx(tmp_path / "計画.docx", rows)) == ["市民活動フェスタの開催", "協働事業提案制度"]


def test_a_result_cell_holding_iken_is_no_header(tmp_path: Path) -> None:
    """…| 実績 | 12件で意見を募集した |…: a row of results, not a new header that ends the table."""
    rows = [["No.", "取組名", "担当課", "区分", "令和5年度", "評価"],
            ["1", "パブリック・コメント", "総合政策課", "計画", "意見募集を全庁で行う", "A"],
            ["", "", "", "実績", "12件で意見を募集した", ""],
            ["2", "市民ワークショップ", "総合政策課", "計画", "会議を運営する", "B"],
            ["", "", "", "実績", "20回の会議を開いた", ""]]
    items = ingest_file(_table_docx(tmp_path / "進捗.docx", rows), use_cache=False).items
    assert [i.name for i in items] == ["パブリック・コメント", "市民ワークショップ"]
    assert "12件で意見を募集した" in items[0].status


def test_numbered_headings_sharing_a_style_close_by_their_numbers(tmp_path: Path) -> None:
    """第4章 and 基本目標1 both in 見出し1, (1) and ① both in 見出し2: three measures under 第4章 > 基本目標1 >
    (1)/(2), none of the headings a measure."""
    document = docx.Document()
    document.add_paragraph("市民協働推進計画")
    for level, text in [(1, "第4章 具体的な取組"), (1, "基本目標1 協働の意識づくり"), (2, "(1) 意識の啓発"),
                        (2, "① 協働出前講座の開催"), (0, "職員が地域に出向いて講座を開きます。"),
                        (2, "② 協働フォーラムの開催"), (0, "市民向けのフォーラムを開きます。"), (2, "(2) 情報の共有"),
                        (2, "① 協働情報サイトの運営"), (0, "協働の情報を発信します。")]:
        document.add_heading(text, level) if level else document.add_paragraph(text)
    document.save(tmp_path / "計画.docx")
    items = ingest_file(tmp_path / "計画.docx", use_cache=False).items
    assert [i.name for i in items] == ["協働出前講座の開催", "協働フォーラムの開催", "協働情報サイトの運営"]
    assert items[2].path == ("第4章 具体的な取組", "基本目標1 協働の意識づくり", "(2) 情報の共有")


@pytest.mark.parametrize("inline", [True, False])
def test_square_measures_named_with_result_words_stay_measures(tmp_path: Path, inline: bool) -> None:
    """■意見交換 and ■外部評価 are measures (only the labels of results, ■取組実績 / ■課題 …, are results)."""
    lines = ["市民参加推進計画", "(1) 市民参加の機会の充実"]
    for name, text in (("意見募集", "計画づくりの段階で市民の意見を募ります。"), ("意見交換", "市長と市民が語り合う場を設けます。"),
                       ("外部評価", "事務事業の評価に市民委員が参加します。")):
        lines += [f"■{name}：{text}"] if inline else [f"■{name}", text]
    path = tmp_path / "計画.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # (■外部評価：… keeps its sentence in the name, as before these rules: 評価 ends a label of results)
    assert [n.replace("：", ":").split(":")[0] for n in _names(path)] == ["意見募集", "意見交換", "外部評価"]


def test_a_word_list_aligned_by_tab_stops_in_its_pdf(tmp_path: Path) -> None:
    """主な取組<tab>担当課 then ①名前<tab>課 with a sentence under each: the PDF reads the three measures with
    their departments and sentences, not a one-row table that loses the rest."""
    document = docx.Document()
    for line in ["市民協働推進計画", "基本方針1 市民活動の促進", "主な取組\t担当課",
                 "①市民活動団体への支援\t市民協働課", "団体の運営や会計の相談に応じます。",
                 "②協働事業提案制度の推進\t市民協働課", "市民団体からの提案を受けて協働で事業を行います。",
                 "③地域づくり活動への補助\t地域振興課", "自治会等の地域づくり活動に補助します。"]:
        paragraph = document.add_paragraph(line)
        paragraph.paragraph_format.tab_stops.add_tab_stop(docx.shared.Mm(120))
    document.save(tmp_path / "計画.docx")
    items = ingest_file(libreoffice_pdf(tmp_path / "計画.docx"), use_cache=False).items
    assert [(i.name, i.departments) for i in items] == [
        ("市民活動団体への支援", ("市民協働課",)), ("協働事業提案制度の推進", ("市民協働課",)),
        ("地域づくり活動への補助", ("地域振興課",))]
    assert items[0].content == "団体の運営や会計の相談に応じます。"


def test_a_borderless_sheets_title_keeps_apart_from_its_legend(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["市民協働推進計画 重点プロジェクト 年次計画（令和6年度～令和8年度）"], ["凡例 ○：検討 ●：実施 →：継続"], [],
                ["取組名", "取組内容", "担当課", "R6", "R7", "R8"],
                ["市民活動フェスタの開催", "団体の活動を発表する場を設ける", "市民協働課", "●", "→", "→"],
                ["協働事業提案制度", "団体の提案を受けて事業を行う", "市民協働課", "○", "●", "→"]):
        ws.append(row)
    for col, width in zip("ABCDEF", (30, 36, 14, 5, 5, 5)):
        ws.column_dimensions[col].width = width
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.save(tmp_path / "年次計画.xlsx")
    doc = ingest_file(libreoffice_pdf(tmp_path / "年次計画.xlsx"), use_cache=False)
    assert "凡例" not in (doc.title or "")
    assert [i.name for i in doc.items] == ["市民活動フェスタの開催", "協働事業提案制度"]


def test_a_column_heading_after_the_results_is_none_of_them(tmp_path: Path) -> None:
    """【今後の方向性】 then 継続 holds the direction; a コラム in 見出し2 after it ends it."""
    document = docx.Document()
    document.add_paragraph("令和5年度 実施状況報告")
    document.add_paragraph("① 市民活動交流センターの運営")
    for line in ("【実績】", "講座を36回開いた。", "【今後の方向性】", "継続"):
        document.add_paragraph(line)
    document.add_heading("コラム　センターの一日", 2)
    document.add_paragraph("朝から団体の打合せでにぎわいます。")
    document.save(tmp_path / "報告.docx")
    (item,) = ingest_file(tmp_path / "報告.docx", use_cache=False).items
    assert item.status == "実績：講座を36回開いた。; 今後の方向性：継続"
