"""Reading PDFs page by page, with OCR (Tesseract's Japanese model) for the pages without a usable text
layer: no text, (cid:N) codes from fonts without a Unicode map, or a scanned image under an invisible
text layer. A scanned page's tables are found from the image (ruling lines → cell boxes, OpenCV) and
its words placed in the cells by their positions, so it gives the same Blocks as the PDF reader does
for a page with a text layer; each block carries the OCR confidence of its words."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..messages import input_error, language
from ..messages import text as msg_text
from ..model import Block, Document
from ..settings import PdfSettings, ReadSettings
from . import pdf as pdf_reader

DPI = 200  # scanned pages are rendered at this resolution for Tesseract (a scan is rarely finer)  # (300 read the small print of a vector page worse, measured on the layout fixtures)
LANGUAGE = "jpn"
_CID = re.compile(r"^\(cid:\d+\)$")
# A page whose characters are mostly (cid:N) codes has no usable text layer.
CID_SHARE = 0.3
# A page covered this much by one image, with no vector rules, is a scan (perhaps under an OCR layer
# whose words have no table structure): it is OCR'd in auto mode.
SCAN_COVER = 0.7
# OCR stops starting pages once this share of the file's time limit is used (the rest structures it).
_TIME_SHARE = 0.8
FLAG_LOW = "ocr_low_confidence"
Progress = Callable[[int, int], None]


@dataclass
class PdfRead:
    """What reading a PDF gave: its blocks, page count, the pages read by OCR, the pages with no usable
    text that were not OCR'd, and notes for the planner."""

    blocks: list[Block]
    pages: int
    ocr_pages: list[int] = field(default_factory=list)
    textless_pages: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# -- Tesseract ----------------------------------------------------------------------------------


def tesseract() -> str | None:
    """The tesseract program ($PLANDRAFT_TESSERACT, the PATH, or its usual Windows folder), or None."""
    env = os.environ.get("PLANDRAFT_TESSERACT")
    if env:
        return env if Path(env).is_file() else None
    found = shutil.which("tesseract")
    if found:
        return found
    for var in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA"):
        base = os.environ.get(var)
        if base:
            exe = Path(base) / "Tesseract-OCR" / "tesseract.exe"
            if exe.is_file():
                return str(exe)
    return None


@lru_cache(maxsize=4)
def _languages(program: str) -> frozenset[str]:
    try:
        out = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


def available() -> str | None:
    """Why OCR cannot run here (Tesseract or its Japanese model missing), None when it can."""
    program = tesseract()
    if program is None:
        return msg_text("ocr.no_tesseract")
    if LANGUAGE not in _languages(program):
        return msg_text("ocr.no_japanese")
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
    except ImportError:
        return msg_text("ocr.no_opencv")
    return None


# -- reading a PDF -------------------------------------------------------------------------------


def read(path: Path, sha256: str, data: bytes, settings: ReadSettings | None = None) -> tuple[list[Block], int | None]:
    """Blocks of a PDF (the Reader of .pdf files), pages without a usable text layer OCR'd."""
    result = read_pdf(path, sha256, data, settings)
    return result.blocks, result.pages


def read_pdf(path: Path, sha256: str, data: bytes, settings: ReadSettings | None = None,
             progress: Progress | None = None) -> PdfRead:
    """Blocks of a PDF, each page read from its text layer or, where it has none that is usable (or
    with ocr="always"), by OCR; progress(done, total) after each OCR'd page. Raises InputError."""
    start = time.monotonic()
    settings = settings or ReadSettings()
    if b"%PDF-" not in data[:1024]:
        raise input_error("pdf.not_pdf")
    if b"%%EOF" not in data[-4096:]:
        raise input_error("pdf.truncated")
    try:
        pages, count, kinds, engine_note = _read_text_pages(data, settings, (path, sha256))
    except (InputError, MemoryError):
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on bad input
        raise pdf_reader._input_error(exc) from exc
    if count == 0:
        raise input_error("pdf.no_pages")
    needing = [n for n, kind in kinds.items() if kind != "text"]
    result = PdfRead(blocks=[], pages=count, notes=[engine_note] if engine_note else [])
    if settings.ocr == "always" and (why := available()) is not None:
        raise InputError(msg_text("ocr.always_but", why=_clause(why)), msg_text("ocr.install.hint"))
    if needing:
        why = available() if settings.ocr != "never" else "--ocr never"
        if why is None:
            deadline = start + settings.limits.seconds_for(count) * _TIME_SHARE
            done, confidences = ocr_pages(data, needing, settings, deadline, progress)
            for number, entries in done.items():
                pages[number - 1] = pdf_reader._Page(number, entries)
            result.ocr_pages = sorted(done)
            result.textless_pages = [n for n in needing if n not in done]
            if result.textless_pages:
                result.notes.append(msg_text("ocr.stopped", pages=_ranges(result.textless_pages)))
        else:
            confidences = {}
            result.textless_pages = needing
            if all(kinds[n] != "text" for n in kinds):
                raise _unreadable_error(kinds, why, settings)
            result.notes.append(msg_text("ocr.pages_unread", pages=_ranges(needing), kinds=_kind_words(kinds, needing),
                                     why=why, hint=_hint(why)))
    else:
        confidences = {}
    blocks = pdf_reader._blocks(pages, count, path, sha256, settings.pdf)
    if not blocks and result.ocr_pages and len(result.ocr_pages) == count:
        raise input_error("ocr.read_nothing", reason=_unreadable_error(kinds, "", settings).reason)
    result.blocks = [_with_confidence(b, confidences) for b in blocks]
    return result


