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
from dataclasses import dataclass
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


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # a physical line with its ending
MAX_SPAN = 50  # lines one quoted cell may span (Alt+Enter in Excel); an open quote beyond is a quote


@dataclass(frozen=True)
class TsvRecord:
    line: int  # its first line (1-based)
    cells: list[str]
    raw: str  # as written, line endings included: what a rewrite keeps of a record it does not change

    @property
    def skipped(self) -> bool:
        """A blank line or a comment (# …)."""
        return not any(c.strip() for c in self.cells) or self.cells[0].lstrip().startswith("#")


def _quoted(chunk: str) -> list[str] | None:
    """The cells of chunk read as one record with Excel's quoting, or None where a quote is left open
    (the record goes on); ValueError where it is no Excel quoting (a quote a planner typed)."""
    try:
        rows = list(csv.reader(io.StringIO(chunk, newline=""), delimiter="\t", strict=True))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return None
        raise ValueError(str(exc)) from None
    if len(rows) != 1:
        raise ValueError("not one record")
    return rows[0]


def tsv_records(text: str) -> list[TsvRecord]:
    """The records of tab-separated text, read as Excel writes it: a cell that starts with a quote is
    quoted (a quote in it doubled) and may span lines (Alt+Enter). A line that is blank or a comment
    (# …) is a record of its own, and a quote that does not read as Excel's (one left open, text
    after the closing one) is read as written, so one stray quote never swallows the lines after it.
    Lines end at CR, LF or CRLF only (not at U+2028 or a form feed, which a cell may hold)."""
    lines = _LINE.findall(text)
    out: list[TsvRecord] = []
    k = 0
    while k < len(lines):
        body = lines[k].rstrip("\r\n")
        end, cells = k + 1, None
        if '"' in body and not body.lstrip().startswith("#"):
            try:
                while (cells := _quoted("".join(lines[k:end]))) is None and end < len(lines) and end - k < MAX_SPAN:
                    end += 1
            except ValueError:
                cells = None
            if cells is None:
                end = k + 1
        out.append(TsvRecord(k + 1, cells if cells is not None else body.split("\t"), "".join(lines[k:end])))
        k = end
    return out


def newline_of(text: str) -> str:
    """The line ending text mostly uses (LF for none)."""
    crlf = text.count("\r\n")
    ends = {"\r\n": crlf, "\n": text.count("\n") - crlf, "\r": text.count("\r") - crlf}
    best = max(ends, key=lambda e: ends[e])
    return best if ends[best] else "\n"


def tsv_row(cells: Sequence[str]) -> str:
    """cells as one line of tab-separated text that tsv_records reads back as they are: tabs and line
    breaks inside a cell become spaces, and a cell with a quote is quoted, as Excel writes it."""
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="").writerow([re.sub(r"[\t\r\n]+", " ", c).strip() for c in cells])
    return out.getvalue()


__all__ = ["MAX_SPAN", "UTF8_BOM", "TsvRecord", "decode", "detect", "encode", "newline_of", "read_text", "tsv_records",
           "tsv_row"]
