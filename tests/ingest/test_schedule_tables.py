"""Schedule tables printed apart from the measures (計画のスケジュール: 柱 | 番号 | 事業名 | 区分 | 令和7年度 …,
as cities print them and as plandraft's own draft does): their stages go to the items already read, by
番号 first, else by the same name, and their rows are never read as items of their own. Tables that are
no schedule (a measure table with year columns, a KPI table by year) are read as before."""
from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import INPUTS

from pipeline.cli import main
from pipeline.ingest import ingest_file
from pipeline.model import Document

OUTLINE = INPUTS / "outline_計画の構成案.txt"
MEASURE_HEADER = ("番号", "事業名", "内容", "担当課", "区分")
MEASURES = (
    ("1", "まちづくり出前講座", "自治会や市民活動団体に職員が出向き、協働の進め方を説明します。", "市民協働課", "継続"),
    ("2", "市民活動団体補助金", "公益的な活動に取り組む市民活動団体に補助金を交付します。", "市民協働課", "継続"),
    ("3", "協働事業提案制度", "市民活動団体から協働事業の提案を募集し、市と共に実施します。", "市民協働課", "新規"),
    ("4", "市民活動センターの運営", "指定管理者により市民活動センターを運営します。", "市民協働課", "継続"),
)
SCHEDULE_HEADER = ("柱", "番号", "事業名", "区分", "令和7年度", "令和8年度", "令和9年度")
SCHEDULE = (
    ("(1)", "1", "まちづくり出前講座", "継続", "実施", "実施", "実施"),
    ("(2)", "2", "市民活動団体補助金", "継続", "検討", "実施", ""),  # 令和9年度 left empty: no stage
    ("(3)", "3", "協働事業提案制度", "新規", "○", "→", "→"),
    ("(3)", "4", "市民活動センターの運営", "継続", "随時", "随時", "随時"),
)
EXPECTED = {
    "まちづくり出前講座": {"令和7年度": "実施", "令和8年度": "実施", "令和9年度": "実施"},
    "市民活動団体補助金": {"令和7年度": "検討", "令和8年度": "実施"},
    "協働事業提案制度": {"令和7年度": "○", "令和8年度": "→", "令和9年度": "→"},
    "市民活動センターの運営": {"令和7年度": "随時", "令和8年度": "随時", "令和9年度": "随時"},
}


def _add_table(d: docx.document.Document, rows: list[tuple[str, ...]]) -> None:
    table = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value


def _plan_docx(path: Path, *parts: tuple[str, list[tuple[str, ...]]]) -> Path:
    """A 令和7年度 plan in Word: title, then each (heading, table) in order."""
    d = docx.Document()
    d.add_heading("令和7年度 みなと市市民協働推進アクションプラン", 0)
    d.add_paragraph("令和7年4月　みなと市 市民協働課")
    for heading, rows in parts:
        d.add_heading(heading, 1)
        _add_table(d, rows)
    d.save(str(path))
    return path


