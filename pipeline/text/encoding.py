"""The text encodings plandraft reads a planner's files in: UTF-8 (with or without BOM), UTF-16 and
UTF-32 with BOM (Excel's 「Unicode テキスト」), Shift_JIS/CP932 (Excel's 「テキスト (タブ区切り)」 and
「CSV」, older Notepad's ANSI), for plans and for the files a planner edits (corrections.tsv, rules,
exchange files, plandraft.toml) alike; and writing such a file back in the encoding it came in."""
from __future__ import annotations

from pathlib import Path

from ..messages import input_error

UTF8_BOM = b"\xef\xbb\xbf"


def detect(data: bytes) -> tuple[str, str]:
    """(text, codec) of data: codec is the Python codec to write it back with (utf-8-sig where it had a
    BOM). InputError (text.*) for bytes in none of the encodings."""
    if data.startswith(UTF8_BOM):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
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


def read_text(path: Path | str) -> tuple[str, str]:
    """(text, codec) of the file at path (see detect); OSError as open() raises it."""
    return detect(Path(path).read_bytes())


def encode(text: str, codec: str) -> bytes:
    """text in codec (as detect named it), for a file written back in the encoding it was read in;
    where CP932 has no character for some of it (a name a planner typed on the page), UTF-8 with a
    BOM, which Excel and Notepad also open as Japanese."""
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        return text.encode("utf-8-sig")


__all__ = ["UTF8_BOM", "decode", "detect", "encode", "read_text"]
