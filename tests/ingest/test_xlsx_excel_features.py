"""Workbooks as city offices keep them: a 記入要領 sheet beside the measures, one sheet per 推進方策,
old years' columns hidden, rows filtered out, measures struck through, year headers typed as numbers
shown as 令和6年度, ● per year column. What Excel shows is what is read."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

from pipeline.ingest import ingest_file

HEADER = ["No", "取組名", "取組内容", "担当課"]


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def test_notes_sheets_are_skipped_and_each_sheet_has_its_own_heading(tmp_path: Path) -> None:
    wb = Workbook()
    notes = wb.active
    notes.title = "記入要領"
    notes.append(["項目", "記入内容"])
    notes.append(["取組名", "計画に掲げた取組名をそのまま記入してください。", "主に担当する課の名称を記入してください。"])
    first = wb.create_sheet("推進方策1")
    first.append(HEADER)
    first.append([1, "市民協働シンポジウムの開催", "協働の考え方を伝える講演の場を設けます。", "市民活動支援課"])
    titled = wb.create_sheet("推進方策2")
    titled.append(["推進方策2 職員の意識改革"])
    titled.append(HEADER)
    titled.append([2, "職員向け協働研修の実施", "協働の進め方を学ぶ研修を行います。", "職員課"])
    plain = wb.create_sheet("Sheet4")
    plain.append(HEADER)
    plain.append([3, "協働事業提案制度の運用", "団体の提案を受けて協働で実施します。", "市民活動支援課"])
    codes = wb.create_sheet("課コード")
    codes.append(["コード", "課名"])
    codes.append(["A01", "市民活動支援課"])
    doc = ingest_file(_save(wb, tmp_path / "進行管理.xlsx"), use_cache=False)
    assert [(i.name, i.path) for i in doc.items] == [
        ("市民協働シンポジウムの開催", ("推進方策1",)),
        ("職員向け協働研修の実施", ("推進方策2 職員の意識改革",)),  # the title row, not the name twice
        ("協働事業提案制度の運用", ()),  # a sheet of another name does not inherit 推進方策2
    ]
    assert doc.items[2].content == "団体の提案を受けて協働で実施します。"  # no 課コード rows glued on
    skipped = [w for w in doc.warnings if "記入要領" in w]
    assert len(skipped) == 1 and "課コード" in skipped[0] and "推進方策1" not in skipped[0]  # said, by name


def test_formulas_saved_without_their_results_are_said(tmp_path: Path) -> None:
    """A workbook written by a program (openpyxl) and never opened in Excel holds formulas but not their
    results: the cells read blank, and the document says how many."""
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["=ROW()-1", "市民協働シンポジウムの開催", "協働の考え方を伝えます。", "市民活動支援課"])
    ws.append(["=ROW()-1", "協働出前講座の実施", "職員が出向きます。", "=D2"])
    doc = ingest_file(_save(wb, tmp_path / "数式.xlsx"), use_cache=False)
    assert [i.name for i in doc.items] == ["市民協働シンポジウムの開催", "協働出前講座の実施"]
    assert doc.items[1].departments == ()  # the result of =D2 is not in the file
    assert [w for w in doc.warnings if "3" in w and ("数式" in w or "formulas" in w)]


def test_hidden_rows_and_columns_and_struck_text_are_not_read(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "取組一覧"
    ws.append(["市民協働推進行動計画 進行管理シート"])
    ws.append(["No", "取組名", "担当課", "年度別計画", None, None, None])
    ws.append([None, None, None, "令和4年度", "令和5年度", "令和6年度", "令和7年度"])
    ws.merge_cells("D2:G2")
    ws.append([1, "市民協働シンポジウムの開催", "市民活動支援課", "実施", "実施", "継続実施", "継続実施"])
    ws.append([2, "旧協働ガイドブックの配布", "市民活動支援課", "実施", "終了", None, None])
    ws.append([3, "協働出前講座の実施", "市民活動支援課", "検討", "試行", "実施", "実施"])
    ws.append([4, "協働ガイドブックの配布", "市民活動支援課", None, None, "実施", "実施"])
    ws.append([5, CellRichText([TextBlock(InlineFont(strike=True), "市民活動入門講座の開催"),
                                "市民活動はじめて講座の開催"]), "市民活動支援課", None, None, "実施", "実施"])
    ws.column_dimensions["D"].hidden = True  # the old years, hidden: the merged 年度別計画 starts there
    ws.column_dimensions["E"].hidden = True
    ws.row_dimensions[5].hidden = True  # filtered out
    ws["B7"].font = Font(strike=True)  # 見え消し
    doc = ingest_file(_save(wb, tmp_path / "非表示.xlsx"), use_cache=False)
    assert [i.name for i in doc.items] == ["市民協働シンポジウムの開催", "協働出前講座の実施", "市民活動はじめて講座の開催"]
    assert doc.items[0].schedule == {"年度別計画 令和6年度": "継続実施", "年度別計画 令和7年度": "継続実施"}
    assert doc.fiscal_year is not None and doc.fiscal_year.year == 2024  # not the hidden 令和4年度


def test_year_headers_shown_by_their_format_and_year_marks_are_no_actor(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["取組名", "担当課", "区分", 6, 7, 8])
    for cell in ws[1][3:]:
        cell.number_format = '"令和"0"年度"'
    ws.append(["協働事業提案制度の運用", "市民活動推進課", "継続", "●", "●", "◎"])
    ws.append(["市民活動センターの機能強化", "市民活動推進課", "拡充", "◎", "●", "●"])
    doc = ingest_file(_save(wb, tmp_path / "年度.xlsx"), use_cache=False)
    assert [(i.name, i.schedule, i.actor, i.tags) for i in doc.items] == [
        ("協働事業提案制度の運用", {"令和6年度": "●", "令和7年度": "●", "令和8年度": "◎"}, None, ("継続",)),
        ("市民活動センターの機能強化", {"令和6年度": "◎", "令和7年度": "●", "令和8年度": "●"}, None, ("拡充",)),
    ]


def test_a_column_per_tag_ticked_gives_the_tag(tmp_path: Path) -> None:
    """区分 as columns of their own (新規 | 継続 | 拡充, ○ where it applies), alone or under a merged 区分."""
    wb = Workbook()
    alone = wb.active
    alone.append(["No", "取組名", "担当課", "新規", "継続", "拡充"])
    alone.append([1, "市民協働シンポジウムの開催", "市民活動支援課", None, "○", None])
    alone.append([2, "協働事業提案制度の創設", "市民活動支援課", "○", None, None])
    grouped = wb.create_sheet("取組一覧")
    grouped.append(["No", "取組名", "担当課", "区分", None, None])
    grouped.append([None, None, None, "新規", "継続", "拡充"])
    grouped.merge_cells("D1:F1")
    grouped.append([3, "協働出前講座の実施", "市民活動支援課", None, None, "○"])
    doc = ingest_file(_save(wb, tmp_path / "区分.xlsx"), use_cache=False)
    assert [(i.name, i.tags, i.actor) for i in doc.items] == [
        ("市民協働シンポジウムの開催", ("継続",), None), ("協働事業提案制度の創設", ("新規",), None),
        ("協働出前講座の実施", ("拡充",), None)]


def test_a_totals_row_is_no_measure(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["No", "事業名", "担当課", "事業費（千円）"])
    ws.append([1, "市民活動支援補助金", "市民活動支援課", 1200])
    ws.append([2, "協働事業提案制度", "市民活動支援課", 800])
    ws.append([None, "合計", None, 2000])
    doc = ingest_file(_save(wb, tmp_path / "事業費.xlsx"), use_cache=False)
    assert [i.name for i in doc.items] == ["市民活動支援補助金", "協働事業提案制度"]


def test_a_band_merged_across_the_table_heads_the_rows_under_it(tmp_path: Path) -> None:
    """施策 bands without numbers, merged across the table between its rows; a note under the table and a
    title above it stay lines."""
    wb = Workbook()
    ws = wb.active
    ws.append(["協働のまちづくり推進計画 取組一覧", None, None, None, None])
    ws.merge_cells("A1:E1")
    ws.append(["No", "取組名", "取組内容", "担当課", "区分"])
    for row, band in ((3, "市民活動の裾野の拡大"), (6, "協働の仕組みづくり")):
        ws.cell(row, 1, band)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        if row == 3:
            ws.append([1, "コミュニティ未来塾の講座拡充", "地域の担い手を育てる講座を開きます。", "市民活動推進課", "拡充"])
            ws.append([2, "市民活動入門講座の開催", "活動を始めたい人向けの講座を開きます。", "市民活動推進課", "継続"])
        else:
            ws.append([3, "協働事業提案制度の運用", "団体の提案を受けて協働で事業を行います。", "市民活動推進課", "継続"])
    ws.cell(8, 1, "※ 区分は令和6年度のものです。")
    ws.merge_cells("A8:E8")
    doc = ingest_file(_save(wb, tmp_path / "帯.xlsx"), use_cache=False)
    assert [(i.name, i.path) for i in doc.items] == [
        ("コミュニティ未来塾の講座拡充", ("市民活動の裾野の拡大",)), ("市民活動入門講座の開催", ("市民活動の裾野の拡大",)),
        ("協働事業提案制度の運用", ("協働の仕組みづくり",))]
    assert doc.title == "協働のまちづくり推進計画 取組一覧"


def test_sheets_named_like_notes_but_of_measures_are_read(tmp_path: Path) -> None:
    wb = Workbook()
    for n, title in enumerate(("マスタープラン推進事業", "取組一覧（記入例なし）", "事業一覧（入力方法：プルダウン）")):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = title
        ws.append(HEADER)
        ws.append([n + 1, f"協働の取組{n + 1}", "団体と協働で実施します。", "市民活動支援課"])
    doc = ingest_file(_save(wb, tmp_path / "名前.xlsx"), use_cache=False)
    assert [i.name for i in doc.items] == ["協働の取組1", "協働の取組2", "協働の取組3"]


def test_a_merge_down_from_a_hidden_row_keeps_its_value(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["施策", "取組名", "担当課"])
    ws.append(["施策1 協働の意識を高める", "市民協働出前講座", "市民協働課"])
    ws.append(["施策2 協働の仕組みをつくる", "旧協働推進会議", "市民協働課"])
    ws.append([None, "協働ラウンドテーブル", "市民協働課"])
    ws.merge_cells("A3:A4")
    ws.row_dimensions[3].hidden = True
    doc = ingest_file(_save(wb, tmp_path / "結合.xlsx"), use_cache=False)
    assert [(i.name, i.policy) for i in doc.items] == [("市民協働出前講座", "施策1 協働の意識を高める"),
                                                       ("協働ラウンドテーブル", "施策2 協働の仕組みをつくる")]


def test_rows_an_autofilter_hides_are_said_not_read(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A filter left on (担当課 = 地域づくり推進課) hides measures of other departments: a view, not a
    deletion. They are not read, as hidden rows are not, but the document's notes say how many and on
    which sheet, so a planner does not lose measures without knowing."""
    from pipeline.messages import ENV

    monkeypatch.setenv(ENV, "ja")
    wb = Workbook()
    ws = wb.active
    ws.title = "取組一覧"
    ws.append(["協働のまちづくり推進計画 取組一覧"])
    ws.append(HEADER)
    for k, (name, dept) in enumerate([("住民自治協議会への交付金", "地域づくり推進課"), ("市民活動支援センターの運営", "市民生活課"),
                                      ("地域担当職員の配置", "地域づくり推進課"), ("協働事業提案制度", "市民生活課")], start=1):
        ws.append([k, name, "", dept])
    ws.auto_filter.ref = "A2:D6"
    ws.row_dimensions[4].hidden = True
    ws.row_dimensions[6].hidden = True
    doc = ingest_file(_save(wb, tmp_path / "取組一覧.xlsx"), use_cache=False)
    assert [i.name for i in doc.items] == ["住民自治協議会への交付金", "地域担当職員の配置"]
    assert [w for w in doc.warnings if "取組一覧" in w and "フィルター" in w and "2 行" in w]
    ws.auto_filter.ref = None
    from openpyxl.worksheet.table import Table  # a list made an Excel Table (テーブル), filtered by its own filter

    ws.add_table(Table(displayName="取組", ref="A2:D6"))
    doc = ingest_file(_save(wb, tmp_path / "テーブル.xlsx"), use_cache=False)
    assert len(doc.items) == 2 and [w for w in doc.warnings if "フィルター" in w and "2 行" in w]
    del ws.tables["取組"]  # rows folded away without a filter: hidden on purpose, nothing said
    doc = ingest_file(_save(wb, tmp_path / "畳んだ行.xlsx"), use_cache=False)
    assert len(doc.items) == 2 and not [w for w in doc.warnings if "フィルター" in w]


