"""The one pipeline: its stages in order with their outputs checked, and the same inputs giving the
same corrections file, year and outputs from `plandraft run`, `plandraft draft` and the web page."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import INPUTS, ROOT
from docxdump import dump_docx

from pipeline import settings
from pipeline.cli import main
from pipeline.errors import UsageError
from pipeline.job import STAGES, Pipeline, State, next_year
from pipeline.match import matcher as matcher_module
from pipeline.match.matcher import Matcher
from pipeline.web.project import Project

PLAN = "tsushima_h21_action_plan.pdf"  # the plan plandraft.toml names

MOVED = "ホームページの利用"  # an item the matcher puts under 情報共有 and the correction below moves


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project folder whose inputs/ is a copy of the shipped inputs with one correction added."""
    root = tmp_path / "project 計画"
    shutil.copytree(INPUTS, root / "inputs")
    with (root / "inputs" / "corrections.tsv").open("a", encoding="utf-8") as f:
        f.write(f"{MOVED}\t9\t協働事業の評価・検証の仕組みの検討\t\t\t\n")
    return root


def _heading_above(dumped: dict, name: str) -> str:
    """The last heading before the first body element (paragraph or table) that holds name."""
    heading = ""
    for element in dumped["body"]:
        if str(element.get("style", "")).startswith("Heading"):
            heading = str(element.get("p", ""))
        elif name in str(element):
            return heading
    raise AssertionError(f"{name} not in the draft")


def test_stages_run_in_the_flow_order_and_each_output_is_checked(project: Path) -> None:
    cfg = settings.load(project / "inputs")
    job = Pipeline(out_dir=project / "out", outputs=("draft",))
    state = job(cfg, ("write", "draft", "match", "read", "outline"))  # given in any order, run in the flow's
    assert state.outline is not None and state.plan is not None and state.draft is not None
    assert len(state.plan.items) == 38 and all(i.id in state.matches for i in state.plan.items)
    assert [p.name for p in state.outputs] == ["平成22年度_市民協働推進アクションプラン_案.docx",
                                               "平成22年度_市民協働推進アクションプラン_新旧対照表.docx"]
    assert STAGES == ("outline", "read", "match", "compare", "draft", "write")
    with pytest.raises(ValueError, match="unknown stage 'render'"):
        job(cfg, ("render",))

    def broken(self: Pipeline, state: State) -> State:
        return replace(state, matcher=None)  # a stage that forgets what it is for

    original = Pipeline.match
    Pipeline.match = broken  # type: ignore[method-assign]
    try:
        with pytest.raises(TypeError, match="stage 'match' did not produce matcher"):
            Pipeline()(cfg, ("outline", "read", "match"))
    finally:
        Pipeline.match = original  # type: ignore[method-assign]


