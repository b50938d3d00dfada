"""Folders are never silent: every file not read is named (an error with what to do for a document
plandraft cannot read, one summary line for files that are not documents), and a run where nothing
could be read exits 1 and says why."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import INPUTS

from pipeline.cli import main
from pipeline.files import expand, expand_paths
from pipeline.ingest import ingest_paths


def _unreadable_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "計画 H20.jtd").write_bytes(b"JTD\0" * 64)  # 一太郎
    (folder / "plan.hwp").write_bytes(b"HWP Document File" + b"\0" * 64)
    (folder / "plan.pages").write_bytes(b"PK\x03\x04" + b"\0" * 64)
    (folder / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    (folder / "notes.xyz").write_text("メモ", "utf-8")
    (folder / "Thumbs.db").write_bytes(b"\0" * 32)
    (folder / "desktop.ini").write_text("[.ShellClassInfo]", "utf-8")
    (folder / ".DS_Store").write_bytes(b"\0" * 32)
    (folder / "~$plan.docx").write_bytes(b"\0" * 32)  # Word's lock file
    return folder


def test_a_folder_of_unreadable_files_exits_1_naming_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _unreadable_folder(tmp_path / "古い資料")
    assert main(["ingest", str(folder), "--json", "--no-cache"]) == 1
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["documents"] == []
    named = {Path(e["path"]).name: e["reason"] for e in out["errors"]}
    assert set(named) == {"計画 H20.jtd", "plan.hwp", "plan.pages", "scan.jpg", "notes.xyz"}
    assert "open it in 一太郎 and save it as a Word document (.docx)" in named["計画 H20.jtd"]
    assert "PDF" in named["scan.jpg"]
    assert "unsupported file type '.xyz'" in named["notes.xyz"]
    lines = captured.err.splitlines()
    for name in named:  # one line each on stderr: file: reason (what to do)
        assert sum(1 for line in lines if line.startswith(str(folder / name) + ": ")) == 1
    [summary] = [line for line in lines if line.startswith("not read:")]
    for name in ("Thumbs.db", "desktop.ini", ".DS_Store", "~$plan.docx"):
        assert name in summary
    assert "skipped 5 of 5 files" in captured.err


def test_a_folder_with_nothing_to_read_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It used to give exit 0, documents: [], errors: [] and no word."""
    empty = tmp_path / "empty"
    empty.mkdir()
    system = tmp_path / "system"
    system.mkdir()
    (system / "Thumbs.db").write_bytes(b"\0")
    assert main(["ingest", str(empty), str(system), "--json", "--no-cache"]) == 1
    out = json.loads(capsys.readouterr().out)
    reasons = {Path(e["path"]).name: e["reason"] for e in out["errors"]}
    assert "no document to read in this folder" in reasons["empty"]
    assert "only 1 files that are not documents" in reasons["system"]


def test_plandraft_files_beside_the_plans_are_not_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    (folder / "plan.20240401-120000.docx.bak").write_bytes(b"PK")
    assert main(["ingest", str(folder), "--json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["errors"] == []
    assert {Path(d["path"]).suffix for d in out["documents"]} == {".txt", ".pdf", ".docx"}
    [summary] = [line for line in captured.err.splitlines() if line.startswith("not read:")]
    assert "plandraft.toml" in summary and "corrections.tsv" in summary and ".bak" in summary


def test_expand_lists_documents_and_the_rest_separately(tmp_path: Path) -> None:
    folder = _unreadable_folder(tmp_path / "f")
    (folder / "sub").mkdir()
    (folder / "sub" / "plan.doc").write_bytes(b"x")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text("x")
    found = expand([folder])
    assert [f.name for f in found.files] == ["notes.xyz", "plan.hwp", "plan.pages", "scan.jpg", "plan.doc", "計画 H20.jtd"]
    assert {f.name for f in found.not_documents} == {"Thumbs.db", "desktop.ini", ".DS_Store", "~$plan.docx", "config"}
    assert expand_paths([folder]) == found.files
    assert found.empty_folders == []


def test_a_named_file_of_an_unreadable_type_says_what_to_do(tmp_path: Path) -> None:
    jtd = tmp_path / "plan.JTD"
    jtd.write_bytes(b"x")
    missing = tmp_path / "others"  # a folder that is not there
    docs, errors = ingest_paths([jtd, missing], use_cache=False)
    assert docs == []
    assert "一太郎" in errors[0].reason
    assert errors[1].reason.startswith("no such file or folder")
