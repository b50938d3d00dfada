"""What a planner's console shows whatever happens: a cp932 console or redirect (Japanese Windows)
never makes output fail, an unexpected error is one line naming the log with its details (exit 3),
and an output that is open in Word is one line naming it (exit 4), never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import INPUTS, ROOT

from pipeline import ingest as ingest_package
from pipeline import output
from pipeline.cli import main
from pipeline.errors import EXIT_INTERNAL, EXIT_OUTPUT

SAMPLE = INPUTS / "tsushima_h21_action_plan"


@pytest.mark.parametrize("command", [["ingest", f"{SAMPLE}.docx"], ["ingest", f"{SAMPLE}.txt", "--json"]])
def test_output_redirected_in_cp932_does_not_fail(command: list[str], tmp_path: Path) -> None:
    """The listing has "—", "·" and "≈"-like characters cp932 cannot encode: they become "?"."""
    env = {**os.environ, "PYTHONIOENCODING": "cp932", "PLANDRAFT_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "pipeline", *command], cwd=ROOT, env=env, capture_output=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr.decode("cp932", "replace")
    shown = run.stdout.decode("cp932")  # valid cp932 throughout
    assert "市民協働" in shown and "対馬市" in shown
    assert run.stderr == b""


def test_classify_with_an_unencodable_character_in_cp932(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "cp932", "PLANDRAFT_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "pipeline", "classify", "--outline", str(INPUTS / "outline_計画の構成案.txt"),
                          "-"], cwd=ROOT, env=env, input="職員研修 — 協働≈意識\n".encode(),
                         capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr.decode("cp932", "replace")
    run.stdout.decode("cp932")


def test_an_unexpected_error_is_one_line_naming_the_log_and_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def bug(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the pool")

    monkeypatch.setattr(ingest_package, "parse_in_workers", bug)
    monkeypatch.setenv("PLANDRAFT_LOG_DIR", str(tmp_path / "logs"))
    assert main(["ingest", f"{SAMPLE}.txt", "--no-cache"]) == EXIT_INTERNAL == 3
    (line,) = capsys.readouterr().err.splitlines()
    (log,) = (tmp_path / "logs").glob("plandraft-error-*.log")
    assert line == f"plandraft ingest: internal error (RuntimeError); details in {log} (please report it)"
    details = log.read_text("utf-8")
    assert "Traceback" in details and "RuntimeError: a bug in the pool" in details
    assert details.startswith(f"plandraft ingest {SAMPLE}.txt --no-cache\n")


def test_an_output_locked_by_word_is_one_line_naming_it_and_exit_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Windows refuses to replace a file Word has open (PermissionError from os.replace); Linux does
    not lock, so the refusal is Windows' own error raised where it happens."""
    target = tmp_path / "out" / "items.json"
    target.parent.mkdir()
    previous = '{"documents": [], "errors": [], "metadata": {"run": "previous"}}\n'
    target.write_text(previous, "utf-8")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(output.os, "replace", locked)
    assert main(["ingest", f"{SAMPLE}.txt", "-o", str(target)]) == EXIT_OUTPUT == 4
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (f"{target}: cannot replace the file: it is open in another program or read-only "
                    "(close it (in Word or Excel) and run again)")
    assert target.read_text("utf-8") == previous
    assert sorted(p.name for p in target.parent.iterdir()) == ["items.json"]  # no temporary file left


def test_help_documents_exit_codes_3_and_4(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-h"]) == 0
    text = capsys.readouterr().out
    assert "3 internal error" in text and "4 an output could not be written" in text
