"""The PDF reader's fast paths, which large batches depend on, give what the straightforward versions
give: fake-bold removal against the plain loop it replaced, table cells against pdfplumber's own
Table.extract."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from conftest import INPUTS, ROOT
from docmaker import Layout, plan_from_text, write_pdf
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest import pdf
from pipeline.settings import PdfSettings


def _dedupe_reference(chars: list[dict[str, Any]], tolerance: float) -> set[int]:
    """The plain loop: a character is dropped if a kept earlier one of its glyph is within tolerance."""
    kept: list[dict[str, Any]] = []
    drop: set[int] = set()
    for c in chars:
        glyph = (c["text"], c.get("fontname"), round(c.get("size", 0), 1))
        if any((k["text"], k.get("fontname"), round(k.get("size", 0), 1)) == glyph
               and abs(c["top"] - k["top"]) <= tolerance and abs(c["x0"] - k["x0"]) <= tolerance for k in kept):
            drop.add(id(c))
        else:
            kept.append(c)
    return drop


char = st.builds(
    lambda text, top, x0, size: {"text": text, "fontname": "F", "size": size, "top": top, "x0": x0},
    st.sampled_from("協働の■"),
    st.integers(0, 40).map(lambda n: n * 0.35),  # steps below and above the tolerance
    st.integers(0, 40).map(lambda n: n * 0.35),
    st.sampled_from([10.5, 10.5, 12.0]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(char, max_size=40), st.sampled_from([0.0, 1.0, 2.0]))
def test_dedupe_drops_what_the_plain_loop_drops(chars: list[dict[str, Any]], tolerance: float) -> None:
    assert pdf._dedupe(chars, tolerance) == _dedupe_reference(chars, tolerance)


@pytest.mark.parametrize("name", ["sample", "libreoffice", "merged-split-rows"])
def test_table_rows_equal_pdfplumbers_extract(name: str, tmp_path: Path) -> None:
    path = {
        "sample": INPUTS / "tsushima_h21_action_plan.pdf",
        "libreoffice": ROOT / "tests" / "fixtures" / "libreoffice-merged-cells-across-pages.pdf",
    }.get(name)
    if path is None:
        layout = Layout(merge_departments=True, page_height_mm=100, split_rows=True, bold_twice=True)
        path = write_pdf(plan_from_text(INPUTS / "tsushima_h21_action_plan.txt"), tmp_path / "plan.pdf", layout)
    text_settings = PdfSettings().text_settings()
    tables = 0
    with pdfplumber.open(path) as document:
        for page in document.pages:
            chars = page.chars
            mids = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars]
            order = sorted(range(len(chars)), key=lambda i: mids[i][1])
            v_sorted = [mids[i][1] for i in order]
            for table in page.find_tables(PdfSettings().table_settings):
                expected = [tuple(r) for r in table.extract(**text_settings)]
                assert pdf._table_rows(table, chars, mids, order, v_sorted, text_settings) == expected
                tables += 1
    assert tables >= 5
