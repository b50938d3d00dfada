"""Reader for .xlsx progress sheets (openpyxl): each visible sheet's rows as row blocks, a merged range
as its top-left value and None for the cells it covers. What Excel does not show or print is not
read: hidden sheets, rows and columns (old years hidden, rows filtered out or folded in a group),
cells struck through whole (見え消し), error values (#N/A); nor the sheets of instructions and lookup
lists sent round with a 進行管理シート (記入要領, 記入例, 課コード). Numbers and dates read as their
number format shows them where it writes words (6 under "令和"0"年度" is 令和6年度; ggge"年"m"月" is
令和6年11月). Each sheet starts afresh: a block of level 0 closes the headings of the sheet before,
and names the sheet where its name is a heading (推進方策2) that no title row of the sheet repeats."""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from ..messages import input_error
from ..messages import text as msg_text
from ..model import Block, Source
from ..settings import ReadSettings
from ..text.normalize import era_number
from . import drawn
from .docx import check_package
from .xlsx_shapes import Arrow, column_emu, placed, row_emu, sheet_arrows, sheet_parts

# Sheets of instructions, examples and lookup lists, not of measures.
_NOTES_SHEET = re.compile(r"^[\s\d０-９.．【（(\[〔]*(?:(?:記入|記載|入力|作成)(?:要領|例|方法|の手引|上の注意|見本)|見本|サンプル|目次|留意事項"
                          r"|注意事項|使い方|操作説明|(?:課|部署|所属|担当課|部局)?コード(?:表|一覧)?[】）)\]〕]*$"
                          r"|マスタ(?!ー)|選択肢|プルダウン|ドロップダウン)")
# A sheet named as a heading: 推進方策2, 基本目標1, 施策３, 柱1 …
_HEADING_SHEET = re.compile(r"(施策|方策|目標|方針|方向|政策|柱|分野)\s*[0-9０-９一二三四五六七八九十]{1,3}(?![0-9０-９])")
_EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!"})
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # Excel's escape of a control character (_x000D_)
# Japanese eras by the day they began, for dates shown with ggg / e
_DATE_ERAS = ((dt.date(2019, 5, 1), "令和"), (dt.date(1989, 1, 8), "平成"), (dt.date(1926, 12, 25), "昭和"),
              (dt.date(1912, 7, 30), "大正"), (dt.date(1868, 1, 1), "明治"))
_ERA_LETTER = {"令和": "R", "平成": "H", "昭和": "S", "大正": "T", "明治": "M"}
_FORMAT_TOKEN = re.compile(r'"([^"]*)"|\\(.)|\[[^\]]*\]|(ggg|gg|g|ee|e|yyyy|yy|mm|m|dd|d|aaaa|aaa|hh|h|ss|s|[0#?][0#?,.]*)|(.)',
                           re.IGNORECASE)
_WEEKDAYS = "月火水木金土日"


def read(path: Path, sha256: str, data: bytes, settings: ReadSettings | None = None) -> tuple[list[Block], int | None]:
    """Blocks of a workbook: Source.table is the sheet's number, Source.row the sheet row.

    The workbook is loaded in normal (not read-only) mode: read-only worksheets do not expose merged
    ranges, and a progress sheet merges its 施策/担当課 cells down. The memory this costs is bounded
    by the zip-bomb check that runs first (check_package)."""
    check_package(data, "xlsx")
    import openpyxl

    src = Source(path=str(path), sha256=sha256)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True, keep_links=False,
                                          rich_text=True)
        try:
            blocks: list[Block] = []
            arrows = sheet_arrows(data)  # (the year arrows drawn over the cells, which openpyxl drops)
            for number, sheet in enumerate(workbook.worksheets, start=1):
                # hidden sheets hold lookup lists and old copies; notes sheets instructions
                if sheet.sheet_state == "visible" and not _NOTES_SHEET.search(sheet.title or ""):
                    blocks.extend(_sheet_blocks(sheet, number, src, arrows.get(sheet.title, [])))
            return blocks, None
        finally:
            workbook.close()
    except MemoryError:  # the batch reports the file as too large
        raise
    except KeyError as exc:
        raise input_error("xlsx.missing_part", part=exc) from exc
    except Exception as exc:  # openpyxl raises many types on damaged or non-workbook files
        raise input_error("xlsx.corrupt") from exc


