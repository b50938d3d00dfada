"""Scanned PDFs and PDFs whose text is (cid:N) codes are read by OCR (Tesseract, Japanese), their tables
found from the image (ruling lines → cells) so they give the items of their text version; each item
carries its OCR confidence, the document names the pages OCR'd, and without OCR the planner is told."""
from __future__ import annotations

import io
import json
import re
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, INPUTS, ROOT

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.ingest import ingest_file, ingest_paths, ocr, parse_file
from pipeline.settings import Limits, ReadSettings

sys.path.insert(0, str(ROOT))
from bench.ocr import char_accuracy, scan_copy, score  # noqa: E402

needs_ocr = pytest.mark.skipif(ocr.available() is not None,
                               reason=f"{ocr.available()}: `make test` installs tesseract-ocr and tesseract-ocr-jpn")
TSUSHIMA = INPUTS / "tsushima_h21_action_plan.pdf"
NAGAHAMA = FIXTURES / "layouts" / "shuyo-jigyo" / "nagahama_r2_shuyo_jigyo.pdf"


def _without_unicode_maps(src: Path, dst: Path) -> Path:
    """src with its fonts' ToUnicode maps blanked out (same length, so the xref stays valid): what a
    PDF made by software that embeds no Unicode map looks like to a text extractor, (cid:N) codes."""
    data = re.sub(rb"/ToUnicode\s+\d+\s+\d+\s+R", lambda m: b" " * len(m.group()), src.read_bytes())
    dst.write_bytes(data)
    return dst


def _page_images_pdf(pages: list[object], dst: Path) -> Path:
    from PIL import Image

    images = [p if isinstance(p, Image.Image) else Image.open(io.BytesIO(p)) for p in pages]  # type: ignore[arg-type]
    images[0].save(dst, "PDF", save_all=True, append_images=images[1:], resolution=200)
    return dst


@pytest.fixture(scope="module")
def tsushima_scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scan_copy(TSUSHIMA, tmp_path_factory.mktemp("scan") / "対馬 スキャン.pdf")


@pytest.mark.slow
@needs_ocr
def test_a_scanned_plan_gives_the_items_of_its_text_version(tsushima_scan: Path) -> None:
    truth = ingest_file(TSUSHIMA, use_cache=False)
    start = time.monotonic()
    # The default per-file limit (60 s) is for a quiet machine; this one may be shared by other runs.
    docs, errors = ingest_paths([tsushima_scan], use_cache=False, settings=ReadSettings(limits=Limits(seconds=115)))
    seconds = time.monotonic() - start
    assert errors == []
    [doc] = docs
    good, mean = score([i.name for i in truth.items], [i.name for i in doc.items])
    assert good >= 30, (good, mean, [i.name for i in doc.items])
    assert doc.city == "対馬市" and doc.fiscal_year is not None and doc.fiscal_year.year == 2009
    assert doc.ocr_pages == tuple(range(1, truth.pages + 1)) and doc.textless_pages == ()
    assert doc.notes and doc.notes[0].startswith("pages 1-9 were read by OCR")
    assert all(i.ocr_confidence is not None and 0 < i.ocr_confidence <= 1 for i in doc.items)
    # The marks are read from their shapes (Tesseract reads ◎ as ⑥ or @), so who acts is kept.
    same_actor = sum(1 for a, b in zip(truth.items, doc.items) if a.actor == b.actor)
    assert same_actor >= 30
    assert seconds < 120


