"""PDFium (pipeline/ingest/pdfium.py) and pdfplumber give the same items on every PDF the tests use:
the committed fixtures, the layout families, the sample plan and the PDFs tests/docmaker.py writes;
pages PDFium cannot be trusted with are read by pdfplumber, and the note says which."""
from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, INPUTS
from docmaker import PDF_LAYOUTS, Layout, PageBreak, plan_from_text, write_pdf

from pipeline.errors import InputError
from pipeline.ingest import ocr, parse_file, pdfium
from pipeline.ingest import pdf as pdf_reader
from pipeline.settings import PdfSettings, ReadSettings
from pipeline.workers import PAGE_START_METHOD_ENV, page_start_method

COMMITTED = sorted(FIXTURES.rglob("*.pdf")) + [INPUTS / "tsushima_h21_action_plan.pdf"]
# The layouts tests/ingest/test_ingest_pdf.py writes, two more, and the bench's (each 施策 on a new page).
GENERATED = {
    **PDF_LAYOUTS,
    "header-spanned": Layout(header_span=True),
    "no-furniture": Layout(page_header=False, page_numbers=False, top_margin_mm=10),
    "bench": Layout(policy_page_break=True, font_size=10.5),
}


def _read(path: Path, engine: str) -> tuple[object, tuple[str, ...]]:
    """What the planner gets from path with engine: the Document without its notes (or the error),
    and the notes."""
    settings = ReadSettings(pdf=PdfSettings(pdf_engine=engine), ocr="never")
    try:
        doc = parse_file(path, settings)
    except InputError as exc:
        return ("error", exc.reason), ()
    return dataclasses.replace(doc, notes=()), doc.notes


def _engines(path: Path) -> dict[int, str]:
    with pdf_reader.PageSource(path.read_bytes(), PdfSettings()) as source:
        for _, page in source:
            page.close()
        return source.engines


def _same_items(path: Path) -> None:
    ours, notes = _read(path, "auto")
    theirs, _ = _read(path, "pdfplumber")
    assert ours == theirs
    fallen = [n for n, engine in _engines(path).items() if engine == "pdfplumber"]
    assert bool(fallen) == any("read with pdfplumber" in n for n in notes)


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_committed_pdfs_give_the_same_items_with_both_engines(path: Path) -> None:
    _same_items(path)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_layouts_give_the_same_items_with_both_engines(name: str, tmp_path: Path) -> None:
    plan = plan_from_text(INPUTS / "tsushima_h21_action_plan.txt")
    path = write_pdf(plan, tmp_path / f"{name}.pdf", GENERATED[name])
    _same_items(path)
    assert set(_engines(path).values()) == {"pdfium"}  # these are what PDFium is for: no page falls back


def test_the_sample_plan_is_read_by_pdfium() -> None:
    engines = _engines(INPUTS / "tsushima_h21_action_plan.pdf")
    assert engines and set(engines.values()) == {"pdfium"}


def test_a_font_without_unicode_map_falls_back_to_pdfplumber(tmp_path: Path) -> None:
    """Fonts whose ToUnicode map is gone: PDFium is not trusted with such pages, pdfplumber reads
    them ((cid:N) codes, which the OCR stage recognises), and both engines agree."""
    src = FIXTURES / "layouts" / "shuyo-jigyo" / "nagahama_r2_shuyo_jigyo.pdf"
    data = re.sub(rb"/ToUnicode\s+\d+\s+\d+\s+R", lambda m: b" " * len(m.group()), src.read_bytes())
    path = tmp_path / "cid.pdf"
    path.write_bytes(data)
    with pdfium.Document(data) as doc, pytest.raises(pdfium.Unusable):
        doc.page(1)
    assert set(_engines(path).values()) == {"pdfplumber"}
    ours, _ = _read(path, "auto")
    theirs, _ = _read(path, "pdfplumber")
    assert ours == theirs


def test_pdfium_pages_carry_what_the_reader_uses() -> None:
    """Characters with boxes, fonts and sizes, and the ruling lines of the tables, in pdfplumber's
    coordinates: the same boxes pdfplumber gives, within a tenth of a point."""
    import pdfplumber

    path = INPUTS / "tsushima_h21_action_plan.pdf"
    data = path.read_bytes()
    with pdfplumber.open(path) as pdf, pdfium.Document(data) as doc:
        theirs, ours = pdf.pages[1], doc.page(2)
        assert ours.bbox == pytest.approx(theirs.bbox)
        assert len(ours.chars) == len(theirs.chars)
        for a, b in zip(ours.chars, theirs.chars):
            assert a["size"] == pytest.approx(b["size"]) and a["fontname"] == b["fontname"]
            assert (a["x0"], a["top"], a["bottom"]) == pytest.approx((b["x0"], b["top"], b["bottom"]), abs=0.1)
        assert sorted((round(e["x0"]), round(e["top"]), e["orientation"]) for e in ours.edges) == \
            sorted((round(e["x0"]), round(e["top"]), e["orientation"]) for e in theirs.edges)


