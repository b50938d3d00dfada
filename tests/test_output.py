"""Atomic writes: whole files only, ordinary permissions, and no temp files left behind for good."""
from __future__ import annotations

import os
import time
from pathlib import Path

from pipeline.output import STALE_TEMP_SECONDS, Manifest, write_atomic


def test_write_atomic_replaces_whole_file_with_ordinary_mode(tmp_path: Path) -> None:
    target = tmp_path / "out" / "結果.json"
    write_atomic(target, "一")
    write_atomic(target, "二")
    assert target.read_text("utf-8") == "二"
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert [p.name for p in target.parent.iterdir()] == ["結果.json"]


def test_stale_temp_files_of_a_killed_writer_are_swept(tmp_path: Path) -> None:
    target = tmp_path / "items.json"
    stale = tmp_path / ".items.json.abc123.tmp"
    fresh = tmp_path / ".items.json.def456.tmp"  # maybe another writer, still at work
    other = tmp_path / ".other.json.abc123.tmp"
    for p in (stale, fresh, other):
        p.write_text("half", "utf-8")
    old = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_atomic(target, "{}")
    assert not stale.exists() and fresh.exists() and other.exists()


def test_manifest_tells_own_unedited_outputs(tmp_path: Path) -> None:
    a = write_atomic(tmp_path / "a.docx", b"draft")
    Manifest(tmp_path).record([a])
    manifest = Manifest(tmp_path)
    assert manifest.unchanged(a)
    a.write_bytes(b"edited by a planner")
    assert not manifest.unchanged(a) and not manifest.unchanged(tmp_path / "missing.docx")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
