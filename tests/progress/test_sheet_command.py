"""`plandraft sheet`: the 進行管理シート of the plan as the planner finished it in Word (a 新規候補 adopted,
a measure deleted, one renamed), so every row the 担当課 fill in links back to a measure of that plan
next year; the sheet `draft` wrote from the unedited draft had no row for the adopted measure."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook
from test_loop import ADOPTED, DRAFT_22, OUTLINE, PLAN, SHEET_22, _finish_in_word, fill_rows

from pipeline.cli import main
from pipeline.errors import EXIT_PARTIAL
from pipeline.job import Pipeline
from pipeline.progress.results import ID_HEADER
from pipeline.settings import RunConfig

DROPPED, RENAMED, NEW_NAME = "ホームページの利用", "職員研修の実施", "全職員向け協働研修の実施"


def _edit_in_word(path: Path) -> None:
    """The planner's further edits: one measure deleted, one renamed."""
    doc = WordDocument(str(path))
    for t in doc.tables:
        for row in list(t.rows[1:]):
            first = row.cells[0]
            if first.text.endswith(DROPPED):
                t._tbl.remove(row._tr)
            elif first.text.endswith(RENAMED):
                for p in first.paragraphs:
                    for run in p.runs:
                        run.text = run.text.replace(RENAMED, NEW_NAME)
    doc.save(str(path))


def _sheet_rows(path: Path) -> list[dict[str, object]]:
    ws = load_workbook(path).worksheets[0]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=10) if any(c.value == "実施状況" for c in r))
    col = {c.value: c.column for c in header if c.value}
    return [{k: ws.cell(r, c).value for k, c in col.items()}
            for r in range(header[0].row + 1, ws.max_row + 1) if ws.cell(r, col["項目"]).value]


def _sheet(path: Path) -> dict[str, dict[str, object]]:
    return {str(r["項目"]): r for r in _sheet_rows(path)}