@pytest.mark.slow
def test_memory_does_not_grow_with_pages(tmp_path: Path) -> None:
    """Pages are read one at a time and dropped: after 16 pages of the plan's body, what is still held
    is far less than what one page needs while it is read (measured after a collection, so the figure
    does not depend on when Python's cycle collector happens to run)."""
    import gc
    import tracemalloc
    from dataclasses import replace

    plan = plan_from_text(INPUTS / "tsushima_h21_action_plan.txt")
    split = next(i for i, e in enumerate(plan.elements) if isinstance(e, PageBreak)) + 1
    path = write_pdf(replace(plan, elements=plan.elements[:split] + plan.elements[split:] * 2),
                     tmp_path / "plan.pdf", GENERATED["bench"])
    held: list[int] = []
    page_peak = 0
    with pdf_reader.PageSource(path.read_bytes(), PdfSettings()) as source:
        assert source.count >= 15
        tracemalloc.start()
        try:
            for number, page in source:
                tracemalloc.reset_peak()
                before = tracemalloc.get_traced_memory()[0]
                pdf_reader._read_page(page, number, PdfSettings())
                page.close()
                del page
                page_peak = max(page_peak, tracemalloc.get_traced_memory()[1] - before)
                gc.collect()
                held.append(tracemalloc.get_traced_memory()[0])
        finally:
            tracemalloc.stop()
    growth = held[-1] - held[4]  # from the 5th page to the last: 10 more pages read
    assert page_peak > 200_000  # a page's reading is measured at all
    assert growth < page_peak / 4, (growth, page_peak)


@pytest.mark.slow
@pytest.mark.parametrize("method", sorted({"spawn", page_start_method()}))
def test_pages_read_in_parallel_give_the_same_document(method: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large file read by two processes (the cores a single file leaves free) gives exactly what
    one process gives, rows split by the page breaks between the chunks included; with the page
    processes forked (Linux) or spawned (everywhere)."""
    from dataclasses import replace

    monkeypatch.setenv(PAGE_START_METHOD_ENV, method)

    plan = plan_from_text(INPUTS / "tsushima_h21_action_plan.txt")
    split = next(i for i, e in enumerate(plan.elements) if isinstance(e, PageBreak)) + 1
    path = write_pdf(replace(plan, elements=plan.elements[:split] + plan.elements[split:] * 4),
                     tmp_path / "plan.pdf", GENERATED["rows-split-across-pages"])
    serial = parse_file(path, ReadSettings(page_processes=1))
    parallel = parse_file(path, ReadSettings(page_processes=2))
    assert serial.pages >= ocr.PARALLEL_MIN_PAGES[method] + ocr.PAGES_PER_CHUNK
    assert parallel == serial and len(serial.items) > 100
    if method != "spawn":
        return
    # Spawned page processes read the file themselves; one that finds it changed since (another
    # file at its path now) reads nothing, and its chunks are read by the worker: the same pages again.
    data = path.read_bytes()
    changed = write_pdf(replace(plan, elements=plan.elements[:split] + plan.elements[split:] * 5),
                        tmp_path / "changed.pdf", GENERATED["bench"])
    settings = ReadSettings(page_processes=2)
    digest = hashlib.sha256(data).hexdigest()
    assert ocr._read_text_pages(data, settings, (changed, digest)) == ocr._read_text_pages(data, settings, (path, digest)) \
        == ocr._read_text_pages(data, ReadSettings(page_processes=1))


def _pages(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path.read_bytes())
    try:
        return len(pdf)
    finally:
        pdf.close()


@pytest.mark.parametrize("path", [p for p in COMMITTED if _pages(p) >= ocr.PARALLEL_MIN_PAGES["fork"]], ids=lambda p: p.name)
def test_small_files_read_by_several_processes_give_the_same_document(path: Path) -> None:
    """From 8 pages a file's pages are shared between forked processes (in chunks of a few pages, so
    each gets some): rows split across the chunks' page breaks and the page headers come out the
    same. (Where page processes are spawned, from 24 pages, the test above covers it.)"""
    settings = ReadSettings(ocr="never")
    one = parse_file(path, dataclasses.replace(settings, page_processes=1))
    assert parse_file(path, dataclasses.replace(settings, page_processes=2)) == one
    assert parse_file(path, dataclasses.replace(settings, page_processes=3)) == one


def test_the_engine_setting_is_checked() -> None:
    with pytest.raises(ValueError, match="pdf_engine"):
        PdfSettings(pdf_engine="pymupdf")