@needs_ocr
def test_cid_codes_are_said_and_read_by_ocr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A PDF whose fonts have no Unicode map gave (cid:N) codes, stripped, and 0 items with exit 0."""
    pdf = _without_unicode_maps(NAGAHAMA, tmp_path / "cid.pdf")
    assert main(["ingest", str(pdf), "--json", "--no-cache", "--ocr", "never"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["documents"] == []
    assert "fonts have no Unicode map" in captured.err and "--ocr auto" in captured.err

    truth = ingest_file(NAGAHAMA, use_cache=False)
    doc = parse_file(pdf, ReadSettings(ocr_review_below=0.99))
    assert doc.ocr_pages == (1, 2)
    good, _ = score([i.name for i in truth.items], [i.name for i in doc.items])
    assert good >= len(truth.items) - 2
    assert doc.city == truth.city and doc.fiscal_year == truth.fiscal_year
    # Every item read by OCR below the review threshold is flagged, and the document says so.
    assert all(ocr.FLAG_LOW in i.flags for i in doc.items if (i.ocr_confidence or 0) < 0.99)
    assert "recognised with low confidence" in doc.notes[0]


def _mixed(tmp_path: Path) -> Path:
    """The 対馬 plan with its page 5 replaced by a scan of it."""
    import pypdfium2

    scan = _page_images_pdf([_render(TSUSHIMA, 4)], tmp_path / "page5.pdf")
    document = pypdfium2.PdfDocument(TSUSHIMA.read_bytes())
    scanned = pypdfium2.PdfDocument(scan.read_bytes())
    document.del_page(4)
    document.import_pages(scanned, [0], index=4)
    mixed = tmp_path / "mixed.pdf"
    document.save(str(mixed))
    document.close()
    scanned.close()
    return mixed


@needs_ocr
def test_only_the_pages_without_text_are_ocrd(tmp_path: Path) -> None:
    doc = parse_file(_mixed(tmp_path))
    truth = ingest_file(TSUSHIMA, use_cache=False)
    assert doc.ocr_pages == (5,)
    page5 = [i for i in doc.items if i.source.page == 5]
    assert page5 and all(i.ocr_confidence is not None for i in page5)
    assert all(i.ocr_confidence is None for i in doc.items if i.source.page != 5)
    good, _ = score([i.name for i in truth.items], [i.name for i in doc.items])
    assert good >= len(truth.items) - 2


@needs_ocr
def test_ocr_always_and_never(tmp_path: Path) -> None:
    scan = _page_images_pdf([_render(NAGAHAMA, 0)], tmp_path / "scan.pdf")
    with pytest.raises(InputError, match="not read with --ocr never"):
        parse_file(scan, ReadSettings(ocr="never"))
    seen: list[tuple[int, int]] = []
    result = ocr.read_pdf(scan, "sha", scan.read_bytes(), ReadSettings(), progress=lambda *a: seen.append(a))
    assert seen == [(1, 1)] and result.ocr_pages == [1] and result.blocks
    assert all(b.confidence is not None for b in result.blocks)
    text = parse_file(NAGAHAMA, ReadSettings(ocr="always"))
    assert text.ocr_pages == (1, 2)
    assert char_accuracy(ingest_file(NAGAHAMA, use_cache=False).items[0].name, text.items[0].name) >= 0.9


def _render(pdf: Path, index: int, dpi: int = 200) -> object:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf.read_bytes())
    try:
        return document[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def test_without_tesseract_a_scan_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDRAFT_TESSERACT", str(tmp_path / "no-tesseract"))
    scan = _page_images_pdf([_render(NAGAHAMA, 0)], tmp_path / "scan.pdf")
    docs, errors = ingest_paths([scan], use_cache=False)
    assert docs == []
    [error] = errors
    assert "no text layer" in error.reason and "tesseract-ocr-jpn" in error.reason


def test_a_mixed_document_without_tesseract_reads_its_text_pages_and_names_the_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDRAFT_TESSERACT", str(tmp_path / "no-tesseract"))
    mixed = _mixed(tmp_path)
    doc = parse_file(mixed)
    assert doc.textless_pages == (5,) and doc.ocr_pages == ()
    assert doc.items and all(i.source.page != 5 for i in doc.items)
    assert "pages 5 have no usable text" in doc.notes[0] and "tesseract-ocr-jpn" in doc.notes[0]


# -- the parts, on drawn images (no Tesseract needed) ---------------------------------------------


def _drawn_table() -> tuple[object, list[ocr._Word]]:
    """A 200-dpi page with a ruled 3×3 table whose first row is one merged cell and whose left
    column's last two cells are merged down, and words placed in its cells."""
    import cv2
    import numpy as np

    page = np.full((800, 1000), 255, np.uint8)
    xs, ys = [100, 300, 600, 900], [100, 200, 300, 400]
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), 0, 2)
    for x in xs:
        cv2.line(page, (x, ys[1] if x not in (xs[0], xs[-1]) else ys[0]), (x, ys[-1]), 0, 2)
    cv2.line(page, (xs[0], ys[2]), (xs[1], ys[2]), 255, 4)  # the left column's rows 2 and 3 merged
    page = cv2.warpAffine(page, cv2.getRotationMatrix2D((500, 400), 0.7, 1.0), (1000, 800), borderValue=255)

    def word(text: str, x: int, y: int) -> ocr._Word:
        return ocr._Word(text, x, y, x + 30 * len(text), y + 30, 90.0, (1, 1, 1))

    words = [word("見出し", 150, 130), word("担当課", 120, 230), word("講座", 320, 230), word("内容です", 620, 230),
             word("二行目", 620, 262), word("名前", 320, 330), word("説明", 620, 330)]
    return page, words


