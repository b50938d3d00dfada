"""Reading results back: plandraft's own sheet or another city's progress report, found by header
names, each row linked to last year's items by id, then number, then name; the rest reported."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import INPUTS
from openpyxl import Workbook

from pipeline import settings
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.messages import ENV
from pipeline.model import Document, FiscalYear, Item, Source
from pipeline.progress.results import (
    Result,
    link,
    normalize_direction,
    normalize_status,
    read_progress,
    stable_id,
)


def _plan(*items: tuple[str, str]) -> Document:
    return Document(path="plan.docx", sha256="0" * 64, title="平成22年度 計画", city="対馬市",
                    fiscal_year=FiscalYear("平成22年度", 2010),
                    items=tuple(Item(id=f"doc-{k:03d}", policy="", measure="", name=name, content="", departments=(),
                                     actor=None, tags=(), source=Source("plan.docx"), number=number)
                                for k, (number, name) in enumerate(items, 1)))


PLAN = _plan(("1-1", "出前講座の実施"), ("1-2", "協働事例集の作成"), ("2-1", "職員研修の実施"), ("2-2", "広報紙の利用"))


@pytest.mark.parametrize(("text", "expected"), [("実施", "実施"), ("実施済み", "実施"), ("一部実施", "一部実施"),
                                                ("一部のみ", "一部実施"), ("未実施", "未実施"), ("未着手", "未実施"),
                                                ("完了", "完了"), ("事業終了", "完了"), ("", ""), ("調整中", "調整中"),
                                                # typed by hand: said not done in other words (it was 実施)
                                                ("不実施", "未実施"), ("中止", "未実施"), ("延期", "未実施"),
                                                ("実施しなかった", "未実施")])
def test_status_words(text: str, expected: str) -> None:
    assert normalize_status(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("継続", "継続"), ("拡充", "拡充"), ("充実させる", "拡充"),
                                                ("見直し", "見直し"), ("改善して継続", "見直し"), ("廃止", "廃止"),
                                                ("終了", "完了"), ("完了", "完了"), ("他事業と統合", "他事業と統合"),
                                                # a change said beside 継続 is the telling part
                                                ("継続（一部見直し）", "見直し"), ("継続(内容を拡充)", "拡充"),
                                                # hedged or at odds: kept as written, to ask (was 廃止 / 継続)
                                                ("廃止も含めて検討", "廃止も含めて検討"), ("継続か廃止か", "継続か廃止か"),
                                                ("廃止（事業を統合）", "廃止")])
def test_direction_words(text: str, expected: str) -> None:
    assert normalize_direction(text) == expected


def test_another_citys_report_is_read_by_its_header_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "ja")  # the planner's language, as the lines are checked in
    """府中市-like: a title row, then 番号 | 事業名 | 担当課 | 進捗 | 実績 | 評価 | 今後の方向性, in other words."""
    wb = Workbook()
    ws = wb.active
    ws.title = "令和4年度"
    ws.append(["令和4年度 協働推進計画 進捗状況報告"])
    ws.append(["No.", "事業名", "担当課", "進捗状況", "取組実績", "自己評価", "今後の方向性"])
    ws.append(["1-1", "出前講座の実施", "協働推進課", "実施済", "3回開催", "ａ", "拡充する"])
    ws.append(["９９", "協働事例集の作成", "協働推進課", "一部実施", "", "B", "継続"])  # wrong number, right name
    ws.append(["2-1", "職員研修（改称）", "人事課", "未着手", "", "", "見直し"])  # renamed, right number
    ws.append(["", "（新しい事業）", "協働推進課", "実施", "", "", ""])  # not in last year's plan
    ws.append([None, None, None, None, None, None, None])
    path = tmp_path / "他市 進捗.xlsx"
    wb.save(path)
    got = read_progress(path, PLAN)
    assert got.rows == 4
    by_name = {PLAN.items[int(k.split("-")[1]) - 1].name: r for k, r in got.results.items()}
    assert by_name["出前講座の実施"].status == "実施" and by_name["出前講座の実施"].direction == "拡充"
    assert by_name["出前講座の実施"].grade == "A" and by_name["出前講座の実施"].achievement == "3回開催"
    assert by_name["出前講座の実施"].linked_by == "number"
    assert by_name["協働事例集の作成"].linked_by == "name" and by_name["協働事例集の作成"].status == "一部実施"
    assert by_name["職員研修の実施"].linked_by == "number" and by_name["職員研修の実施"].status == "未実施"
    assert [r.name for r in got.unlinked] == ["（新しい事業）"]
    assert got.warnings() == ["他市 進捗.xlsx 行6「（新しい事業）」: 前年度の計画の事業と結び付けられません"
                              "（番号か項目名を前年度の計画に合わせてください）"]


def test_the_stable_id_wins_over_a_changed_number_and_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "ja")  # the planner's language, as the lines are checked in
    """The planner renumbered and renamed in Word after the sheet was made: the id still links."""
    sheet_id = stable_id(2010, "2-2", "広報紙の利用")
    moved = _plan(("1-1", "出前講座の実施"), ("3-1", "広報紙の利用"))
    rows = [Result(row=4, name="広報紙の活用", number="2-2", sheet_id=stable_id(2010, "3-1", "広報紙の利用"), status="実施"),
            Result(row=5, name="出前講座", number="1-1", sheet_id="", status="完了")]
    linked, unlinked = link(rows, moved)
    assert linked["doc-002"].linked_by == "id" and linked["doc-001"].linked_by == "number"
    assert not unlinked
    assert sheet_id != stable_id(2010, "3-1", "広報紙の利用")  # the id is the number and the name together
    # Two rows naming one item: the second is reported, not silently merged.
    linked, unlinked = link([Result(row=4, name="出前講座の実施"), Result(row=5, name="出前講座の実施")], moved)
    assert list(linked) == ["doc-001"] and [r.row for r in unlinked] == [5]
    from pipeline.progress.results import Progress

    (line,) = Progress("進行管理シート.xlsx", linked, tuple(unlinked)).warnings()
    assert "行5「出前講座の実施」" in line and "同じ事業の行がほかにもあります" in line


def test_after_a_measure_is_deleted_and_the_rest_renumbered_a_row_follows_its_name_not_its_number() -> None:
    """The sheet was made before the planner deleted 1-2 and renumbered: its row 「1-3 協働学習会の開催」
    is now 1-2, and the new 1-3 is another measure. The row goes to its own measure by name (by number it
    put the 学習会's result, and its 完了, on the 講座, which was then dropped as finished)."""
    plan = _plan(("1-1", "出前講座の実施"), ("1-2", "協働学習会の開催"), ("1-3", "市民団体を対象とした講座の開催"))
    rows = [Result(row=4, name="協働学習会の開催", number="1-3", status="完了"),
            Result(row=5, name="出前講座", number="1-1", status="実施"),  # a shortened name still agrees
            Result(row=6, name="広報紙の利用", number="1-4", status="実施")]  # a measure no longer in the plan
    linked, unlinked = link(rows, plan)
    assert {k: (r.name, r.linked_by) for k, r in linked.items()} == {
        "doc-002": ("協働学習会の開催", "name"), "doc-001": ("出前講座", "number")}
    assert "doc-003" not in linked and [r.row for r in unlinked] == [6]
    # A number whose name disagrees links nothing: said, not put on the wrong measure.
    linked, unlinked = link([Result(row=7, name="ボランティア休暇制度", number="1-3", status="完了")], plan)
    assert not linked and [r.row for r in unlinked] == [7]


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_sheet_is_one_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "進行管理シート.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_progress(path, PLAN)
    assert "進行管理シート.xlsx" in err.value.line() and "\n" not in err.value.line()


def test_a_sheet_without_progress_columns_is_one_clear_error(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["番号", "項目", "内容"])
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    with pytest.raises(InputError, match="実施状況"):
        read_progress(path, PLAN)


def test_plandraft_toml_names_the_sheet_and_it_is_not_read_as_a_plan(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    wb = Workbook()
    wb.active.append(["番号", "項目", "実施状況"])
    wb.save(folder / "前年度 結果.xlsx")
    with (folder / "plandraft.toml").open("a", encoding="utf-8") as f:
        f.write('\nprogress = "前年度 結果.xlsx"\n')
    cfg = settings.load(folder)
    assert cfg.progress == (folder / "前年度 結果.xlsx",)
    assert cfg.progress[0] not in cfg.documents and not cfg.warnings


def _copy(path: Path, filled: dict[str, tuple[str, str, str]]) -> Path:
    """A 担当課's copy of the whole sheet: every row, only its own filled (status, 実績, direction)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["番号", "項目", "実施状況", "実績", "次年度の方向"])
    for item in PLAN.items:
        ws.append([item.number, item.name, *filled.get(item.name, ("", "", ""))])
    wb.save(path)
    return path


def test_the_copies_each_department_sent_back_are_merged_and_a_disagreement_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "ja")  # the planner's language, as the lines are checked in
    """The sheet went to every 担当課 and came back as one copy each, each with its own rows filled: an
    item's result is the one filled in, whichever copy holds it; two copies filling one item
    differently keep the first's and say so, naming both files and rows."""
    kyodo = _copy(tmp_path / "進行管理シート_協働推進課.xlsx", {"出前講座の実施": ("実施", "5回", "継続"),
                                                          "協働事例集の作成": ("完了", "発行", "完了")})
    jinji = _copy(tmp_path / "進行管理シート_人事課.xlsx", {"職員研修の実施": ("一部実施", "1回", "拡充"),
                                                       "出前講座の実施": ("実施", "5回", "継続")})  # the same: no conflict
    koho = _copy(tmp_path / "進行管理シート_広報課.xlsx", {"広報紙の利用": ("実施", "毎月", "継続"),
                                                      "職員研修の実施": ("未実施", "", "見直し")})  # not what 人事課 says
    got = read_progress([jinji, kyodo, koho], PLAN)
    by_name = {PLAN.items[int(k.split("-")[1]) - 1].name: r for k, r in got.results.items()}
    assert {n: r.status for n, r in by_name.items()} == {"出前講座の実施": "実施", "協働事例集の作成": "完了",
                                                          "職員研修の実施": "一部実施", "広報紙の利用": "実施"}
    assert by_name["広報紙の利用"].file == koho.name and by_name["協働事例集の作成"].dropped
    assert got.rows == 12 and not got.unlinked
    assert [(k.file, o.file) for k, o in got.conflicts] == [(jinji.name, koho.name)]
    assert got.warnings() == [f"「職員研修の実施」: {jinji.name} 行4 と {koho.name} 行4 で記入が違います"
                              f"（{jinji.name} の記入を使いました。どちらが正しいか担当課に確かめてください）"]
    assert got.names == f"{jinji.name}、{kyodo.name}、{koho.name}"
    assert by_name["職員研修の実施"].disputed == (f"{jinji.name} 行4：実施状況「一部実施」、次年度の方向「拡充」／"
                                                 f"{koho.name} 行4：実施状況「未実施」、次年度の方向「見直し」")
    assert not by_name["広報紙の利用"].disputed
    # One copy that is no sheet: said for that file, the others still used.
    broken = tmp_path / "進行管理シート_財政課.xlsx"
    broken.write_bytes(b"not a workbook")
    skipped: list[str] = []
    got = read_progress([kyodo, broken, koho], PLAN, on_error=lambda p, e: skipped.append(e.line()))
    assert len(got.results) == 4 and len(skipped) == 1 and broken.name in skipped[0]


def test_a_sheet_saved_as_csv_in_the_folder_is_last_years_results_not_a_plan(tmp_path: Path) -> None:
    """Excel's 「CSV」 save of the filled sheet (Shift_JIS), put in inputs/: picked up as results like the
    .xlsx (it was read as a second plan of ours), and its 完了 ends the measure in the draft."""
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    sheet = folder / "平成21年度_進行管理シート_記入済.csv"
    sheet.write_bytes("項目,実施状況,実績,次年度の方向\r\n協働(共働)に関する標語の募集,完了,標語を募集した,完了\r\n"
                      .encode("cp932"))
    cfg = settings.load(folder)
    assert cfg.progress == (sheet,) and sheet not in cfg.documents
    assert main(["run", str(folder), "-o", str(tmp_path / "out"), "--reference", "none"]) == 0
    from docx import Document as open_docx
    body = "\n".join(p.text for p in open_docx(str(tmp_path / "out" / "平成22年度_市民協働推進アクションプラン_案.docx")).paragraphs)
    assert "前年度に完了・廃止した事業" in body


def test_the_copies_in_the_folder_are_all_last_years_results(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    copies = [_copy(folder / f"進行管理シート_{dept}.xlsx", {}) for dept in ("人事課", "協働推進課")]
    cfg = settings.load(folder)
    assert cfg.progress == tuple(sorted(copies, key=lambda p: p.name))
    assert not set(cfg.progress) & set(cfg.documents)
    with (folder / "plandraft.toml").open("a", encoding="utf-8") as f:
        f.write(f'\nprogress = ["{copies[1].name}"]\n')
    assert settings.load(folder).progress == (copies[1],)


def test_a_missing_progress_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["draft", "--outline", str(INPUTS / "outline_計画の構成案.txt"), "--plan",
                 str(INPUTS / "tsushima_h21_action_plan.txt"), "--progress", str(tmp_path / "ない.xlsx"),
                 "-o", str(tmp_path / "out")])
    assert code == 2
    err = capsys.readouterr().err
    assert "ない.xlsx" in err and "Traceback" not in err


def test_a_draft_from_two_departments_copies_uses_both_and_says_where_they_disagree(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`plandraft draft --progress A B`: a measure one 担当課 reports 完了 leaves the draft, one the other
    reports 拡充 is carried, and an item the two fill differently is one warning line."""
    from pipeline.job import Pipeline
    from pipeline.settings import RunConfig

    monkeypatch.setenv("PLANDRAFT_SOFFICE", "off")
    monkeypatch.setenv(ENV, "ja")  # the planner's language, as the lines are checked in
    outline, plan = INPUTS / "outline_計画の構成案.txt", INPUTS / "tsushima_h21_action_plan.txt"

    def copy(name: str, rows: list[tuple[str, str, str]]) -> Path:
        wb = Workbook()
        wb.active.append(["項目", "実施状況", "次年度の方向"])
        for row in rows:
            wb.active.append(list(row))
        wb.save(tmp_path / name)
        return tmp_path / name

    a = copy("進行管理シート_地域再生推進本部.xlsx", [("協働(共働)に関する標語の募集", "完了", "完了"),
                                                    ("ホームページの利用", "実施", "継続")])
    b = copy("進行管理シート_総務課.xlsx", [("職員研修の実施", "一部実施", "拡充"), ("ホームページの利用", "実施", "見直し")])
    state = Pipeline(use_cache=False)(RunConfig.for_files(outline, plan, progress=[a, b]),
                                      ("outline", "read", "match", "draft"))
    assert state.progress is not None and len(state.progress.results) == 3
    assert state.draft is not None
    carried = {r.name: r for r in state.draft.rows() if r.kind == "carried"}
    assert "職員研修の実施" in carried and "協働(共働)に関する標語の募集" not in carried
    # the measure the two copies disagree on is a place for the planner to decide, in the draft too
    notes = [f.note for f in carried["ホームページの利用"].flags if "記入が分かれています" in f.note]
    assert len(notes) == 1 and f"{a.name} 行3：次年度の方向「継続」／{b.name} 行3：次年度の方向「見直し」" in notes[0]
    assert not any("記入が分かれています" in f.note for r in carried.values() if r.name != "ホームページの利用"
                   for f in r.flags)
    assert main(["draft", "--outline", str(outline), "--plan", str(plan), "--progress", str(a), "--progress", str(b),
                 "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    said = [line for line in err.splitlines() if "記入が違います" in line]
    assert len(said) == 1 and "ホームページの利用" in said[0] and a.name in said[0] and b.name in said[0]
    from docx import Document as WordDocument

    from pipeline.progress import REPORT_NAME

    report = WordDocument(str(tmp_path / "out" / REPORT_NAME))
    texts = [(p.style.name, p.text) for p in report.paragraphs]
    at = texts.index(("Heading 1", "担当課の記入が分かれている事業"))
    assert "ホームページの利用" in texts[at + 1][1] and f"{a.name}、{b.name}" in "".join(t for _, t in texts)


def test_copies_complete_each_other_cell_by_cell_and_a_copy_that_carries_on_wins_over_one_that_ends(
        tmp_path: Path) -> None:
    """One copy fills 実施状況 and the other the same with its 実績 and 評価: that is no disagreement,
    and the 実績 is kept. One copy ends a measure (完了) that the other carries on: it is carried, to be
    decided, not dropped. A row that links to nothing is reported once, however many copies hold it; a
    file given twice is read once."""
    def sheet(name: str, rows: list[tuple[str, ...]]) -> Path:
        wb = Workbook()
        wb.active.append(["番号", "項目", "実施状況", "実績", "評価", "次年度の方向"])
        for row in rows:
            wb.active.append(list(row))
        wb.save(tmp_path / name)
        return tmp_path / name

    a = sheet("a.xlsx", [("1-1", "出前講座の実施", "実施", "", "", "継続"), ("1-2", "協働事例集の作成", "完了", "", "", "完了"),
                         ("9-9", "（新しい事業）", "", "", "", "")])
    b = sheet("b.xlsx", [("1-1", "出前講座の実施", "実施", "5回", "B", "継続"), ("1-2", "協働事例集の作成", "実施", "", "", "継続"),
                         ("9-9", "（新しい事業）", "実施", "", "", "")])
    got = read_progress([a, b, tmp_path / "." / "a.xlsx"], PLAN)
    assert got.paths == (str(a), str(b))
    kouza, jirei = got.results["doc-001"], got.results["doc-002"]
    assert (kouza.status, kouza.achievement, kouza.grade, kouza.disputed) == ("実施", "5回", "B", "")
    assert not jirei.dropped and jirei.status == "実施" and "完了" in jirei.disputed
    assert [(k.file, o.file) for k, o in got.conflicts] == [("b.xlsx", "a.xlsx")]  # b's carrying on is kept
    assert [(u.file, u.status) for u in got.unlinked] == [("b.xlsx", "実施")]


def test_a_sheet_made_for_another_years_plan_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "ja")  # the planner's language, as the lines are checked in
    """A copy left over from an earlier year (its hidden ids say the year) links by number and name all
    the same: the planner is told."""
    wb = Workbook()
    wb.active.append(["管理ID", "番号", "項目", "実施状況"])
    wb.active.append([stable_id(2009, "1-1", "出前講座の実施"), "1-1", "出前講座の実施", "実施"])
    wb.save(tmp_path / "進行管理シート_去年.xlsx")
    got = read_progress([tmp_path / "進行管理シート_去年.xlsx"], PLAN)  # PLAN is 平成22年度's
    assert got.results["doc-001"].status == "実施"
    assert got.warnings() == ["進行管理シート_去年.xlsx: 平成21年度の計画の進行管理シートです（前年度の計画は平成22年度）。"
                              "前年度のシートか確かめてください"]


def test_a_folder_of_copies_given_to_run_is_read_as_results_and_not_as_plans(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDRAFT_SOFFICE", "off")
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    back = folder / "返送分"
    back.mkdir()
    names = ("総務課の結果.xlsx", "人事課の結果.xlsx")  # no 進行管理 in their names
    for name in names:
        _copy(back / name, {"職員研修の実施": ("実施", "2回", "継続")})
    cfg = settings.load(folder)
    assert {p.name for p in cfg.documents} >= set(names)  # found in the folder, taken for plans ...
    given = cfg.with_progress([back])
    assert [p.name for p in given.progress] == sorted(names)
    assert not {p.name for p in given.documents} & set(names)  # ... until given as results
    assert main(["run", str(folder), "--progress", str(back / names[0]), "--progress", str(back / names[1]),
                 "-o", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert not any(n in line for line in captured.err.splitlines() + captured.out.splitlines()
                   for n in names if "読みました" in line or line.startswith("read "))


def test_a_copy_with_only_its_achievement_does_not_undo_another_copys_ending(tmp_path: Path) -> None:
    """Copy a: 完了 / 完了. Copy b fills only the 実績. No disagreement: the measure ends, with b's 実績.
    And where a third copy carries on what two others end differently, every disagreement stays said."""
    def sheet(name: str, row: tuple[str, str, str, str]) -> Path:
        wb = Workbook()
        wb.active.append(["番号", "項目", "実施状況", "実績", "次年度の方向"])
        wb.active.append(["1-1", "出前講座の実施", *row[1:]] if row[0] else ["1-1", "出前講座の実施", *row[1:]])
        wb.save(tmp_path / name)
        return tmp_path / name

    a = sheet("a.xlsx", ("x", "完了", "", "完了"))
    b = sheet("b.xlsx", ("x", "", "3回開催", ""))
    got = read_progress([a, b], PLAN).results["doc-001"]
    assert got.dropped and got.achievement == "3回開催" and not got.disputed
    a3 = sheet("a3.xlsx", ("x", "完了", "2回", "完了"))
    b3 = sheet("b3.xlsx", ("x", "完了", "3回", "完了"))
    c3 = sheet("c3.xlsx", ("x", "実施", "", "継続"))
    got = read_progress([a3, b3, c3], PLAN).results["doc-001"]
    assert not got.dropped and "実績「2回」" in got.disputed and "実績「3回」" in got.disputed and "c3.xlsx" in got.disputed


def test_rows_with_only_an_id_that_link_to_nothing_are_each_reported(tmp_path: Path) -> None:
    copies = []
    for name, sheet_id in (("a.xlsx", "2010-9-1-aaaaaaaa"), ("b.xlsx", "2010-9-2-bbbbbbbb")):
        wb = Workbook()
        wb.active.append(["管理ID", "番号", "項目", "実施状況"])
        wb.active.append([sheet_id, None, None, "実施"])
        wb.save(tmp_path / name)
        copies.append(tmp_path / name)
    assert len(read_progress(copies, PLAN).unlinked) == 2


def test_progress_given_on_the_command_line_is_no_plan_and_no_other_city(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    shutil.copy(INPUTS / "outline_計画の構成案.txt", folder)
    sheet = _copy(folder / "a_総務課の結果.xlsx", {})  # sorts before the plan, and no 進行管理 in its name
    shutil.copy(INPUTS / "tsushima_h21_action_plan.txt", folder / "b_計画.txt")
    (folder / "返送分").mkdir()
    (folder / "返送分" / "市民課.csv").write_text("項目,実施状況\n職員研修の実施,実施\n", "utf-8")
    cfg = settings.load(folder)
    assert cfg.plan == sheet  # the first file is taken for the plan ...
    given = cfg.with_progress([sheet])
    assert given.plan == folder / "b_計画.txt" and sheet not in given.documents  # ... until it is given as results
    assert [p.name for p in cfg.with_progress([folder / "返送分"]).progress] == ["市民課.csv"]
    from pipeline.settings import RunConfig

    both = RunConfig.for_files(folder / "outline_計画の構成案.txt", folder / "b_計画.txt", [folder], progress=[sheet])
    assert sheet not in both.others and both.progress == (sheet,)


def test_the_summary_counts_measures_not_the_candidates_a_draft_read_back_holds() -> None:
    """The 進捗状況の概要 of a plan that is last year's draft read back: its undecided 新規候補 had no row
    in the sheet and are no measures; they were counted as 未記入."""
    from dataclasses import replace

    from pipeline.model import Match
    from pipeline.outline import read_outline
    from pipeline.progress.report import UNREPORTED, counts
    from pipeline.progress.results import Progress

    plan = _plan(("1-1", "出前講座の実施"), ("1-2", "協働事例集の作成"))
    candidate = replace(plan.items[1], id="doc-009", name="市民協働出前講座の実施", tags=("新規候補",))
    plan = replace(plan, items=(*plan.items, candidate))
    matches = {i.id: Match(i.id, i.name, 1, 1.0, 1.0, ((1, 1.0),)) for i in plan.items}
    progress = Progress("sheet.xlsx", {"doc-001": Result(2, "出前講座の実施", status="実施")})
    (row,) = counts(progress, plan, matches, read_outline(INPUTS / "outline_計画の構成案.txt"))
    assert row.counts["実施"] == 1 and row.counts[UNREPORTED] == 1  # 協働事例集の作成, not the candidate


def test_a_result_merged_over_two_rows_is_each_rows(tmp_path: Path) -> None:
    """A 担当課 merges 完了 over the rows of two measures (and their 課題): it is said of both; the
    second was carried with nothing reported."""
    from pipeline.progress.results import read_sheet_rows

    wb = Workbook()
    ws = wb.active
    ws.append(["番号", "項目", "実施状況", "課題", "次年度の方向"])
    ws.append(["3-2", "広報紙の利用", "完了", "広報紙を統合", "完了"])
    ws.append(["3-3", "ホームページの利用", None, None, None])
    ws.append(["3-4", "ケーブルテレビの利用", "実施", None, "継続"])
    for cols in ("C2:C3", "D2:D3", "E2:E3"):
        ws.merge_cells(cols)
    path = tmp_path / "進行管理シート_広報課.xlsx"
    wb.save(path)
    rows = {r.name: r for r in read_sheet_rows(path)}
    assert [(rows[n].status, rows[n].issue, rows[n].direction) for n in ("広報紙の利用", "ホームページの利用")] == \
        [("完了", "広報紙を統合", "完了")] * 2
    assert (rows["ケーブルテレビの利用"].status, rows["ケーブルテレビの利用"].direction) == ("実施", "継続")


def test_a_sheet_that_would_inflate_past_the_limit_is_refused_before_it_is_loaded(tmp_path: Path) -> None:
    """The sheet is loaded whole (merged cells are only seen so): the plans' zip-bomb check comes first."""
    from docmaker import write_zip_bomb

    from pipeline.progress.results import read_sheet_rows

    bomb = write_zip_bomb(tmp_path / "進行管理シート_総務課.xlsx")
    with pytest.raises(InputError, match="zip bomb") as caught:
        read_sheet_rows(bomb)
    assert caught.value.path == str(bomb)


def test_the_sheets_lines_are_in_english_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Under --lang en the lines on the 担当課's sheets were still Japanese."""
    wb = Workbook()
    wb.active.append(["項目", "実施状況", "次年度の方向"])
    wb.active.append(["（新しい事業）", "実施", "継続"])
    wb.save(tmp_path / "sheet.xlsx")
    assert main(["--lang", "en", "draft", "--outline", str(INPUTS / "outline_計画の構成案.txt"), "--plan",
                 str(INPUTS / "tsushima_h21_action_plan.txt"), "--progress", str(tmp_path / "sheet.xlsx"),
                 "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "sheet.xlsx row 2 '（新しい事業）': links to no measure of last year's plan" in err
    assert "前年度" not in err and "行2" not in err