_CELL = re.compile(rb"<c\b[^>]*?(?:/>|>(.*?)</c>)", re.S)
_VALUE = re.compile(rb"<v>[^<]")  # a saved result (openpyxl writes <v></v> for none)


def workbook_notes(data: bytes) -> list[str]:
    """What a planner should know of a workbook read: the visible sheets not read as measures (記入要領,
    課コード …) and how many formulas have no saved result (a workbook written by a program and never
    opened in Excel: they read as blank)."""
    import html
    import zipfile

    notes: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            book = z.read("xl/workbook.xml").decode("utf-8", "replace")
            sheets = [m.group(1) for m in re.finditer(r'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"', book)
                      if 'state="hidden"' not in m.group(0) and 'state="veryHidden"' not in m.group(0)]
            shown = set(map(html.unescape, sheets))
            skipped = [name for name in map(html.unescape, sheets) if _NOTES_SHEET.search(name)]
            titles = {part: name for name, part in sheet_parts(z).items()}  # (names unescaped, as read)
            uncached = 0
            filtered: list[tuple[str, int]] = []
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = z.read(name)
                    for m in _CELL.finditer(xml):
                        inner = m.group(1) or b""
                        uncached += b"<f" in inner and not _VALUE.search(inner) and b't="inlineStr"' not in m.group(0)
                    # rows an autofilter hides (a view, not a deletion) are not read, so say how many (an
                    # Excel Table (テーブル) keeps its filter in its own part: its sheet lists the table)
                    if _FILTERED.search(xml):
                        rows = sum(1 for m in _HIDDEN_ROW.finditer(xml) if _HELD_VALUE.search(m.group(0)))
                        if rows and titles.get(name) in shown:
                            filtered.append((titles[name], rows))
    except (zipfile.BadZipFile, KeyError, OSError):
        return notes
    if skipped:
        notes.append(msg_text("xlsx.notes_sheets", sheets="、".join(skipped)))
    if uncached:
        notes.append(msg_text("xlsx.uncached", count=uncached))
    for sheet, rows in filtered:
        notes.append(msg_text("xlsx.filtered", sheet=sheet, count=rows))
    return notes


# a sheet's hidden row, with what it holds (on a sheet with an autofilter, counted as the filter's)
_FILTERED = re.compile(rb"<(?:\w+:)?(?:autoFilter|tableParts)\b")
_HELD_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)>")
_HIDDEN_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*\bhidden=\"(?:1|true)\"[^>]*?(?:/>|>.*?</(?:\w+:)?row>)", re.S)


def cell_text(value: Any, number_format: str = "General") -> str:
    """A cell value as text: dates in ISO form, whole numbers without '.0', percentages with %; a
    number or date whose format writes words ("令和"0"年度", ggge"年"m"月") as the format shows it."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = _ESCAPED.sub(lambda m: _unescaped(int(m.group(1), 16)), value)
        return "" if value.strip() in _EXCEL_ERRORS else value
    shown = _formatted(value, number_format or "")
    if shown is not None:
        return shown
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


def _unescaped(code: int) -> str:
    if code in (0x0D, 0x0A):
        return "" if code == 0x0D else "\n"
    return "\t" if code == 0x09 else ("" if code < 0x20 else chr(code))


def _era(day: dt.date) -> tuple[str, int]:
    for first, era in _DATE_ERAS:
        if day >= first:
            return era, day.year - first.year + 1
    return "", day.year


def _sections(fmt: str) -> list[str]:
    """A number format's sections (positive; negative; zero; text), split where ; is not quoted."""
    out, part, quoted = [], "", False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append(part)
            part = ""
        else:
            part += ch
    return [*out, part]


def _round(amount: float, decimals: int) -> str:
    """amount to decimals places, halves up as Excel rounds (2.25 → 2.3), not to even."""
    quantum = Decimal(1).scaleb(-decimals)
    return str(Decimal(repr(amount)).quantize(quantum, rounding=ROUND_HALF_UP))


