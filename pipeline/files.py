"""Which files are plan documents, and the files a folder given on the command line stands for:
every file of a folder is either read, refused with one line saying what to do, or counted among the
files that are not documents (Thumbs.db, desktop.ini, .DS_Store, lock files)."""
from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .messages import language, text

# Read directly.
NATIVE_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".xlsx", ".xlsm", ".csv")
# Converted with LibreOffice (pipeline/ingest/convert.py) to .docx or .xlsx first.
CONVERTED_SUFFIXES = (".doc", ".rtf", ".odt", ".xls", ".ods")
SUFFIXES = NATIVE_SUFFIXES + CONVERTED_SUFFIXES

# Documents no library reads: what the planner can do instead (one line each), as a catalogue code
# and the application to open it in.
UNREADABLE: dict[str, tuple[str, str]] = {
    ".jtd": ("files.save_as_docx", "一太郎"),
    ".jtdc": ("files.save_as_docx", "一太郎"),
    ".jtt": ("files.save_as_docx", "一太郎"),
    ".jaw": ("files.save_as_docx", "一太郎"),
    ".hwp": ("files.save_as_docx", "ハングルワードプロセッサ"),
    ".hwpx": ("files.save_as_docx", "ハングルワードプロセッサ"),
    ".pages": ("files.export_docx", "Pages"),
    ".numbers": ("files.export_xlsx", "Numbers"),
    ".key": ("files.export_pdf", "Keynote"),
    ".ppt": ("files.save_pdf", "PowerPoint"),
    ".pptx": ("files.save_pdf", "PowerPoint"),
    ".odp": ("files.save_pdf", "LibreOffice Impress"),
    ".wps": ("files.save_as_docx", "Works/WPS"),
    ".wpd": ("files.save_as_docx", "WordPerfect"),
    ".xps": ("files.print_pdf", ""),
    ".oxps": ("files.print_pdf", ""),
    ".htm": ("files.html", ""),
    ".html": ("files.html", ""),
    ".zip": ("files.archive", ""),
    ".lzh": ("files.archive", ""),
    ".7z": ("files.archive", ""),
}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp", ".heic")

# Files a folder holds that are not documents: named in one summary line, never an error.
NOT_DOCUMENTS = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db", ".localized", "icon\r"})
# … and by their type: plandraft's own files beside the plans (plandraft.toml, corrections.tsv, the
# library, backups), shortcuts, programs. Any other unknown type is an error naming the file.
NOT_DOCUMENT_SUFFIXES = frozenset({
    ".toml", ".tsv", ".json", ".sqlite", ".sqlite3", ".db", ".bak", ".log", ".tmp", ".lnk", ".url", ".ini",
    ".cfg", ".yaml", ".yml", ".xml", ".py", ".sh", ".bat", ".cmd", ".exe", ".dll", ".css", ".js", ".lock",
})


def refusal(suffix: str) -> tuple[str, str] | None:
    """(reason, what to do) for a document type plandraft cannot read, None for any other suffix."""
    suffix = suffix.lower()
    if suffix in UNREADABLE:
        code, app = UNREADABLE[suffix]
        return text("files.cannot_read", suffix=suffix), text(code, app=app) if app else text(code)
    if suffix in IMAGE_SUFFIXES:
        return text("files.image", suffix=suffix), text("files.image.hint")
    return None


def is_not_document(path: Path, rel: Path) -> bool:
    """Whether a file found in a folder is no document at all: system files (Thumbs.db, desktop.ini,
    .DS_Store…), Office lock files (~$…), plandraft's own files (.toml, .tsv, .sqlite, .bak…), and
    anything hidden or in a hidden folder (.git, ._x)."""
    name = path.name.lower()
    if name in NOT_DOCUMENTS or name.startswith("~$") or path.suffix.lower() in NOT_DOCUMENT_SUFFIXES:
        return True
    return any(part.startswith(".") for part in rel.parts)