def test_ruled_cells_are_found_with_merged_cells_as_none() -> None:
    import cv2

    page, words = _drawn_table()
    straight = ocr._deskew(page)  # type: ignore[arg-type]
    ink = cv2.threshold(straight, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    [grid] = ocr._tables(*ocr._rule_masks(ink, 200), 200)
    assert len(grid.xs) == 4 and len(grid.ys) == 4
    rows, used, confidence = grid.fill(words, None)
    assert rows == [("見出し", None, None), ("担当課", "講座", "内容です\n二行目"), (None, "名前", "説明")]
    assert used == set(range(len(words))) and confidence[0] == pytest.approx(0.9)


def test_a_word_run_across_a_column_rule_is_cut_there() -> None:
    import cv2

    page, _ = _drawn_table()
    ink = cv2.threshold(ocr._deskew(page), 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]  # type: ignore[arg-type]
    [grid] = ocr._tables(*ocr._rule_masks(ink, 200), 200)
    joined = ocr._Word("名前説明", 500, 330, 700, 360, 80.0, (1, 1, 1))  # 名前 left of x=600, 説明 right
    rows, _, _ = grid.fill([joined], None)
    assert rows[2][1:] == ("名前", "説明")


@pytest.mark.parametrize("mark", ["■", "●", "◎", "★"])
def test_marks_are_read_from_their_shape(mark: str) -> None:
    import cv2
    import numpy as np

    glyph = np.zeros((40, 40), np.uint8)
    if mark == "■":
        glyph[2:38, 2:38] = 255
    elif mark == "●":
        cv2.circle(glyph, (20, 20), 18, 255, -1)
    elif mark == "◎":
        cv2.circle(glyph, (20, 20), 18, 255, 3)
        cv2.circle(glyph, (20, 20), 9, 255, 3)
    else:
        points = [(20 + 19 * np.sin(a), 21 - 19 * np.cos(a)) if k % 2 == 0 else (20 + 8 * np.sin(a), 21 - 8 * np.cos(a))
                  for k, a in enumerate(np.arange(10) * np.pi / 5)]
        cv2.fillPoly(glyph, [np.array(points, np.int32)], 255)
    ys, xs = np.nonzero(glyph)
    assert ocr._shape(glyph[ys.min():ys.max() + 1, xs.min():xs.max() + 1]) == mark


def test_a_character_is_no_mark() -> None:
    import cv2
    import numpy as np

    glyph = np.zeros((40, 40), np.uint8)
    cv2.line(glyph, (4, 10), (36, 10), 255, 3)  # 二
    cv2.line(glyph, (2, 30), (38, 30), 255, 3)
    ys, xs = np.nonzero(glyph)
    assert ocr._shape(glyph[ys.min():ys.max() + 1, xs.min():xs.max() + 1]) is None


@needs_ocr
def test_a_scan_under_an_ocr_text_layer_is_read_from_its_image(tmp_path: Path) -> None:
    """What OCRmyPDF makes: the page image with the words as invisible text, no ruling lines as
    vectors; its text layer has no table structure (0 items), so auto OCRs the image itself."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    image = _render(TSUSHIMA, 3)
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    path = tmp_path / "ocrmypdf.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    text = c.beginText(60, 700)
    text.setTextRenderMode(3)  # invisible, as an OCR layer is
    text.setFont("HeiseiKakuGo-W5", 10)
    for line in ("施策1", "自治会、地域で 自治会等への出前による協働についての説明会を開催します。"):
        text.textLine(line)
    c.drawText(text)
    c.showPage()
    c.save()
    doc = parse_file(path)
    assert doc.ocr_pages == (1,)
    names = [i.name for i in doc.items]
    assert "自治会、地域で" in names and len(names) >= 8


def _with_blank_page(src: Path, dst: Path, at: int) -> Path:
    """src with an empty page (nothing drawn on it) inserted before page at (1-based)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(src.read_bytes())
    width, height = pdf[0].get_size()
    pdf.new_page(width, height, index=at - 1).close()
    pdf.save(str(dst))
    pdf.close()
    return dst


@needs_ocr
@pytest.mark.skipif(sys.platform == "win32", reason="the recording wrapper is a shell script")
def test_a_blank_page_is_ocrd_without_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page with nothing on it (budget books have several) renders to one colour: it is counted as
    OCR'd and gives nothing, and Tesseract is not run on it. Tesseract is the real one, behind a
    wrapper that notes each page it is given."""
    import shutil

    real = shutil.which("tesseract")
    assert real
    log = tmp_path / "calls.txt"
    wrapper = tmp_path / "tesseract"
    wrapper.write_text(f'#!/bin/sh\n[ "$1" = stdin ] && echo page >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PLANDRAFT_TESSERACT", str(wrapper))
    blank = _with_blank_page(TSUSHIMA, tmp_path / "白紙あり.pdf", at=2)
    doc = parse_file(blank)
    assert doc.ocr_pages == (2,)
    assert [i.name for i in doc.items] == [i.name for i in ingest_file(TSUSHIMA, use_cache=False).items]
    assert not log.exists()  # no page went to Tesseract
    scanned = _page_images_pdf([_render(TSUSHIMA, 1)], tmp_path / "scan.pdf")
    parse_file(scanned)
    assert log.read_text(encoding="utf-8").split() == ["page"]  # the wrapper does note a page it is given
