"""The arrows a 進行管理シート draws over its year columns (図形: 右矢印, a connector with an arrowhead, a
bar), which openpyxl does not read: an arrow from 令和7年度 to 令和9年度 across an item's row means the
item runs in each of those years. Each arrow is read from the sheet's drawing part (DrawingML, as Excel
and LibreOffice save it) with the cells it covers, and put into the row's empty year cells as the stage
it carries: the text written in the arrow, else the stage of the cell it starts from (検討 ──→), else →."""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree import ElementTree

from .drawn import DRAWN_SHAPES, covers

_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MAX_PART = 8_000_000  # a drawing part larger than this is not read for arrows
MAX_COLUMNS, MAX_ROWS = 16_384, 1_048_576  # Excel's sheet size
EMU_PER_PIXEL = 9525
EMU_PER_POINT = 12700


@dataclass(frozen=True)
class Arrow:
    """An arrow's anchor: its corners as (column, offset, row, offset), 0-based, offsets in EMU; the
    text written in it."""

    start: tuple[int, int, int, int]
    end: tuple[int, int, int, int]
    text: str = ""


def _xml(z: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = z.getinfo(name)
        if info.file_size > MAX_PART:
            return None
        return ElementTree.fromstring(z.read(info))
    except (KeyError, ElementTree.ParseError, OSError, zipfile.BadZipFile, ValueError):
        return None


def _targets(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    """A part's relationships: id → the target part's name in the package."""
    folder, name = posixpath.split(part)
    rels = _xml(z, posixpath.join(folder, "_rels", name + ".rels"))
    out: dict[str, str] = {}
    for rel in rels.iter(_REL) if rels is not None else ():
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        out[rel.get("Id") or ""] = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))
    return out


def _corner(anchor: ElementTree.Element, tag: str) -> tuple[int, int, int, int] | None:
    at = anchor.find(_XDR + tag)
    if at is None:
        return None
    try:
        col, col_off, row, row_off = (int((at.findtext(_XDR + k) or "0").strip()) for k in ("col", "colOff", "row", "rowOff"))
    except ValueError:
        return None
    if not (0 <= col < MAX_COLUMNS and 0 <= row < MAX_ROWS):
        return None  # outside any sheet Excel can make: a damaged or hostile part
    return col, max(col_off, 0), row, max(row_off, 0)


def _is_arrow(shape: ElementTree.Element) -> bool:
    """A block arrow, or a straight line or connector (with or without arrowheads); in a group, any
    member that is one."""
    return any(g.get("prst") in DRAWN_SHAPES for g in shape.iter(_A + "prstGeom"))


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its worksheet part in the package (xl/worksheets/sheet1.xml), through the workbook's
    relationships; {} where the workbook part cannot be read."""
    book = _xml(z, "xl/workbook.xml")
    parts = _targets(z, "xl/workbook.xml") if book is not None else {}
    return {sheet.get("name") or "": parts[rid] for sheet in book.iter(_MAIN + "sheet")
            if (rid := sheet.get(_R_ID) or "") in parts} if book is not None else {}


def sheet_arrows(data: bytes) -> dict[str, list[Arrow]]:
    """Sheet name → the arrows drawn on it (two-cell anchors; a one-cell or absolute anchor has no
    cells to read it by and is left out). {} where the workbook has no drawings or they cannot be read."""
    out: dict[str, list[Arrow]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if not any(n.startswith("xl/drawings/") for n in z.namelist()):
                return out
            for name, part in sheet_parts(z).items():
                root = _xml(z, part)
                drawing = root.find(_MAIN + "drawing") if root is not None else None
                target = _targets(z, part).get(drawing.get(_R_ID) or "") if drawing is not None and part else None
                found = _arrows(_xml(z, target)) if target else []
                if found:
                    out[name] = found
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}
    return out


def _arrows(drawing: ElementTree.Element | None) -> list[Arrow]:
    found: list[Arrow] = []
    for anchor in drawing.findall(_XDR + "twoCellAnchor") if drawing is not None else ():
        start, end = _corner(anchor, "from"), _corner(anchor, "to")
        shape = next((child for child in anchor if child.tag in (_XDR + "sp", _XDR + "cxnSp", _XDR + "grpSp")), None)
        if start is None or end is None or shape is None or not _is_arrow(shape):
            continue
        text = "".join(t.text or "" for t in shape.iter(_A + "t"))
        found.append(Arrow(start, end, re.sub(r"\s+", "", text)))
    return found


def column_emu(width: float | None) -> int:
    """A column's width in EMU from its width in characters (Excel's: 7 pixels a character and 5 of
    padding at the default font; 8.43 characters when the sheet does not say)."""
    chars = width if width and width > 0 else 8.43
    return int(chars * 7 + 5) * EMU_PER_PIXEL


def row_emu(height: float | None) -> int:
    """A row's height in EMU from its height in points (15 when the sheet does not say)."""
    return int((height if height and height > 0 else 15.0) * EMU_PER_POINT)


def placed(arrow: Arrow, column_width: Callable[[int], int], row_height: Callable[[int], int]) -> tuple[int, list[int]]:
    """The 0-based row an arrow lies in (the row of its middle) and the 0-based columns it covers
    (drawn.COVERED of a column's width or more, or the one column it lies in)."""
    (c0, dx0, r0, dy0), (c1, dx1, r1, dy1) = arrow.start, arrow.end
    x0 = c0 + min(dx0 / column_width(c0), 1.0)
    x1 = c1 + min(dx1 / column_width(c1), 1.0)
    y0 = r0 + min(dy0 / row_height(r0), 1.0)
    y1 = r1 + min(dy1 / row_height(r1), 1.0)
    x0, x1 = min(x0, x1), max(x0, x1)
    middle = int((y0 + y1) / 2)
    columns = [c for c in range(int(x0), int(x1) + 1) if covers(x0, x1, c, c + 1)]
    if not columns and x1 > x0:
        columns = [int((x0 + x1) / 2)]
    return middle, columns


__all__ = ["Arrow", "column_emu", "placed", "row_emu", "sheet_arrows"]
