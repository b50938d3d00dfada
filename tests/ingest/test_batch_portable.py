"""The worker pool's portable parts: the start method (spawn unless PLANDRAFT_START_METHOD says
otherwise) and the memory limit where no address-space limit exists (Windows, macOS): the batch
watches the worker's memory and stops it over the limit."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from conftest import INPUTS
from docmaker import write_inflation_bomb_pdf

from pipeline import workers as batch
from pipeline.ingest import Limits, ingest_paths

SAMPLE = INPUTS / "tsushima_h21_action_plan"


def test_workers_are_spawned_unless_the_environment_says_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(batch.START_METHOD_ENV, raising=False)
    assert batch.start_method() == "spawn"
    other = next(m for m in multiprocessing.get_all_start_methods() if m != "spawn")
    monkeypatch.setenv(batch.START_METHOD_ENV, other)
    assert batch.start_method() == other
    monkeypatch.setenv(batch.START_METHOD_ENV, "thread")
    with pytest.raises(ValueError, match="PLANDRAFT_START_METHOD='thread'"):
        batch.start_method()


@pytest.mark.slow
def test_without_an_address_space_limit_the_batch_stops_a_worker_over_its_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on Windows: the worker has no RLIMIT_AS, its resident memory is polled (psutil) and it is
    killed past the limit; the file is reported as too large and the rest of the batch is read."""
    monkeypatch.setattr(batch, "ADDRESS_SPACE_LIMIT", False)
    bomb = write_inflation_bomb_pdf(tmp_path / "爆弾.pdf", inflated_mb=2048)
    good = Path(f"{SAMPLE}.txt")
    limits = Limits(seconds=60, memory_mb=400)
    docs, errors = ingest_paths([bomb, good], use_cache=False, limits=limits, workers=2)
    assert [d.path for d in docs] == [str(good)]
    assert [(e.path, e.reason) for e in errors] == [(str(bomb), limits.memory_error().full_reason())]
