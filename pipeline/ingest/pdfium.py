"""PDF pages read by PDFium (pypdfium2): each page's characters with their boxes, fonts and sizes and its
lines, rectangles, curves and images, as the objects pdfplumber would have parsed (same keys, same
coordinates), so pdfplumber's table finder and text extraction run on them unchanged, 4-40× faster
than pdfminer's parsing. A page PDFium cannot be trusted with raises Unusable, for the caller to read
it with pdfplumber instead."""
from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pdfplumber.page
import pypdfium2
import pypdfium2.raw as pdfium_c

# Characters PDFium reads but gives no Unicode for, or marks as lost in its Unicode map.
_NO_UNICODE = frozenset((0, 0xFFFD, 0xFFFE, 0xFFFF))
_SPACE = re.compile(r"\s+")


def _bare(function: Any, restype: Any, *argtypes: Any) -> Any:
    """A function of pypdfium2's bindings called as a bare C function of plain numbers (handles as
    addresses): for the calls made once a character, at about half the cost of the bindings, whose
    handle results are new pointer objects."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    if not address:
        raise ImportError(f"PDFium's {function.__name__} not found")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_c_int, _c_ulong, _c_void_p = ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p
# a character of a text page
_IS_GENERATED = _bare(pdfium_c.FPDFText_IsGenerated, _c_int, _c_void_p, _c_int)
_MAP_ERROR = _bare(pdfium_c.FPDFText_HasUnicodeMapError, _c_int, _c_void_p, _c_int)
_TEXT_OBJECT = _bare(pdfium_c.FPDFText_GetTextObject, _c_void_p, _c_void_p, _c_int)
_LOOSE_BOX = _bare(pdfium_c.FPDFText_GetLooseCharBox, _c_int, _c_void_p, _c_int, _c_void_p)
_CHAR_MATRIX = _bare(pdfium_c.FPDFText_GetMatrix, _c_int, _c_void_p, _c_int, _c_void_p)
_FONT_SIZE = _bare(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, _c_void_p, _c_int)
_FONT = _bare(pdfium_c.FPDFTextObj_GetFont, _c_void_p, _c_void_p)
_FONT_NAME = _bare(pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_size_t, _c_void_p, _c_void_p, ctypes.c_size_t)
# a page object
_PAGE_OBJECTS = _bare(pdfium_c.FPDFPage_CountObjects, _c_int, _c_void_p)
_PAGE_OBJECT = _bare(pdfium_c.FPDFPage_GetObject, _c_void_p, _c_void_p, _c_int)
_FORM_OBJECTS = _bare(pdfium_c.FPDFFormObj_CountObjects, _c_int, _c_void_p)
_FORM_OBJECT = _bare(pdfium_c.FPDFFormObj_GetObject, _c_void_p, _c_void_p, _c_ulong)
_OBJECT_TYPE = _bare(pdfium_c.FPDFPageObj_GetType, _c_int, _c_void_p)
_OBJECT_MATRIX = _bare(pdfium_c.FPDFPageObj_GetMatrix, _c_int, _c_void_p, _c_void_p)
_OBJECT_BOUNDS = _bare(pdfium_c.FPDFPageObj_GetBounds, _c_int, _c_void_p, _c_void_p, _c_void_p, _c_void_p, _c_void_p)
_OBJECT_TEXT = _bare(pdfium_c.FPDFTextObj_GetText, _c_ulong, _c_void_p, _c_void_p, _c_void_p, _c_ulong)
# a path and its segments
_DRAW_MODE = _bare(pdfium_c.FPDFPath_GetDrawMode, _c_int, _c_void_p, _c_void_p, _c_void_p)
_SEGMENTS = _bare(pdfium_c.FPDFPath_CountSegments, _c_int, _c_void_p)
_SEGMENT = _bare(pdfium_c.FPDFPath_GetPathSegment, _c_void_p, _c_void_p, _c_int)
_SEGMENT_POINT = _bare(pdfium_c.FPDFPathSegment_GetPoint, _c_int, _c_void_p, _c_void_p, _c_void_p)
_SEGMENT_TYPE = _bare(pdfium_c.FPDFPathSegment_GetType, _c_int, _c_void_p)
_SEGMENT_CLOSES = _bare(pdfium_c.FPDFPathSegment_GetClose, _c_int, _c_void_p)


class Unusable(Exception):
    """A page PDFium's reading of which may differ from pdfplumber's (reason in args[0])."""


def _matrix(obj: int) -> tuple[float, float, float, float, float, float]:
    """The matrix of the page object at address obj."""
    m = pdfium_c.FS_MATRIX()
    if not _OBJECT_MATRIX(obj, ctypes.addressof(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, float, float, float, float, float]:
    """inner then outer (PDF row-vector matrices)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _paths_shape(ops: list[tuple[str, tuple[float, float]]]) -> list[list[tuple[str, tuple[float, float]]]]:
    """The subpaths of a path (each from an m), as pdfminer paints them one by one."""
    out: list[list[tuple[str, tuple[float, float]]]] = []
    for op in ops:
        if op[0] == "m" or not out:
            out.append([])
        out[-1].append(op)
    return out


