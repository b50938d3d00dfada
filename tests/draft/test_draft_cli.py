"""`plandraft draft` driven through main([...]): paths printed, overwrite refused (exit 2) unless
--force, --year forms, --json, help."""
from __future__ import annotations

import json

import pytest
from conftest import INPUTS
from docxdump import dump_docx

from pipeline.cli import main

OUTLINE = str(INPUTS / "outline_計画の構成案.txt")
PLAN = str(INPUTS / "tsushima_h21_action_plan.txt")
DRAFT_NAME = "平成22年度_市民協働推進アクションプラン_案.docx"


@pytest.fixture(autouse=True)
def _no_libreoffice_pass(monkeypatch):
    """The contents' page numbers (a LibreOffice pass of several seconds) are tested in test_libreoffice.py."""
    monkeypatch.setenv("PLANDRAFT_SOFFICE", "off")


@pytest.mark.parametrize("option, comments, marks", [([], True, False), (["--review", "inline"], False, True),
                                                     (["--review", "comments"], True, False)])
def test_review_option_chooses_comments_or_inline_marks(tmp_path, capsys, option, comments, marks):
    assert main(["draft", "--outline", OUTLINE, "--plan", PLAN, "-o", str(tmp_path), *option]) == 0
    dump = dump_docx(tmp_path / DRAFT_NAME)
    assert bool(dump["comments"]) == comments
    assert ("▲" in json.dumps(dump["body"], ensure_ascii=False)) == marks


def test_an_unknown_review_style_is_a_usage_error(tmp_path, capsys):
    assert main(["draft", "--outline", OUTLINE, "--plan", PLAN, "-o", str(tmp_path), "--review", "margin"]) == 2
    assert "--review" in capsys.readouterr().err and not list(tmp_path.glob("*.docx"))


def test_draft_writes_the_draft_and_comparison_and_prints_their_paths(tmp_path, capsys):
    assert main(["draft", "--outline", OUTLINE, "--plan", PLAN, "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [str(tmp_path / DRAFT_NAME), str(tmp_path / "平成22年度_市民協働推進アクションプラン_新旧対照表.docx"),
                   str(tmp_path / "平成22年度_進行管理シート.xlsx")]
    dump = dump_docx(tmp_path / DRAFT_NAME)
    assert dump["body"][0]["p"] == "平成22年度"


def test_an_existing_draft_is_not_overwritten_without_force(tmp_path, capsys):
    args = ["draft", "--outline", OUTLINE, "--plan", PLAN, "-o", str(tmp_path)]
    assert main(args) == 0
    (tmp_path / DRAFT_NAME).write_bytes(b"edited")
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err and err.count("\n") == 1
    assert (tmp_path / DRAFT_NAME).read_bytes() == b"edited"
    assert main([*args, "--force"]) == 0
    assert [b.read_bytes() for b in tmp_path.glob("*_案.*.bak")] == [b"edited"]


def test_draft_force_replaces_its_own_unedited_outputs_without_backups(tmp_path, capsys):
    """Before, every --force re-run backed up all three outputs, edited or not (the draft command kept no
    manifest, as run does), and the folder filled with .bak files a planner had to sort out."""
    args = ["draft", "--outline", OUTLINE, "--plan", PLAN, "-o", str(tmp_path), "--force"]
    assert main(args) == 0 and main(args) == 0
    assert not list(tmp_path.glob("*.bak"))
    sheet = tmp_path / "平成22年度_進行管理シート.xlsx"
    sheet.write_bytes(sheet.read_bytes() + b" ")  # a 担当課 saved it again
    assert main(args) == 0
    assert [b.name.split(".")[0] for b in tmp_path.glob("*.bak")] == ["平成22年度_進行管理シート"]


@pytest.mark.parametrize(("year", "name"), [("2011", "平成23年度"), ("平成23年度", "平成23年度"), ("R1", "令和元年度")])
def test_year_option(tmp_path, capsys, year, name):
    assert main(["draft", "--outline", OUTLINE, "--plan", PLAN, "--year", year, "-o", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(f"{name}_市民協働推進アクションプラン_案.docx")


def test_bad_year_and_missing_files_are_usage_errors(tmp_path, capsys):
    assert main(["draft", "--outline", OUTLINE, "--plan", PLAN, "--year", "来年", "-o", str(tmp_path)]) == 2
    assert "--year" in capsys.readouterr().err
    assert main(["draft", "--outline", OUTLINE, "--plan", str(tmp_path / "none.pdf"), "-o", str(tmp_path)]) == 2


def test_json_summary_lists_outputs_and_review(tmp_path, capsys):
    assert main(["draft", "--outline", OUTLINE, "--plan", PLAN, "--json", "-o", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == "平成22年度" and len(data["outputs"]) == 3  # the draft, its 新旧対照表, the 進行管理シート
    assert data["review"] and {"number", "kind", "where", "note"} <= set(data["review"][0])


def test_help_has_an_example(capsys):
    assert main(["draft", "-h"]) == 0
    assert "plandraft draft --outline" in capsys.readouterr().out
