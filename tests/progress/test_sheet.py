"""The 進行管理シート plandraft writes: drop-downs, frozen header, filters, A3 print set-up, the hidden id
column, text stored as text, and a file LibreOffice Calc opens without repair."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import INPUTS
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.draft import build_draft
from pipeline.model import Document, FiscalYear, Item, Match, Outline, Pillar, Source
from pipeline.progress.results import ID_HEADER, stable_id
from pipeline.progress.sheet import FILL_COLOUR, GUIDE_NAME, HEADER_ROW, SHEET_NAME, sheet_rows, workbook_bytes

SHEET = "平成22年度_進行管理シート.xlsx"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def shipped_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`plandraft run` on a copy of the shipped inputs (a folder with a space and Japanese in its name)."""
    root = tmp_path_factory.mktemp("run") / "計画 2010"
    shutil.copytree(INPUTS, root / "inputs")
    mp = pytest.MonkeyPatch()
    mp.setenv("PLANDRAFT_SOFFICE", "off")
    try:
        assert main(["run", str(root / "inputs"), "-o", str(root / "out")]) == 0
    finally:
        mp.undo()
    return root / "out"


def _headers(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[HEADER_ROW] if c.value}


def test_run_writes_the_sheet_with_drop_downs_frozen_header_filters_and_a3_print(shipped_run: Path) -> None:
    path = shipped_run / SHEET
    assert path.is_file()
    wb = load_workbook(path)
    assert wb.sheetnames == [SHEET_NAME, GUIDE_NAME]
    ws = wb[SHEET_NAME]
    head = _headers(ws)
    assert list(head)[:6] == ["番号", "施策の柱", "項目", "内容", "担当課", "区分"]
    assert {"平成22年度", "平成23年度", "平成24年度", "実施状況", "実績", "評価", "課題", "次年度の方向", ID_HEADER} <= set(head)
    rows = list(range(HEADER_ROW + 1, ws.max_row + 1))
    assert len(rows) == 38  # every carried measure of the 対馬 plan, no 新規候補
    # Grouped by pillar: the pillar column never comes back to an earlier pillar.
    pillars = [ws.cell(r, head["施策の柱"]).value for r in rows]
    assert pillars == sorted(pillars, key=lambda p: int(p.split(")")[0].strip("(")))
    # The drop-downs, on the right columns, offering the words the reader understands.
    lists = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list" and not dv.showDropDown  # (openpyxl's showDropDown=True hides the arrow)
        col = next(iter(dv.sqref.ranges)).min_col
        lists[col] = dv.formula1.strip('"').split(",")
        assert next(iter(dv.sqref.ranges)).max_row >= ws.max_row
    assert lists == {head["実施状況"]: ["実施", "一部実施", "未実施", "完了"], head["評価"]: ["A", "B", "C", "D"],
                     head["次年度の方向"]: ["継続", "拡充", "実施", "見直し", "廃止", "完了"]}
    assert ws.freeze_panes == f"D{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:{ws.cell(HEADER_ROW, head[ID_HEADER]).column_letter}{ws.max_row}"
    assert ws.page_setup.paperSize == 8 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    # The fill-in columns are shaded, the others are not; text wraps.
    for name in ("実施状況", "実績", "評価", "課題", "次年度の方向"):
        assert ws.cell(rows[0], head[name]).fill.fgColor.rgb.endswith(FILL_COLOUR)
    assert not ws.cell(rows[0], head["項目"]).fill.fgColor.rgb.endswith(FILL_COLOUR)
    assert ws.cell(rows[0], head["内容"]).alignment.wrap_text
    # The hidden id column: one stable id per row, the one the draft's item reads back with.
    id_letter = ws.cell(HEADER_ROW, head[ID_HEADER]).column_letter
    assert ws.column_dimensions[id_letter].hidden
    ids = [ws.cell(r, head[ID_HEADER]).value for r in rows]
    assert len(set(ids)) == len(ids)
    first = rows[0]
    assert ids[0] == stable_id(2010, ws.cell(first, head["番号"]).value, ws.cell(first, head["項目"]).value)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: scripts/install_system_packages.sh")
