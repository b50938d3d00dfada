"""The columns of 進行管理シート and 実施状況 tables as offices head them (found by building real sheets'
layouts and reading them as a planner would): a column's role is decided by the word that says what it
holds, not by a heading or name word inside its header.

Before, 翌年度の取組 / 取り組み状況 were taken for a second name column and dropped; 実績（令和5年度） and
次年度の方向性 for headings (their 実績 and 継続 / 拡充 in every item's path); an indicator table's 数値目標
for a heading, its 策定時 for the number and its 令和7年度目標 for a stage of the schedule; a header merged
over a number's column and a name's left the name out; 大項目 / 中項目 were read as names; 新規⏎継続
typed on two lines gave marks like 新規継続継続; ● under 重点 was read as 市が主体; 〃 and ほか were kept as
departments. Layouts after 新庄市's 協働推進計画 実施状況, あきる野市's 進捗管理シート, 別府市's 施策の実施状況評価,
小諸市's 数値目標の達成状況, 三郷市's numbered 施策 and 武蔵野市's 取り組み状況; the sentences are our own."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from pipeline.ingest import ingest_file


def _sheet(path: Path, title: str, header: list[str], rows: list[tuple[object, ...]],
           merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    for cells in merges:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def test_progress_columns_whatever_words_head_them(tmp_path: Path) -> None:
    header = ["No", "取組項目", "取組内容", "担当課", "実績（令和5年度）", "評価（令和5年度）", "翌年度の取組",
              "次年度の方向性"]
    rows = [(1, "協働評価委員会の運営", "協働の取組を市民の目で評価する委員会を開く。", "総合政策課",
             "委員会を6回開いた。", "A", "評価結果を市報で公表する。", "継続"),
            (2, "地域づくりアドバイザー派遣", "地域の話し合いにアドバイザーを派遣する。", "総合政策課",
             "2地区に派遣した。", "B", "派遣先を4地区に広げる。", "拡充")]
    items = ingest_file(_sheet(tmp_path / "実施状況.xlsx", "協働推進計画 令和5年度実施状況報告", header, rows),
                        use_cache=False).items
    assert [(i.name, i.path, i.departments) for i in items] == [
        ("協働評価委員会の運営", (), ("総合政策課",)), ("地域づくりアドバイザー派遣", (), ("総合政策課",))]
    assert items[0].status_cells() == [("実績(令和5年度)", "委員会を6回開いた。"), ("評価(令和5年度)", "A"),
                                       ("翌年度の取組", "評価結果を市報で公表する。"), ("次年度の方向性", "継続")]
    assert dict(items[1].status_cells())["次年度の方向性"] == "拡充"


def test_an_indicator_table_gives_each_measure_its_indicator(tmp_path: Path) -> None:
    header = ["施策", "取組", "担当課", "数値目標", "策定時（令和4年度）", "令和6年度実績", "令和7年度目標", "達成率",
              "評価", "今後の対応"]
    rows = [("参加と協働のルールづくり", "市民協働推進市民会議の開催", "企画課", "会議の開催回数", "4回", "6回", "6回",
             "100%", "A", "ルール案をまとめる。")]
    (item,) = ingest_file(_sheet(tmp_path / "数値目標.xlsx", "市民協働推進計画 数値目標の達成状況", header, rows),
                          use_cache=False).items
    assert (item.name, item.path, item.number, item.schedule) == (
        "市民協働推進市民会議の開催", ("参加と協働のルールづくり",), "", {})
    assert item.kpis == ({"数値目標": "会議の開催回数", "策定時(令和4年度)": "4回", "令和7年度目標": "6回",
                          "達成率": "100%"},)
    assert dict(item.status_cells()) == {"令和6年度実績": "6回", "評価": "A", "今後の対応": "ルール案をまとめる。"}


def test_a_header_merged_over_a_number_and_a_name(tmp_path: Path) -> None:
    """施策 over [1 | 地域自治の推進], 取組 over [1-1 | 住民自治協議会への交付金]: the name and the heading
    are read, and the number is the measure's."""
    header = ["施策", None, "取組", None, "内容", "担当課"]
    rows = [(1, "地域自治の推進", "1-1", "住民自治協議会への交付金", "地域の計画に基づく活動に交付金を交付する。",
             "地域づくり推進課"),
            (None, None, "1-2", "地域担当職員の配置", "各協議会に市の担当職員を置く。", "地域づくり推進課")]
    items = ingest_file(_sheet(tmp_path / "取組一覧.xlsx", "協働のまちづくり推進計画 取組一覧", header, rows,
                               merges=("A3:B3", "C3:D3", "A4:A5", "B4:B5")), use_cache=False).items
    assert [(i.number, i.name, i.path, i.departments) for i in items] == [
        ("1-1", "住民自治協議会への交付金", ("地域自治の推進",), ("地域づくり推進課",)),
        ("1-2", "地域担当職員の配置", ("地域自治の推進",), ("地域づくり推進課",))]