@dataclass
class Expansion:
    """What the paths given stand for: the files to read (each is read or refused with its reason),
    the files that are not documents, and the folders that hold no file to read."""

    files: list[Path] = field(default_factory=list)
    not_documents: list[Path] = field(default_factory=list)
    empty_folders: list[Path] = field(default_factory=list)
    # Folders (named, or inside one named) that could not be listed, with the reason: errors, never skipped.
    unreadable_folders: list[tuple[Path, str]] = field(default_factory=list)


def expand(paths: Iterable[Path | str]) -> Expansion:
    """Files named, and every file inside folders named (recursively, sorted) that is not a system
    file: documents of any type (the readers refuse what they cannot read, by name). A folder that
    cannot be listed (no permission) is named in unreadable_folders, not skipped."""
    out = Expansion()
    for p in map(Path, paths):
        try:
            is_dir = p.is_dir()
        except OSError:  # inside a folder that cannot be entered: the reader names the file and why
            is_dir = False
        if not is_dir:
            out.files.append(p)
            continue
        found = 0
        unreadable = len(out.unreadable_folders)
        for f in _files_below(p, out.unreadable_folders):
            if is_not_document(f, f.relative_to(p)):
                out.not_documents.append(f)
                continue
            out.files.append(f)
            found += 1
        if not found and len(out.unreadable_folders) == unreadable:  # else: the unreadable folder is the error
            out.empty_folders.append(p)
    return out


def _files_below(folder: Path, unreadable: list[tuple[Path, str]]) -> list[Path]:
    """Every file below folder, sorted (what sorted(rglob("*")) gives, which skips a folder it
    cannot list without a word); each folder that cannot be listed is added to unreadable."""
    found: list[Path] = []
    seen: set[str] = set()
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            real = os.path.realpath(here)
            if real in seen:  # a link back to a folder above
                continue
            seen.add(real)
            with os.scandir(here) as entries:
                listed = list(entries)
        except OSError as exc:
            unreadable.append((here, exc.strerror or str(exc)))
            continue
        for entry in listed:
            path = here / entry.name
            try:
                if entry.is_dir():
                    stack.append(path)
                elif entry.is_file():
                    found.append(path)
            except OSError:
                found.append(path)  # cannot even tell what it is: its reader names the file and why
    return sorted(found)


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """The files to read of paths (see expand): named files, and the documents inside folders."""
    return expand(paths).files


def not_documents_line(files: list[Path], shown: int = 5) -> str:
    """The one summary line for files of a folder that are not documents."""
    names = ("、" if language() == "ja" else ", ").join(f.name for f in files[:shown])
    if len(files) > shown:
        names = text("files.more", names=names, count=len(files) - shown)
    return text("files.not_documents" if len(files) != 1 else "files.not_documents.one", count=len(files), names=names)


def display(path: Path | str) -> str:
    """path as text that can be written anywhere (UTF-8 files, JSON, Word, SQLite, a terminal): the
    path itself when it is valid Unicode. A name that is not (a Shift_JIS name left by unzipping a
    Windows zip on Linux, which Python keeps as surrogate escapes) is decoded as cp932 when its bytes
    are cp932, else shown with each undecodable byte as \\xNN. Idempotent; files are still opened by
    their real path."""
    s = str(path)
    if not _has_surrogates(s):
        return s
    return "/".join(_readable_part(part) for part in s.split("/"))  # "/" is never a cp932 trail byte


def _has_surrogates(s: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in s)


def _readable_part(part: str) -> str:
    if not _has_surrogates(part):
        return part
    try:
        raw = part.encode("utf-8", "surrogateescape")  # the name's original bytes (POSIX)
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte (a broken Windows name)
        return part.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
    try:
        name = raw.decode("cp932")
    except UnicodeDecodeError:
        name = ""
    # cp932 also maps 0x80, 0xA0 and 0xFD–0xFF (private-use characters, controls): not a real name
    if name and not any(unicodedata.category(ch) in ("Co", "Cc") for ch in name):
        return name
    return raw.decode("utf-8", "backslashreplace")


def file_sha256(path: Path | str) -> str:
    """The sha256 of a file's content, read in 1 MB pieces."""
    import hashlib

    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