def _plan_xlsx(path: Path, *sheets: tuple[str, list[tuple[str, ...]]]) -> Path:
    """A workbook of the plan: a title row, then the table, one sheet per (title, rows)."""
    wb = openpyxl.Workbook()
    for n, (title, rows) in enumerate(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = title[:30]
        ws.append([f"令和7年度 みなと市市民協働推進アクションプラン {title}"])
        for row in rows:
            ws.append([int(c) if c.isdigit() else (c or None) for c in row])
    wb.save(str(path))
    return path


def _fields(doc: Document) -> list[tuple[object, ...]]:
    """Every field of the items but the schedule and the id (a document's id is its hash)."""
    return [(i.policy, i.measure, i.name, i.content, i.departments, i.actor, i.tags, i.source.table, i.source.row,
             i.number, i.status, i.marks) for i in doc.items]


def test_a_schedule_table_after_the_measures_gives_their_stages_docx(tmp_path: Path) -> None:
    """番号 | 事業名 | 内容 | 担当課 | 区分, then 計画のスケジュール: the four measures once each, with the stages as
    printed (○, →, 検討, 随時; an empty cell is no stage), every other field as without the schedule."""
    measures = ("基本目標1 市民の協働意識の醸成", [MEASURE_HEADER, *MEASURES])
    path = _plan_docx(tmp_path / "minato_r7_plan.docx", measures, ("計画のスケジュール", [SCHEDULE_HEADER, *SCHEDULE]))
    alone = _plan_docx(tmp_path / "minato_r7_measures.docx", measures)
    doc, without = ingest_file(path, use_cache=False), ingest_file(alone, use_cache=False)
    assert {i.name: i.schedule for i in doc.items} == EXPECTED
    assert _fields(doc) == _fields(without)
    assert doc.plan_like and doc.fiscal_year is not None and doc.fiscal_year.year == 2025


@pytest.mark.parametrize("years", [
    ("令和7年度", "令和8年度", "令和9年度"),
    ("R7", "R8", "R9"),
    ("2025年度", "2026年度", "2027年度"),
])
def test_a_schedule_sheet_by_name_gives_the_stages_xlsx(tmp_path: Path, years: tuple[str, str, str]) -> None:
    """Sheet 1 the measures, sheet 2 a schedule with no 番号 (項目 | R7 | R8 | R9), in another order: matched
    by the same name, not read again as four more items."""
    rows = [("項目", *years),
            ("協働事業提案制度", "○", "→", "→"),
            ("まちづくり出前講座", "実施", "実施", "実施"),
            ("市民活動センターの運営", "随時", "随時", "随時"),
            ("市民活動団体補助金", "検討", "実施", "")]
    path = _plan_xlsx(tmp_path / "minato_r7_plan.xlsx", ("事業一覧", [MEASURE_HEADER, *MEASURES]), ("スケジュール", rows))
    doc = ingest_file(path, use_cache=False)
    assert [i.name for i in doc.items] == [m[1] for m in MEASURES]
    relabel = dict(zip(("令和7年度", "令和8年度", "令和9年度"), years))
    assert {i.name: i.schedule for i in doc.items} == {
        name: {relabel[k]: v for k, v in stages.items()} for name, stages in EXPECTED.items()}
    assert all(i.source.table == 1 for i in doc.items)


def test_by_number_first_a_shortened_name_and_a_number_with_its_name_in_one_cell(tmp_path: Path) -> None:
    """番号・名 in one cell (1-1 まちづくり出前講座, as plandraft's draft prints it), a name the schedule
    shortens (出前講座), and a 再掲 measure listed twice under two numbers: each row to its own item."""
    header = ("番号", "事業名", "内容", "担当課", "区分")
    measures = [header,
                ("1-1", "まちづくり出前講座", "職員が地域に出向いて説明します。", "市民協働課", "継続"),
                ("1-2", "協働推進職員研修", "全職員を対象に協働研修を行います。", "人事課", "継続"),
                ("2-1", "協働推進職員研修", "管理職を対象に協働研修を行います。", "人事課", "再掲")]
    schedule = [("柱", "番号・名", "区分", "令和7年度", "令和8年度", "令和9年度"),
                ("(1)", "1-1　出前講座", "継続", "実施", "拡充", ""),
                ("(1)", "1-2　協働推進職員研修", "継続", "実施", "", ""),
                ("(2)", "2-1　協働推進職員研修", "再掲", "検討", "実施", "")]
    path = _plan_docx(tmp_path / "minato_r7_numbered.docx", ("施策の展開", measures), ("計画のスケジュール", schedule))
    doc = ingest_file(path, use_cache=False)
    assert [(i.number, i.schedule) for i in doc.items] == [
        ("1-1", {"令和7年度": "実施", "令和8年度": "拡充"}),
        ("1-2", {"令和7年度": "実施"}),
        ("2-1", {"令和7年度": "検討", "令和8年度": "実施"}),
    ]


def test_tables_that_are_no_schedule_of_the_measures_are_read_as_before(tmp_path: Path) -> None:
    """Beside a real schedule: a second measure table with year columns of its own (numbered from 1
    again, other measures), a KPI table by year whose 番号 are the measures', and a progress table
    (令和6年度実績 | 令和7年度計画) of the same measures — none is swallowed."""
    own = [("番号", "事業名", "担当課", "区分", "令和7年度", "令和8年度", "令和9年度"),
           ("1", "市民活動情報サイトの運営", "広報課", "継続", "実施", "実施", "実施"),
           ("2", "協働のまちづくり推進会議", "市民協働課", "継続", "開催", "開催", "開催")]
    kpi = [("番号", "指標名", "令和7年度", "令和8年度", "令和9年度"),
           ("1", "出前講座の開催回数", "10", "12", "15"),
           ("2", "補助金の交付件数", "20", "22", "25")]
    progress = [("番号", "事業名", "令和6年度実績", "令和7年度計画"),
                ("1", "まちづくり出前講座", "8回開催", "10回開催"),
                ("2", "市民活動団体補助金", "要綱を改正", "実施")]
    path = _plan_docx(tmp_path / "minato_r7_mixed.docx",
                      ("基本目標1 市民の協働意識の醸成", [MEASURE_HEADER, *MEASURES]),
                      ("基本目標2 協働の仕組みづくり", own),
                      ("成果指標", kpi),
                      ("計画のスケジュール", [SCHEDULE_HEADER, *SCHEDULE]),
                      ("前年度の実績", progress))
    doc = ingest_file(path, use_cache=False)
    names = [*(m[1] for m in MEASURES), "市民活動情報サイトの運営", "協働のまちづくり推進会議"]
    assert [i.name for i in doc.items] == [*names, "まちづくり出前講座", "市民活動団体補助金"]
    assert doc.items[-1].status == "令和6年度実績：要綱を改正" and doc.items[-1].schedule == {"令和7年度計画": "実施"}
    schedules = {i.name: i.schedule for i in doc.items[: len(names)]}
    assert {name: schedules[name] for name in EXPECTED} == EXPECTED  # no 目標値 among the stages
    assert schedules["協働のまちづくり推進会議"] == {"令和7年度": "開催", "令和8年度": "開催", "令和9年度": "開催"}


def test_a_measure_table_with_year_columns_after_a_list_of_the_same_names_is_read_as_before(tmp_path: Path) -> None:
    """A 体系 list of names, then the measures with 内容 and year columns: the second table brings 内容 of
    its own, so it is read as items (as before), while a schedule after both still gives its stages; the
    体系 list is their overview (its headings to them), not two more items."""
    names = [("施策", "事業名"), ("市民の協働意識の醸成", "まちづくり出前講座"), ("協働の仕組みづくり", "協働事業提案制度")]
    detail = [("番号", "事業名", "内容", "担当課", "令和7年度", "令和8年度"),
              ("1", "まちづくり出前講座", "職員が地域に出向いて説明します。", "市民協働課", "実施", "実施"),
              ("2", "協働事業提案制度", "協働事業の提案を募集します。", "市民協働課", "検討", "実施")]
    schedule = [("番号", "事業名", "令和7年度", "令和8年度", "令和9年度"),
                ("1", "まちづくり出前講座", "実施", "実施", "拡充"),
                ("2", "協働事業提案制度", "検討", "実施", "実施")]
    path = _plan_docx(tmp_path / "minato_r7_taikei.docx", ("施策の体系", names), ("事業の内容", detail),
                      ("計画のスケジュール", schedule))
    doc = ingest_file(path, use_cache=False)
    read = [(i.name, i.path, i.content, i.schedule) for i in doc.items]
    assert read == [
        ("まちづくり出前講座", ("市民の協働意識の醸成",), "職員が地域に出向いて説明します。",
         {"令和7年度": "実施", "令和8年度": "実施", "令和9年度": "拡充"}),
        ("協働事業提案制度", ("協働の仕組みづくり",), "協働事業の提案を募集します。",
         {"令和7年度": "検討", "令和8年度": "実施", "令和9年度": "実施"}),
    ]


def test_a_schedule_table_of_measures_written_as_numbered_lines_txt(tmp_path: Path) -> None:
    """Measures as numbered lines, the schedule a tab-separated table (saved from Excel): the lines stay
    the measures and take the stages, the table's rows are not read as measures instead."""
    text = "\n".join([
        "令和7年度 みなと市市民協働推進アクションプラン",
        "",
        "基本目標1 市民の協働意識の醸成",
        "(1) まちづくり出前講座",
        "自治会や市民活動団体に職員が出向き、協働の進め方を説明します。",
        "(2) 市民活動団体補助金",
        "公益的な活動に取り組む市民活動団体に補助金を交付します。",
        "(3) 協働事業提案制度",
        "市民活動団体から協働事業の提案を募集します。",
        "",
        "計画のスケジュール",
        "番号\t事業名\t令和7年度\t令和8年度\t令和9年度",
        "(1)\tまちづくり出前講座\t実施\t実施\t実施",
        "(2)\t市民活動団体補助金\t検討\t実施\t",
        "(3)\t協働事業提案制度\t○\t→\t→",
    ]) + "\n"
    path = tmp_path / "minato_r7_plan.txt"
    path.write_text(text, encoding="utf-8")
    doc = ingest_file(path, use_cache=False)
    assert [(i.name, i.content[:6], i.schedule) for i in doc.items] == [
        ("まちづくり出前講座", "自治会や市民", EXPECTED["まちづくり出前講座"]),
        ("市民活動団体補助金", "公益的な活動", EXPECTED["市民活動団体補助金"]),
        ("協働事業提案制度", "市民活動団体", EXPECTED["協働事業提案制度"]),
    ]


# --- the yearly cycle: plandraft's own draft read back ---------------------------------------------

def _schedule_cells(path: Path) -> dict[str, list[str]]:
    """計画のスケジュール of a draft: 項目 → its year cells, the header's years under ''."""
    d = docx.Document(str(path))
    table = next([[c.text for c in r.cells] for r in t.rows] for t in d.tables
                 if [c.text for c in t.rows[0].cells][:2] == ["柱", "番号・名"])
    out = {"": table[0][3:]}
    for row in table[1:]:
        out[row[1].split("　", 1)[1]] = row[3:]
    return out


def test_the_draft_read_back_keeps_its_schedule_for_the_next_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 令和6年度 plan with its own stages (試行 in 令和8年度, 本格実施 in 令和9年度) → the 令和7年度 draft, whose
    計画のスケジュール prints them; that draft read back gives its items those stages (a 新規候補 its 採否),
    and the 令和8年度 draft drafted from it keeps them."""
    monkeypatch.setenv("PLANDRAFT_SOFFICE", "off")
    header = ("番号", "取組項目", "内容", "担当課", "区分", "令和6年度", "令和7年度", "令和8年度", "令和9年度")
    rows = [
        ("1", "まちづくり出前講座", "自治会等への出前講座を開催します。", "市民協働課", "継続", "実施", "実施", "実施", "実施"),
        ("2", "市民活動団体補助金の見直し", "補助制度の見直しを検討します。", "市民協働課", "継続", "検討", "検討", "試行",
         "本格実施"),
        ("3", "協働事業提案制度の運用", "市民活動団体からの協働事業提案を募集します。", "市民協働課", "継続", "実施", "実施",
         "拡充", "拡充"),
    ]
    d = docx.Document()
    d.add_heading("令和6年度 みなと市市民協働推進アクションプラン", 0)
    d.add_paragraph("計画期間：令和5年度～令和9年度")
    d.add_paragraph("令和6年4月　みなと市 市民協働課")
    d.add_heading("基本目標1 市民の協働意識の醸成", 1)
    _add_table(d, [header, *rows])
    plan = tmp_path / "minato_r6_plan.docx"
    d.save(str(plan))

    r7 = tmp_path / "r7"
    assert main(["draft", "--outline", str(OUTLINE), "--plan", str(plan), "-o", str(r7), "--reference", "none"]) == 0
    draft7 = r7 / "令和7年度_市民協働推進アクションプラン_案.docx"
    assert _schedule_cells(draft7)["市民活動団体補助金の見直し"] == ["検討", "試行", "本格実施"]

    doc = ingest_file(draft7, use_cache=False)
    schedules = {i.name: i.schedule for i in doc.items}
    assert schedules["まちづくり出前講座"] == {"令和7年度": "実施", "令和8年度": "実施", "令和9年度": "実施"}
    assert schedules["市民活動団体補助金の見直し"] == {"令和7年度": "検討", "令和8年度": "試行", "令和9年度": "本格実施"}
    assert schedules["協働事業提案制度の運用"] == {"令和7年度": "実施", "令和8年度": "拡充", "令和9年度": "拡充"}
    candidates = [i for i in doc.items if "新規候補" in i.tags]
    assert candidates and all(i.schedule == {"令和7年度": "採否"} for i in candidates)
    assert len({(i.number, i.name) for i in doc.items}) == len(doc.items)  # no row read twice

    r8 = tmp_path / "r8"
    assert main(["draft", "--outline", str(OUTLINE), "--plan", str(draft7), "-o", str(r8), "--reference", "none"]) == 0
    cells = _schedule_cells(r8 / "令和8年度_市民協働推進アクションプラン_案.docx")
    assert cells[""] == ["令和8年度", "令和9年度", "令和10年度"]
    assert cells["市民活動団体補助金の見直し"] == ["試行", "本格実施", ""]
    assert cells["協働事業提案制度の運用"] == ["拡充", "拡充", ""]
    assert cells["まちづくり出前講座"] == ["実施", "実施", ""]


def _merged_schedule_docx(path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=4, cols=6)
    for i, h in enumerate(("番号", "事業名", "担当課", "令和6年度", "令和7年度", "令和8年度")):
        t.cell(0, i).text = h
    rows = (("1", "協働事業提案制度", "市民協働課", "検討"), ("2", "市民活動団体補助金", "市民協働課", ""),
            ("3", "まちづくり出前講座", "市民協働課", "実施"))
    for r, row in enumerate(rows, 1):
        for i, v in enumerate(row):
            t.cell(r, i).text = v
    t.cell(1, 4).merge(t.cell(1, 5)).text = "実施"  # 令和7–8年度 in one cell
    t.cell(2, 3).merge(t.cell(2, 5)).text = "実施"  # the whole period in one cell
    t.cell(3, 4).text = "拡充"  # 令和8年度 left empty: no stage
    d.save(str(path))


def _merged_schedule_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["番号", "事業名", "担当課", "令和6年度", "令和7年度", "令和8年度"])
    ws.append(["1", "協働事業提案制度", "市民協働課", "検討", "実施", None])
    ws.append(["2", "市民活動団体補助金", "市民協働課", "実施", None, None])
    ws.append(["3", "まちづくり出前講座", "市民協働課", "実施", "拡充", None])
    ws.merge_cells("E2:F2")
    ws.merge_cells("D3:F3")
    wb.save(path)


@pytest.mark.parametrize("make", [_merged_schedule_docx, _merged_schedule_xlsx], ids=["docx", "xlsx"])
def test_a_stage_merged_across_the_years_is_each_years_stage(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    """A city draws one cell over the years a stage lasts (実施 over 令和7–8年度): each of those years
    has it, as if written in each; a cell left empty (not merged) is still no stage."""
    path = tmp_path / f"merged.{make.__name__[-4:]}"
    make(path)
    doc = ingest_file(path, use_cache=False)
    assert {i.name: i.schedule for i in doc.items} == {
        "協働事業提案制度": {"令和6年度": "検討", "令和7年度": "実施", "令和8年度": "実施"},
        "市民活動団体補助金": {"令和6年度": "実施", "令和7年度": "実施", "令和8年度": "実施"},
        "まちづくり出前講座": {"令和6年度": "実施", "令和7年度": "拡充"},
    }


def test_a_separate_schedule_tables_stage_merged_across_the_years_is_each_years(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("令和7年度 市民協働推進アクションプラン")
    measures = d.add_table(rows=1 + len(MEASURES), cols=len(MEASURE_HEADER))
    for r, row in enumerate((MEASURE_HEADER, *MEASURES)):
        for i, v in enumerate(row):
            measures.cell(r, i).text = v
    d.add_paragraph("計画のスケジュール")
    plan = d.add_table(rows=1 + len(SCHEDULE), cols=len(SCHEDULE_HEADER))
    for r, row in enumerate((SCHEDULE_HEADER, *SCHEDULE)):
        for i, v in enumerate(row):
            plan.cell(r, i).text = v
    plan.cell(1, 4).merge(plan.cell(1, 6)).text = "実施"  # まちづくり出前講座: one cell over the three years
    path = tmp_path / "plan.docx"
    d.save(str(path))
    doc = ingest_file(path, use_cache=False)
    assert {i.name: i.schedule for i in doc.items} == EXPECTED
