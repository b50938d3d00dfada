"""pipeline/ingest/cells.py gives what pdfplumber's own table finder and extract_text give: on every
page of the PDFs the tests use, on pages of a real budget book (../shared, when present), and on
random rulings and characters built to hit the tolerances."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pdfplumber.table as plumber_table
import pytest
from conftest import FIXTURES, INPUTS
from docmaker import PDF_LAYOUTS, plan_from_text, write_pdf
from pdfplumber.utils import extract_text

from pipeline.ingest import cells
from pipeline.ingest import pdf as pdf_reader
from pipeline.settings import PdfSettings

SETTINGS = PdfSettings()
BUDGET_BOOK = Path(__file__).resolve().parents[3] / "shared" / "realdocs" / "nonplans" / "fuji_r6_budget.pdf"


def _same_on_pages(data: bytes, last: int | None = None) -> int:
    """Compares both finders and both text extractions on each page (up to last); the number of
    table cells compared."""
    compared = 0
    with pdf_reader.PageSource(data, SETTINGS) as source:
        for _, page in source.pages(1, min(last or source.count, source.count)):
            try:
                theirs = page.find_tables(dict(SETTINGS.table_settings))
                ours = cells.find_tables(page, dict(SETTINGS.table_settings))
                assert [t.bbox for t in ours] == [t.bbox for t in theirs]
                assert [t.extract() for t in ours] == [t.extract() for t in theirs]
                chars = page.chars
                for table in theirs:
                    for row in table.rows:
                        for box in row.cells:
                            if box is None:
                                continue
                            x0, top, x1, bottom = box
                            found = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 < x1
                                     and top <= (c["top"] + c["bottom"]) / 2 < bottom]
                            assert cells.cell_text(found, **SETTINGS.text_settings()) == extract_text(found, **SETTINGS.text_settings())
                            compared += 1
                assert cells.cell_text(chars, **SETTINGS.text_settings()) == extract_text(chars, **SETTINGS.text_settings())
            finally:
                page.close()
    return compared


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.pdf")) + [INPUTS / "tsushima_h21_action_plan.pdf"],
                         ids=lambda p: p.name)
def test_committed_pdfs_give_pdfplumbers_tables_and_cell_text(path: Path) -> None:
    _same_on_pages(path.read_bytes())


def test_generated_layouts_give_pdfplumbers_tables_and_cell_text(tmp_path: Path) -> None:
    plan = plan_from_text(INPUTS / "tsushima_h21_action_plan.txt")
    compared = 0
    for name in ("departments-first", "header-not-spanned", "mark-in-name-cell"):
        compared += _same_on_pages(write_pdf(plan, tmp_path / f"{name}.pdf", PDF_LAYOUTS[name]).read_bytes())
    assert compared > 300


@pytest.mark.skipif(not BUDGET_BOOK.is_file(), reason="../shared/realdocs not present")
def test_a_real_budget_book_gives_pdfplumbers_tables() -> None:
    """Pages of a real 612-page budget book: thousands of ruled cells a page, where pdfplumber's
    quadratic steps cost the most."""
    assert _same_on_pages(BUDGET_BOOK.read_bytes(), last=12) > 100


def _edge(orientation: str, at: float, start: float, end: float) -> dict[str, Any]:
    if orientation == "h":
        return {"orientation": "h", "x0": start, "x1": end, "top": at, "bottom": at, "width": end - start, "height": 0.0}
    return {"orientation": "v", "x0": at, "x1": at, "top": start, "bottom": end, "width": 0.0, "height": end - start}


@pytest.mark.parametrize("seed", range(60))
def test_random_rulings_give_pdfplumbers_intersections_cells_and_tables(seed: int) -> None:
    """Grids with rules that stop short, overshoot, sit within the tolerance of each other, repeat,
    or stand apart as a second table; the steps compared one by one."""
    rng = random.Random(seed)
    edges: list[dict[str, Any]] = []
    for _ in range(rng.randint(1, 3)):  # tables, possibly touching or overlapping
        left, top = rng.choice([0.0, 10.0, 200.0]) + rng.randint(0, 5), rng.choice([0.0, 300.0]) + rng.randint(0, 5)
        xs = sorted({left + sum(rng.choice([0.5, 1.0, 20.0, 35.5]) for _ in range(k)) for k in range(rng.randint(2, 7))})
        ys = sorted({top + sum(rng.choice([1.0, 12.0, 18.25]) for _ in range(k)) for k in range(rng.randint(2, 9))})
        for y in ys:
            if rng.random() < 0.9:
                a, b = sorted(rng.sample(xs, 2)) if len(xs) > 2 and rng.random() < 0.5 else (xs[0], xs[-1])
                y += rng.choice([0.0, 0.0, 0.7, -1.0])
                if b - a > 30 and rng.random() < 0.3:  # a rule broken in two, with a gap between
                    cut = rng.uniform(a + 5, b - 15)
                    edges += [_edge("h", y, a, cut), _edge("h", y, cut + rng.choice([2.0, 8.0]), b)]
                else:
                    edges.append(_edge("h", y, a - rng.choice([0.0, 1.5]), b))
        for x in xs:
            if rng.random() < 0.9:
                a, b = sorted(rng.sample(ys, 2)) if len(ys) > 2 and rng.random() < 0.5 else (ys[0], ys[-1])
                edges.append(_edge("v", x + rng.choice([0.0, 0.0, 0.9, -1.0]), a, b + rng.choice([0.0, 2.5])))
        for _ in range(rng.randint(0, 3)):  # a stub from one rule to the next
            x, (y0, y1) = rng.choice(xs), sorted(rng.sample(ys, 2)) if len(ys) > 1 else (ys[0], ys[0] + 5)
            edges.append(_edge("v", x, y0, y1))
        if rng.random() < 0.3:
            edges.append(dict(rng.choice(edges)))  # a rule drawn twice
    rng.shuffle(edges)
    theirs = plumber_table.edges_to_intersections(edges, 1, 1)
    ours = cells.intersections(edges, 1, 1)
    assert list(ours) == list(theirs) and all(ours[p] == theirs[p] for p in theirs)
    found = plumber_table.intersections_to_cells(theirs)
    assert cells.cells(ours) == found
    assert [sorted(t) for t in cells.tables(found)] == [sorted(t) for t in plumber_table.cells_to_tables(found)]


def _char(text: str, x0: float, top: float, size: float = 10.0, upright: bool = True) -> dict[str, Any]:
    return {"text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size, "doctop": top,
            "size": size, "upright": upright, "width": size, "height": size, "fontname": "F", "matrix": (1, 0, 0, 1, x0, top)}


@pytest.mark.parametrize("seed", range(60))
def test_random_characters_give_pdfplumbers_cell_text(seed: int) -> None:
    """Characters on near and far lines, out of order, letter-spaced, with spaces, ligatures, empty
    texts and (some seeds) one turned character, which leaves the cell to pdfplumber."""
    rng = random.Random(seed)
    chars = []
    for line in range(rng.randint(1, 4)):
        top = line * rng.choice([2.0, 3.0, 3.5, 12.0]) + rng.choice([0.0, 0.4])
        x = 0.0
        for _ in range(rng.randint(1, 12)):
            size = rng.choice([8.0, 10.0, 10.5])
            chars.append(_char(rng.choice(["市", "民", " ", "ﬁ", "A", "", "協", "\u3000", "働"]), x, top + rng.choice([0.0, 0.0, 1.0, 3.2]), size))
            x += size + rng.choice([0.0, 0.0, 1.0, 0.6 * size, 5.9, 6.1, 20.0, -12.0])
    if seed % 7 == 0:
        chars[0]["upright"] = False
    rng.shuffle(chars) if seed % 2 else None
    for settings in ({"x_tolerance_ratio": 0.6, "y_tolerance": 3.0}, {"y_tolerance": 0}, {"x_tolerance": 1.5}):
        assert cells.cell_text(chars, **settings) == extract_text(chars, **settings), settings
