"""Ingest: plan documents (.txt/.md/.docx/.pdf/.xlsx) → Documents of structured, traceable items."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ..errors import InputError
from ..files import SUFFIXES, expand_paths  # noqa: F401 - re-exported: pipeline.ingest.SUFFIXES
from ..model import Block, Document, IngestError, document_from_dict, to_jsonable
from ..settings import LIMITS, Limits, ReadSettings
from .batch import parse_in_workers
from .structure import parse_blocks

# Bump when parsing changes, so cached results from an older parser are not reused.
PARSER_VERSION = "1"
Reader = Callable[[Path, str, bytes, ReadSettings], tuple[list[Block], int | None]]


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


def read_blocks(path: Path, settings: ReadSettings | None = None) -> tuple[list[Block], int | None, str, bytes]:
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
    blocks, pages = reader(path, sha, data, settings or ReadSettings())
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


def parse_file(path: Path, settings: ReadSettings | None = None) -> Document:
    """The Document of one plan file, parsed here and now (no cache); raises InputError."""
    suffix = path.suffix.lower()
    blocks, pages, sha, _ = read_blocks(path, settings)
    return parse_blocks(blocks, path=str(path), sha256=sha, fmt=suffix.lstrip("."), pages=pages,
                        cjk_spaces=suffix == ".pdf")


def cached(path: Path) -> Document | None:
    """The cached Document of path if its content was parsed before (by any name), else None."""
    if not path.is_file():
        return None
    try:
        entry = _cache_path(_hash_file(path), path.suffix.lower())
        if entry.is_file():
            return _relocate(document_from_dict(json.loads(entry.read_text("utf-8"))), str(path))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # a broken cache entry is simply re-parsed
    return None


def ingest_file(path: Path | str, use_cache: bool = True, settings: ReadSettings | None = None) -> Document:
    """The Document of one plan file, read in this process; raises InputError for a file that cannot
    be read. (ingest_paths reads in worker processes, with time and memory limits.)"""
    path = Path(path)
    _reader(path.suffix.lower())  # unsupported types fail before any reading
    if use_cache and (doc := cached(path)) is not None:
        return doc
    try:
        doc = parse_file(path, settings)
    except MemoryError:
        raise InputError("file too large to read in memory", "split it into smaller files") from None
    if use_cache:
        store_in_cache(doc)
    return doc


def store_in_cache(doc: Document) -> None:
    """Keep doc's parse for the next run over the same content."""
    _write_cache(_cache_path(doc.sha256, Path(doc.path).suffix.lower()), doc)


def _write_cache(target: Path, doc: Document) -> None:
    from ..output import write_atomic

    with contextlib.suppress(OSError):  # caching is an optimisation; a read-only home must not fail the run
        write_atomic(target, json.dumps(to_jsonable(doc), ensure_ascii=False))


def _check(path: Path) -> None:
    """Raise the InputError of a file that need not be opened to be refused."""
    _reader(path.suffix.lower())
    if not path.exists():
        raise InputError("no such file", "check the path")


def default_workers() -> int:
    return os.cpu_count() or 1


def ingest_paths(
    paths: Iterable[Path | str],
    use_cache: bool = True,
    on_error: Callable[[Path, InputError], None] | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
    workers: int | None = None,
    limits: Limits = LIMITS,
    settings: ReadSettings | None = None,
) -> tuple[list[Document], list[IngestError]]:
    """Documents of every readable file, in input order, and one IngestError per file that could not
    be read (on_error is called for each, in input order; progress(done, total, file) as files finish).

    Unchanged files come from the cache; the others are parsed in up to `workers` (default: the CPU
    count) worker processes, each file within limits (time, memory): a file that passes them is
    reported, never allowed to hang or exhaust the batch."""
    files = expand_paths(paths)
    results: dict[int, Document | InputError] = {}
    todo: list[int] = []
    for index, f in enumerate(files):
        try:
            _check(f)
        except InputError as exc:
            results[index] = exc
            continue
        doc = cached(f) if use_cache else None
        if doc is None:
            todo.append(index)
        else:
            results[index] = doc

    reported = 0
    docs: list[Document] = []
    errors: list[IngestError] = []

    def report() -> None:
        # Results are taken in input order, so error lines and documents keep the order given.
        nonlocal reported
        while reported in results:
            f, result = files[reported], results.pop(reported)
            if isinstance(result, InputError):
                errors.append(IngestError(path=str(f), reason=result.full_reason()))
                if on_error:
                    on_error(f, result)
            else:
                docs.append(result)
            reported += 1

    done = len(files) - len(todo)
    if progress and done:
        progress(done, len(files), files[max(set(range(len(files))) - set(todo))])
    report()

    def finished(i: int, result: Document | InputError) -> None:
        nonlocal done
        index = todo[i]
        if use_cache and isinstance(result, Document):
            store_in_cache(result)
        results[index] = result
        done += 1
        if progress:
            progress(done, len(files), files[index])
        report()

    if todo:
        n = max(1, min(workers or default_workers(), len(todo)))
        read = replace(settings or ReadSettings(), limits=limits) if settings is None or limits is not LIMITS else settings
        parse_in_workers([files[i] for i in todo], n, read, finished)
    report()
    return docs, errors