def test_levels_tags_marks_and_repeated_departments(tmp_path: Path) -> None:
    header = ["大項目", "中項目", "取組名", "新規\n継続", "重点", "担当課"]
    rows = [("協働の意識づくり", "啓発の推進", "協働フォーラムの開催", "継続", "●", "市民協働課"),
            (None, None, "協働ハンドブックの配布", "拡充", "", "〃"),
            (None, "職員の意識改革", "協働推進員研修", "新規", "●", "職員課 ほか")]
    items = ingest_file(_sheet(tmp_path / "実施計画.xlsx", "市民協働推進計画 実施計画", header, rows,
                               merges=("A4:A6", "B4:B5")), use_cache=False).items
    assert [(i.name, i.path, i.tags, i.marks, i.actor, i.departments) for i in items] == [
        ("協働フォーラムの開催", ("協働の意識づくり", "啓発の推進"), ("継続",), ("重点●",), None, ("市民協働課",)),
        ("協働ハンドブックの配布", ("協働の意識づくり", "啓発の推進"), ("拡充",), (), None, ("市民協働課",)),
        ("協働推進員研修", ("協働の意識づくり", "職員の意識改革"), ("新規",), ("重点●",), None, ("職員課",))]


def test_a_row_of_results_under_each_measures_row_of_plans(tmp_path: Path) -> None:
    """No, 取組 and 担当課 merged down over two rows, 区分 計画 then 実績, a year per column (小諸市's
    目標の計画と達成状況 prints its rows so): the 計画 row is the schedule, the 実績 row what was done in
    those years. Before, the 実績 row was lost."""
    header = ["No", "取組", "担当課", "区分", "令和5年度", "令和6年度", "令和7年度"]
    rows = [("1", "協働の手引きの作成", "企画課", "計画", "検討", "作成", "運用"),
            (None, None, None, "実績", "検討した", "作成し配布した", ""),
            ("2", "市民活動サポートセンターの運営", "市民課", "計画", "実施", "実施", "実施"),
            (None, None, None, "実績", "相談312件", "相談355件", "")]
    items = ingest_file(_sheet(tmp_path / "進行管理表.xlsx", "協働のまちづくり推進計画 進行管理表", header, rows,
                               merges=("A4:A5", "B4:B5", "C4:C5", "A6:A7", "B6:B7", "C6:C7")), use_cache=False).items
    assert [(i.name, i.schedule, i.tags) for i in items] == [
        ("協働の手引きの作成", {"令和5年度": "検討", "令和6年度": "作成", "令和7年度": "運用"}, ()),
        ("市民活動サポートセンターの運営", {"令和5年度": "実施", "令和6年度": "実施", "令和7年度": "実施"}, ())]
    assert items[0].status_cells() == [("令和5年度 実績", "検討した"), ("令和6年度 実績", "作成し配布した")]
    assert items[1].status_cells() == [("令和5年度 実績", "相談312件"), ("令和6年度 実績", "相談355件")]


def test_a_three_row_header_with_a_year_merged_over_two_rows(tmp_path: Path) -> None:
    """府中市's 進行管理シート header: 年次計画 over 令和6年度 | 令和7年度 (each merged down two rows), and beside
    it 令和5年度 merged over two rows and two columns above 実績 | 評価. Before, the middle row's covered
    cells took the year to their left (令和5年度 令和7年度 実績)."""
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"] = "取組", "担当課", "年次計画"
    ws["C2"], ws["D2"], ws["E1"], ws["E3"], ws["F3"] = "令和6年度", "令和7年度", "令和5年度", "実績", "評価"
    for cells in ("A1:A3", "B1:B3", "C1:D1", "C2:C3", "D2:D3", "E1:F2"):
        ws.merge_cells(cells)
    ws.append(["協働提案制度の運用", "市民協働課", "実施", "実施", "2件採択した。", "B"])
    wb.save(tmp_path / "進行管理シート.xlsx")
    (item,) = ingest_file(tmp_path / "進行管理シート.xlsx", use_cache=False).items
    assert item.schedule == {"年次計画 令和6年度": "実施", "年次計画 令和7年度": "実施"}
    assert item.status_cells() == [("令和5年度 実績", "2件採択した。"), ("令和5年度 評価", "B")]


