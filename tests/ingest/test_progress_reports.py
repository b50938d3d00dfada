"""Yearly reports on a plan's measures (年次報告, 実施状況, 事業評価シート, 外部評価), which planners read for last
year's results, as cities print them: results under each measure labelled ■取組実績 / 【実績】 / ◆今後の方向性,
label | value 評価シート (事業期間, 事業の目的, 事業の必要性) and result tables with the department's and the
committee's evaluation (担当課の評価, 推進会議の意見). Found by building them from real reports' pages; the
measure names are 旭川市's as printed, the sentences our own."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from pipeline.ingest import ingest_file
from tests.docmaker import add_label_table, add_table

CENTRE, SITE = "旭川市市民活動交流センターCoCoDe", "旭川市民活動情報サイト"


def _report(path: Path, results: list[str]) -> Path:
    document = docx.Document()
    document.add_paragraph("令和5年度 市民協働推進計画 実施状況報告")
    document.add_paragraph("1 市民活動の促進")
    document.add_paragraph("(1) 活動の場の充実")
    for number, name in (("①", CENTRE), ("②", SITE)):
        document.add_paragraph(f"{number} {name}")
        document.add_paragraph("（担当：地域活動推進課）")
        for line in results:
            document.add_paragraph(line)
    document.save(path)
    return path


@pytest.mark.parametrize("results", [
    ["■取組実績", "講座を36回開いた。", "■課題", "利用団体に偏りがある。", "■今後の方向性", "継続"],
    ["■取組実績：講座を36回開いた。", "■課題：利用団体に偏りがある。", "■今後の方向性：継続"],
    ["◆取組実績 講座を36回開いた。", "◆課題 利用団体に偏りがある。", "◆今後の方向性 継続"],
    ["【取組実績】", "講座を36回開いた。", "【課題】", "利用団体に偏りがある。", "【今後の方向性】", "継続"],
], ids=["square-own-line", "square-colon", "diamond-space", "brackets-own-line"])
def test_results_labelled_under_each_measure_are_its_status(tmp_path: Path, results: list[str]) -> None:
    """Before, ■取組実績 / ■課題 lines were measures of their own (15 invented, the real ones lost as headings),
    and a 【実績】 on its own line put the results into content."""
    items = ingest_file(_report(tmp_path / "報告.docx", results), use_cache=False).items
    assert [i.name for i in items] == [CENTRE, SITE]
    assert all(i.status == "取組実績：講座を36回開いた。; 課題：利用団体に偏りがある。; 今後の方向性：継続" for i in items)
    assert all(i.departments == ("地域活動推進課",) and i.content == "" for i in items)


def test_a_direction_starting_with_a_kubun_word_is_kept(tmp_path: Path) -> None:
    """継続：新たな利用層を掘り起こす。 under 【今後の方向性】 is the direction's text; before, it was taken for a
    区分 line and lost."""
    items = ingest_file(_report(tmp_path / "報告.docx", ["【実績】", "講座を36回開いた。", "【今後の方向性】",
                                                      "継続：新たな利用層を掘り起こす。"]), use_cache=False).items
    assert items[0].status == "実績：講座を36回開いた。; 今後の方向性：継続:新たな利用層を掘り起こす。"  # (NFKC)


def test_an_evaluation_sheets_labels_describe_its_one_measure(tmp_path: Path) -> None:
    """事業期間, 事業の目的 and 事業の必要性 hold 事業 but name no measure: before, each started an invented
    measure that took the sheet's results."""
    document = docx.Document()
    document.add_paragraph("令和5年度 事務事業評価シート")
    add_label_table(document, (
        ("事業名", "市民の企画提案による協働のまちづくり事業"), ("担当課", "地域活動推進課"),
        ("事業期間", "平成18年度～"), ("事業の目的", "団体の発想を生かして地域の課題を解決する。"),
        ("実施内容", "企画を募り、市と協働で事業を行う。"), ("評価", "B"), ("今後の方向性", "改善して継続"),
        ("事業の必要性", "地域課題が多様化しており必要性は高い。")), "Table Grid")
    document.save(tmp_path / "評価シート.docx")
    items = ingest_file(tmp_path / "評価シート.docx", use_cache=False).items
    assert [i.name for i in items] == ["市民の企画提案による協働のまちづくり事業"]
    assert items[0].departments == ("地域活動推進課",)
    assert items[0].schedule == {"事業期間": "平成18年度～"}
    assert items[0].status == "評価：B; 今後の方向性：改善して継続; 事業の必要性：地域課題が多様化しており必要性は高い。"


@pytest.mark.parametrize("own", ["担当課の評価", "担当課評価", "所管課の評価"])
@pytest.mark.parametrize("committee", ["推進会議の意見", "委員会意見"])
def test_the_departments_and_the_committees_evaluation_are_results(tmp_path: Path, own: str, committee: str) -> None:
    """担当課の評価 is the department's grade, not a department (before: 地域活動推進課 and B), and the
    committee's opinion is kept with the results (before, it was in no field)."""
    document = docx.Document()
    document.add_paragraph("令和5年度 市民協働推進計画 外部評価結果")
    rows = [("事業名", "担当課", "令和5年度の取組実績", own, committee),
            (SITE, "地域活動推進課", "情報を随時更新した。", "A", "閲覧者の声を集めてほしい。")]
    add_table(document, rows)
    document.save(tmp_path / "外部評価.docx")
    (item,) = ingest_file(tmp_path / "外部評価.docx", use_cache=False).items
    assert item.name == SITE and item.departments == ("地域活動推進課",)
    assert item.status == f"令和5年度の取組実績：情報を随時更新した。; {own}：A; {committee}：閲覧者の声を集めてほしい。"


