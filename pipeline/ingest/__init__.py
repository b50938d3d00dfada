"""Ingest: plan documents (.txt/.md/.docx/.pdf/.xlsx) → Documents of structured, traceable items."""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import InputError
from ..model import Block, Document, IngestError, document_from_dict, to_jsonable
from .structure import parse_blocks

# Bump when parsing changes, so cached results from an older parser are not reused.
PARSER_VERSION = "1"
SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".xlsx")
Reader = Callable[[Path, str, bytes], tuple[list[Block], int | None]]


def _reader(suffix: str) -> Reader:
    # Imported lazily: a text-only run need not load pdfplumber or python-docx.
    if suffix in (".txt", ".md"):
        from . import text

        return text.read
    if suffix == ".pdf":
        from . import pdf

        return pdf.read
    if suffix == ".docx":
        from . import docx as docx_reader

        return docx_reader.read
    if suffix == ".xlsx":
        from . import xlsx as xlsx_reader

        return xlsx_reader.read
    raise InputError(
        f"unsupported file type '{suffix or '(none)'}'", "give a .pdf, .docx, .xlsx, .txt or .md file"
    )


def read_blocks(path: Path) -> tuple[list[Block], int | None, str, bytes]:
    """Blocks of one file, its page count (PDF), its sha256 and its bytes; raises InputError."""
    suffix = path.suffix.lower()
    reader = _reader(suffix)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", "check the path and permissions") from exc
    if not data:
        raise InputError("empty file (0 bytes)", "check that the right file was given")
    sha = hashlib.sha256(data).hexdigest()
    blocks, pages = reader(path, sha, data)
    return blocks, pages, sha, data


def cache_dir() -> Path:
    """Where parsed documents are cached: $PLANDRAFT_CACHE_DIR or ~/.cache/plandraft."""
    env = os.environ.get("PLANDRAFT_CACHE_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "plandraft"


def _cache_path(sha: str, suffix: str) -> Path:
    return cache_dir() / f"{sha}{suffix}.v{PARSER_VERSION}.json"


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _relocate(doc: Document, path: str) -> Document:
    """A cached document as if read from path (same content, maybe another file name)."""
    if doc.path == path:
        return doc
    d = to_jsonable(doc)
    d["path"] = path
    for item in d["items"]:
        item["source"]["path"] = path
    return document_from_dict(d)


def ingest_file(path: Path | str, use_cache: bool = True) -> Document:
    """The Document of one plan file; raises InputError for a file that cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    _reader(suffix)  # unsupported types fail before any reading
    if use_cache and path.is_file():
        try:
            cached = _cache_path(_hash_file(path), suffix)
            if cached.is_file():
                return _relocate(document_from_dict(json.loads(cached.read_text("utf-8"))), str(path))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a broken cache entry is simply re-parsed
    blocks, pages, sha, _ = read_blocks(path)
    doc = parse_blocks(blocks, path=str(path), sha256=sha, fmt=suffix.lstrip("."), pages=pages,
                       cjk_spaces=suffix == ".pdf")
    if use_cache:
        _write_cache(_cache_path(sha, suffix), doc)
    return doc


def _write_cache(target: Path, doc: Document) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(to_jsonable(doc), ensure_ascii=False), "utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # caching is an optimisation; a read-only home must not fail the run


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files named and the plan files inside folders named (recursively, sorted), skipping hidden
    files and Office lock files (~$…)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if not f.is_file() or any(part.startswith(".") for part in rel.parts):
                    continue
                if f.name.startswith("~$") or f.suffix.lower() not in SUFFIXES:
                    continue
                out.append(f)
        else:
            out.append(p)
    return out


def _ingest_one(path: Path, use_cache: bool) -> Document | InputError:
    """Document of path, or the InputError saying why not; never raises (runs in worker processes)."""
    try:
        if not path.exists():
            raise InputError("no such file", "check the path")
        return ingest_file(path, use_cache=use_cache)
    except InputError as exc:
        return exc
    except MemoryError:
        return InputError("file too large to read in memory", "split it into smaller files")
    except Exception as exc:  # a parser bug or an unforeseen malformation must not stop the batch
        return InputError(f"could not parse ({type(exc).__name__}: {exc})", "check the file opens in Word/Acrobat; report it")


def default_workers() -> int:
    return os.cpu_count() or 1


def ingest_paths(
    paths: Iterable[Path | str],
    use_cache: bool = True,
    on_error: Callable[[Path, InputError], None] | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
    workers: int | None = None,
) -> tuple[list[Document], list[IngestError]]:
    """Documents of every readable file, in input order, and one IngestError per file that could not
    be read. With workers > 1 (default: the CPU count) files are parsed in parallel processes."""
    files = expand_paths(paths)
    workers = max(1, min(workers or default_workers(), len(files)))
    results: Iterable[Document | InputError]
    if workers == 1:
        results = (_ingest_one(f, use_cache) for f in files)
    else:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=workers)
        results = pool.map(_ingest_one, files, [use_cache] * len(files), chunksize=1)
    docs: list[Document] = []
    errors: list[IngestError] = []
    try:
        for n, (f, result) in enumerate(zip(files, results), start=1):
            if progress:
                progress(n, len(files), f)
            if isinstance(result, InputError):
                errors.append(IngestError(path=str(f), reason=result.full_reason()))
                if on_error:
                    on_error(f, result)
            else:
                docs.append(result)
    finally:
        if workers > 1:
            pool.shutdown(cancel_futures=True)
    return docs, errors