def test_the_sheet_of_the_adopted_plan_links_every_row_next_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANDRAFT_SOFFICE", "off")  # the contents' page numbers are not what this is about
    h22 = tmp_path / "令和 フォルダ"
    assert main(["draft", "--outline", str(OUTLINE), "--plan", str(PLAN), "-o", str(h22)]) == 0
    before = _sheet(h22 / SHEET_22)
    (h22 / "sheet_before.xlsx").write_bytes((h22 / SHEET_22).read_bytes())
    assert ADOPTED not in before and DROPPED in before  # the unedited draft's sheet
    adopted = h22 / DRAFT_22
    _finish_in_word(adopted)
    _edit_in_word(adopted)
    capsys.readouterr()

    assert main(["sheet", str(adopted), "-o", str(h22), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["year"] == "平成22年度" and Path(summary["output"]) == h22 / SHEET_22
    assert summary["backup"] and Path(summary["backup"]).is_file()  # the sheet draft wrote is kept
    rows = _sheet(h22 / SHEET_22)
    assert ADOPTED in rows and NEW_NAME in rows and DROPPED not in rows and RENAMED not in rows
    assert rows[ADOPTED]["担当課"] == "地域再生推進本部" and rows[ADOPTED]["区分"] == "新規"
    assert len(_sheet_rows(h22 / SHEET_22)) == len(_sheet_rows(h22 / "sheet_before.xlsx")) + 1 - 1  # +1 adopted, -1 dropped
    assert all(r[ID_HEADER] for r in rows.values())

    # the 担当課 fill in every row; next year every row is a result of a measure of the adopted plan
    fill_rows(h22 / SHEET_22, lambda _row, _name: {"実施状況": "実施", "次年度の方向": "継続"})
    state = Pipeline(use_cache=False)(RunConfig.for_files(OUTLINE, adopted, progress=h22 / SHEET_22),
                                      ("outline", "read", "match"))
    assert state.progress is not None and state.plan is not None
    assert state.progress.unlinked == ()
    by_name = {i.name: i.id for i in state.plan.items}
    assert by_name[ADOPTED] in state.progress.results and by_name[NEW_NAME] in state.progress.results
    assert len(state.progress.results) == len(_sheet_rows(h22 / SHEET_22))


def test_a_plan_without_a_year_or_measures_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "計画.txt"
    plan.write_text("市民協働推進アクションプラン\n1 協働意識の醸成\n(1) 協働出前講座の開催\n(2) 市民活動フォーラムの開催\n",
                    "utf-8")
    assert main(["sheet", str(plan), "-o", str(tmp_path / "out")]) == EXIT_PARTIAL
    err = capsys.readouterr().err
    assert "計画.txt" in err and "--year" in err and len(err.strip().splitlines()) == 1
    assert main(["sheet", str(plan), "--year", "令和8年度", "-o", str(tmp_path / "out")]) == 0
    assert set(_sheet(tmp_path / "out" / "令和8年度_進行管理シート.xlsx")) == {"協働出前講座の開催", "市民活動フォーラムの開催"}
    bad = tmp_path / "壊れた.pdf"
    bad.write_bytes(b"not a pdf")
    capsys.readouterr()
    assert main(["sheet", str(bad), "-o", str(tmp_path / "out")]) == EXIT_PARTIAL
    err = capsys.readouterr().err
    assert "壊れた.pdf" in err and "Traceback" not in err


@pytest.mark.parametrize(("plan_text", "year"), [
    ("令和6年度 市民協働推進アクションプラン\n施策1 協働の意識づくり\n①職員研修の実施\n②協働フォーラムの開催\n"
     "施策2 協働の担い手づくり\n①職員研修の実施\n②協働コーディネーター養成講座\n", None),  # numbering restarts
    ("市民協働推進アクションプラン\n施策1 協働の意識づくり\n・職員研修の実施\n・協働フォーラムの開催\n"
     "施策2 協働の担い手づくり\n・職員研修の実施\n・協働コーディネーター養成講座\n", "令和6年度"),  # no year, bullets
], ids=["numbers-restart", "no-year-bullets"])
def test_each_row_of_the_sheet_links_to_its_own_measure(tmp_path: Path, plan_text: str, year: str | None) -> None:
    """Two measures of one number and name under two policies had one id: the first one's result went
    to the second and the second's row was dropped as a repeat; a plan with no year of its own
    (--year) linked by name alone, and not at all where two names are the same."""
    from pipeline.ingest import ingest_file
    from pipeline.progress.results import read_progress

    plan = tmp_path / "計画.txt"
    plan.write_text(plan_text, "utf-8")
    assert main(["sheet", str(plan), "-o", str(tmp_path), *(["--year", year] if year else [])]) == 0
    sheet = tmp_path / "令和6年度_進行管理シート.xlsx"
    filled: dict[int, str] = {}

    def fill(row: int, _name: str) -> dict[str, str]:
        filled[row] = f"行{row}の実績"
        return {"実績": filled[row], "実施状況": "実施"}

    fill_rows(sheet, fill)
    doc = ingest_file(plan, use_cache=False)
    progress = read_progress(sheet, doc)
    assert progress.unlinked == ()
    got = [progress.results[i.id].achievement for i in doc.items]
    assert got == list(filled.values())  # each measure its own row's result, in order


def test_a_sheet_made_again_is_kept_only_when_someone_wrote_in_it(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "計画.txt"
    plan.write_text("令和6年度 市民協働推進アクションプラン\n施策1 協働の意識づくり\n①協働出前講座の開催\n②市民活動フォーラムの開催\n",
                    "utf-8")

    def make() -> object:
        assert main(["sheet", str(plan), "-o", str(tmp_path / "out"), "--json"]) == 0
        return json.loads(capsys.readouterr().out)["backup"]

    assert make() is None and make() is None  # the same sheet again: no .bak every time
    sheet = tmp_path / "out" / "令和6年度_進行管理シート.xlsx"
    fill_rows(sheet, lambda _row, name: {"実施状況": "実施"} if name == "協働出前講座の開催" else {})
    kept = make()
    assert kept and Path(str(kept)).read_bytes() != sheet.read_bytes()
    copy = tmp_path / "kept.xlsx"
    copy.write_bytes(Path(str(kept)).read_bytes())
    assert _sheet_rows(copy)[0]["実施状況"] == "実施"  # what the 担当課 wrote is kept


_BUDGET = Path(__file__).resolve().parents[2].parent / "shared" / "realdocs" / "nonplans" / "fuji_r7_budget_gaiyo.pdf"


@pytest.mark.parametrize("kind", ["statistics", "budget book"])
def test_no_sheet_is_made_of_a_document_that_is_no_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       kind: str) -> None:
    """A budget book given by mistake made a 進行管理シート of its budget lines (48 of 富士市's)."""
    from pipeline.messages import ENV

    if kind == "budget book":
        if not _BUDGET.is_file():
            pytest.skip("../shared/realdocs not present")
        path = _BUDGET
    else:
        path = tmp_path / "令和6年度 人口統計.txt"
        path.write_text("令和6年度 町丁別人口\n町丁目\t世帯数\t男\t女\n本町一丁目\t828\t812\t845\n本町二丁目\t861\t849\t874\n",
                        "utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV, "ja")
        assert main(["sheet", str(path), "-o", str(tmp_path / "out")]) == EXIT_PARTIAL
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and path.name in err and "計画ではありません" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
