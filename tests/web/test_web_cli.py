"""`plandraft serve` on the command line, and writing one correction to corrections.tsv (the file
the page and the CLI share)."""
from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from pipeline.cli import main
from pipeline.match.knowledge import Correction, read_corrections, write_correction

INPUTS = ROOT / "inputs"


@pytest.fixture()
def no_server(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run recorded instead of run, and the process-wide start method left alone."""
    import multiprocessing

    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.setattr(multiprocessing, "set_start_method", lambda *a, **kw: None)
    return calls


def test_serve_has_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "-h"]) == 0
    out = capsys.readouterr().out
    assert "--project DIR" in out and "--port" in out and "--host" in out and "plandraft serve --project" in out


def test_serve_binds_loopback_by_default(tmp_path: Path, no_server: list[dict[str, Any]],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--project", str(tmp_path), "--port", "8123", "--no-browser"]) == 0
    (call,) = no_server
    assert call["host"] == "127.0.0.1" and call["port"] == 8123
    err = capsys.readouterr().err
    assert "http://127.0.0.1:8123/" in err and "注意" not in err
    assert "ページは http://127.0.0.1:8123/ です" in err  # the page is Japanese, and so is serve without --lang en
    assert os.environ["PLANDRAFT_LANG"] == "ja"  # its reasons too, from the catalogue (and in the workers)
    call["app"].state.jobs.shutdown()


def test_serve_on_another_host_warns(tmp_path: Path, no_server: list[dict[str, Any]],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "serve", "--project", str(tmp_path), "--host", "0.0.0.0", "--port", "8124",
                 "--no-browser"]) == 0
    assert no_server[0]["host"] == "0.0.0.0"
    assert "warning: listening on 0.0.0.0" in capsys.readouterr().err
    no_server[0]["app"].state.jobs.shutdown()


def test_serve_on_a_port_in_use_is_a_usage_error(tmp_path: Path, no_server: list[dict[str, Any]],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["--lang", "en", "serve", "--project", str(tmp_path), "--port", str(port), "--no-browser"]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err and not no_server


def test_serve_without_the_project_folder_is_a_usage_error(tmp_path: Path, no_server: list[dict[str, Any]],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--project", str(tmp_path / "nope"), "--no-browser"]) == 2
    assert "プロジェクトのフォルダが見つかりません" in capsys.readouterr().err
    assert main(["--lang", "en", "serve", "--project", str(tmp_path / "nope"), "--no-browser"]) == 2
    assert "project folder not found" in capsys.readouterr().err


# -- write_correction ------------------------------------------------------------------------------

def test_write_correction_creates_the_file_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "corrections.tsv"
    write_correction(path, Correction("職員研修の実施", "2", "職員の意識改革・スキルアップ", "研修を\t行います。\n年2回",
                                      "■職員の理解", "施策1"))
    text = path.read_text("utf-8-sig")
    assert text.splitlines()[0] == "item\tpillar\ttitle\ttext\tmeasure\tpolicy"
    (c,) = read_corrections(path)
    assert (c.item, c.pillar, c.title, c.text, c.measure, c.policy) == (
        "職員研修の実施", "2", "職員の意識改革・スキルアップ", "研修を 行います。 年2回", "■職員の理解", "施策1")


def test_write_correction_replaces_the_items_line_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "corrections.tsv"
    path.write_text((INPUTS / "corrections.tsv").read_text("utf-8-sig")
                    + "広報紙の利用\t3\t\t\t\t施策1\n# 担当者のメモ\nホームページの利用\t3\n", "utf-8")
    write_correction(path, Correction("広報紙の利用", "1", policy="施策1"))
    write_correction(path, Correction("広報紙の利用", "4", policy="施策2"))  # same name, another policy: its own line
    write_correction(path, Correction("新しい項目", "5"))
    lines = path.read_text("utf-8").splitlines()
    assert lines[1].startswith("# A planner's corrections") and "# 担当者のメモ" in lines
    got = [(c.item, c.pillar, c.policy) for c in read_corrections(path)]
    assert got == [("広報紙の利用", "1", "施策1"), ("ホームページの利用", "3", ""), ("広報紙の利用", "4", "施策2"),
                   ("新しい項目", "5", "")]


def test_write_correction_matches_names_as_corrections_do(tmp_path: Path) -> None:
    """（全角）and (half-width) brackets and spaces are the same item name."""
    path = tmp_path / "corrections.tsv"
    write_correction(path, Correction("協働（共働）事例集の作成", "1"))
    write_correction(path, Correction("協働(共働) 事例集の作成", "2"))
    assert [c.pillar for c in read_corrections(path)] == ["2"]
