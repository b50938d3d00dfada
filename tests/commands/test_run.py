"""`plandraft run` (what `make draft` does): the whole job, and re-runs that respect a planner's edits."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import INPUTS
from docx import Document as open_docx

from pipeline.cli import main
from pipeline.errors import EXIT_PARTIAL, EXIT_USAGE


@pytest.fixture()
def inputs(tmp_path: Path, outline_txt: Path, tsushima_txt: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    shutil.copy(outline_txt, folder / outline_txt.name)
    shutil.copy(tsushima_txt, folder / "plan.txt")
    (folder / "plandraft.toml").write_text(f'outline = "{outline_txt.name}"\nplan = "plan.txt"\n', "utf-8")
    return folder


def test_run_writes_draft_and_results(inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["run", str(inputs), "-o", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["year"] == "平成22年度" and summary["outline"]["pillars"] == 10
    draft = out / "平成22年度_市民協働推進アクションプラン_案.docx"
    assert str(draft) in summary["outputs"] and (out / "平成22年度_市民協働推進アクションプラン_新旧対照表.docx").is_file()
    text = "\n".join(p.text for p in open_docx(str(draft)).paragraphs)
    assert "平成22年度" in text
    # Its last line names the input files, and the built-in reference measures as one entry.
    inputs = text.rsplit("入力：", 1)[1]
    assert "plan.txt (sha256 " in inputs and inputs.count("sha256") == 1
    assert re.search(r"参考事例 \d+件（\d+市町村）", inputs)
    assert summary["gaps"] > 0
    compared = summary["compared"]  # the 参考事例 counted by measure and municipality, not as a city
    assert "参考事例" not in compared["cities"] and "安城市" in compared["cities"]
    assert compared["reference_measures"] >= 10 and 1 < compared["reference_cities"] <= compared["reference_measures"]
    for name in ("comparison.xlsx", "comparison.docx", "heatmap.png", "library.sqlite"):
        assert (out / name).is_file(), name
    assert main(["search", "出前講座", "--library", str(out / "library.sqlite"), "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert any("出前講座" in json.dumps(h, ensure_ascii=False) and "安城市" in json.dumps(h, ensure_ascii=False)
               for h in (hits["results"] if isinstance(hits, dict) else hits))
    matches = json.loads((out / "matches.json").read_text("utf-8"))["matches"]
    assert len(matches) == 38 and all(1 <= m["match"]["pillar"] <= 10 for m in matches)
    assert all(m["match"]["evidence"] for m in matches)


def test_the_summary_line_names_the_reference_measures_apart_from_the_cities() -> None:
    """The 参考事例 are one column of the comparison but many municipalities: the summary says how
    many measures of how many, apart from the other cities (the outline's example projects)."""
    from pipeline.commands.run import _compared, _compared_line
    from pipeline.compare.compare import Comparison, OtherItem, Pair
    from pipeline.model import Item, Source
    from pipeline.reference import REFERENCE

    def pair(city: str, column: str | None = None) -> Pair:
        item = Item(id=city, policy="", measure="", name="協働事業提案制度", content="", departments=(), actor=None,
                    tags=(), source=Source(path="x.txt"))
        other = OtherItem(item=item, city=city, column=column)
        return Pair(other=other, pillar=3, ours=None, score=0.0, shared=(), nearest=None, nearest_score=0.0)

    comparison = Comparison(our_city="対馬市", pillars=((3, "柱"),), cities=("対馬市", "安城市", REFERENCE, "裾野市"),
                            counts={}, our_pillars={}, gaps=(),
                            pairs=(pair("安城市"), pair("裾野市"), pair("秦野市", REFERENCE), pair("秦野市", REFERENCE),
                                   pair("小山市", REFERENCE)))
    assert _compared_line(_compared(comparison), 0).startswith(
        "compared with 2 other cities and 3 reference measures of 2 municipalities")
    plain = replace(comparison, cities=("対馬市", "安城市"), pairs=comparison.pairs[:1])
    assert _compared_line(_compared(plain), 0).startswith("compared with 1 other cities:")


def test_rerun_replaces_own_outputs_and_backs_up_edited_ones(inputs: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["run", str(inputs), "-o", str(out)]) == 0
    assert main(["run", str(inputs), "-o", str(out)]) == 0
    assert not list(out.glob("*.bak"))  # unedited: replaced without clutter
    assert "edited version is kept" not in capsys.readouterr().err
    assert len(list(out.glob("*.docx"))) == 3 and len(list(out.glob("*.xlsx"))) == 2  # comparison, 進行管理シート
    draft = out / "平成22年度_市民協働推進アクションプラン_案.docx"
    edited = open_docx(str(draft))
    edited.add_paragraph("担当者のメモ")
    edited.save(str(draft))
    assert main(["run", str(inputs), "-o", str(out)]) == 0
    (backup,) = out.glob("*_案.*.bak")
    assert f"{backup}: the earlier, edited version is kept here" in capsys.readouterr().err  # said, not silent
    assert "担当者のメモ" in "\n".join(p.text for p in open_docx(str(backup)).paragraphs)
    assert "担当者のメモ" not in "\n".join(p.text for p in open_docx(str(draft)).paragraphs)


def test_run_with_unreadable_plan_is_exit_1(inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (inputs / "plan.txt").write_bytes(b"")
    assert main(["run", str(inputs), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "plan.txt: empty file" in err and "nothing drafted" in err


def test_run_without_outline_is_usage_error(tmp_path: Path, tsushima_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(tsushima_txt, folder / "plan.txt")
    assert main(["run", str(folder), "-o", str(tmp_path / "out")]) == 2
    assert "no outline" in capsys.readouterr().err


def test_json_is_one_object_on_stdout_when_nothing_is_drafted_or_the_job_cannot_start(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A script reading `run --json` got an empty stdout when last year's plan could not be read, or
    when there was no outline: now the summary with its errors, or one error object."""
    folder = tmp_path / "入力 フォルダ"
    folder.mkdir()
    shutil.copy(INPUTS / "outline_計画の構成案.txt", folder)
    (folder / "plan.pdf").write_bytes(b"not a pdf")
    (folder / "plandraft.toml").write_text('outline = "outline_計画の構成案.txt"\nplan = "plan.pdf"\n', "utf-8")
    assert main(["run", str(folder), "-o", str(tmp_path / "out"), "--json"]) == EXIT_PARTIAL
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["plan"] is None and summary["outputs"] == [] and summary["outline"]["pillars"] == 10
    assert [Path(e["path"]).name for e in summary["errors"]] == ["plan.pdf"]
    assert "plan.pdf" in captured.err  # the planner's line is still there

    (folder / "plandraft.toml").write_text('plan = "plan.pdf"\n', "utf-8")
    (folder / "outline_計画の構成案.txt").unlink()
    assert main(["run", str(folder), "-o", str(tmp_path / "out"), "--json"]) == EXIT_USAGE
    captured = capsys.readouterr()
    error = json.loads(captured.out)["error"]
    assert error["exit"] == EXIT_USAGE and "outline" in error["message"] and error["message"] in captured.err


@pytest.mark.parametrize("argv", [
    ["draft", "--outline", str(INPUTS / "outline_計画の構成案.txt"), "--plan", "{bad}", "-o", "{out}", "--json"],
    ["compare", "--outline", str(INPUTS / "outline_計画の構成案.txt"), "--plan", "{bad}", "-o", "{out}", "--json"],
    ["draft", "--no-such-option", "--json"],
], ids=["draft-unreadable-plan", "compare-unreadable-plan", "usage-error"])
def test_every_failing_json_command_leaves_one_error_object(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            argv: list[str]) -> None:
    bad = tmp_path / "計画 2025.pdf"
    bad.write_bytes(b"not a pdf")
    code = main([a.format(bad=bad, out=tmp_path / "out") for a in argv])
    captured = capsys.readouterr()
    assert code != 0
    error = json.loads(captured.out)["error"]  # one object, nothing else
    assert error["exit"] == code and error["message"] and error["message"] in captured.err
    assert all(line in captured.err for line in error["lines"])


def test_ingest_to_stdout_with_json_is_one_object(tsushima_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(tsushima_txt), "--json", "-o", "-"]) == 0
    assert len(json.loads(capsys.readouterr().out)["documents"]) == 1