def test_an_evaluation_sheet_with_two_label_pairs_a_row(tmp_path: Path) -> None:
    """北見市's 事務事業評価シート layout: 整理番号 | 1 | 部課名 | 地域活動推進課, 事務事業名 | … | 事業期間 | …, 基本目標 |
    … | 施策 | …, then a second table of labels (事業の目的, 事業の手段, 成果指標, 総合評価, 今後の方向性): one measure
    with all of them. Before, the name was lost and 基本目標 and the 事業の目的 sentence were invented measures."""
    document = docx.Document()
    document.add_paragraph("令和5年度 事務事業評価シート（事後）")
    for rows in ([("整理番号", "1", "部課名", "地域活動推進課"),
                  ("事務事業名", "市民の企画提案による協働のまちづくり事業", "事業期間", "平成18年度～"),
                  ("基本目標", "市民と行政がともに進めるまちづくり", "施策", "協働のまちづくりの推進")],
                 [("事業の目的", "団体の発想を生かして地域の課題を解決する。"), ("事業の手段", "企画を募り、市と協働で事業を行う。"),
                  ("成果指標", "事業参加者数 1,250人"), ("総合評価", "B"), ("今後の方向性", "改善して継続")]):
        add_table(document, rows)
    document.save(tmp_path / "評価シート.docx")
    (item,) = ingest_file(tmp_path / "評価シート.docx", use_cache=False).items
    assert item.name == "市民の企画提案による協働のまちづくり事業" and item.departments == ("地域活動推進課",)
    assert item.path == ("市民と行政がともに進めるまちづくり", "協働のまちづくりの推進")
    assert item.schedule == {"事業期間": "平成18年度～"}
    assert item.content == "団体の発想を生かして地域の課題を解決する。企画を募り、市と協働で事業を行う。"
    assert item.status == "成果指標：事業参加者数 1,250人; 総合評価：B; 今後の方向性：改善して継続"


def test_a_workbook_sheet_with_two_pairs_a_row_and_a_years_results(tmp_path: Path) -> None:
    """事業番号 | H1-1 | 事業名 | … on one row, and 令和5年度の取組実績 | …: the year's results are kept (before, the
    label was taken for the sheet's title and its text lost)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "H1-1"
    for row in (["令和5年度 事務事業評価シート"], [], ["事業番号", "H1-1", "事業名", "地域コミュニティの活性化を促進します"],
                ["担当課", "自治振興課"], ["事業の概要", "自治会の加入を促し、活動を支える。"],
                ["令和5年度の取組実績", "不動産団体と連携して加入を案内した。"], ["進捗状況", "B 概ね期待どおり"]):
        ws.append(row)
    wb.save(tmp_path / "評価.xlsx")
    (item,) = ingest_file(tmp_path / "評価.xlsx", use_cache=False).items
    assert item.name == "地域コミュニティの活性化を促進します" and item.departments == ("自治振興課",)
    assert item.status == "令和5年度の取組実績：不動産団体と連携して加入を案内した。; 進捗状況：B 概ね期待どおり"


def test_a_direction_ticked_in_its_column(tmp_path: Path) -> None:
    """今後の方向性 merged over 拡充 | 継続 | 見直し | 廃止 with ○ in one: the direction ticked (before, every row
    read 今後の方向性：○)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["令和5年度 進捗状況"], ["取組名", "担当課", "評価", "今後の方向性", None, None, None],
                [None, None, None, "拡充", "継続", "見直し", "廃止"], [CENTRE, "地域活動推進課", "B", None, None, "○", None],
                [SITE, "地域活動推進課", "A", "○", None, None, None]):
        ws.append(row)
    ws.merge_cells("D2:G2")
    for col in "ABC":
        ws.merge_cells(f"{col}2:{col}3")
    wb.save(tmp_path / "進捗.xlsx")
    items = ingest_file(tmp_path / "進捗.xlsx", use_cache=False).items
    assert [(i.name, i.status) for i in items] == [(CENTRE, "評価：B; 今後の方向性：見直し"), (SITE, "評価：A; 今後の方向性：拡充")]


def test_a_committees_opinion_merged_across_under_each_measure(tmp_path: Path) -> None:
    """【推進会議の意見】… in a row merged across under each measure's row: that measure's result (before, it was
    in no field)."""
    document = docx.Document()
    document.add_paragraph("令和5年度 協働の取組に関する評価結果報告書")
    rows = [["事業名", "担当課", "令和5年度の取組実績", "自己評価"],
            [SITE, "地域活動推進課", "情報を随時更新した。", "A"], ["【推進会議の意見】閲覧者の声を集めてほしい。", "", "", ""],
            [CENTRE, "地域活動推進課", "講座を36回開いた。", "B"], ["【推進会議の意見】利用の少ない層に届けてほしい。", "", "", ""]]
    table = add_table(document, rows)
    for r in (2, 4):
        table.cell(r, 0).merge(table.cell(r, 3))
    document.save(tmp_path / "評価結果.docx")
    items = ingest_file(tmp_path / "評価結果.docx", use_cache=False).items
    assert [(i.name, i.status) for i in items] == [
        (SITE, "令和5年度の取組実績：情報を随時更新した。; 自己評価：A; 推進会議の意見：閲覧者の声を集めてほしい。"),
        (CENTRE, "令和5年度の取組実績：講座を36回開いた。; 自己評価：B; 推進会議の意見：利用の少ない層に届けてほしい。")]