def test_a_sheet_named_for_its_goal_heads_its_measures_beside_a_target_column(tmp_path: Path) -> None:
    """One sheet per 基本目標 (基本目標1, 基本目標2) whose name is said nowhere else: the sheet's name is the
    heading of its measures, a 目標値 column notwithstanding (its 目標 made the name seem said already)."""
    wb = Workbook()
    for k, (goal, name) in enumerate([("基本目標1", "市民活動団体の登録"), ("基本目標2", "協働事業提案制度")]):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = goal
        ws.append(["施策", "取組", "担当課", "指標", "目標値"])
        ws.append(["市民活動の活性化" if k == 0 else "協働の仕組みづくり", name, "市民協働課", "登録団体数", "60団体"])
    doc = ingest_file(_save(wb, tmp_path / "進捗管理.xlsx"), use_cache=False)
    assert [(i.name, i.path) for i in doc.items] == [("市民活動団体の登録", ("基本目標1", "市民活動の活性化")),
                                                     ("協働事業提案制度", ("基本目標2", "協働の仕組みづくり"))]


def test_contents_example_and_grading_material_give_no_measures(tmp_path: Path) -> None:
    """A 進行管理表 workbook as it is sent round to the departments (摂津市's has them so): a 目次 sheet, a 記入見本
    sheet, a 【記入例】 row at the head of a real sheet and, under its table, the 【評価基準】 A / B / C. Before,
    each was read as measures (地域でつながる, （例）見守りネットワーク事業, 計画以上に進んだ …)."""
    wb = Workbook()
    contents = wb.active
    contents.title = "目次"
    contents.append(["1", "基本目標1 地域でつながる", "シート「基本目標1」"])
    contents.append(["2", "基本目標2 地域で支え合う", "シート「基本目標2」"])
    header = ["取組名", "取組内容", "担当課", "R5実績", "評価"]
    sample = wb.create_sheet("記入見本")
    sample.append(header)
    sample.append(["（例）見守りネットワーク事業", "（例）地域で高齢者を見守る。", "（例）高齢介護課", "（例）協力事業所が増えた。", "A"])
    sheet = wb.create_sheet("基本目標1")
    sheet.append(header)
    sheet.append(["【記入例】市民活動フェスタ", "団体の発表の場を設ける。", "協働推進課", "1回開催", "A"])
    sheet.append(["地域の居場所づくり", "誰もが集える場を地域に広げる。", "地域福祉課", "2か所開設した。", "A"])
    sheet.append(["協働事業提案制度", "団体の提案を募り協働で実施する。", "協働推進課", "3事業を採択した。", "B"])
    sheet.append([])
    sheet.append(["【評価基準】"])
    for grade, meaning in (("A", "計画以上に進んだ"), ("B", "計画どおり進んだ"), ("C", "計画より遅れている")):
        sheet.append([grade, meaning])
    wb.save(tmp_path / "進行管理表.xlsx")
    doc = ingest_file(tmp_path / "進行管理表.xlsx", use_cache=False)
    assert [i.name for i in doc.items] == ["地域の居場所づくり", "協働事業提案制度"]
    assert any("目次" in w and "記入見本" in w for w in doc.warnings)  # (the planner is told which were left)