def test_libreoffice_calc_opens_the_sheet(shipped_run: Path, tmp_path: Path) -> None:
    src = tmp_path / "シート 入力.xlsx"
    shutil.copy(shipped_run / SHEET, src)
    done = subprocess.run([str(SOFFICE), "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, text=True, timeout=180)
    csv = tmp_path / "シート 入力.csv"
    assert done.returncode == 0 and csv.is_file(), done.stderr
    text = csv.read_text("utf-8")  # filter option 76: UTF-8
    assert "実施状況" in text and "自治会、地域で" in text


def _tiny(names: list[str]) -> tuple[Outline, Document, list[Match]]:
    outline = Outline(path="outline.txt", title="構成案", pillars=(Pillar(1, "市民の協働に対する意識の醸成"),))
    items = tuple(Item(id=f"i{k}", policy="", measure="", name=n, content=f"{n}の内容", departments=("市民協働課",),
                       actor=None, tags=("継続",), source=Source("plan.docx", row=k), number=str(k))
                  for k, n in enumerate(names, 1))
    plan = Document(path="plan.docx", sha256="0" * 64, title="平成21年度 アクションプラン", city="対馬市",
                    fiscal_year=FiscalYear("平成21年度", 2009), items=items)
    matches = [Match(i.id, i.name, 1, 1.0, 0.9, ((1, 1.0),)) for i in items]
    return outline, plan, matches


def test_text_that_looks_like_a_formula_is_stored_as_text() -> None:
    outline, plan, matches = _tiny(["=HYPERLINK(\"http://x\",\"押す\")", "+81 相談窓口", "-講座", "@SUM(A1)", "普通の事業\x07"])
    draft = build_draft(outline, plan, matches, year=2010)
    wb = load_workbook(io.BytesIO(workbook_bytes(draft)))
    ws = wb[SHEET_NAME]
    head = _headers(ws)
    cells = [ws.cell(r, head["項目"]) for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert [c.value for c in cells] == ["=HYPERLINK(\"http://x\",\"押す\")", "+81 相談窓口", "-講座", "@SUM(A1)", "普通の事業"]
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells[:4])
    assert [r.id for r in sheet_rows(draft)] == [c.value for c in
                                                  (ws.cell(r, head[ID_HEADER]) for r in range(HEADER_ROW + 1, ws.max_row + 1))]


def test_a_filled_sheet_is_backed_up_before_a_rerun_replaces_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDRAFT_SOFFICE", "off")
    args = ["draft", "--outline", str(INPUTS / "outline_計画の構成案.txt"), "--plan",
            str(INPUTS / "tsushima_h21_action_plan.txt"), "-o", str(tmp_path), "--force"]
    assert main(args) == 0
    wb = load_workbook(tmp_path / SHEET)
    ws = wb[SHEET_NAME]
    ws.cell(HEADER_ROW + 1, _headers(ws)["実施状況"]).value = "実施"
    wb.save(tmp_path / SHEET)
    assert main(args) == 0
    (backup,) = tmp_path.glob("平成22年度_進行管理シート.*.bak")
    ws = load_workbook(io.BytesIO(backup.read_bytes()))[SHEET_NAME]  # (openpyxl goes by the name's suffix)
    assert ws.cell(HEADER_ROW + 1, _headers(ws)["実施状況"]).value == "実施"


@pytest.mark.parametrize(("city", "title_end"), [("対馬市", "進行管理シート（対馬市）"), (None, "進行管理シート（市町村名）")])
def test_the_title_names_the_city_once_and_a_plan_without_one_gets_the_placeholder_once(
        city: str | None, title_end: str) -> None:
    """A plan that names no city gave （（市町村名））: the draft's placeholder wrapped a second time."""
    from dataclasses import replace

    outline, plan, matches = _tiny(["協働出前講座の実施"])
    draft = build_draft(outline, replace(plan, city=city), matches, year=2010)
    ws = load_workbook(io.BytesIO(workbook_bytes(draft)))[SHEET_NAME]
    assert str(ws.cell(1, 1).value).endswith(title_end)