def test_the_matcher_is_built_once_per_job(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = []
    real = matcher_module.Matcher.__init__

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(matcher_module.Matcher, "__init__", counting)
    assert main(["run", str(project / "inputs"), "-o", str(project / "out")]) == 0
    assert len(built) == 1


def test_next_year_is_decided_in_one_place(project: Path) -> None:
    state = Pipeline()(settings.load(project / "inputs"), ("read",))
    assert state.plan is not None
    assert next_year(state.plan, None) == 2010 and next_year(state.plan, 2012) == 2012
    with pytest.raises(UsageError, match="no fiscal year"):
        next_year(replace(state.plan, fiscal_year=None), None)


def test_run_draft_and_the_web_page_use_the_same_corrections_year_and_outputs(project: Path) -> None:
    inputs = project / "inputs"
    # 1. plandraft run (make draft)
    assert main(["run", str(inputs), "-o", str(project / "run")]) == 0
    # 2. plandraft draft with the same files and no --corrections or --year
    assert main(["draft", "--outline", str(inputs / "outline_計画の構成案.txt"), "--plan", str(inputs / PLAN),
                 "-o", str(project / "draft")]) == 0
    # 3. the web page on the same project folder
    web = Project(project)
    snap = web.load()
    assert snap.corrections_path == (inputs / "corrections.tsv").resolve()
    assert snap.next_year() == 2010
    paths = web.generate()

    name = "平成22年度_市民協働推進アクションプラン_案.docx"
    changes = "平成22年度_市民協働推進アクションプラン_新旧対照表.docx"
    run_draft = dump_docx(project / "run" / name)
    assert dump_docx(project / "draft" / name) == run_draft
    assert dump_docx(paths["draft"]) == run_draft
    assert dump_docx(project / "draft" / changes) == dump_docx(project / "run" / changes) == dump_docx(paths["changes"])
    # The correction was used by all three (their drafts are equal): the item is under 評価・検証.
    moved = next(r for r in snap.rows if r.ours and r.item.name == MOVED)
    assert moved.match.pillar == 9 and moved.match.corrected
    assert "評価" in _heading_above(run_draft, MOVED)


def test_the_web_page_drafts_with_last_years_results_as_run_does(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 担当課 copies of the filled 進行管理シート in inputs/: `plandraft run` and the web page draft
    alike from them (a measure reported 完了 is not carried over by either)."""
    from openpyxl import Workbook

    monkeypatch.setenv("PLANDRAFT_SOFFICE", "off")
    inputs = project / "inputs"
    for dept, rows in (("地域再生推進本部", [("協働(共働)に関する標語の募集", "完了", "完了")]),
                       ("総務課", [("職員研修の実施", "一部実施", "拡充")])):
        wb = Workbook()
        wb.active.append(["項目", "実施状況", "次年度の方向"])
        for row in rows:
            wb.active.append(list(row))
        wb.save(inputs / f"平成21年度_進行管理シート_{dept}.xlsx")
    assert main(["run", str(inputs), "-o", str(project / "run")]) == 0
    web = Project(project)
    snap = web.load()
    assert snap.state is not None and snap.state.progress is not None and len(snap.state.progress.results) == 2
    sheets = [f for f in snap.files if "進行管理" in f.path.name]
    assert len(sheets) == 2 and {f.role for f in sheets} == {"progress"}  # results, not plans
    assert not any(f.id in snap.documents for f in sheets)
    paths = web.generate()
    run_draft = dump_docx(project / "run" / "平成22年度_市民協働推進アクションプラン_案.docx")
    assert dump_docx(paths["draft"]) == run_draft
    assert "協働(共働)に関する標語の募集" in str(run_draft) and "前年度に完了" in str(run_draft)


def test_the_web_page_says_what_is_wrong_with_a_copy_of_the_sheet_and_uses_the_others(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy that is no workbook, and two copies that disagree: the page loads, drafts from the good
    copies and says both above every page."""
    from openpyxl import Workbook

    from pipeline.messages import ENV

    monkeypatch.setenv(ENV, "ja")  # the planner's language, as the lines are checked in
    from starlette.testclient import TestClient

    from pipeline.web import create_app

    inputs = project / "inputs"
    (inputs / "進行管理シート_壊れ.xlsx").write_bytes(b"not a workbook")
    for dept, status in (("人事課", "実施"), ("総務課", "未実施")):
        wb = Workbook()
        wb.active.append(["項目", "実施状況"])
        wb.active.append(["職員研修の実施", status])
        wb.save(inputs / f"進行管理シート_{dept}.xlsx")
    snap = Project(project).load()
    assert snap.state is not None and snap.state.progress is not None and len(snap.state.progress.results) == 1
    assert any("進行管理シート_壊れ.xlsx" in n for n in snap.notices)
    assert any("記入が違います" in n and "人事課" in n and "総務課" in n for n in snap.notices)
    app = create_app(project)
    try:
        client = TestClient(app, base_url="http://127.0.0.1:8000")
        job = app.state.jobs.wait(app.state.load_job.id, timeout=60)
        assert job.state == "done", job.error
        html = client.get("/").text
        assert "進行管理シート_壊れ.xlsx" in html and "記入が違います" in html
    finally:
        app.state.jobs.shutdown()


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_a_workbook_read_as_a_plan_says_what_of_it_was_not_read(project: Path, capsys: pytest.CaptureFixture[str],
                                                                 suffix: str) -> None:
    """Another city's 取組一覧 in inputs/ with its 記入要領 sheet: run names the sheet it left out, for
    a macro workbook (.xlsm) as for a plain one."""
    import openpyxl

    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "記入要領"
    notes.append(["取組名", "計画に掲げた取組名をそのまま記入してください。", "担当する課を記入してください。"])
    ws = wb.create_sheet("取組一覧")
    ws.append(["市民協働推進行動計画 取組一覧"])
    ws.append(["No", "取組名", "取組内容", "担当課"])
    ws.append([1, "市民協働シンポジウムの開催", "協働の考え方を伝える講演の場を設けます。", "市民活動支援課"])
    ws.append([2, "協働出前講座の実施", "地域の集まりに職員が出向きます。", "市民活動支援課"])
    wb.save(project / "inputs" / f"取組一覧 他市{suffix}")
    assert main(["run", str(project / "inputs"), "-o", str(project / "out"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    (line,) = [w for w in report["warnings"] if f"取組一覧 他市{suffix}" in w]
    said = line.split(f"{suffix}: ", 1)[1]  # after the file's name
    assert "記入要領" in said and "取組一覧" not in said


def test_another_citys_plan_put_in_inputs_is_compared_as_one_and_said(project: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A planner drops 安城市's plan into inputs/ without listing it as others: it is compared as
    another city's plan (before, it was read as ours and compared with nothing), with one line saying so."""
    shutil.copy(ROOT / "tests" / "web" / "data" / "anjo_other_city_plan.txt", project / "inputs" / "安城市 計画.txt")
    assert main(["run", str(project / "inputs"), "-o", str(project / "out"), "--json"]) == 0
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert "安城市" in report["compared"]["cities"]
    assert report["compared"]["reference_measures"] == 0  # other plans are given: no reference measures (auto)
    (line,) = [w for w in report["warnings"] if "安城市 計画.txt" in w]
    assert "a plan of 安城市 (ours is 対馬市's): compared as another city's plan" in line
    assert report["plan"].endswith(PLAN)
    state = Pipeline()(settings.load(project / "inputs"), ("outline", "read"))
    assert [Path(d.path).name for d in state.others] == ["安城市 計画.txt"]
    assert all(d.city == "対馬市" for d in state.ours)


def test_commands_given_files_default_to_the_corrections_beside_the_outline(project: Path) -> None:
    inputs = project / "inputs"
    cfg = settings.RunConfig.for_files(inputs / "outline_計画の構成案.txt", inputs / PLAN)
    assert cfg.corrections == settings.load(inputs).corrections == inputs / "corrections.tsv"
    assert cfg.year is None and settings.load(inputs).year is None


def test_a_huge_cell_is_matched_on_its_beginning_with_a_warning(tmp_path: Path) -> None:
    """One 8 MB cell made `run` take minutes: text fed to matching is cut at match.max_chars."""
    import time

    folder = tmp_path / "inputs"
    folder.mkdir()
    shutil.copy(INPUTS / "outline_計画の構成案.txt", folder)
    plan = (INPUTS / "tsushima_h21_action_plan.txt").read_text("utf-8")
    huge = "市民協働の講座を開きます。" * 200_000  # 2.6 M characters in one item's content
    lines = plan.splitlines()
    row = next(i for i, line in enumerate(lines) if "職員研修の実施" in line)
    lines[row] = lines[row].replace("研修を行います。", "研修を行います。" + huge)
    (folder / "plan.txt").write_text("\n".join(lines), "utf-8")
    cfg = settings.load(folder)
    start = time.perf_counter()
    state = Pipeline()(cfg, ("outline", "read", "match"))
    assert time.perf_counter() - start < 60
    assert any("longer than 2000 characters" in w for w in state.warnings)
    assert state.plan is not None and all(i.id in state.matches for i in state.plan.items)


def _reference_rows(draft: Path) -> list[str]:
    from docx import Document as open_docx

    return [" ".join(c.text for c in row.cells) for t in open_docx(str(draft)).tables for row in t.rows
            if any(c.text.startswith("参考事例：") for c in row.cells)]


def test_the_reference_library_suggests_measures_of_many_cities_each_citing_its_source(project: Path) -> None:
    import re

    from openpyxl import load_workbook

    out = project / "out"
    assert main(["run", str(project / "inputs"), "-o", str(out)]) == 0  # the shipped inputs name no other plans
    rows = _reference_rows(out / "平成22年度_市民協働推進アクションプラン_案.docx")
    cities = {m.group(1) for r in rows if (m := re.search(r"参考事例：(\S+?)（(.+?)）", r))}
    assert len(cities) >= 20, cities
    assert all(re.search(r"参考事例：\S+?（.*(https?://|\.tsv)", r) for r in rows)  # every one names its source
    sheets = load_workbook(out / "comparison.xlsx", read_only=True)
    assert any(cell == "参考事例" for ws in sheets.worksheets for row in ws.iter_rows(max_row=3, values_only=True)
               for cell in row)

    again = project / "again"
    assert main(["run", str(project / "inputs"), "-o", str(again), "--reference", "none"]) == 0
    assert not _reference_rows(again / "平成22年度_市民協働推進アクションプラン_案.docx")
    sheets = load_workbook(again / "comparison.xlsx", read_only=True)
    assert not any(cell == "参考事例" for ws in sheets.worksheets for row in ws.iter_rows(values_only=True)
                   for cell in row)


@pytest.mark.slow
def test_an_inflation_bomb_given_as_the_outline_is_refused_in_a_limited_worker(tmp_path: Path) -> None:
    """The outline is read in a limited worker like every plan: a bomb outline is one line, under the
    memory limit and in seconds, not 150 s and 4 GB in the main process."""
    import subprocess
    import sys
    import time

    import psutil
    from docmaker import write_inflation_bomb_pdf

    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    bomb = write_inflation_bomb_pdf(folder / "構成案.pdf", inflated_mb=2048)
    toml = folder / "plandraft.toml"
    toml.write_text(toml.read_text("utf-8").replace('outline = "outline_計画の構成案.txt"', 'outline = "構成案.pdf"'),
                    "utf-8")
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(folder), "-o", str(tmp_path / "out")],
                            stderr=subprocess.PIPE, text=True)
    peak = 0
    main_process = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            peak = max(peak, main_process.memory_info().rss)
        except psutil.Error:
            break
        time.sleep(0.05)
    err = proc.stderr.read() if proc.stderr else ""
    assert proc.wait() == 1
    assert time.monotonic() - start < 60
    assert peak < 1024 * 1024 * 1024  # the main process never inflated it
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"{bomb}: file too large"), err


def test_the_planners_wording_from_the_web_page_reaches_run_and_draft(project: Path) -> None:
    """edits.tsv (名称 and 内容 edited on the page) is applied by the read stage, so `plandraft run`
    and `plandraft draft` draft the planner's wording, as the page does."""
    from docx import Document as open_docx

    from pipeline.edits import Edit, write_edits

    inputs = project / "inputs"
    state = Pipeline()(settings.load(inputs), ("read",))
    assert state.plan is not None
    item = next(i for i in state.plan.items if i.name == "職員研修の実施")
    write_edits(inputs / "edits.tsv", [Edit(sha256=state.plan.sha256, item=item.id, original=item.name,
                                            name="全職員向け協働研修の実施", content="全職員が年1回受講します。",
                                            file=Path(state.plan.path).name)])
    assert main(["run", str(inputs), "-o", str(project / "run")]) == 0
    assert main(["draft", "--outline", str(inputs / "outline_計画の構成案.txt"), "--plan", str(inputs / PLAN),
                 "-o", str(project / "draft")]) == 0
    for folder in ("run", "draft"):
        doc = open_docx(str(project / folder / "平成22年度_市民協働推進アクションプラン_案.docx"))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        assert any("全職員向け協働研修の実施" in c for c in cells), folder
        assert not any(c.endswith("職員研修の実施") and "全職員" not in c for c in cells), folder


def test_the_reference_measures_are_matched_once_per_outline_and_a_correction_rematches_those_it_touches(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import job as job_module

    def reference(state: job_module.State) -> dict[str, object]:
        return {i.id: state.matches[i.id] for d in state.reference for i in d.items}

    cfg = settings.load(project / "inputs")
    first = Pipeline()(cfg, ("outline", "read", "match"))
    assert first.reference and len(job_module._REFERENCE_MATCHES) == 1
    matched: list[int] = []
    match_items = Matcher.match_items
    monkeypatch.setattr(Matcher, "match_items", lambda self, items: matched.append(len(items)) or match_items(self, items))
    second = Pipeline()(cfg, ("outline", "read", "match"))
    assert reference(second) == reference(first)
    n = len(reference(first))
    assert matched[-1] < n // 10  # only the few the shipped corrections touch are matched again

    with (project / "inputs" / "corrections.tsv").open("a", encoding="utf-8") as f:
        f.write("地域づくり活動への支援\t7\t\t\t\t\n")  # a correction can move reference measures too
    cfg = settings.load(project / "inputs")
    kept = Pipeline()(cfg, ("outline", "read", "match"))
    job_module._REFERENCE_MATCHES.clear()
    fresh = Pipeline()(cfg, ("outline", "read", "match"))
    assert matched[-1] == n  # matched from scratch
    assert reference(kept) == reference(fresh)  # what was kept is what matching everything gives
    assert reference(kept) != reference(first)  # and the correction did move some


def test_the_comparison_shows_the_surest_reference_measures_of_each_pillar() -> None:
    """The comparison lists, per pillar, the reference_per_pillar reference measures matched to it most
    surely (675 of them would bury the planner's own); the draft still draws on all of them."""
    from pipeline.job import _closest_reference
    from pipeline.reference import REFERENCE
    from pipeline.settings import CompareSettings, RunConfig, Settings

    def run(per_pillar: int) -> State:
        config = RunConfig.for_files(INPUTS / "outline_計画の構成案.txt", INPUTS / PLAN, reference="always",
                                     settings=Settings(compare=CompareSettings(reference_per_pillar=per_pillar)))
        return Pipeline(use_cache=False)(config, ("outline", "read", "match", "compare"))

    state = run(2)
    assert state.comparison is not None
    shown = {p: state.comparison.count(p, REFERENCE) for p, _ in state.comparison.pillars}
    assert max(shown.values()) == 2 and sum(shown.values()) >= 2 * 8
    rank = {i.id: (m.needs_review, -m.confidence) for d in state.reference for i, m in zip(d.items, state.matches_of(d))}
    pillar = {i.id: m.pillar for d in state.reference for i, m in zip(d.items, state.matches_of(d))}
    kept = {o.item.id for o in _closest_reference(state, 2)}
    for item_id in set(rank) - kept:  # every measure left out is no surer than those shown of its pillar
        assert all(rank[k] <= rank[item_id] for k in kept if pillar[k] == pillar[item_id])
    everything = run(1000)
    assert everything.comparison is not None
    assert sum(everything.comparison.count(p, REFERENCE) for p in shown) == len(rank)


def test_an_edits_file_the_page_cannot_read_is_said_and_the_page_still_loads(project: Path) -> None:
    edits = project / "inputs" / "edits.tsv"
    edits.write_bytes(b"\xef\xbb\xbffile\tsha256\titem\toriginal\tname\tcontent\n\x82\xa0\xff\n")
    snap = Project(project).load()
    assert snap.rows and any("edits.tsv" in n for n in snap.notices)
    assert edits.read_bytes().endswith(b"\x82\xa0\xff\n")  # never written over


def test_a_document_in_inputs_that_is_no_plan_is_said_so(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A budget book dropped into inputs/ gives no measures: the job says it is no plan, and why, in a
    line of its own (it said only 「0 件」 among the documents read), and drafts from the plan as before."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["令和6年度 一般会計予算書"])
    ws.append(["款", "項", "目", "本年度予算額", "前年度予算額", "比較"])
    for i in range(12):
        ws.append([str(i + 1), "総務管理費", "一般管理費", 1000 * i + 5, 900 * i + 3, 100 * i + 2])
    wb.save(project / "inputs" / "予算書 令和6年度.xlsx")
    assert main(["run", str(project / "inputs"), "-o", str(project / "out"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    (line,) = [w for w in report["warnings"] if "予算書 令和6年度.xlsx" in w]
    assert line.startswith("not a plan:") and "no measures found" in line
    assert report["plan"].endswith(PLAN)
