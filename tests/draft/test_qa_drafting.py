"""Drafting defects QA found: the plan's own multi-year schedule (計画のスケジュール and the 進行管理シート
take its stages, last year's results win or ask where they contradict it), last year's undecided
新規候補 (still candidates the next year, never 継続 measures), the year drafted against the plan's
period, and a measure the plan says ends last year. Each test makes a real plan file or real Items,
drafts, renders the Word documents and reads them back with python-docx."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import INPUTS
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.draft.build import build_draft
from pipeline.draft.records import (
    CANDIDATE,
    ENDING,
    NO_RESULT,
    NOT_DONE,
    PERIOD,
    PROMOTED,
    REVIEW,
    SCHEDULE,
    STUDIED,
    Draft,
    Row,
    plain,
)
from pipeline.draft.render import render_changes, render_draft
from pipeline.ingest import ingest_file, ingest_paths
from pipeline.model import Document, FiscalYear, Item, Match, Source
from pipeline.outline import read_outline
from pipeline.progress.results import Result
from pipeline.progress.sheet import workbook_bytes

OUTLINE = INPUTS / "outline_計画の構成案.txt"
HEADER = ("番号", "取組項目", "内容", "担当課", "区分", "令和6年度", "令和7年度", "令和8年度")


# --- real inputs and outputs ---------------------------------------------------------------------

def _plan_docx(path: Path, rows: list[tuple[str, ...]], period: str = "令和5年度～令和9年度") -> Path:
    """A 令和6年度 plan as cities write it in Word: title, plan period, one table of measures with a
    column per fiscal year (令和6年度 | 令和7年度 | 令和8年度)."""
    d = docx.Document()
    d.add_heading("令和6年度 瀬戸内市市民協働推進アクションプラン", 0)
    if period:
        d.add_paragraph(f"計画期間：{period}")
    d.add_paragraph("令和6年4月　瀬戸内市 市民活動推進課")
    d.add_heading("基本目標1 市民の協働意識の醸成", 1)
    table = d.add_table(rows=len(rows) + 1, cols=len(HEADER))
    table.style = "Table Grid"
    for i, row in enumerate([HEADER, *rows]):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    d.save(str(path))
    return path


def _hand_matches(plan: Document, pillars: dict[str, int]) -> list[Match]:
    """Matches by item name (a planner's placing, not the matcher's)."""
    out = []
    for item in plan.items:
        p = pillars[item.name]
        ranking = ((p, 2.0), *((n, 0.1) for n in range(1, 11) if n != p))
        out.append(Match(item.id, item.name, p, 2.0, 0.9, ranking))
    return out


def _item(n: int, name: str, content: str, tags: tuple[str, ...] = ("継続",), departments: tuple[str, ...] = ("市民活動推進課",),
          schedule: dict[str, str] | None = None, path: str = "plan.docx") -> Item:
    return Item(id=f"q-{n:03d}", policy="基本目標1 市民の協働意識の醸成", measure="", name=name, content=content,
                departments=departments, actor="both" if departments else None, tags=tags,
                source=Source(path, table=1, row=n + 1), number=str(n), schedule=dict(schedule or {}))


def _document(items: list[Item], label: str, year: int, period: str | None = None) -> Document:
    return Document(path="plan.docx", sha256="0" * 64, title=f"{label} 瀬戸内市市民協働推進アクションプラン", city="瀬戸内市",
                    fiscal_year=FiscalYear(label, year), items=tuple(items), format="docx", period=period)


def _word(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _tables(doc: docx.document.Document) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def _table(doc: docx.document.Document, first_cells: tuple[str, ...]) -> list[list[str]]:
    """The table whose header row starts with first_cells."""
    return next(t for t in _tables(doc) if tuple(t[0][: len(first_cells)]) == first_cells)


def _schedule_cells(doc: docx.document.Document) -> dict[str, list[str]]:
    """計画のスケジュール as 項目 → its year cells, with the header's years under ''."""
    table = _table(doc, ("柱", "番号・名"))
    out = {"": table[0][3:]}
    for row in table[1:]:
        out[row[1].split("　", 1)[1]] = row[3:]
    return out


def _review_lines(doc: docx.document.Document) -> list[list[str]]:
    return _table(doc, ("No.", "区分"))[1:]