def _formatted(value: Any, fmt: str) -> str | None:
    """value as its number format shows it, where that format writes words (a quoted or Japanese
    literal, or an era); None for the formats cell_text renders itself. The section of its sign (a
    negative number in the second, zero in the third) is used."""
    sections = _sections(fmt)
    section = sections[0]
    if isinstance(value, bool) or not isinstance(value, (int, float, dt.date)) or isinstance(value, dt.time):
        return None
    if not isinstance(value, dt.date):
        if value < 0 and len(sections) > 1:
            section, value = sections[1], -value
        elif value == 0 and len(sections) > 2:
            section = sections[2]
    words = re.sub(r'"[^"]*"|\[[^\]]*\]|(?i:general)', "X", section)
    if not ('"' in section or re.search(r"[\u3040-\u9fff]", section) or re.search(r"g", words, re.IGNORECASE)):
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    amount = 0.0 if isinstance(day, dt.date) else float(value)
    if not isinstance(day, dt.date) and "%" in re.sub(r'"[^"]*"', "", section):
        amount *= 100
    out: list[str] = []
    numbered = False
    skip = False
    for m in _FORMAT_TOKEN.finditer(section):
        literal, escaped, code, other = m.groups()
        if skip:  # the character after _ only reserves its width
            skip = False
            continue
        if literal is not None or escaped is not None:
            out.append(literal if literal is not None else escaped)
        elif other is not None:
            if other in "_*":
                skip = True
            else:
                out.append(other)
        elif code is None:
            continue  # [$-ja-JP-x-gannen], [Red]
        elif isinstance(day, dt.date):
            c = code.lower()
            if c[0] in "0#?" or c in ("h", "hh", "s", "ss"):
                return None  # a number placeholder or a time in a date format: not a format read here
            era, n = _era(day)
            out.append({"ggg": era, "gg": era[:1], "g": _ERA_LETTER.get(era, ""), "ee": f"{n:02d}",
                        "e": era_number(n) if "gannen" in fmt else str(n), "yyyy": str(day.year),
                        "yy": f"{day.year % 100:02d}", "mm": f"{day.month:02d}", "m": str(day.month),
                        "dd": f"{day.day:02d}", "d": str(day.day), "aaaa": _WEEKDAYS[day.weekday()] + "曜日",
                        "aaa": _WEEKDAYS[day.weekday()]}[c])
        else:
            if code[0] not in "0#?" or numbered or code.lower().startswith("a"):
                return None  # a date code in a number format, or two numbers: not read here
            numbered = True
            scaled = amount / 1000 ** (len(code) - len(code.rstrip(",")))  # #,##0, : in thousands
            body = code.rstrip(",")
            decimals = len(body.split(".")[1]) if "." in body else 0
            text = _round(scaled, decimals)
            if "," in body:
                whole, _, frac = text.partition(".")
                text = f"{int(whole):,}" + (f".{frac}" if frac else "")
            out.append(text)
    return "".join(out) if (numbered or isinstance(day, dt.date) or out) else None


def _hidden_columns(sheet: Any) -> set[int]:
    """The 0-based columns Excel hides (a column dimension covers min..max, 1-based)."""
    hidden: set[int] = set()
    for dim in sheet.column_dimensions.values():
        if dim.hidden and dim.min and dim.max:
            hidden.update(range(dim.min - 1, dim.max))
    return hidden


def _shown(cell: Any) -> str:
    """A cell's text as Excel shows it, without what is struck through (見え消し: the cell whole, or
    the runs of its rich text)."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    font = getattr(cell, "font", None)
    if font is not None and font.strike and cell.value is not None:
        return ""
    value = cell.value
    if isinstance(value, CellRichText):
        value = "".join(str(part) for part in value
                        if not (isinstance(part, TextBlock) and part.font is not None and part.font.strike))
    return cell_text(value, cell.number_format)


def _drawn_stages(sheet: Any, grid: list[tuple[int, list[str | None]]], arrows: list[Arrow], hidden: set[int]) -> None:
    """The stages the arrows drawn over the year columns give, written into the rows' empty year cells
    (in place): an arrow from 令和7年度 to 令和9年度 is each of those years' stage. Only columns headed
    by a year or term above the arrow's row are filled; an arrow in an empty row (the lower part of an
    item's rows merged down) belongs to the row its item starts in."""
    widths: dict[int, float] = {}
    for dim in sheet.column_dimensions.values():
        if dim.min and dim.max and dim.width:
            widths.update(dict.fromkeys(range(dim.min - 1, dim.max), dim.width))
    default_width = getattr(sheet.sheet_format, "defaultColWidth", None)
    default_height = getattr(sheet.sheet_format, "defaultRowHeight", None)

    def width(col: int) -> int:
        return column_emu(widths.get(col, default_width))

    def height(row: int) -> int:
        dim = sheet.row_dimensions.get(row + 1)  # (get: indexing would add the row to the sheet)
        return row_emu(getattr(dim, "ht", None) or default_height)

    index = {row_no: k for k, (row_no, _) in enumerate(grid)}
    rows = [cells for _, cells in grid]
    for arrow in arrows:
        middle, columns = placed(arrow, width, height)
        row_no = middle + 1
        if row_no not in index:  # in the lower rows of an item merged down: the item's first row
            row_no = next((rng.min_row for rng in sheet.merged_cells.ranges
                           if rng.min_row < row_no <= rng.max_row and rng.min_col - 1 < min(columns, default=0)
                           and rng.min_row in index), 0)
        if row_no in index:
            drawn.fill(rows, index[row_no], [c - sum(h < c for h in hidden) for c in columns if c not in hidden],
                       arrow.text)


