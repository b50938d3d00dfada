"""Shared test set-up: an isolated parse cache and the paths of the shipped inputs."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own parse cache, so no test sees another's cached results."""
    monkeypatch.setenv("PLANDRAFT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def tsushima_txt() -> Path:
    return INPUTS / "tsushima_h21_action_plan.txt"


@pytest.fixture(scope="session")
def outline_txt() -> Path:
    return INPUTS / "outline_計画の構成案.txt"