def test_a_department_named_above_a_sheets_table_is_its_rows(tmp_path: Path) -> None:
    """A 取組状況報告書 filled in one sheet per 課, the 課 named above the table (担当課：… or 所属名：…) and no
    担当課 column: before, its measures had no department. A sheet named 基本方向1 heads its rows as one named
    基本目標1 does."""
    wb = Workbook()
    first = wb.active
    first.title = "基本方向1"
    for ws, banner, name in ((first, "担当課：市民活動課", "市民活動支援センターの運営"),
                             (wb.create_sheet("基本方向2"), "所属名：地域福祉課", "地域の居場所づくり")):
        ws.append(["令和5年度 市民協働指針 取組状況報告書"])
        ws.append([banner])
        ws.append(["取組名", "取組内容", "令和5年度実績", "評価"])
        ws.append([name, "団体の相談や交流を支える。", "相談を延べ300件受けた。", "A"])
    wb.save(tmp_path / "報告書.xlsx")
    items = ingest_file(tmp_path / "報告書.xlsx", use_cache=False).items
    assert [(i.name, i.departments, i.path[:1]) for i in items] == [
        ("市民活動支援センターの運営", ("市民活動課",), ("基本方向1",)), ("地域の居場所づくり", ("地域福祉課",), ("基本方向2",))]