class PdfiumPage(pdfplumber.page.Page):
    """A pdfplumber Page whose objects were read by PDFium: filter, find_tables and
    extract_text_lines work on it as on a page pdfminer parsed."""

    def __init__(self, number: int, mediabox: tuple[float, float, float, float], doctop: float,
                 objects: dict[str, list[dict[str, Any]]]) -> None:
        self.pdf = None  # type: ignore[assignment]
        self.root_page = self
        self.page_obj = None  # type: ignore[assignment]
        self.page_number = number
        self.initial_doctop = doctop
        self.rotation = 0
        self.mediabox = self.cropbox = self.bbox = mediabox
        self._pdfium_objects = objects
        self.get_textmap = lru_cache()(self._get_textmap)

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]:
        return self._pdfium_objects

    def close(self) -> None:
        self.flush_cache()
        self.get_textmap.cache_clear()
        self._pdfium_objects = {}


class Document:
    """An open PDF read by PDFium; pages are read one at a time and closed at once."""

    def __init__(self, data: bytes) -> None:
        self._pdf = pypdfium2.PdfDocument(data)
        self.count = len(self._pdf)
        self._doctop = 0.0
        self._font_names: dict[int, str] = {}

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def page(self, number: int, check: bool = True) -> PdfiumPage:
        """Page number (1-based) as a pdfplumber page; raises Unusable where PDFium's reading may
        differ from pdfplumber's (with check False, only on a rotated page). Pages must be asked for
        in order (doctop runs on)."""
        page = self._pdf[number - 1]
        try:
            left, bottom, right, top = page.get_mediabox()
            height = top - bottom
            doctop = self._doctop
            self._doctop += height
            rotation = page.get_rotation()
            if rotation:
                raise Unusable(f"page rotated by {rotation}°")
            textpage = page.get_textpage()
            try:
                # pdfplumber's coordinates: top = page height - y (y in user space), x as it is.
                mediabox = (float(left), float(height - top), float(right), float(height - bottom))
                objects: dict[str, list[dict[str, Any]]] = {}
                texts = self._graphics(page.raw, textpage.raw, height, bottom, doctop, number, objects)
                chars = self._chars(textpage.raw, height, bottom, doctop, number, check)
            finally:
                textpage.close()
            if check:
                _check(chars, texts)
            if chars:
                objects["char"] = chars
            return PdfiumPage(number, mediabox, doctop, objects)
        finally:
            page.close()

    # -- characters -------------------------------------------------------------------------------

    def _font_name(self, textobj: int) -> str:
        """The base font name of the text object at address textobj."""
        font = _FONT(textobj)
        if not font:
            return ""
        name = self._font_names.get(font)
        if name is None:
            size = _FONT_NAME(font, None, 0)
            buf = ctypes.create_string_buffer(max(int(size), 1))
            _FONT_NAME(font, buf, size)
            name = self._font_names[font] = buf.value.decode("utf-8", "replace")
        return name

    def _chars(self, textpage: Any, height: float, y0m: float, doctop: float, number: int, check: bool) -> list[dict[str, Any]]:
        """The characters of the page as pdfplumber's char objects (PDFium's generated spaces and
        line breaks left out); raises Unusable on a character without a Unicode value."""
        n = pdfium_c.FPDFText_CountChars(textpage)
        if n <= 0:
            return []
        buf = (ctypes.c_ushort * (n + 1))()
        got = pdfium_c.FPDFText_GetText(textpage, 0, n, buf)
        codes = list(buf[: max(0, got - 1)]) + [0] * (n - max(0, got - 1))
        page = ctypes.cast(textpage, ctypes.c_void_p).value
        rect = pdfium_c.FS_RECTF()
        rect_at = ctypes.addressof(rect)
        m = pdfium_c.FS_MATRIX()
        m_at = ctypes.addressof(m)
        is_generated, map_error, loose_box, text_object = _IS_GENERATED, _MAP_ERROR, _LOOSE_BOX, _TEXT_OBJECT
        chars: list[dict[str, Any]] = []
        owners: list[int] = []  # the text object of each character
        self._font_names.clear()  # font handles live as long as the page
        owner: int | None = None
        font, size, matrix = "", 0.0, (1.0, 0.0, 0.0, 1.0)
        high = 0
        for i in range(n):
            code = codes[i]
            if code in (0x20, 0x0A, 0x0D) and is_generated(page, i) == 1:
                continue  # PDFium's own spaces and line breaks
            if 0xD800 <= code < 0xDC00:  # a character beyond the BMP comes as two halves
                high = code
                continue
            if 0xDC00 <= code < 0xE000 and high:
                code, high = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00), 0
            elif check and (code in _NO_UNICODE or map_error(page, i) == 1):
                raise Unusable("a character without a Unicode value")
            if code in (0x0A, 0x0D):
                continue
            key = text_object(page, i) or 0
            if key != owner:  # font, size and matrix are those of the text object
                owner = key
                _CHAR_MATRIX(page, i, m_at)
                matrix = (m.a, m.b, m.c, m.d)
                if m.b != 0 or m.c != 0 or m.a <= 0 or m.d <= 0:
                    raise Unusable("rotated, mirrored or vertical text")  # pdfplumber's boxes differ
                size = _FONT_SIZE(page, i)
                font = self._font_name(key) if key else ""
            loose_box(page, i, rect_at)
            x0, x1 = rect.left, rect.right
            # pdfminer's box: from the font's descent to one font size above it.
            low = rect.bottom
            char_top = height - (low + size)
            chars.append({
                "object_type": "char", "page_number": number, "text": chr(code),
                "fontname": font, "size": size, "adv": x1 - x0,
                "upright": True, "x0": x0, "x1": x1, "y0": low - y0m, "y1": low + size - y0m,
                "width": x1 - x0, "height": size, "top": char_top, "bottom": height - low,
                "doctop": doctop + char_top, "matrix": (*matrix, x0, low),
                "stroking_color": None, "non_stroking_color": None,
            })
            owners.append(key)
        # PDFium's loose box may reach past the advance (it follows the glyph of a substituted font):
        # where the next character of the same text object follows on the same baseline, the advance
        # is at most the distance between their origins.
        for k in range(len(chars) - 1):
            here, after = chars[k], chars[k + 1]
            if owners[k] == owners[k + 1] and owners[k] and here["matrix"][5] == after["matrix"][5]:
                step = after["matrix"][4] - here["matrix"][4]
                if 0 < step < here["width"]:
                    here["x1"] = here["x0"] + step
                    here["width"] = here["adv"] = step
        return chars

    # -- graphics ---------------------------------------------------------------------------------

    def _graphics(self, page: Any, textpage: Any, height: float, y0m: float, doctop: float, number: int,
                  objects: dict[str, list[dict[str, Any]]]) -> list[tuple[str, tuple[float, float, float, float]]]:
        """Lines, rects, curves and images of the page into objects (pdfplumber's coordinates); the
        text and bounds of each text object, for the check of the characters."""
        texts: list[tuple[str, tuple[float, float, float, float]]] = []
        buf = (ctypes.c_ushort * 4096)()
        text_page = ctypes.cast(textpage, ctypes.c_void_p).value

        def walk(objs: Iterator[int], outer: tuple[float, ...] | None) -> None:
            nonlocal buf
            for obj in objs:
                kind = _OBJECT_TYPE(obj)
                if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                    matrix = _matrix(obj)
                    self._path(obj, _compose(matrix, outer) if outer else matrix, height, y0m, doctop, number, objects)
                elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                    size = _OBJECT_TEXT(obj, text_page, None, 0)  # bytes of UTF-16, NUL included
                    if size > 2 * len(buf):
                        buf = (ctypes.c_ushort * (size // 2 + 1))()
                    got = _OBJECT_TEXT(obj, text_page, buf, size)
                    text = ctypes.string_at(buf, max(0, got - 2)).decode("utf-16-le", "replace") if got else ""
                    texts.append((text, _bounds(obj)))
                elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    x0, y0, x1, y1 = _bounds(obj)
                    objects.setdefault("image", []).append({
                        "object_type": "image", "page_number": number,
                        "x0": x0, "x1": x1, "y0": y0 - y0m, "y1": y1 - y0m, "width": x1 - x0, "height": y1 - y0,
                        "top": height - y1, "bottom": height - y0, "doctop": doctop + height - y1})
                elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                    matrix = _matrix(obj)
                    inner = _compose(matrix, outer) if outer else matrix
                    walk((_FORM_OBJECT(obj, i) for i in range(_FORM_OBJECTS(obj))), inner)

        address = ctypes.cast(page, ctypes.c_void_p).value
        walk((_PAGE_OBJECT(address, i) for i in range(_PAGE_OBJECTS(address))), None)
        return texts

    def _path(self, obj: int, matrix: tuple[float, ...], height: float, y0m: float, doctop: float, number: int,
              objects: dict[str, list[dict[str, Any]]]) -> None:
        """The path object at address obj as pdfminer paints it: each subpath a line (m l), a rect
        (an axis-aligned closed box) or a curve, in pdfplumber's coordinates."""
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        _DRAW_MODE(obj, ctypes.addressof(fill), ctypes.addressof(stroke))
        if not fill.value and not stroke.value:
            return
        a, b, c, d, e, f = matrix
        x, y = ctypes.c_float(), ctypes.c_float()
        x_at, y_at = ctypes.addressof(x), ctypes.addressof(y)
        moveto, lineto = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
        ops: list[tuple[str, tuple[float, float]]] = []
        pending: list[tuple[float, float]] = []
        for i in range(_SEGMENTS(obj)):
            seg = _SEGMENT(obj, i)
            _SEGMENT_POINT(seg, x_at, y_at)
            px, py = x.value, y.value
            pt = (a * px + c * py + e, b * px + d * py + f)
            kind = _SEGMENT_TYPE(seg)
            if kind == moveto:
                ops.append(("m", pt))
            elif kind == lineto:
                ops.append(("l", pt))
            else:  # a Bézier curve is three segments: two control points and its end
                pending.append(pt)
                if len(pending) == 3:
                    ops.append(("c", pending[-1]))
                    pending = []
                else:
                    continue
            if _SEGMENT_CLOSES(seg):
                start = next((p for o, p in reversed(ops) if o == "m"), ops[0][1])
                ops.append(("h", start))
        for sub in _paths_shape(ops):
            self._subpath(sub, height, y0m, doctop, number, objects, bool(stroke.value), bool(fill.value))

    @staticmethod
    def _subpath(sub: list[tuple[str, tuple[float, float]]], height: float, y0m: float, doctop: float, number: int,
                 objects: dict[str, list[dict[str, Any]]], stroke: bool, fill: bool) -> None:
        if not sub or sub[0][0] != "m":
            return
        shape = "".join(o for o, _ in sub)
        pts = [p for _, p in sub]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        if shape in ("mlh", "ml"):
            kind = "line"
            pts = pts[:2]
        elif shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
            kind = "rect" if pts[0] == pts[4] and square else "curve"
        else:
            kind = "curve"
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        obj: dict[str, Any] = {
            "object_type": kind, "page_number": number, "stroke": stroke, "fill": fill,
            "x0": x0, "x1": x1, "y0": y0 - y0m, "y1": y1 - y0m, "width": x1 - x0, "height": y1 - y0,
            "top": height - y1, "bottom": height - y0, "doctop": doctop + height - y1,
            "pts": [(px, height - py) for px, py in pts],
        }
        objects.setdefault(kind, []).append(obj)


def _bounds(obj: int) -> tuple[float, float, float, float]:
    """left, bottom, right, top of the page object at address obj."""
    box = (ctypes.c_float * 4)()
    at, step = ctypes.addressof(box), ctypes.sizeof(ctypes.c_float)
    _OBJECT_BOUNDS(obj, at, at + step, at + 2 * step, at + 3 * step)
    return (box[0], box[1], box[2], box[3])


def _check(chars: list[dict[str, Any]], texts: list[tuple[str, tuple[float, float, float, float]]]) -> None:
    """Raises Unusable when PDFium's text page holds fewer characters than the page's text objects
    (a text object drawn again on top of an identical one, fake bold, counts once)."""
    seen: set[tuple[str, int, int]] = set()
    expected = 0
    for text, (x0, y0, _, _) in texts:
        key = (_SPACE.sub("", text), round(x0), round(y0))
        if not key[0] or key in seen:
            continue
        seen.add(key)
        expected += len(key[0])
    found = sum(1 for c in chars if not c["text"].isspace())
    if found < expected:
        raise Unusable(f"{expected - found} characters of the page's text objects missing")
