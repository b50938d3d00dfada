"""Batches: worker processes, the parse cache, progress on a terminal only, and what a kill leaves."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import INPUTS, ROOT
from docmaker import write_vector_storm_pdf

from pipeline import workers as batch
from pipeline.cli import main
from pipeline.ingest import ingest_paths

SAMPLE = INPUTS / "tsushima_h21_action_plan"


def _workers_of(parent: int) -> list[int]:
    """pids of live plandraft worker processes started by parent (spawned: a fresh interpreter
    running multiprocessing's spawn_main)."""
    try:
        children = psutil.Process(parent).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            if "--multiprocessing-fork" in child.cmdline() and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child.pid)
        except psutil.Error:
            continue
    return found


def _alive(pids: list[int]) -> list[int]:
    """Those of pids still running (a zombie has ended)."""
    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            continue
    return alive


def test_a_rerun_on_unchanged_files_reads_the_cache_and_starts_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for suffix in (".pdf", ".docx", ".txt"):
        shutil.copy(f"{SAMPLE}{suffix}", tmp_path / f"plan{suffix}")
    first, errors = ingest_paths([tmp_path])
    assert not errors

    def no_worker(*args: object) -> None:
        raise AssertionError("a worker was started for a cached file")

    monkeypatch.setattr(batch, "_Worker", no_worker)
    again, errors = ingest_paths([tmp_path])
    assert not errors and again == first


def test_a_worker_that_dies_is_reported_and_replaced(tmp_path: Path) -> None:
    """A worker killed mid-file (as the kernel's OOM killer would) fails that file, not the batch."""
    storm = write_vector_storm_pdf(tmp_path / "storm.pdf")
    texts = []
    for n in range(3):
        texts.append(tmp_path / f"plan{n}.txt")
        shutil.copy(f"{SAMPLE}.txt", texts[-1])
    killed: list[int] = []

    def progress(done: int, total: int, path: Path) -> None:
        if done == len(texts):  # the texts are done (the idle worker may go too); the other is deep in the storm
            killed.extend(_workers_of(os.getpid()))
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    docs, errors = ingest_paths([texts[0], storm, texts[1], texts[2]], use_cache=False, progress=progress, workers=2)
    assert killed
    assert [d.path for d in docs] == [str(t) for t in texts]
    assert [(e.path, e.reason.split(" (")[0]) for e in errors] == [(str(storm), "the reader crashed")]
    assert "killed" in errors[0].reason
    assert not _workers_of(os.getpid())


def test_workers_keep_input_order_and_report_errors_in_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = ["b.pdf", "a.txt", "c.docx", "bad.pdf", "d.txt"]
    for name in names:
        if name == "bad.pdf":
            (tmp_path / name).write_bytes(b"%PDF-1.4 broken")
        else:
            shutil.copy(f"{SAMPLE}{Path(name).suffix}", tmp_path / name)
    paths = [str(tmp_path / n) for n in names]
    assert main(["ingest", *paths, "--json", "--no-cache", "--workers", "3"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert [d["path"] for d in data["documents"]] == [p for p in paths if not p.endswith("bad.pdf")]
    assert captured.err.startswith(f"{tmp_path / 'bad.pdf'}: corrupt or truncated PDF")


def test_a_killed_batch_leaves_the_previous_output_and_no_workers(tmp_path: Path) -> None:
    """SIGKILL in the middle of a batch: the previous output file is intact, no temporary file is
    left beside it, the workers die with the batch, and the next run completes."""
    inputs, out, cache = tmp_path / "inputs", tmp_path / "out", tmp_path / "cache"
    inputs.mkdir()
    out.mkdir()
    for n in range(30):
        shutil.copy(f"{SAMPLE}.pdf", inputs / f"plan{n:02d}.pdf")
    previous = b'{"documents": [], "errors": [], "metadata": {"run": "previous"}}\n'
    (out / "items.json").write_bytes(previous)
    env = {**os.environ, "PLANDRAFT_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(inputs), "-o", str(out / "items.json"), "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(cache.glob("*.json")):  # the first file is done
        time.sleep(0.02)
    assert proc.poll() is None, "the batch ended before it could be killed"
    workers = _workers_of(proc.pid)
    assert workers
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    assert (out / "items.json").read_bytes() == previous
    assert sorted(p.name for p in out.iterdir()) == ["items.json"]
    deadline = time.monotonic() + 5
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(workers)

    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    assert len(json.loads((out / "items.json").read_text("utf-8"))["documents"]) == 30
    assert sorted(p.name for p in out.iterdir()) == ["items.json"]


def test_a_second_batch_reads_with_the_first_ones_warm_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No start-up twice in one process (the web page, `run` reading the outline then the plans): the
    worker of a batch waits warm and reads the next; a changed environment (language, tool paths) or
    working folder gets a new one, as a worker keeps those of its start."""
    batch.stop_idle_workers()
    shutil.copy(f"{SAMPLE}.txt", tmp_path / "a.txt")
    shutil.copy(f"{SAMPLE}.docx", tmp_path / "b.docx")
    _, errors = ingest_paths([tmp_path / "a.txt"], use_cache=False, workers=1)
    assert not errors and batch.idle_workers() == 1
    [first] = [w.proc.pid for w in batch._IDLE]
    docs, errors = ingest_paths([tmp_path / "b.docx"], use_cache=False, workers=1)
    assert not errors and docs[0].items
    assert [w.proc.pid for w in batch._IDLE] == [first]

    monkeypatch.setenv("PLANDRAFT_LANG", "ja")
    _, errors = ingest_paths([tmp_path / "a.txt"], use_cache=False, workers=1)
    assert not errors and [w.proc.pid for w in batch._IDLE] != [first]
    assert first not in _alive([first])
    batch.stop_idle_workers()
    assert batch.idle_workers() == 0


def test_prestarted_worker_is_taken_by_the_batch(tmp_path: Path) -> None:
    batch.stop_idle_workers()
    batch.prestart()
    [started] = [w.proc.pid for w in batch._IDLE]
    shutil.copy(f"{SAMPLE}.pdf", tmp_path / "plan.pdf")
    docs, errors = ingest_paths([tmp_path / "plan.pdf"], use_cache=False, workers=1)
    assert not errors and docs[0].items
    assert [w.proc.pid for w in batch._IDLE] == [started]
    batch.stop_idle_workers()
