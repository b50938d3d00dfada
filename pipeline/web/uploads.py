"""Uploaded files: a safe file name from whatever name the browser sent, stored under the project's
uploads folder. A name from the client is never used as a path: only its last part, cleaned."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ..ingest import SUFFIXES

# Bytes of UTF-8, suffix included: file systems count bytes (ext4 and most others allow 255 per name,
# and a kanji is 3), and room is left for " (99)" and for the temporary name write_atomic makes
# (".NAME.xxxxxxxx.tmp").
MAX_NAME = 200
# Characters Windows refuses in file names (a planner may copy the folder to a Windows share).
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}


def safe_filename(name: str, default: str = "upload") -> str:
    """A file name that is safe to create in one folder: the last part of name (after any / or \\),
    NFC (a Mac sends が as か + ゛), no control or Windows-forbidden characters, no leading dots or
    spaces, not a Windows device name, at most MAX_NAME bytes in UTF-8 (suffix kept, the name cut
    between characters); Japanese is kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = re.sub(r"\s+", " ", name)
    name = _FORBIDDEN.sub("_", name)
    name = name.lstrip(". ").rstrip(". ")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem, suffix = stem.rstrip(". "), suffix.strip()[:10]
    if not stem:
        stem = default
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    room = MAX_NAME - (len(suffix.encode("utf-8")) + 1 if suffix else 0)
    stem = _cut(stem, room).rstrip(". ") or default
    return f"{stem}.{suffix}" if suffix else stem


def _cut(text: str, limit: int) -> str:
    """The longest start of text that is at most limit bytes in UTF-8 (never half a character)."""
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", errors="ignore")


def supported(name: str) -> bool:
    """Whether ingest reads files of this name's type."""
    return Path(name).suffix.lower() in SUFFIXES


def store(folder: Path, name: str, data: bytes) -> tuple[Path, bool]:
    """Save data as folder/name (name already safe); returns the path and whether it is new. The
    same content already there under that name or a numbered one is not stored twice; another file
    of the same name is kept and this one gets ' (2)', ' (3)' … before its suffix."""
    folder.mkdir(parents=True, exist_ok=True)
    sha = hashlib.sha256(data).hexdigest()
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while True:
        target = folder / (name if n == 1 else f"{stem} ({n}){suffix}")
        if not target.exists():
            break
        if hashlib.sha256(target.read_bytes()).hexdigest() == sha:
            return target, False
        n += 1
    from ..output import write_atomic

    return write_atomic(target, data), True