def test_a_name_cell_that_holds_its_explanation(tmp_path: Path) -> None:
    """府中市's 進行管理シート puts the explanation in the 取組 cell under the name (a table with no 内容
    column): the name's paragraph is the name and the sentences after it the content, in Word and in
    Excel (Alt+Enter); so are 【name】 and 'name：sentence' in one line. Before, all of it was the name."""
    import docx

    rows = [("協働フォーラムの開催\n協働の意義と市内の活動事例を伝えるフォーラムを開く。", "市民協働課"),
            ("【協働出前講座】町内会や学校に職員が出向き、協働の進め方を説明する。", "市民協働課"),
            ("協働事例集の作成：市内の協働事業の事例をまとめた冊子を作り配る。", "広報課"),
            ("市民活動団体と行政の協働による\n地域課題解決モデル事業", "企画課"),  # (two lines, no sentence: the name)
            ("地域の担い手となる人材を\n育成します。", "生涯学習課")]  # (one sentence wrapped: the name as written)
    expected = [("協働フォーラムの開催", "協働の意義と市内の活動事例を伝えるフォーラムを開く。"),
                ("協働出前講座", "町内会や学校に職員が出向き、協働の進め方を説明する。"),
                ("協働事例集の作成", "市内の協働事業の事例をまとめた冊子を作り配る。"),
                ("市民活動団体と行政の協働による地域課題解決モデル事業", ""), ("地域の担い手となる人材を育成します。", "")]
    document = docx.Document()
    document.add_paragraph("市民協働推進行動計画 進行管理シート")
    table = document.add_table(rows=1 + len(rows), cols=3)
    for c, text in enumerate(["No", "取組", "担当課"]):
        table.cell(0, c).text = text
    for r, (name, dept) in enumerate(rows, start=1):
        table.cell(r, 0).text = str(r)
        table.cell(r, 1).text, table.cell(r, 2).text = name, dept  # (a line break in the cell)
    document.save(tmp_path / "進行管理シート.docx")
    assert [(i.name, i.content) for i in ingest_file(tmp_path / "進行管理シート.docx", use_cache=False).items] == expected
    workbook = _sheet(tmp_path / "進行管理シート.xlsx", "市民協働推進行動計画 進行管理シート", ["No", "取組", "担当課"],
                      [(r, *row) for r, row in enumerate(rows, start=1)])
    assert [(i.name, i.content) for i in ingest_file(workbook, use_cache=False).items] == expected


def test_main_and_related_departments(tmp_path: Path) -> None:
    """◎ 主担当課 ○ 関係課 marked in one 担当課 cell (長浜市's 主要事業一覧表), or a 主担当課 column and a 関係課
    column: the measure's departments are all of them, main first, without the marks. Before, the marks
    stayed in the names and a 関係課 column was dropped."""
    one = _sheet(tmp_path / "一覧.xlsx", "主要事業一覧表", ["No", "取組", "担当課"],
                 [(1, "協働フォーラムの開催", "◎市民協働課\n○生涯学習課")])
    two = _sheet(tmp_path / "二列.xlsx", "主要事業一覧表", ["No", "取組", "主担当課", "関係課"],
                 [(1, "協働事例集の作成", "市民協働課", "広報課、各課")])
    assert [i.departments for i in ingest_file(one, use_cache=False).items] == [("市民協働課", "生涯学習課")]
    assert [i.departments for i in ingest_file(two, use_cache=False).items] == [("市民協働課", "広報課", "各課")]


def test_a_level_of_headings_named_for_its_direction_and_two_number_columns(tmp_path: Path) -> None:
    """取組の方向性 between 基本目標 and the measures is a level of headings (its cells are no 継続 / 拡充);
    of No and 総合計画の施策番号, No is the measure's number."""
    header = ["No", "基本目標", "取組の方向性", "主な取組", "担当課", "総合計画の施策番号"]
    rows = [(1, "1 市民協働の意識づくり", "(1) 協働意識の啓発", "協働フォーラムの開催", "市民協働課", "3-2-1"),
            (2, "1 市民協働の意識づくり", "(2) 職員の意識改革", "職員研修の実施", "人事課", "5-1-2")]
    items = ingest_file(_sheet(tmp_path / "取組.xlsx", "市民協働推進計画 取組一覧", header, rows), use_cache=False).items
    assert [(i.number, i.name, i.path, i.status) for i in items] == [
        ("1", "協働フォーラムの開催", ("1 市民協働の意識づくり", "(1) 協働意識の啓発"), ""),
        ("2", "職員研修の実施", ("1 市民協働の意識づくり", "(2) 職員の意識改革"), "")]
