"""Reader for .txt/.md plan documents (in the encodings text.encoding reads): tab-separated and Markdown table rows."""
from __future__ import annotations

import re
from pathlib import Path

from ..messages import input_error
from ..model import Block, Source
from ..settings import ReadSettings
from ..text.encoding import decode, tsv_records

_LINE_END = re.compile(r"\r\n|\r|\n")
_MD_HEADING = re.compile(r"^(#{1,6})[ \u3000]+(\S.*?)[ #]*$")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def read(path: Path, sha256: str, data: bytes, settings: ReadSettings | None = None) -> tuple[list[Block], int | None]:
    """Blocks of a text file: a line of running text each, or a table row for tab/Markdown rows."""
    text = decode(data)
    if not text.replace("\x00", "").strip():  # NUL bytes only (a file zeroed by a failed copy) is empty too
        raise input_error("text.empty")
    blocks: list[Block] = []
    table = 0
    row = 0
    in_table = False
    for number, line, tab_cells in _records(text):
        cells: list[str] | None = None
        stripped = line.strip()
        if tab_cells is not None:
            cells = tab_cells
        elif stripped.startswith("|") and stripped.count("|") >= 2:
            if _MD_SEPARATOR.match(stripped):
                continue
            cells = [c for c in stripped.strip("|").split("|")]
        if cells is not None and not stripped:
            continue  # a row of blank cells (\t\t from a spreadsheet): nothing to read, the table goes on
        if cells is None:
            in_table = False
            heading = _MD_HEADING.match(stripped)
            if heading:  # a Markdown heading (## 基本方針1 …): a heading of its level, as Word's 見出し N
                level = len(heading.group(1))  # (the file's first line in # is its title)
                blocks.append(Block(text=heading.group(2), source=Source(path=str(path), sha256=sha256, line=number),
                                    level=None if level == 1 and not blocks else level))
            elif stripped:
                blocks.append(Block(text=line, source=Source(path=str(path), sha256=sha256, line=number)))
            continue
        if not in_table:
            table += 1
            row = 0
            in_table = True
        row += 1
        src = Source(path=str(path), sha256=sha256, line=number, table=table, row=row)
        if blocks and blocks[-1].source.table == table and _rest_of_row(blocks, cells):
            # a cell with a line break, copied from a browser (<br>): the row goes on on the next line
            prev = blocks[-1]
            joined = (*prev.cells[:-1], f"{prev.cells[-1]}\n{cells[0]}", *cells[1:])
            blocks[-1] = Block(text="\t".join(c or "" for c in joined), source=prev.source, cells=joined)
            row -= 1
            continue
        blocks.append(Block(text=line, source=src, cells=tuple(cells)))
    return blocks, None


def _records(text: str) -> list[tuple[int, str, list[str] | None]]:
    """The file's lines (number, text, and the cells of a tab-separated row, else None), a row as Excel
    saves it (「テキスト (タブ区切り)」): a cell in quotes may span lines (Alt+Enter) and is one cell. Lines
    end at CR/LF only: str.splitlines also breaks at form feeds, NEL and U+2028, which a cell may hold
    (clean makes them line breaks inside the cell) and which must not split a row."""
    out: list[tuple[int, str, list[str] | None]] = []
    for record in tsv_records(text.removesuffix("\n")):
        raw = record.raw.rstrip("\r\n")
        if len(record.cells) > 1:
            out.append((record.line, raw, record.cells))
            continue
        for k, line in enumerate(_LINE_END.split(raw)):  # (one cell: the lines as written)
            out.append((record.line + k, line, line.split("\t") if "\t" in line else None))
    return out


def _rest_of_row(blocks: list[Block], cells: list[str]) -> bool:
    """Whether cells are the rest of the table's last row, broken by a line break in one of its cells
    (a browser's copy of a cell with <br>): that row and these are each short of the header's cells by
    as many as make one row together, and neither is complete."""
    table = blocks[-1].source.table
    rows = [b for b in blocks if b.source.table == table]
    if len(rows) < 2:
        return False
    width, prev = len(rows[0].cells), len(rows[-1].cells)
    if not (prev < width and len(cells) < width and prev + len(cells) - 1 == width):
        return False
    broken = (rows[-1].cells[-1] or "").strip()
    if not broken or not cells[0].strip() or broken.endswith(("。", ".")):
        return False  # (a short row of its own: its last cell ends a sentence, or is blank)
    firsts = [(b.cells[0] or "").strip() for b in rows[1:]]
    # where rows start with a number (No.), the rest of a row does not
    return not (firsts and all(f.isdigit() for f in firsts) and cells[0].strip().isdigit())
