"""Shared test set-up: an isolated parse cache and the paths of the shipped inputs."""
from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
INPUTS = ROOT / "inputs"
SHARED = ROOT.parent / "shared"
DATA = TESTS / "data"  # small labelled sets and sample plans
GOLDEN = TESTS / "golden"  # content dumps of rendered outputs (refresh with PLANDRAFT_UPDATE_GOLDEN=1)
FIXTURES = TESTS / "fixtures"  # committed fixture files named after the behaviour they cover
WEB_DATA = TESTS / "web" / "data"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own parse cache, so no test sees another's cached results."""
    monkeypatch.setenv("PLANDRAFT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


# Tests that draft often leave out the LibreOffice pass that fills the contents' page numbers (seconds a
# draft); tests/draft/test_libreoffice.py covers it.
_NO_PAGE_PASS = ("commands", "web", "test_job.py", "test_defects.py")


@pytest.fixture(autouse=True)
def _no_page_number_pass(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    rel = Path(str(request.node.path)).resolve().relative_to(TESTS)
    if rel.parts and rel.parts[0] in _NO_PAGE_PASS:
        monkeypatch.setenv("PLANDRAFT_SOFFICE", "off")


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English whatever the machine's locale, so tests that read them do not depend on
    it; tests of the Japanese messages (the default for planners) set PLANDRAFT_LANG=ja themselves."""
    monkeypatch.setenv("PLANDRAFT_LANG", "en")


@pytest.fixture(scope="session")
def tsushima_txt() -> Path:
    return INPUTS / "tsushima_h21_action_plan.txt"


@pytest.fixture(scope="session")
def outline_txt() -> Path:
    return INPUTS / "outline_計画の構成案.txt"


@pytest.fixture(scope="session")
def plan(tsushima_txt: Path):  # type: ignore[no-untyped-def]
    """The Tsushima plan as docmaker's Plan, to write it as PDF/DOCX/XLSX in other layouts."""
    from docmaker import plan_from_text

    return plan_from_text(tsushima_txt)


@pytest.fixture(scope="session")
def text_doc(tsushima_txt: Path):  # type: ignore[no-untyped-def]
    """The Tsushima plan read from its text version: what every other format must give."""
    from pipeline.ingest import ingest_file

    return ingest_file(tsushima_txt, use_cache=False)
