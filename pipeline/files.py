"""Which files are plan documents, and the files a folder given on the command line stands for:
every file of a folder is either read, refused with one line saying what to do, or counted among the
files that are not documents (Thumbs.db, desktop.ini, .DS_Store, lock files)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Read directly.
NATIVE_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".xlsx", ".xlsm", ".csv")
# Converted with LibreOffice (pipeline/ingest/convert.py) to .docx or .xlsx first.
CONVERTED_SUFFIXES = (".doc", ".rtf", ".odt", ".xls", ".ods")
SUFFIXES = NATIVE_SUFFIXES + CONVERTED_SUFFIXES

_SAVE_AS_DOCX = "Word 形式(.docx)で保存してください"
# Documents no library reads: what the planner can do instead (one line each).
UNREADABLE: dict[str, str] = {
    ".jtd": f"一太郎で開き、{_SAVE_AS_DOCX}",
    ".jtdc": f"一太郎で開き、{_SAVE_AS_DOCX}",
    ".jtt": f"一太郎で開き、{_SAVE_AS_DOCX}",
    ".jaw": f"一太郎で開き、{_SAVE_AS_DOCX}",
    ".hwp": f"ハングルワードプロセッサで開き、{_SAVE_AS_DOCX}",
    ".hwpx": f"ハングルワードプロセッサで開き、{_SAVE_AS_DOCX}",
    ".pages": f"Pages で開き、書き出しで{_SAVE_AS_DOCX}",
    ".numbers": "Numbers で開き、書き出しで Excel 形式(.xlsx)で保存してください",
    ".key": "Keynote で開き、書き出しで PDF にしてください",
    ".ppt": "PowerPoint で開き、PDF として保存してください",
    ".pptx": "PowerPoint で開き、PDF として保存してください",
    ".odp": "LibreOffice Impress で開き、PDF として保存してください",
    ".wps": f"Works/WPS で開き、{_SAVE_AS_DOCX}",
    ".wpd": f"WordPerfect で開き、{_SAVE_AS_DOCX}",
    ".xps": "PDF に印刷し直してください",
    ".oxps": "PDF に印刷し直してください",
    ".htm": "ブラウザで開き、PDF に印刷するか Word で開いて .docx で保存してください",
    ".html": "ブラウザで開き、PDF に印刷するか Word で開いて .docx で保存してください",
    ".zip": "展開して、中のファイルかフォルダを指定してください",
    ".lzh": "展開して、中のファイルかフォルダを指定してください",
    ".7z": "展開して、中のファイルかフォルダを指定してください",
}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp", ".heic")
IMAGE_HINT = "画像は読めません: スキャナで PDF として保存するか、画像を PDF にまとめてください(スキャンした PDF は OCR で読みます)"

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
        return f"'{suffix}' files cannot be read", UNREADABLE[suffix]
    if suffix in IMAGE_SUFFIXES:
        return f"an image ('{suffix}'), not a document", IMAGE_HINT
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


def expand(paths: Iterable[Path | str]) -> Expansion:
    """Files named, and every file inside folders named (recursively, sorted) that is not a system
    file: documents of any type (the readers refuse what they cannot read, by name)."""
    out = Expansion()
    for p in map(Path, paths):
        if not p.is_dir():
            out.files.append(p)
            continue
        found = 0
        for f in sorted(p.rglob("*")):
            if not f.is_file():
                continue
            if is_not_document(f, f.relative_to(p)):
                out.not_documents.append(f)
                continue
            out.files.append(f)
            found += 1
        if not found:
            out.empty_folders.append(p)
    return out


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """The files to read of paths (see expand): named files, and the documents inside folders."""
    return expand(paths).files


def not_documents_line(files: list[Path], shown: int = 5) -> str:
    """The one summary line for files of a folder that are not documents."""
    names = ", ".join(f.name for f in files[:shown]) + (f" and {len(files) - shown} more" if len(files) > shown else "")
    return f"not read: {len(files)} file{'s' if len(files) != 1 else ''} that {'are' if len(files) != 1 else 'is'} not a document ({names})"


def file_sha256(path: Path | str) -> str:
    """The sha256 of a file's content, read in 1 MB pieces."""
    import hashlib

    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