def _hint(why: str) -> str:
    return msg_text("ocr.use_auto") if why == "--ocr never" else msg_text("ocr.install.hint")


def _clause(why: str) -> str:
    """why as the second half of an English sentence (its first letter in lower case); Japanese as it is."""
    return f"{why[0].lower()}{why[1:]}" if why and language() == "en" else why


def _kind_words(kinds: dict[int, str], pages: list[int]) -> str:
    found = {kinds[n] for n in pages}
    return ("、" if language() == "ja" else ", ").join(msg_text(f"ocr.kind.{k}") for k in ("none", "cid", "scan", "ocr")
                                                      if k in found)


def _unreadable_error(kinds: dict[int, str], why: str, settings: ReadSettings) -> InputError:
    found = set(kinds.values())
    if found == {"cid"}:
        reason = msg_text("pdf.cid_only")
    elif "none" in found:
        reason = msg_text("pdf.no_text")
    else:
        reason = msg_text("pdf.scanned")
    if why == "--ocr never":
        return input_error("ocr.never", reason=reason)
    if not why:
        return InputError(reason)
    return InputError(msg_text("ocr.and_why", reason=reason, why=_clause(why)), msg_text("ocr.install.hint"))


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → '1-3, 7'."""
    out: list[str] = []
    for n in sorted(numbers):
        if out and "-" not in out[-1].split(",")[-1] and int(out[-1]) == n - 1:
            out[-1] = f"{out[-1]}-{n}"
        elif out and "-" in out[-1] and int(out[-1].split("-")[1]) == n - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


# A PDF of at least this many pages is read by several processes when page_processes allows it (below,
# starting a process costs more than its share of the pages saves): a forked process is ready at once,
# a spawned one loads an interpreter and the parsers first (~0.3-0.5 s).
PARALLEL_MIN_PAGES = {"fork": 8, "spawn": 24, "forkserver": 24}
PAGES_PER_CHUNK = 6  # pages of one share of a parallel read: small enough to balance the processes


def _read_text_pages(data: bytes, settings: ReadSettings, file: tuple[Path, str] | None = None,
                     ) -> tuple[list[Any], int, dict[int, str], str | None]:
    """Each page's lines and tables from its text layer (what the PDF reader reads), the page count,
    and the kind of each page: text, none (no characters), cid ((cid:N) codes) or scan (an image over
    the page and no vector rules; read from its text layer with --ocr never). Pages that are not text,
    and every page with --ocr always, are left empty, for OCR. A large file's pages are read by
    settings.page_processes processes at once (which read the file themselves: file is its path and
    the sha256 of data)."""
    from ..workers import page_start_method, report_pages

    with pdf_reader.PageSource(data, settings.pdf) as source:  # PDFium, or pdfplumber per page
        count = source.count
        report_pages(count)
        method = page_start_method()
        if settings.page_processes > 1 and count >= PARALLEL_MIN_PAGES[method]:
            # At most PAGES_PER_CHUNK pages, and at least two chunks a process (a small file too).
            size = max(1, min(PAGES_PER_CHUNK, -(-count // (2 * settings.page_processes))))
            chunks = [(first, min(first + size - 1, count)) for first in range(1, count + 1, size)]
            read = _read_in_parallel(source, data, settings, chunks, method, file)
        else:
            read = [_read_range(source, settings, 1, count)]
        pages = [page for chunk_pages, _ in read for page in chunk_pages]
        kinds = {n: kind for _, chunk_kinds in read for n, kind in chunk_kinds.items()}
        return pages, count, kinds, source.note()


_Pages = tuple[list[Any], dict[int, str]]  # the pages of a range, and the kind of each


def _read_range(source: pdf_reader.PageSource, settings: ReadSettings, first: int, last: int) -> _Pages:
    """The lines and tables of the pages first..last of source, and their kinds (source keeps which
    engine read each page, and why pdfplumber did)."""
    pages: list[Any] = []
    kinds: dict[int, str] = {}
    for number, page in source.pages(first, last):
        try:
            kind = _kind(page)
            if kind == "scan" and settings.ocr == "never":
                kind = "text"
            entries: list[Any] = []
            if kind == "text" and settings.ocr != "always":
                entries, _ = pdf_reader._read_page(page, number, settings.pdf)
            kinds[number] = "ocr" if settings.ocr == "always" else kind
        finally:
            page.close()
        pages.append(pdf_reader._Page(number, entries))
    return pages, kinds


_CHILD: dict[str, Any] = {}  # in a page process: the file's PageSource (None if unreadable) and settings


def _child_start(memory_mb: int | None, data: bytes | tuple[str, str], settings: ReadSettings) -> None:
    """A page process's start: the file's bytes, or (path, sha256) of a file holding them, which it
    reads itself (the bytes of a large file, sent with the process, would hold up the worker until
    the process had started and taken them)."""
    import hashlib

    from ..workers import start_limited

    start_limited(memory_mb)
    if isinstance(data, tuple):
        path, digest = data
        try:
            data = Path(path).read_bytes()
        except OSError:
            data = b""
        if hashlib.sha256(data).hexdigest() != digest:  # gone or changed since the worker read it
            _CHILD["source"], _CHILD["settings"] = None, settings
            return
    _CHILD["source"] = pdf_reader.PageSource(data, settings.pdf)
    _CHILD["settings"] = settings


def _child_read(first: int, last: int) -> tuple[_Pages, dict[int, str], dict[int, str]] | None:
    """In a page process: _read_range of first..last, with the engine of each of those pages and why
    pdfplumber read some (for the worker's PageSource); None if the process has no copy of the file."""
    source: pdf_reader.PageSource | None = _CHILD["source"]
    if source is None:
        return None
    read = _read_range(source, _CHILD["settings"], first, last)
    numbers = range(first, last + 1)
    return (read, {n: e for n, e in source.engines.items() if n in numbers},
            {n: r for n, r in source.reasons.items() if n in numbers})


def _read_in_parallel(source: pdf_reader.PageSource, data: bytes, settings: ReadSettings,
                      chunks: list[tuple[int, int]], method: str, file: tuple[Path, str] | None = None,
                      ) -> list[_Pages]:
    """Each chunk's pages, read by page_processes - 1 new processes started by method (from the last
    chunk backwards) and by this one (from the first forwards, while the others start), until they
    meet; what the page processes learnt of the engines is added to source. Spawned processes read
    file (path, sha256 of data) when it still holds data; a chunk one of them could not read is read
    here."""
    import gc
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from ..workers import ADDRESS_SPACE_LIMIT

    results: dict[int, _Pages] = {}
    memory = settings.limits.memory_mb if ADDRESS_SPACE_LIMIT else None
    # A forked process has the bytes already; a spawned one is sent where to read them.
    given: bytes | tuple[str, str] = data if method == "fork" or file is None else (str(file[0]), file[1])
    pool = ProcessPoolExecutor(max_workers=settings.page_processes - 1, mp_context=multiprocessing.get_context(method),
                               initializer=_child_start, initargs=(memory, given, settings))
    try:
        if method == "fork":  # before the first submit, which forks: the worker's objects are left out
            gc.freeze()  # of the copies' collections, so fewer of its pages are copied on write
        futures: dict[int, Future[Any]] = {}
        for i in reversed(range(1, len(chunks))):  # chunk 0 is always this process's
            futures[i] = pool.submit(_child_read, *chunks[i])
        # While the page processes read, load the tokenizer the structure stage needs next (the city
        # on the title page): the pages take no longer, and the structure does not wait for it. A
        # tokenizer that cannot load says so there, not as this file's pages failing.
        with contextlib.suppress(Exception):
            from ..text.tokenize import prepare

            prepare()
        results[0] = _read_range(source, settings, *chunks[0])
        for i in range(1, len(chunks)):
            if not futures[i].cancel():
                break  # a page process has it, or had it: from here on they read them all
            results[i] = _read_range(source, settings, *chunks[i])
        for i, future in futures.items():
            if i not in results:
                answer = future.result()
                if answer is None:  # that process has no copy of the file
                    results[i] = _read_range(source, settings, *chunks[i])
                    continue
                results[i], engines, reasons = answer
                source.engines.update(engines)
                source.reasons.update(reasons)
    except BrokenProcessPool as exc:  # a page process died: killed for its memory, or PDFium aborted
        raise MemoryError from exc
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # the processes end on their own, the reading goes on
        if method == "fork":
            gc.unfreeze()
    return [results[i] for i in range(len(chunks))]


def _cid_share(chars: list[dict[str, Any]]) -> float:
    if not chars:
        return 0.0
    return sum(1 for c in chars if _CID.match(c.get("text", ""))) / len(chars)


def _kind(page: Any) -> str:
    chars = page.chars
    if not chars:
        return "none"
    if _cid_share(chars) > CID_SHARE:
        return "cid"
    area = float(page.width) * float(page.height)
    if area > 0 and not page.lines and not page.rects:
        for image in page.images:
            w = float(image["x1"]) - float(image["x0"])
            h = float(image["bottom"]) - float(image["top"])
            if w * h >= SCAN_COVER * area:
                return "scan"
    return "text"


def _with_confidence(block: Block, confidences: dict[tuple[int, Any], float]) -> Block:
    page = block.source.page
    if page is None or (page, None) not in confidences:
        return block
    key = block.cells if block.cells else block.text
    conf = confidences.get((page, key), confidences[(page, None)])
    return replace(block, confidence=round(conf, 3))


def annotate(doc: Document, result: PdfRead, blocks: list[Block], settings: ReadSettings | None = None) -> Document:
    """doc with what OCR did: the OCR'd and textless pages and notes, and each item from an OCR'd page
    with the confidence of its block, flagged when below settings.ocr_review_below."""
    settings = settings or ReadSettings()
    if not result.ocr_pages and not result.textless_pages and not result.notes:
        return doc
    by_source = {b.source: b.confidence for b in blocks if b.confidence is not None}
    page_mean: dict[int, list[float]] = {}
    for b in blocks:
        if b.confidence is not None and b.source.page is not None:
            page_mean.setdefault(b.source.page, []).append(b.confidence)
    items = []
    for item in doc.items:
        conf = by_source.get(item.source)
        if conf is None and item.source.page in result.ocr_pages:
            values = page_mean.get(item.source.page or 0)
            conf = round(statistics.fmean(values), 3) if values else None
        if conf is not None:
            flags = item.flags + ((FLAG_LOW,) if conf < settings.ocr_review_below and FLAG_LOW not in item.flags else ())
            item = replace(item, ocr_confidence=conf, flags=flags)
        items.append(item)
    notes = list(result.notes)
    if result.ocr_pages:
        low = sum(1 for i in items if FLAG_LOW in i.flags)
        notes.insert(0, msg_text("ocr.read_pages", pages=_ranges(result.ocr_pages))
                     + (msg_text("ocr.low" if low != 1 else "ocr.low.one", count=low) if low else ""))
    return replace(doc, items=tuple(items), ocr_pages=tuple(result.ocr_pages),
                   textless_pages=tuple(result.textless_pages), notes=tuple(notes))


# -- OCR of pages --------------------------------------------------------------------------------


def ocr_pages(data: bytes, numbers: list[int], settings: ReadSettings, deadline: float,
              progress: Progress | None = None, dpi: dict[int, int] | None = None,
              ) -> tuple[dict[int, list[Any]], dict[tuple[int, Any], float]]:
    """The lines and tables of each page in numbers, by OCR, in parallel (one Tesseract per CPU), and
    the confidence of each row/line ((page, cells or text) → 0..1; (page, None): the page's mean).
    Pages not started by the deadline are left out."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    lock = threading.Lock()  # pdfium is not thread-safe: pages are rendered one at a time
    done: dict[int, list[Any]] = {}
    confidences: dict[tuple[int, Any], float] = {}
    finished = 0

    def one(number: int) -> None:
        nonlocal finished
        if time.monotonic() > deadline:
            return
        resolution = (dpi or {}).get(number, DPI)
        with lock:
            page = document[number - 1]
            try:
                height_pt = float(page.get_height())
                image = page.render(scale=resolution / 72, grayscale=True).to_numpy()
            finally:
                page.close()
        entries: list[Any]
        conf: dict[tuple[int, Any], float]
        if image.min() == image.max():  # one colour: a blank page, nothing for Tesseract to read
            entries, conf = [], {(number, None): 0.0}
        else:
            entries, conf = ocr_image(image, number, resolution, height_pt, settings.pdf)
        with lock:
            done[number] = entries
            confidences.update(conf)
            finished += 1
            if progress:
                progress(finished, len(numbers))

    workers = max(1, min(len(numbers), os.cpu_count() or 1))
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="plandraft-ocr") as pool:
            for future in [pool.submit(one, n) for n in numbers]:
                future.result()
    finally:
        document.close()
    return done, confidences


@dataclass
class _Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float  # 0..100
    line: tuple[int, int, int]  # Tesseract's block, paragraph and line

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


def ocr_image(image: Any, number: int, dpi: int, page_height_pt: float,
              settings: PdfSettings) -> tuple[list[Any], dict[tuple[int, Any], float]]:
    """The lines and tables of one page image (grayscale), as the PDF reader's entries in points, and
    the confidence of each row and line."""
    import cv2
    import numpy as np

    cv2.setNumThreads(1)  # pages run in parallel already, one per CPU
    gray = np.ascontiguousarray(image.reshape(image.shape[0], image.shape[1]) if image.ndim == 3 else image)
    gray = _deskew(gray)
    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    h_mask, v_mask = _rule_masks(ink, dpi)
    tables = _tables(h_mask, v_mask, dpi)
    # Rules are erased before recognition, so Tesseract reads no '|' and joins no words across cells.
    rules = cv2.dilate(cv2.bitwise_or(h_mask, v_mask), np.ones((5, 5), np.uint8))
    clean = gray.copy()
    clean[rules > 0] = 255
    words = _recognise(clean, dpi)
    text_ink = ink.copy()
    text_ink[rules > 0] = 0
    scale = 72.0 / dpi
    height = page_height_pt
    band = max(settings.margin_ratio * height, settings.margin_min)
    entries: list[Any] = []
    confidences: dict[tuple[int, Any], float] = {}
    placed: set[int] = set()
    for table in tables:
        rows, used, row_conf = table.fill(words, text_ink)
        placed |= used
        if not rows or max(sum(1 for c in r if c is not None) for r in rows) < 2:
            placed -= used  # a framed paragraph: its words are read as lines
            continue
        columns = tuple(round(x * scale, 1) for x in table.xs[:-1])
        entries.append(pdf_reader._Table(number, table.ys[0] * scale, columns, rows))
        for cells, conf in zip(rows, row_conf):
            if conf is not None:
                confidences[(number, cells)] = conf
    lines = _lines([w for i, w in enumerate(words) if i not in placed])
    sizes = _sizes([ln[1] for ln in lines], scale)
    for (text, _, x0, top, x1, bottom, conf, line), size in zip(lines, sizes):
        text = _with_mark(text, line, text_ink)
        t, b = top * scale, bottom * scale
        entries.append(pdf_reader._Line(page=number, text=text, x0=x0 * scale, x1=x1 * scale, top=t, bottom=b,
                                        size=size, band=t < band or b > height - band))
        confidences[(number, text)] = conf
    entries.sort(key=lambda e: e.top)
    all_conf = [w.conf / 100 for w in words]
    confidences[(number, None)] = statistics.fmean(all_conf) if all_conf else 0.0
    return entries, confidences


def _deskew(gray: Any) -> Any:
    """gray turned upright: the angle (within ±3°) whose row profile of ink is sharpest, found on a
    reduced copy, undone on the whole image."""
    import cv2
    import numpy as np

    h, w = gray.shape
    f = 1000 / max(w, 1)
    small = cv2.resize(gray, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    if not ink.any():
        return gray
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(ink, m, (small.shape[1], small.shape[0]), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = max(np.arange(-3.0, 3.01, 0.25), key=sharpness)
    best = max(np.arange(coarse - 0.25, coarse + 0.26, 0.05), key=sharpness)
    if abs(best) < 0.05:
        return gray
    m = cv2.getRotationMatrix2D((w / 2, h / 2), float(best), 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def _rule_masks(ink: Any, dpi: int) -> tuple[Any, Any]:
    """The horizontal and the vertical ruling lines of a page (long thin runs of ink)."""
    import cv2
    import numpy as np

    long_h = max(20, int(dpi * 0.4))  # 0.4 inch: longer than any character or word stroke
    long_v = max(15, int(dpi * 0.2))
    h_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_h, 1)))
    v_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_v)))
    # Bridge the gaps JPEG noise leaves in a rule.
    h_mask = cv2.morphologyEx(h_mask, cv2.MORPH_CLOSE, np.ones((3, max(3, dpi // 20)), np.uint8))
    v_mask = cv2.morphologyEx(v_mask, cv2.MORPH_CLOSE, np.ones((max(3, dpi // 20), 3), np.uint8))
    return h_mask, v_mask


def _segments(mask: Any, horizontal: bool) -> list[tuple[float, float, float]]:
    """(position, start, end) of each rule in mask: y, x0, x1 of a horizontal one; x, y0, y1 of a vertical."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if horizontal:
            out.append((y + h / 2, float(x), float(x + w)))
        else:
            out.append((x + w / 2, float(y), float(y + h)))
    return out


def _cluster(values: list[float], tolerance: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [statistics.fmean(group) for group in out]


@dataclass
class _Grid:
    """One ruled table: the rule positions and which rules are drawn where."""

    xs: list[float]
    ys: list[float]
    h: list[tuple[float, float, float]]
    v: list[tuple[float, float, float]]
    tolerance: float

    def _v_at(self, c: int, y: float) -> bool:
        x = self.xs[c]
        return any(abs(p - x) <= self.tolerance and a - self.tolerance <= y <= b + self.tolerance for p, a, b in self.v)

    def _h_at(self, r: int, x: float) -> bool:
        y = self.ys[r]
        return any(abs(p - y) <= self.tolerance and a - self.tolerance <= x <= b + self.tolerance for p, a, b in self.h)

    def fill(self, words: list[_Word], ink: Any) -> tuple[list[tuple[str | None, ...]], set[int], list[float | None]]:
        """Each row's cell texts (None where a merged cell covers the position, as pdfplumber gives),
        the indexes of the words placed, and each row's confidence (0..1, None for an empty row)."""
        nr, nc = len(self.ys) - 1, len(self.xs) - 1
        anchor: dict[tuple[int, int], tuple[int, int]] = {}  # grid position → the cell that covers it
        spans: dict[tuple[int, int], tuple[int, int]] = {}  # a cell → its last row and column
        for r in range(nr):
            ym = (self.ys[r] + self.ys[r + 1]) / 2
            for c in range(nc):
                xm = (self.xs[c] + self.xs[c + 1]) / 2
                if c > 0 and not self._v_at(c, ym) and (r, c - 1) in anchor:
                    anchor[(r, c)] = anchor[(r, c - 1)]
                elif r > 0 and not self._h_at(r, xm) and (r - 1, c) in anchor:
                    anchor[(r, c)] = anchor[(r - 1, c)]
                else:
                    anchor[(r, c)] = (r, c)
                a = anchor[(r, c)]
                last = spans.get(a, a)
                spans[a] = (max(last[0], r), max(last[1], c))
        content: dict[tuple[int, int], list[_Word]] = {}
        used: set[int] = set()
        x0, x1, y0, y1 = self.xs[0], self.xs[-1], self.ys[0], self.ys[-1]
        for i, word in enumerate(words):
            for part in self._split(word):
                if not (x0 <= part.cx <= x1 and y0 <= part.cy <= y1):
                    continue
                r = max(0, min(nr - 1, _index(self.ys, part.cy)))
                c = max(0, min(nc - 1, _index(self.xs, part.cx)))
                content.setdefault(anchor[(r, c)], []).append(part)
                used.add(i)
        rows: list[tuple[str | None, ...]] = []
        confidence: list[float | None] = []
        for r in range(nr):
            cells: list[str | None] = []
            conf: list[tuple[float, int]] = []
            for c in range(nc):
                if anchor[(r, c)] != (r, c):
                    cells.append(None)
                    continue
                found = content.get((r, c), [])
                last_r, last_c = spans[(r, c)]
                box = (self.xs[c], self.ys[r], self.xs[last_c + 1], self.ys[last_r + 1])
                cells.append(_cell_text(found, ink, box))
                conf += [(w.conf, len(w.text)) for w in found]
            rows.append(tuple(cells))
            total = sum(n for _, n in conf)
            confidence.append(sum(c * n for c, n in conf) / total / 100 if total else None)
        return rows, used, confidence

    def _split(self, word: _Word) -> list[_Word]:
        """word cut where a column rule runs through it (Tesseract joined two cells' text), the
        characters shared out by width."""
        cuts = [x for c, x in enumerate(self.xs[1:-1], start=1)
                if word.x0 + 2 < x < word.x1 - 2 and self._v_at(c, word.cy)]
        if not cuts or len(word.text) < 2:
            return [word]
        parts: list[_Word] = []
        edges = [word.x0, *cuts, word.x1]
        n, width = len(word.text), word.x1 - word.x0
        start = 0
        for a, b in zip(edges, edges[1:]):
            end = n if b == word.x1 else max(start, min(n, round((b - word.x0) / width * n)))
            if end > start:
                parts.append(replace(word, text=word.text[start:end], x0=a, x1=b))
            start = end
        return parts or [word]


def _index(edges: list[float], value: float) -> int:
    import bisect

    return bisect.bisect_right(edges, value) - 1


def _tables(h_mask: Any, v_mask: Any, dpi: int) -> list[_Grid]:
    """The ruled tables of a page: groups of touching rules with at least two of each direction."""
    import cv2
    import numpy as np

    tolerance = dpi * 0.04  # rules this close (1/25 inch) are one
    both = cv2.dilate(cv2.bitwise_or(h_mask, v_mask), np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    h_all, v_all = _segments(h_mask, True), _segments(v_mask, False)
    grids: list[_Grid] = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        box = (x - 3, y - 3, x + w + 3, y + h + 3)
        hs = [s for s in h_all if box[1] <= s[0] <= box[3] and s[1] >= box[0] and s[2] <= box[2]]
        vs = [s for s in v_all if box[0] <= s[0] <= box[2] and s[1] >= box[1] and s[2] <= box[3]]
        ys, xs = _cluster([s[0] for s in hs], tolerance), _cluster([s[0] for s in vs], tolerance)
        if len(ys) < 2 or len(xs) < 2:
            continue
        # Tables drawn close together are one group of rules: a band no vertical rule crosses is the
        # gap between two of them.
        run = [ys[0]]
        for top, bottom in zip(ys, ys[1:]):
            mid = (top + bottom) / 2
            if any(a - tolerance <= mid <= b + tolerance for _, a, b in vs):
                run.append(bottom)
                continue
            if len(run) >= 2:
                grids.append(_Grid(xs=xs, ys=run, h=hs, v=vs, tolerance=tolerance))
            run = [bottom]
        if len(run) >= 2:
            grids.append(_Grid(xs=xs, ys=run, h=hs, v=vs, tolerance=tolerance))
    grids.sort(key=lambda g: g.ys[0])
    return grids


_TSV_FIELDS = 12
_NOISE = re.compile(r"^[|｜!！_＿~〜.,:;'\"`\s]+$")


def _recognise(gray: Any, dpi: int) -> list[_Word]:
    """The words Tesseract reads on the page, with boxes (pixels) and confidences."""
    import cv2

    program = tesseract()
    if program is None:
        raise InputError(msg_text("ocr.no_tesseract"), msg_text("ocr.install.hint"))
    ok, png = cv2.imencode(".png", gray)
    if not ok:
        return []
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"  # one page per CPU, each Tesseract on one thread
    try:
        proc = subprocess.run([program, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "--dpi", str(dpi), "tsv"],
                              input=png.tobytes(), capture_output=True, env=env, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise input_error("ocr.failed", reason=exc) from exc
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise input_error("ocr.tesseract_failed",
                          reason=message[-1] if message else msg_text("read.exit_code", number=proc.returncode))
    words: list[_Word] = []
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < _TSV_FIELDS or parts[0] != "5":
            continue
        text = parts[11].strip()
        try:
            conf = float(parts[10])
            left, top, width, height = (int(v) for v in parts[6:10])
            key = (int(parts[2]), int(parts[3]), int(parts[4]))
        except ValueError:
            continue
        if not text or conf < 0:
            continue
        thin = width < 0.1 * dpi / 10 or height < 0.1 * dpi / 10 or width > 8 * height or height > 8 * width
        if _NOISE.match(text) and (thin or conf < 60):
            continue  # a remnant of a rule or a speck
        words.append(_Word(text, left, top, left + width, top + height, conf, key))
    return words


def _is_wide(ch: str) -> bool:
    return ord(ch) > 0x2E7F


def _join(words: list[_Word]) -> str:
    """The words of one line, left to right: CJK text joined without spaces, Latin words with one."""
    out = ""
    prev: _Word | None = None
    for w in sorted(words, key=lambda w: w.x0):
        latin = prev is not None and out and not (_is_wide(out[-1]) or _is_wide(w.text[0]))
        if latin and prev is not None and w.x0 - prev.x1 > 0.25 * max(prev.height, w.height):
            out += " "
        out += w.text
        prev = w
    return out


def _group_lines(words: list[_Word]) -> list[list[_Word]]:
    """words in lines, top to bottom: a word whose middle is within half a line height of a line's."""
    lines: list[list[_Word]] = []
    for w in sorted(words, key=lambda w: w.cy):
        if lines:
            last = lines[-1]
            mid = statistics.fmean(x.cy for x in last)
            tall = statistics.median(x.height for x in last)
            if abs(w.cy - mid) <= 0.5 * max(tall, w.height):
                last.append(w)
                continue
        lines.append([w])
    return lines


def _cell_text(words: list[_Word], ink: Any = None, box: tuple[float, float, float, float] | None = None) -> str:
    """The text of a cell's words, line by line; a cell holding one mark (◎ ● ★ ■) is read from its
    shape, and a line opening with a ■ or an actor mark gets that mark (Tesseract reads them as ⑥, @,
    画, 田…)."""
    if ink is not None and box is not None and len("".join(w.text for w in words)) <= 3:
        mark = _mark_in(ink, box)
        if mark is not None:
            return mark
    lines = _group_lines(words) if words else []
    return "\n".join(_with_mark(_join(line), line, ink) if i == 0 else _join(line) for i, line in enumerate(lines))


def _with_mark(text: str, line: list[_Word], ink: Any) -> str:
    """text of line with the mark its first glyph is, in place of what Tesseract read there."""
    if ink is None or not text:
        return text
    first = min(line, key=lambda w: w.x0)
    h = first.height
    mark, left = _first_glyph(ink, first.x0 - 0.6 * h, first.top - 0.15 * h, first.x0 + 1.05 * h, first.bottom + 0.15 * h)
    if mark is None or text.startswith(mark):
        return text
    if text[0] not in _MISREAD[mark] and left >= first.x0 - 0.2 * h:
        return text  # a character Tesseract read as one (a small bold kanji can look like ●)
    rest = text
    for _ in range(2):  # what Tesseract read the mark as (◎ is often two: @⑥), else it left it out
        if rest and rest[0] in _MISREAD[mark]:
            rest = rest[1:]
    return mark + rest.lstrip()


# What Tesseract's Japanese model reads each mark as.
_MISREAD = {
    "■": set("画田較圖園国口ロ图團關回目日囗闘圏器"),
    "●": set("人@eQ。・oO0〇○◆⑥"),
    "◎": set("@⑥©®oO0〇○⑧◎◉Q"),
    "★": set("*大太☆女犬★*"),
}


def _crop(ink: Any, x0: float, y0: float, x1: float, y1: float) -> Any:
    hgt, wid = ink.shape
    return ink[max(0, int(y0)):min(hgt, int(y1)), max(0, int(x0)):min(wid, int(x1))]


def _shape(blob: Any) -> str | None:
    """The mark a lone glyph (a binary crop, ink = 255, cut to its bounding box) is: ■ (a filled
    square), ● (a filled disc), ◎ (rings within a ring), ★ (a star, no hole); None for anything else."""
    import cv2

    hgt, wid = blob.shape
    if hgt < 5 or wid < 5 or not 0.75 <= wid / hgt <= 1.33:
        return None
    fill = float((blob > 0).mean())
    contours, hierarchy = cv2.findContours(blob, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return None
    depth = 0
    for i in range(len(contours)):
        d, parent = 0, hierarchy[0][i][3]
        while parent >= 0:
            d += 1
            parent = hierarchy[0][parent][3]
        if cv2.contourArea(contours[i]) > 0.02 * hgt * wid:
            depth = max(depth, d)
    outline = max(contours, key=cv2.contourArea)
    perimeter = cv2.arcLength(outline, True)
    round_ = 4 * 3.14159 * cv2.contourArea(outline) / perimeter ** 2 if perimeter else 0.0
    if depth == 0 and fill > 0.9 and hgt >= 8:
        return "■"
    if depth == 0 and 0.68 < fill <= 0.9 and round_ > 0.75:
        return "●"
    if depth >= 2 and 0.3 < fill < 0.75:
        return "◎"
    outer = sum(1 for i in range(len(contours)) if hierarchy[0][i][3] < 0 and cv2.contourArea(contours[i]) > 4)
    centre = blob[int(hgt * 0.4):max(int(hgt * 0.4) + 1, int(hgt * 0.6)), int(wid * 0.4):max(int(wid * 0.4) + 1, int(wid * 0.6))]
    if depth == 0 and outer == 1 and 0.3 < fill < 0.62 and float((centre > 0).mean()) > 0.95:
        return "★"  # one solid blob, filled at its centre: no stroke of a character is that thick
    return None


def _blobs(crop: Any) -> list[tuple[int, int, int, int, int]]:
    """(x, y, w, h, area) of each speck-free group of ink in a crop."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    return [tuple(int(v) for v in stats[i]) for i in range(1, n) if stats[i][4] >= 6]  # type: ignore[misc]


def _mark_in(ink: Any, box: tuple[float, float, float, float]) -> str | None:
    """The one mark inside a cell's box (its rules left out), or None."""
    x0, y0, x1, y1 = box
    pad = 0.12 * min(x1 - x0, y1 - y0)
    crop = _crop(ink, x0 + pad, y0 + pad, x1 - pad, y1 - pad)
    blobs = _blobs(crop)
    if not blobs:
        return None
    bx0 = min(b[0] for b in blobs)
    by0 = min(b[1] for b in blobs)
    bx1 = max(b[0] + b[2] for b in blobs)
    by1 = max(b[1] + b[3] for b in blobs)
    return _shape(crop[by0:by1, bx0:bx1])


def _first_glyph(ink: Any, x0: float, y0: float, x1: float, y1: float) -> tuple[str | None, float]:
    """The mark the leftmost glyph in a box is (None if it is none) and its left edge (page pixels)."""
    crop = _crop(ink, x0, y0, x1, y1)
    blobs = sorted(_blobs(crop))
    if not blobs:
        return None, 0.0
    left = blobs[0]
    group = [b for b in blobs if b[0] < left[0] + left[2] + 1]  # what overlaps it across (◎'s rings)
    gx0, gy0 = min(b[0] for b in group), min(b[1] for b in group)
    gx1, gy1 = max(b[0] + b[2] for b in group), max(b[1] + b[3] for b in group)
    return _shape(crop[gy0:gy1, gx0:gx1]), max(0.0, x0) + gx0


def _lines(words: list[_Word]) -> list[tuple[str, float, float, float, float, float, float, list[_Word]]]:
    """Lines of text outside tables: (text, height, x0, top, x1, bottom, confidence 0..1, words), in pixels."""
    by_key: dict[tuple[int, int, int], list[_Word]] = {}
    for w in words:
        by_key.setdefault(w.line, []).append(w)
    out = []
    for group in by_key.values():
        for line in _group_lines(group):  # Tesseract's line may hold two side by side columns' words
            text = _join(line).strip()
            if not text:
                continue
            n = sum(len(w.text) for w in line)
            conf = sum(w.conf * len(w.text) for w in line) / n / 100
            out.append((text, statistics.median(w.height for w in line), min(w.x0 for w in line),
                        min(w.top for w in line), max(w.x1 for w in line), max(w.bottom for w in line), conf, line))
    out.sort(key=lambda ln: (ln[3], ln[2]))
    return out


def _sizes(heights: list[float], scale: float) -> list[float]:
    """A font size (points) for each line from its words' height, lines within 15 % of each other
    given the same size (the PDF reader joins wrapped lines of one size)."""
    order = sorted(range(len(heights)), key=lambda i: heights[i])
    sizes = [0.0] * len(heights)
    group: list[int] = []

    def close() -> None:
        if group:
            size = round(statistics.median(heights[i] for i in group) * scale, 1)
            for i in group:
                sizes[i] = size

    for i in order:
        if group and heights[i] > heights[group[0]] * 1.15:
            close()
            group = []
        group.append(i)
    close()
    return sizes
