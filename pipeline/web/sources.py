"""The source of a measure, to check it against the file: a PDF page drawn as an image (pypdfium2),
the .docx table row as the docx reader reads it (with the table's first row), or the text lines
around it. Only files the project has already read (within the batch's limits) are shown."""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

MAX_WIDTH = 1100  # pixels of a drawn page: readable on a screen, small enough to send at once
MAX_SCALE = 2.0
_KEEP = 16  # pages kept drawn
_cache: OrderedDict[tuple[str, int], bytes] = OrderedDict()
_lock = threading.Lock()


def pdf_page_png(path: Path, page: int, sha256: str = "") -> bytes:
    """Page page (1-based) of the PDF at path as PNG, at most MAX_WIDTH pixels wide. KeyError for a
    page the file has not; ValueError when pypdfium2 cannot draw it."""
    key = (sha256 or str(path), page)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    import io

    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ValueError(str(exc)) from exc
    try:
        if not 1 <= page <= len(pdf):
            raise KeyError(page)
        p = pdf[page - 1]
        try:
            width, _ = p.get_size()
            scale = max(0.25, min(MAX_SCALE, MAX_WIDTH / width if width > 0 else 1.0))
            bitmap = p.render(scale=scale)
            buf = io.BytesIO()
            bitmap.to_pil().save(buf, format="PNG", optimize=False)
        finally:
            p.close()
    except pdfium.PdfiumError as exc:
        raise ValueError(str(exc)) from exc
    finally:
        pdf.close()
    data = buf.getvalue()
    with _lock:
        _cache[key] = data
        while len(_cache) > _KEEP:
            _cache.popitem(last=False)
    return data


def docx_table_row(path: Path, table: int, row: int) -> list[list[str]]:
    """[the table's first row, the row] of a .docx (table numbered as the reader numbers them), each
    as its cells' text; [] when the file has no such row."""
    from ..ingest import docx

    blocks, _ = docx.read(path, "", path.read_bytes())
    rows = {b.source.row: b for b in blocks if b.is_row and b.source.table == table and b.source.row is not None}
    wanted = rows.get(row)
    if wanted is None:
        return []
    first = rows.get(min(rows))
    out = [] if first is None or first is wanted else [[c or "" for c in first.cells]]
    return [*out, [c or "" for c in wanted.cells]]


def text_lines(path: Path, line: int, around: int = 3) -> list[tuple[int, str, bool]]:
    """The lines around line (1-based) of a text file: (number, text, whether it is line)."""
    from ..text.encoding import decode

    try:
        text = decode(path.read_bytes())
    except Exception:  # noqa: BLE001 - it was read once; if it cannot be now, show nothing
        return []
    lines = text.splitlines()
    lo, hi = max(1, line - around), min(len(lines), line + around)
    return [(n, lines[n - 1], n == line) for n in range(lo, hi + 1)]


__all__ = ["docx_table_row", "pdf_page_png", "text_lines"]
