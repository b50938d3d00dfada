"""The shipped sample plan read from .txt, .pdf and .docx gives the same 38 items."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import INPUTS, ROOT
from docmaker import fields

from pipeline.ingest import ingest_file, read_blocks
from pipeline.model import Document

SAMPLES = {suffix: INPUTS / f"tsushima_h21_action_plan{suffix}" for suffix in (".txt", ".pdf", ".docx")}


@pytest.fixture(scope="session")
def sample_docs() -> dict[str, Document]:
    return {suffix: ingest_file(path, use_cache=False) for suffix, path in SAMPLES.items()}


@pytest.mark.parametrize("suffix", list(SAMPLES))
def test_sample_has_the_plans_items(sample_docs: dict[str, Document], suffix: str) -> None:
    doc = sample_docs[suffix]
    assert len(doc.items) == 38
    assert Counter(i.actor for i in doc.items) == {"both": 26, "city": 12}
    assert Counter(t for i in doc.items for t in i.tags) == {"新規": 11, "継続": 3, "随時": 2, "再掲": 1}
    assert doc.fiscal_year is not None and doc.fiscal_year.year == 2009
    assert doc.city == "対馬市"
    assert doc.format == suffix.lstrip(".")


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_sample_gives_the_same_items_as_the_text(sample_docs: dict[str, Document], suffix: str) -> None:
    text_items = [fields(i) for i in sample_docs[".txt"].items]
    assert [fields(i) for i in sample_docs[suffix].items] == text_items


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_sample_items_say_where_they_are(sample_docs: dict[str, Document], suffix: str) -> None:
    doc = sample_docs[suffix]
    for item in doc.items:
        assert item.source.table is not None and item.source.row is not None and item.source.row >= 2
        assert item.source.sha256 == doc.sha256
        if suffix == ".pdf":
            assert item.source.page is not None and 1 <= item.source.page <= (doc.pages or 0)
    assert doc.pages == (9 if suffix == ".pdf" else None)


def test_pdf_sample_table_continues_on_the_next_page() -> None:
    blocks, _, _, _ = read_blocks(SAMPLES[".pdf"])
    pages: dict[int, set[int]] = {}
    for b in blocks:
        if b.source.table is not None and b.source.page is not None:
            pages.setdefault(b.source.table, set()).add(b.source.page)
    split = [t for t, p in pages.items() if len(p) > 1]
    assert split, "the sample should have a table broken across pages"
    rows = [b for b in blocks if b.source.table == split[0]]
    assert [b.source.row for b in rows] == list(range(1, len(rows) + 1))  # one table, numbered on


def test_pdf_sample_page_furniture_is_dropped() -> None:
    blocks, pages, _, _ = read_blocks(SAMPLES[".pdf"])
    texts = [b.text for b in blocks if not b.is_row]
    assert not [t for t in texts if t.strip().startswith("- ") and t.strip().endswith(" -")]
    # The title is on the title page and repeated as the first body line, not on every page.
    assert sum(t == "平成21年度 市民協働(共働)推進アクションプラン" for t in texts) == 1
    assert pages == 9


def test_samples_are_generated_by_the_script(tmp_path: Path) -> None:
    """The committed samples are what scripts/make_samples.py writes, byte for byte."""
    import runpy

    script = runpy.run_path(str(ROOT / "scripts" / "make_samples.py"), run_name="samples")
    assert script["main"](["--out", str(tmp_path)]) == 0
    for suffix in (".pdf", ".docx"):
        name = SAMPLES[suffix].name
        written = (tmp_path / name).read_bytes()
        assert written == SAMPLES[suffix].read_bytes(), f"run scripts/make_samples.py ({name} is stale)"
