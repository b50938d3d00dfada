"""Reader for .xlsx progress sheets (openpyxl): each visible sheet's rows as row blocks, a merged range
as its top-left value and None for the cells it covers."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..messages import input_error
from ..model import Block, Source
from ..settings import ReadSettings
from .docx import check_package


def read(path: Path, sha256: str, data: bytes, settings: ReadSettings | None = None) -> tuple[list[Block], int | None]:
    """Blocks of a workbook: Source.table is the sheet's number, Source.row the sheet row.

    The workbook is loaded in normal (not read-only) mode: read-only worksheets do not expose merged
    ranges, and a progress sheet merges its 施策/担当課 cells down. The memory this costs is bounded
    by the zip-bomb check that runs first (check_package)."""
    check_package(data, "xlsx")
    import openpyxl

    src = Source(path=str(path), sha256=sha256)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True, keep_links=False)
        try:
            return [
                block
                for number, sheet in enumerate(workbook.worksheets, start=1)
                if sheet.sheet_state == "visible"  # hidden sheets hold lookup lists and old copies
                for block in _sheet_blocks(sheet, number, src)
            ], None
        finally:
            workbook.close()
    except MemoryError:  # the batch reports the file as too large
        raise
    except KeyError as exc:
        raise input_error("xlsx.missing_part", part=exc) from exc
    except Exception as exc:  # openpyxl raises many types on damaged or non-workbook files
        raise input_error("xlsx.corrupt") from exc


def cell_text(value: Any, number_format: str = "General") -> str:
    """A cell value as text: dates in ISO form, whole numbers without '.0', percentages with %."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            value = value * 100
            return f"{int(value) if float(value).is_integer() else round(value, 6)}%"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return str(value)


def _sheet_blocks(sheet: Any, number: int, src: Source) -> list[Block]:
    from openpyxl.cell.cell import MergedCell

    grid: list[tuple[int, list[str | None]]] = []
    for row in sheet.iter_rows():
        cells: list[str | None] = [
            None if isinstance(c, MergedCell) else cell_text(c.value, c.number_format) for c in row
        ]
        if any(cells):
            grid.append((row[0].row, cells))
    if not grid:
        return []
    used = [i for _, cells in grid for i, c in enumerate(cells) if c]
    first, last = min(used), max(used)
    blocks: list[Block] = []
    for row_no, cells in grid:
        cells = cells[first : last + 1]
        filled = [i for i, c in enumerate(cells) if c]
        at = replace(src, table=number, row=row_no)
        merged_across = len(filled) == 1 and filled[0] + 1 < len(cells) and cells[filled[0] + 1] is None
        if len(filled) == 1 and (filled[0] == 0 or merged_across):
            # One value at the left edge (or merged across): a title, note or ■ heading line.
            blocks.append(Block(text=cells[filled[0]] or "", source=at))
            continue
        blocks.append(Block(text="\t".join(c or "" for c in cells), source=at, cells=tuple(cells)))
    return blocks