def _comments(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if "word/comments.xml" not in z.namelist():
            return []
        xml = z.read("word/comments.xml").decode("utf-8")
    return ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", c)) for c in re.findall(r"<w:comment .*?</w:comment>", xml, re.S)]


def _sheet(draft: Draft) -> dict[str, dict[str, object]]:
    """The 進行管理シート as 項目 → its cells by header."""
    ws = load_workbook(io.BytesIO(workbook_bytes(draft))).worksheets[0]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    header = [str(h) for h in rows[0]]
    return {str(r[2]): dict(zip(header, r)) for r in rows[1:] if r[2]}


def _rows(draft: Draft) -> dict[str, Row]:
    return {r.name: r for r in draft.rows()}


# --- 1. the plan's own schedule --------------------------------------------------------------------

def test_the_plans_schedule_gives_the_stage_of_every_year_it_names(tmp_path: Path) -> None:
    path = _plan_docx(tmp_path / "setouchi_r6_plan.docx", [
        ("1", "市民活動団体補助金の見直し", "補助制度の見直しを検討します。", "市民活動推進課", "継続", "検討", "実施", "実施"),
        ("2", "協働事業提案制度", "市民団体からの協働事業の提案を募集します。", "市民活動推進課", "継続", "実施", "実施", "拡充"),
        ("3", "市民活動センターの運営", "指定管理者により市民活動センターを運営します。", "市民活動推進課", "継続", "実施", "", ""),
    ])
    plan = ingest_file(path, use_cache=False)
    schedules = {i.name: i.schedule for i in plan.items}
    assert schedules["市民活動団体補助金の見直し"] == {"令和6年度": "検討", "令和7年度": "実施", "令和8年度": "実施"}
    draft = build_draft(read_outline(OUTLINE), plan, _hand_matches(plan, {
        "市民活動団体補助金の見直し": 6, "協働事業提案制度": 7, "市民活動センターの運営": 5}))
    cells = _schedule_cells(_word(render_draft(draft)))
    assert cells[""] == ["令和7年度", "令和8年度", "令和9年度"]
    # Stated by the plan: its stages (not last year's 検討), 令和9年度 (which it does not name) left to fill in.
    assert cells["市民活動団体補助金の見直し"] == ["実施", "実施", ""]
    assert cells["協働事業提案制度"] == ["実施", "拡充", ""]
    # Not stated: as before, the first year from the item's state.
    assert cells["市民活動センターの運営"] == ["実施", "", ""]
    # The 検討 wording is still to decide, and the note says what the plan scheduled.
    studied = next(f for f in _rows(draft)["市民活動団体補助金の見直し"].flags if f.kind == STUDIED)
    assert "計画のスケジュールでは令和7年度「実施」、令和8年度「実施」" in studied.note
    assert "前年度計画のスケジュールにある予定" in draft.schedule_lead
    # The 進行管理シート the 担当課 fill in shows the same years.
    sheet = _sheet(draft)
    assert (sheet["市民活動団体補助金の見直し"]["令和7年度"], sheet["市民活動団体補助金の見直し"]["令和8年度"]) == ("実施", "実施")
    assert sheet["市民活動センターの運営"]["令和8年度"] is None


@pytest.mark.parametrize("labels", [
    ("令和7年度", "令和8年度"),
    ("R7", "R8"),
    ("スケジュール 令和7年度", "スケジュール 令和8年度"),  # under a merged group header
    ("2025年度", "2026年度"),
    ("7年度", "8年度"),
    ("令和7(2025)年度", "令和8(2026)年度"),
])
def test_schedule_columns_as_cities_head_them(labels: tuple[str, str]) -> None:
    item = _item(1, "協働事業提案制度", "市民団体からの協働事業の提案を募集します。",
                 schedule={labels[0]: "実施", labels[1]: "拡充", "前期": "○"})
    plan = _document([item], "令和6年度", 2024)
    draft = build_draft(read_outline(OUTLINE), plan, _hand_matches(plan, {"協働事業提案制度": 7}))
    assert _schedule_cells(_word(render_draft(draft)))["協働事業提案制度"] == ["実施", "拡充", ""]


def test_schedule_cells_are_stages_not_amounts_and_arrows_carry_the_stage_on() -> None:
    """Year columns hold more than stage words: a budget column's amounts are no stage, a Gantt bar or
    arrow goes on with the year before's stage, a ○ is 実施, a － is nothing."""
    items = [
        _item(1, "協働出前講座", "地域に出向いて協働を紹介します。",
              schedule={"令和6年度": "1,200", "令和7年度": "1,500", "令和8年度": "1,500千円"}),
        _item(2, "市民活動団体補助金の見直し", "補助制度の見直しを検討します。",
              schedule={"令和6年度": "検討", "令和7年度": "→", "令和8年度": "━━"}),
        _item(3, "協働事業提案制度", "市民団体からの協働事業の提案を募集します。",
              schedule={"令和6年度": "○", "令和7年度": "○", "令和8年度": "－"}),
        # an arrow drawn over the years with no stage before it (read as →): doing it
        _item(4, "市民活動センターの運営", "団体の活動を支えます。", schedule={"令和7年度": "→", "令和8年度": "→"}),
    ]
    plan = _document(items, "令和6年度", 2024)
    draft = build_draft(read_outline(OUTLINE), plan, _hand_matches(plan, {i.name: 7 for i in items}))
    cells = _schedule_cells(_word(render_draft(draft)))
    assert cells["協働出前講座"] == ["実施", "", ""]  # as without a schedule: the amounts say nothing
    assert cells["市民活動団体補助金の見直し"] == ["検討", "検討", ""]
    assert cells["協働事業提案制度"] == ["実施", "", ""]
    assert cells["市民活動センターの運営"] == ["実施", "実施", ""]


def test_a_deadline_is_not_an_ending_and_an_abbreviated_year_in_the_title_is_not_doubled(tmp_path: Path) -> None:
    path = tmp_path / "h30.txt"
    path.write_text("H30年度 湖南市市民協働推進アクションプラン\n湖南市\n\n項目\t内容\t担当課\n"
                    "協働出前講座\t講座を開きます。\t市民協働課\n"
                    "市民活動補助金\tH30年度までに制度を見直します。\t市民協働課\n", "utf-8")
    plan = ingest_file(path, use_cache=False)
    draft = build_draft(read_outline(OUTLINE), plan, _hand_matches(plan, {i.name: 6 for i in plan.items}))
    assert draft.title == "R元年度 湖南市市民協働推進アクションプラン"
    assert draft.plan_name == "湖南市市民協働推進アクションプラン"
    assert ENDING not in {f.kind for f in _rows(draft)["市民活動補助金"].flags}


def test_last_years_results_win_over_the_schedule_or_ask_where_they_contradict_it() -> None:
    years3 = {"令和6年度": "実施", "令和7年度": "実施", "令和8年度": "実施"}
    items = [
        _item(1, "協働事業提案制度", "市民団体からの協働事業の提案を募集します。", schedule=years3),
        _item(2, "市民活動団体補助金の見直し", "補助制度の見直しを検討します。",
              schedule={"令和6年度": "検討", "令和7年度": "検討", "令和8年度": "実施"}),
        _item(3, "市民活動センターの運営", "指定管理者により市民活動センターを運営します。", schedule=years3),
        _item(4, "協働フォーラムの開催", "市民協働フォーラムを開催します。", schedule=years3),
        _item(5, "協働出前講座", "自治会等へ出前講座を開催します。", schedule=years3),
    ]
    plan = _document(items, "令和6年度", 2024)
    results = {
        "q-001": Result(2, "協働事業提案制度", status="未実施", direction="継続", issue="提案がなかった"),
        "q-002": Result(3, "市民活動団体補助金の見直し", status="実施", achievement="新たな要綱を定め令和7年度から実施へ"),
        "q-003": Result(4, "市民活動センターの運営", status="実施", direction="見直し"),
        "q-004": Result(5, "協働フォーラムの開催", status="完了", direction="廃止", issue="目的を達成"),
        "q-005": Result(6, "協働出前講座", status="実施", direction="継続"),
    }
    pillars = {"協働事業提案制度": 7, "市民活動団体補助金の見直し": 6, "市民活動センターの運営": 5, "協働フォーラムの開催": 1,
               "協働出前講座": 1}
    draft = build_draft(read_outline(OUTLINE), plan, _hand_matches(plan, pillars), results=results)
    rows = _rows(draft)
    schedule = {s.name: s for s in draft.schedule}

    # 未実施: the plan's stages stay, marked, and a 予定の確認 flag asks whether they hold.
    proposal = next(f for f in rows["協働事業提案制度"].flags if f.kind == SCHEDULE)
    assert "令和7年度「実施」、令和8年度「実施」" in proposal.note and "前年度は未実施" in proposal.note
    assert [plain(c) for c in schedule["協働事業提案制度"].cells] == ["実施", "実施", ""]
    assert all(s.mark == REVIEW for c in schedule["協働事業提案制度"].cells[:2] for s in c)
    # 見直し: the same question.
    assert any(f.kind == SCHEDULE and "見直し" in f.note for f in rows["市民活動センターの運営"].flags)
    # A 検討 the result moves to 実施: the result wins over the plan's 検討 for 令和7年度; 令和8年度 from the plan.
    assert PROMOTED in {f.kind for f in rows["市民活動団体補助金の見直し"].flags}
    assert [plain(c) for c in schedule["市民活動団体補助金の見直し"].cells] == ["実施", "実施", ""]
    # 廃止: not carried, so no schedule at all, whatever the plan said.
    assert "協働フォーラムの開催" not in rows and "協働フォーラムの開催" not in schedule
    # A plain 継続: the plan's stages, unmarked, nothing to ask.
    assert [plain(c) for c in schedule["協働出前講座"].cells] == ["実施", "実施", ""]
    assert not rows["協働出前講座"].flags and not any(s.mark for c in schedule["協働出前講座"].cells for s in c)

    data = render_draft(draft)
    doc = _word(data)
    cells = _schedule_cells(doc)
    assert cells["協働事業提案制度"][:2] == ["実施", "実施"] and cells["市民活動団体補助金の見直し"][:2] == ["実施", "実施"]
    lines = {line[2]: line for line in _review_lines(doc)}
    line = next(v for k, v in lines.items() if k.endswith("協働事業提案制度"))
    assert SCHEDULE in line[1] and "前年度は未実施" in line[3]
    assert any(f"【要確認・{SCHEDULE}】" in c and "前年度は未実施" in c for c in _comments(data))
    sheet = _sheet(draft)
    assert sheet["市民活動団体補助金の見直し"]["令和8年度"] == "実施"


# --- 2. last year's undecided 新規候補 --------------------------------------------------------------

def _cycle_plan() -> Document:
    """Last year's (令和7年度) draft as it reads back: two measures, one 新規候補 the planner adopted (新規)
    and two left as they were (区分 新規候補)."""
    return _document([
        _item(1, "協働事業提案制度", "市民団体からの協働事業の提案を募集します。"),
        _item(2, "市民活動団体補助金", "市民活動団体の公益的な活動に補助金を交付します。"),
        _item(3, "協働のまちづくり講座", "地域の担い手向けに講座を開きます。", tags=("新規",)),
        _item(4, "市民協働事例集の発行", "", tags=(CANDIDATE,), departments=()),
        _item(5, "さいたまマッチングファンド一般助成事業", "市民からの寄付と市の資金で団体の活動を助成する。",
              tags=(CANDIDATE,), departments=()),
    ], "令和7年度", 2025)


def test_results_in_words_the_sheet_does_not_hold_are_asked_about_not_carried_silently() -> None:
    """A 担当課 types over the lists: 実施状況「ｶﾝﾘｮｳ」, 次年度の方向「縮小」 or 「廃止も含めて検討」 are not
    read as anything, so the measure is carried with a 要確認 naming what was written (it was carried
    as if all were well, or with 廃止も含めて検討, dropped as 廃止)."""
    from pipeline.progress.results import normalize_direction, normalize_status

    items = [_item(1, "協働フォーラムの開催", "市民協働フォーラムを開催します。"),
             _item(2, "コミュニティサロンの設置", "地域の集いの場を設けます。"),
             _item(3, "協働出前講座", "自治会等へ出前講座を開催します。")]
    plan = _document(items, "令和6年度", 2024)
    results = {
        "q-001": Result(2, "協働フォーラムの開催", status=normalize_status("ｶﾝﾘｮｳ"), direction=normalize_direction("縮小")),
        "q-002": Result(3, "コミュニティサロンの設置", status="実施", direction=normalize_direction("廃止も含めて検討")),
        "q-003": Result(4, "協働出前講座", status="実施", direction="継続"),
    }
    draft = build_draft(read_outline(OUTLINE), plan, _hand_matches(plan, {i.name: 1 for i in items}), results=results)
    rows = _rows(draft)
    assert {i.name for i in items} <= set(rows)  # none dropped
    forum = next(f for f in rows["協働フォーラムの開催"].flags if f.kind == NOT_DONE)
    assert "実施状況「ｶﾝﾘｮｳ」" in forum.note and "次年度の方向「縮小」" in forum.note and "担当課に確認" in forum.note
    salon = next(f for f in rows["コミュニティサロンの設置"].flags if f.kind == NOT_DONE)
    assert "次年度の方向「廃止も含めて検討」" in salon.note
    assert NOT_DONE not in {f.kind for f in rows["協働出前講座"].flags}


def test_an_achievement_typed_into_the_grade_column_is_asked_about() -> None:
    """評価 holds A–D; 「ホームページを月1回更新」 there is a 実績 typed one column off: asked about, not
    printed as the grade (【ホームページを月1回更新】)."""
    from pipeline.progress.results import normalize_grade

    items = [_item(1, "ホームページの充実", "市のホームページで協働の情報を発信します。"),
             _item(2, "協働出前講座", "自治会等へ出前講座を開催します。")]
    plan = _document(items, "令和6年度", 2024)
    results = {"q-001": Result(2, "ホームページの充実", status="実施", grade=normalize_grade("ホームページを月1回更新"),
                               achievement="A", direction="継続"),
               "q-002": Result(3, "協働出前講座", status="実施", grade=normalize_grade("ｂ"), direction="継続")}
    draft = build_draft(read_outline(OUTLINE), plan, _hand_matches(plan, {i.name: 3 for i in items}), results=results)
    rows = _rows(draft)
    (flag,) = [f for f in rows["ホームページの充実"].flags if f.kind == NOT_DONE]
    assert "評価「ホームページを月1回更新」" in flag.note and "担当課に確認" in flag.note
    assert NOT_DONE not in {f.kind for f in rows["協働出前講座"].flags} and rows["協働出前講座"].grade == "B"


def test_a_row_a_department_added_to_the_sheet_is_a_decision_in_the_draft() -> None:
    """A 担当課 adds a new measure at the bottom of the 進行管理シート: it links to no measure of last
    year's plan, and the draft's 確認事項 asks whether it goes in (it was one stderr line only)."""
    items = [_item(1, "協働出前講座", "自治会等へ出前講座を開催します。")]
    plan = _document(items, "令和6年度", 2024)
    results = {"q-001": Result(2, "協働出前講座", status="実施", direction="継続")}
    added = [Result(41, "協働ポータルサイトの開設", status="実施", achievement="試行版を公開", file="進行管理シート_広報課.xlsx"),
             Result(42, "協働出前講座", status="実施", file="進行管理シート_広報課.xlsx", linked_by="repeated")]
    draft = build_draft(read_outline(OUTLINE), plan, _hand_matches(plan, {"協働出前講座": 1}), results=results, added=added)
    (line,) = [r for r in draft.review if "協働ポータルサイトの開設" in r.note]
    assert line.kind == CANDIDATE and "進行管理シート_広報課.xlsx 行41" in line.note and "試行版を公開" in line.note
    assert not any("行42" in r.note for r in draft.review)  # a row repeating a measure is no new one
    doc = _word(render_draft(draft))
    assert any("協働ポータルサイトの開設" in cell[3] for cell in _review_lines(doc))


def test_an_undecided_candidate_is_carried_as_a_candidate_not_a_measure() -> None:
    plan = _cycle_plan()
    pillars = {"協働事業提案制度": 7, "市民活動団体補助金": 6, "協働のまちづくり講座": 1, "市民協働事例集の発行": 1,
               "さいたまマッチングファンド一般助成事業": 6}
    results = {i.id: Result(k, i.name, status="実施", direction="継続", achievement="計画どおり実施")
               for k, i in enumerate(plan.items[:3], 2)}  # the sheet lists the measures only
    draft = build_draft(read_outline(OUTLINE), plan, _hand_matches(plan, pillars), results=results)
    rows = _rows(draft)
    for name in ("市民協働事例集の発行", "さいたまマッチングファンド一般助成事業"):
        row = rows[name]
        assert row.kind == "candidate" and plain(row.status) == CANDIDATE and row.item_id
        assert [f.kind for f in row.flags] == [CANDIDATE] and "採否未定" in row.flags[0].note
        assert NO_RESULT not in {f.kind for f in row.flags}
    # Under its pillar, once (the outline's own 市民協働事例集の発行 example is not suggested a second time).
    assert [r.name for r in draft.rows()].count("市民協働事例集の発行") == 1
    assert rows["協働のまちづくり講座"].kind == "carried" and plain(rows["協働のまちづくり講座"].status) == "継続"
    assert "（ほかに採否未定の新規候補2件）" in draft.changes_summary and draft.changes_summary.startswith("前年度3事業")

    data = render_draft(draft)
    doc = _word(data)
    body = [r for t in _tables(doc) if t[0][:2] == ["項目", "内容"] for r in t[1:]]
    status = {r[0].split("　", 1)[1]: r[-2] for r in body}
    assert status["市民協働事例集の発行"] == CANDIDATE and status["さいたまマッチングファンド一般助成事業"] == CANDIDATE
    assert status["協働のまちづくり講座"] == "継続"
    assert _schedule_cells(doc)["市民協働事例集の発行"][0] == "採否"
    review = " ".join(line[3] for line in _review_lines(doc) if line[1] == CANDIDATE)
    assert "前年度の案から採否未定のまま1件" in review
    assert not any("市民協働事例集の発行" in line[2] and NO_RESULT in line[1] for line in _review_lines(doc))
    # Not a measure of the 進行管理シート.
    assert set(_sheet(draft)) == {"協働事業提案制度", "市民活動団体補助金", "協働のまちづくり講座"}
    # The 新旧対照表: still 新規候補, never 区分 新規→継続 (the adopted one is).
    changes = [r for t in _tables(_word(render_changes(draft))) for r in t[1:]]
    kept = next(r for r in changes if r[1].startswith("市民協働事例集の発行"))
    assert kept[3].startswith(CANDIDATE) and "新規候補のまま" in kept[3] and "新規→継続" not in kept[3]
    adopted = next(r for r in changes if r[1].startswith("協働のまちづくり講座"))
    assert "区分 新規→継続" in adopted[3]


def test_undecided_candidates_take_the_place_of_new_suggestions() -> None:
    """A pillar's undecided candidates count against its number of suggestions (six for a thin
    pillar), so a draft read back year after year does not grow its list of 新規候補."""
    plan = _cycle_plan()
    outline = read_outline(OUTLINE)
    pillars = {"協働事業提案制度": 7, "市民活動団体補助金": 6, "協働のまちづくり講座": 1, "市民協働事例集の発行": 1,
               "さいたまマッチングファンド一般助成事業": 6}
    measures = _document([i for i in plan.items if CANDIDATE not in i.tags], "令和7年度", 2025)
    fresh = build_draft(outline, measures, _hand_matches(measures, pillars))
    again = build_draft(outline, plan, _hand_matches(plan, pillars))

    def candidates(draft: Draft, pillar: int) -> list[str]:
        return [r.name for p in draft.pillars if p.number == pillar for r in p.rows if r.kind == "candidate"]

    assert len(candidates(fresh, 1)) == 6  # the outline has more examples for pillar 1 than that
    assert len(candidates(again, 1)) == 6 and candidates(again, 1)[0] == "市民協働事例集の発行"
    assert "さいたまマッチングファンド一般助成事業" in candidates(again, 6)


@pytest.mark.slow
def test_a_drafts_candidates_read_back_the_next_year_stay_candidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANDRAFT_SOFFICE", "off")
    plan = _plan_docx(tmp_path / "setouchi_r6_plan.docx", [
        ("1", "協働事業提案制度", "市民団体からの協働事業の提案を募集します。", "市民活動推進課", "継続", "実施", "実施", "実施"),
        ("2", "市民活動団体補助金", "市民活動団体の公益的な活動に補助金を交付します。", "市民活動推進課", "継続", "実施", "実施", "実施"),
    ])
    r7, r8 = tmp_path / "r7", tmp_path / "r8"
    assert main(["draft", "--outline", str(OUTLINE), "--plan", str(plan), "-o", str(r7), "--reference", "none"]) == 0
    draft_r7 = r7 / "令和7年度_市民協働推進アクションプラン_案.docx"
    body_r7 = [r for t in _tables(docx.Document(str(draft_r7))) if t[0][:2] == ["項目", "内容"] for r in t[1:]]
    candidates = [r[0].split("　", 1)[1] for r in body_r7 if r[-2] == CANDIDATE]
    assert candidates
    origin_r7 = {r[0].split("　", 1)[1]: r[-1] for r in body_r7 if r[-2] == CANDIDATE}
    assert all(origin_r7.values()) and any("市の事例" in o for o in origin_r7.values())  # 構成案（安城市の事例）
    # Read back, the 区分 cell says what they are (ingest's part).
    docs, errors = ingest_paths([draft_r7], use_cache=False)
    assert not errors
    assert {i.name: i.tags for i in docs[0].items if i.name in candidates} == {n: (CANDIDATE,) for n in candidates}

    assert main(["draft", "--outline", str(OUTLINE), "--plan", str(draft_r7), "-o", str(r8), "--reference", "none"]) == 0
    capsys.readouterr()
    doc = docx.Document(str(r8 / "令和8年度_市民協働推進アクションプラン_案.docx"))
    body = {r[0].split("　", 1)[1]: r[-2] for t in _tables(doc) if t[0][:2] == ["項目", "内容"] for r in t[1:]}
    assert {n: body.get(n) for n in candidates} == {n: CANDIDATE for n in candidates}
    assert body["協働事業提案制度"] == "継続"
    # The second year still names where each came from (its 出典 cell read back), not only 「R7計画の新規候補」.
    origin_r8 = {r[0].split("　", 1)[1]: r[-1] for t in _tables(doc) if t[0][:2] == ["項目", "内容"] for r in t[1:]
                 if r[-2] == CANDIDATE and r[0].split("　", 1)[1] in origin_r7}
    assert origin_r8 == origin_r7
    changes = [r for t in _tables(docx.Document(str(r8 / "令和8年度_市民協働推進アクションプラン_新旧対照表.docx")))
               for r in t[1:]]
    noted = {r[1].split("\n")[0]: r[3] for r in changes if r[1]}
    assert all("新規→継続" not in noted[n] and "新規候補のまま" in noted[n] for n in candidates)
    assert all(f"出典 {origin_r7[n]}" in noted[n] for n in candidates)
    ws = load_workbook(r8 / "令和8年度_進行管理シート.xlsx").worksheets[0]
    listed = {str(r[2]) for r in ws.iter_rows(min_row=4, values_only=True) if r[2]}
    assert listed == {"協働事業提案制度", "市民活動団体補助金"}


# --- 3. the plan period, and a measure that ends last year ------------------------------------------

def test_a_year_past_the_plans_period_is_flagged_on_the_cover_and_listed(tmp_path: Path) -> None:
    path = _plan_docx(tmp_path / "setouchi_r6_plan.docx", [
        ("1", "協働事業提案制度", "市民団体からの協働事業の提案を募集します。", "市民活動推進課", "継続", "実施", "実施", "実施"),
    ])
    plan = ingest_file(path, use_cache=False)
    assert plan.period == "令和5年度～令和9年度"
    outline = read_outline(OUTLINE)
    matches = _hand_matches(plan, {"協働事業提案制度": 7})
    inside = build_draft(outline, plan, matches)  # 令和7年度
    assert not any(r.kind == PERIOD for r in inside.review)
    past = build_draft(outline, plan, matches, year=2028)  # 令和10年度
    first = past.review[0]
    assert (first.kind, first.where, first.anchor) == (PERIOD, "表紙", "issued")
    assert "令和10年度" in first.note and "令和5年度～令和9年度" in first.note and "次期計画" in first.note
    data = render_draft(past)
    doc = _word(data)
    assert any("計画期間（令和5年度～令和9年度）を過ぎています" in p.text for p in doc.paragraphs)  # the cover note
    assert _review_lines(doc)[0][1:3] == [PERIOD, "表紙"]
    assert any(c.startswith(f"【{PERIOD}】令和10年度は") for c in _comments(data))
    assert f"{PERIOD} 1件" in past.review_summary[0]


def test_the_period_is_on_the_drafts_cover_so_next_years_draft_still_checks_it(tmp_path: Path) -> None:
    """The cycle: the 令和9年度 draft prints the plan period on its cover, unrolled (it is a span, not a
    year); read back as next year's plan it keeps it, so the 令和10年度 draft, past the period, says so."""
    path = _plan_docx(tmp_path / "setouchi_r8_plan.docx", [
        ("1", "協働事業提案制度", "市民団体からの協働事業の提案を募集します。", "市民活動推進課", "継続", "実施", "実施", "実施"),
    ])
    plan = ingest_file(path, use_cache=False)
    outline = read_outline(OUTLINE)
    r9 = build_draft(outline, plan, _hand_matches(plan, {"協働事業提案制度": 7}), year=2027)  # 令和9年度: inside
    assert not any(r.kind == PERIOD for r in r9.review)
    draft_path = tmp_path / "令和9年度_案.docx"
    draft_path.write_bytes(render_draft(r9))
    assert "計画期間　令和5年度～令和9年度" in [p.text for p in _word(draft_path.read_bytes()).paragraphs]
    read_back = ingest_file(draft_path, use_cache=False)
    assert read_back.period == "令和5年度～令和9年度" and read_back.fiscal_year.year == 2027
    r10 = build_draft(outline, read_back, _hand_matches(read_back, {i.name: 7 for i in read_back.items}))
    assert r10.year_label == "令和10年度" and r10.review[0].kind == PERIOD


@pytest.mark.parametrize(("period", "year", "inside"), [
    ("令和2～6年度", 2025, 2024),
    ("令和6(2024)年度～令和10(2028)年度", 2029, 2028),
    ("2020年度～2024年度", 2025, 2024),
    ("平成28年度～平成32年度", 2021, 2020),  # printed before the era changed: 平成32年度 is 2020
    ("令和7年度～令和11年度", 2024, 2025),  # before it
])
def test_the_period_as_cities_print_it(period: str, year: int, inside: int) -> None:
    item = _item(1, "協働事業提案制度", "市民団体からの協働事業の提案を募集します。")
    plan = _document([item], "令和6年度", 2024, period)
    outline = read_outline(OUTLINE)
    matches = _hand_matches(plan, {"協働事業提案制度": 7})
    draft = build_draft(outline, plan, matches, year=year)
    assert [r.kind for r in draft.review].count(PERIOD) == 1
    assert period in draft.review[0].note and draft.review[0].kind == PERIOD
    # A year at the period's edge is inside it; a plan with no period says nothing.
    assert PERIOD not in {r.kind for r in build_draft(outline, plan, matches, year=inside).review}
    no_period = _document([item], "令和6年度", 2024)
    assert PERIOD not in {r.kind for r in build_draft(outline, no_period, matches, year=year).review}


def test_a_measure_the_plan_says_ends_last_year_is_flagged_not_silently_carried(tmp_path: Path) -> None:
    path = tmp_path / "konan_h30_plan.txt"
    path.write_text("平成30年度 市民協働推進アクションプラン\n湖南市\n計画期間：平成29年度～平成33年度\n\n"
                    "基本目標1 市民の協働意識の醸成\n■ 啓発の推進\n"
                    "◎ 30周年記念事業\t平成30年度で完了します。\t地域協働課\t継続\n"
                    "● 協働出前講座の開催\t平成30年度は自治会等への出前講座を8回開催します。\t地域協働課\t継続\n"
                    "◎ 市民活動センターの運営\t平成33年度まで指定管理者が運営します。平成30年度までの実績を公表します。\t地域協働課\t継続\n",
                    "utf-8")
    plan = ingest_file(path, use_cache=False)
    names = {i.name for i in plan.items}
    assert names == {"30周年記念事業", "協働出前講座の開催", "市民活動センターの運営"}
    draft = build_draft(read_outline(OUTLINE), plan, _hand_matches(plan, {n: 1 for n in names}))
    rows = _rows(draft)
    ending = rows["30周年記念事業"]
    assert plain(ending.content) == "令和元年度で完了します。"
    assert [s.text for s in ending.content if s.mark == REVIEW] == ["令和元年度で完了"]
    flag = next(f for f in ending.flags if f.kind == ENDING)
    assert "平成30年度で完了" in flag.note and "続けるか" in flag.note
    # Years that are not last year's (平成33年度まで) and history (までの実績) are not an ending.
    assert ENDING not in {f.kind for r in (rows["協働出前講座の開催"], rows["市民活動センターの運営"]) for f in r.flags}
    doc = _word(render_draft(draft))
    line = next(line for line in _review_lines(doc) if line[2].endswith("30周年記念事業"))
    assert ENDING in line[1] and "平成30年度で完了" in line[3]


def test_a_schedule_that_ends_with_last_years_completion_is_flagged() -> None:
    plan = _document([_item(1, "協働のまちづくり指針の策定", "協働のまちづくり指針を策定します。",
                            schedule={"令和5年度": "検討", "令和6年度": "完了"}),
                      _item(2, "協働事業提案制度", "市民団体からの協働事業の提案を募集します。",
                            schedule={"令和5年度": "実施", "令和6年度": "実施"})], "令和6年度", 2024)
    draft = build_draft(read_outline(OUTLINE), plan, _hand_matches(plan, {"協働のまちづくり指針の策定": 10,
                                                                           "協働事業提案制度": 7}))
    rows = _rows(draft)
    assert any(f.kind == ENDING and "令和6年度が「完了」" in f.note for f in rows["協働のまちづくり指針の策定"].flags)
    assert ENDING not in {f.kind for f in rows["協働事業提案制度"].flags}
    cells = _schedule_cells(_word(render_draft(draft)))
    assert cells["協働のまちづくり指針の策定"][0] == "実施"  # today's stage, its comment asks whether it goes on


@pytest.mark.parametrize(("result", "said"), [
    (Result(row=5, name="職員研修の実施", achievement="研修を2回実施", direction="継続"), "実績「研修を2回実施」、次年度の方向「継続」"),
    (Result(row=6, name="職員研修の実施", issue="講師が確保できなかった"), "課題「講師が確保できなかった」"),
])
def test_a_result_with_its_status_left_blank_is_asked_about(result: Result, said: str) -> None:
    """実施状況 left blank while 実績 (or 課題) is written: the measure was carried on as if done."""
    from pipeline.draft.build import _result_flags

    flags, _ = _result_flags(result, studied_item=False)
    notes = [f.note for f in flags if f.kind == NOT_DONE]
    assert len(notes) == 1 and "実施状況が記入されていません" in notes[0] and said in notes[0]
    done = Result(row=7, name="職員研修の実施", status="実施", achievement="研修を2回実施", direction="継続")
    assert _result_flags(done, studied_item=False)[0] == []