def _sheet_blocks(sheet: Any, number: int, src: Source, arrows: list[Arrow] | None = None) -> list[Block]:
    from openpyxl.cell.cell import MergedCell

    grid: list[tuple[int, list[str | None]]] = []
    hidden = _hidden_columns(sheet)
    # A range merged from a hidden column into shown ones shows its value in the first shown one.
    # (A range merged down from a hidden row, likewise in the first shown row.)
    moved: dict[tuple[int, int], Any] = {}
    hidden_rows = {r for r, dim in sheet.row_dimensions.items() if dim.hidden}
    for rng in sheet.merged_cells.ranges if hidden or hidden_rows else ():
        if rng.min_col - 1 in hidden or rng.min_row in hidden_rows:
            col = next((c for c in range(rng.min_col, rng.max_col + 1) if c - 1 not in hidden), None)
            row = next((r for r in range(rng.min_row, rng.max_row + 1) if r not in hidden_rows), None)
            if col is not None and row is not None:
                moved[(row, col)] = sheet.cell(rng.min_row, rng.min_col)
    for row in sheet.iter_rows():
        if row and row[0].row in hidden_rows:
            continue
        cells: list[str | None] = [
            _shown(moved[(c.row, i + 1)]) if (c.row, i + 1) in moved else None if isinstance(c, MergedCell)
            else _shown(c) for i, c in enumerate(row) if i not in hidden
        ]
        if any(cells):
            grid.append((row[0].row, cells))
    if not grid:
        return []
    if arrows:
        _drawn_stages(sheet, grid, arrows, hidden)
    used = [i for _, cells in grid for i, c in enumerate(cells) if c]
    first, last = min(used), max(used)
    name = (sheet.title or "").strip()
    found = _HEADING_SHEET.search(name)
    # not where a title row or a column of the sheet already says it (施策1 …, a 施策 column)
    said = re.compile(rf"^(?:基本|推進)?{found.group(1)}(?:[0-9０-９一二三四五六七八九十]|$)") if found else None
    named = said is not None and not any(said.match(re.sub(r"\s+", "", c)) for _, cells in grid for c in cells if c)
    # a new sheet closes the headings of the one before (and is one, where its name is a heading)
    blocks: list[Block] = [Block(text=name if named else "", source=replace(src, table=number), level=0)]
    table_seen = False
    for row_no, cells in grid:
        cells = cells[first : last + 1]
        filled = [i for i, c in enumerate(cells) if c]
        at = replace(src, table=number, row=row_no)
        merged_across = len(filled) == 1 and filled[0] + 1 < len(cells) and cells[filled[0] + 1] is None
        if len(filled) == 1 and (filled[0] == 0 or merged_across) and not (merged_across and table_seen):
            # One value at the left edge (or merged across): a title, note or ■ heading line.
            blocks.append(Block(text=cells[filled[0]] or "", source=at))
            continue
        # (merged across between a table's rows: a row of the table, a band the parser reads as a heading)
        table_seen = table_seen or len(filled) > 1
        blocks.append(Block(text="\t".join(c or "" for c in cells), source=at, cells=tuple(cells)))
    return blocks

