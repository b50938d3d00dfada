"""The text encodings plandraft reads a planner's files in: UTF-8 (with or without BOM), UTF-16 and
UTF-32 with BOM (Excel's 「Unicode テキスト」), Shift_JIS/CP932 (Excel's 「テキスト (タブ区切り)」 and
「CSV」, older Notepad's ANSI), for plans and for the files a planner edits (corrections.tsv, rules,
exchange files, plandraft.toml) alike; writing such a file back in the encoding it came in; and
reading tab-separated text as Excel writes it."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from ..messages import input_error

UTF8_BOM = b"\xef\xbb\xbf"


def detect(data: bytes, strict: bool = False) -> tuple[str, str]:
    """(text, codec) of data: codec is the Python codec to write it back with (utf-8-sig where it had a
    BOM). InputError (text.*) for bytes in none of the encodings. A stray byte in text with a UTF-8
    BOM reads as U+FFFD (a plan still reads), or with strict (a file to be written back) is an
    InputError: the bytes would be lost."""
    if data.startswith(UTF8_BOM):
        try:
            return data[3:].decode("utf-8", errors="strict" if strict else "replace"), "utf-8-sig"
        except UnicodeDecodeError:
            raise input_error("text.bad_utf8") from None
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: its BOM starts the same
        try:
            return data.decode("utf-32"), "utf-32"
        except UnicodeDecodeError:
            raise input_error("text.bad_utf32") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise input_error("text.bad_utf16") from None
    if data.isascii():  # any encoding: what is added is written as Excel reads it best
        return data.decode("ascii"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        pass
    raise input_error("text.unknown_encoding")


def decode(data: bytes) -> str:
    """The text of data (see detect)."""
    return detect(data)[0]


def read_text(path: Path | str, strict: bool = False) -> tuple[str, str]:
    """(text, codec) of the file at path (see detect); OSError as open() raises it."""
    return detect(Path(path).read_bytes(), strict)


def encode(text: str, codec: str) -> bytes:
    """text in codec (as detect named it), for a file written back in the encoding it was read in;
    where CP932 has no character for some of it (a name a planner typed on the page), UTF-8 with a
    BOM, which Excel and Notepad also open as Japanese."""
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        return text.encode("utf-8-sig")


def tsv_records(text: str) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of each record of tab-separated text, read as Excel writes it:
    a cell with a quote, a tab or a line break (Alt+Enter) is quoted and may span lines; a quote
    inside a cell that does not start with one is a quote."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    out: list[tuple[int, int, list[str]]] = []
    start = 1
    for cells in reader:
        out.append((start, reader.line_num, cells))
        start = reader.line_num + 1
    return out


def tsv_row(cells: Sequence[str]) -> str:
    """cells as one line of tab-separated text that tsv_records reads back as they are: tabs and line
    breaks inside a cell become spaces, and a cell with a quote is quoted, as Excel writes it."""
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="").writerow([re.sub(r"[\t\r\n]+", " ", c).strip() for c in cells])
    return out.getvalue()


__all__ = ["UTF8_BOM", "decode", "detect", "encode", "read_text", "tsv_records", "tsv_row"]
