"""Progress on stderr: a bar redrawn in place on a terminal, nothing at all otherwise (logs, pipes,
--json), and never a line wider than the terminal's 80 cells, even for long Japanese file names."""
from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import INPUTS, ROOT

from pipeline.commands._common import Console, _cells

SAMPLE = INPUTS / "tsushima_h21_action_plan"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_fits_80_cells_and_is_wiped_before_a_message() -> None:
    screen = _Terminal()
    console = Console(screen)
    console.progress(1, 300, "/計画/平成21年度 市民協働推進アクションプラン 対馬市 地域再生推進本部 最終版.pdf")
    console.progress(2, 300, "b.pdf")
    console.error("b.pdf: encrypted PDF (remove the password and retry)")
    frames = screen.getvalue().split("\r")
    assert all(_cells(frame) <= 80 for frame in frames)
    assert "アクションプ…" in frames[1]
    assert frames[2].startswith("[") and frames[2].rstrip().endswith("2/300 b.pdf")
    assert _cells(frames[2]) == _cells(frames[1])  # the longer name before it is blanked out
    assert frames[3].strip() == "" and frames[4] == "b.pdf: encrypted PDF (remove the password and retry)\n"


def test_nothing_is_drawn_off_a_terminal_or_for_one_file() -> None:
    log = io.StringIO()
    Console(log).progress(1, 5, "a.pdf")
    screen = _Terminal()
    Console(screen).progress(1, 1, "a.pdf")
    assert log.getvalue() == screen.getvalue() == ""


def _run_on_pty(args: list[str], env: dict[str, str], stdout: Path) -> tuple[int, str, str]:
    """Run plandraft with stderr on a pseudo-terminal; exit code, stdout and what the terminal showed."""
    master, slave = pty.openpty()
    with stdout.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env, stdout=out,
                                stderr=slave)
    os.close(slave)
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        shown += chunk
    proc.wait(timeout=30)
    os.close(master)
    return proc.returncode, stdout.read_text("utf-8"), shown.decode(errors="replace")


def test_progress_shows_on_a_terminal_and_nowhere_else(tmp_path: Path) -> None:
    plans = tmp_path / "plans"  # the output goes beside the folder read, not in it
    plans.mkdir()
    for n in range(3):
        shutil.copy(f"{SAMPLE}.txt", plans / f"計画{n}.txt")
    env = {**os.environ, "PLANDRAFT_CACHE_DIR": str(tmp_path / "cache")}
    code, out, shown = _run_on_pty(["ingest", str(plans), "--json", "--no-cache"], env, tmp_path / "out.json")
    assert code == 0
    assert len(json.loads(out)["documents"]) == 3  # stdout carries only the data
    assert re.search(r"\[#{24}\] 3/3 計画\d\.txt", shown)  # the last file done: workers finish in any order
    assert shown.endswith("\r")  # the bar is wiped at the end

    quiet = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(plans), "--json", "--no-cache"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert quiet.returncode == 0 and quiet.stderr == ""
