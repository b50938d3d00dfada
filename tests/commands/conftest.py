"""These tests draft often: the LibreOffice pass that fills the contents' page numbers (seconds a
draft) is left out here; tests/draft/test_libreoffice.py covers it."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_page_number_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDRAFT_SOFFICE", "off")
