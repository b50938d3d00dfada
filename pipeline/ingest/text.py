"""Reader for .txt/.md plan documents (in the encodings text.encoding reads): tab-separated and Markdown table rows."""
from __future__ import annotations

import re
from pathlib import Path

from ..messages import input_error
from ..model import Block, Source
from ..settings import ReadSettings
from ..text.encoding import decode

_LINE_END = re.compile(r"\r\n|\r|\n")
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
    # Lines end at CR/LF only: str.splitlines also breaks at form feeds, NEL and U+2028, which a
    # cell may hold (clean makes them line breaks inside the cell) and which must not split a row.
    for number, line in enumerate(_LINE_END.split(text.removesuffix("\n")), start=1):
        cells: list[str] | None = None
        stripped = line.strip()
        if "\t" in line:
            cells = line.split("\t")
        elif stripped.startswith("|") and stripped.count("|") >= 2:
            if _MD_SEPARATOR.match(stripped):
                continue
            cells = [c for c in stripped.strip("|").split("|")]
        if cells is not None and not stripped:
            continue  # a row of blank cells (\t\t from a spreadsheet): nothing to read, the table goes on
        if cells is None:
            in_table = False
            if stripped:
                blocks.append(Block(text=line, source=Source(path=str(path), sha256=sha256, line=number)))
            continue
        if not in_table:
            table += 1
            row = 0
            in_table = True
        row += 1
        src = Source(path=str(path), sha256=sha256, line=number, table=table, row=row)
        blocks.append(Block(text=line, source=src, cells=tuple(cells)))
    return blocks, None
