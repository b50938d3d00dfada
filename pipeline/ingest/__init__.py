"""Ingest: plan documents (.txt/.md/.docx/.pdf/.xlsx/.csv, and .doc/.rtf/.odt/.xls/.ods through
LibreOffice; scanned PDF pages through OCR) → Documents of structured, traceable items."""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import json
import os
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files import (  # noqa: F401 - SUFFIXES re-exported: pipeline.ingest.SUFFIXES
    CONVERTED_SUFFIXES,
    SUFFIXES,
    display,
    expand,
    expand_paths,
    file_sha256,
    not_documents_line,
    refusal,
)
from ..messages import input_error, language
from ..messages import text as msg_text
from ..model import Block, Document, IngestError, document_from_dict, to_jsonable
from ..settings import LIMITS, Limits, ReadSettings
from ..workers import parse_in_workers
from .structure import parse_blocks

# Bump when parsing changes, so cached results from an older parser are not reused.
PARSER_VERSION = "71"
Reader = Callable[[Path, str, bytes, ReadSettings], tuple[list[Block], int | None]]


def _reader(suffix: str) -> Reader:
    # Imported lazily: a text-only run need not load pdfplumber or python-docx.
    if suffix in (".txt", ".md"):
        from . import text

        return text.read
    if suffix == ".pdf":
        from . import ocr  # the PDF reader, with OCR for pages without a usable text layer

        return ocr.read
    if suffix == ".docx":
        from . import docx as docx_reader

        return docx_reader.read
    if suffix in (".xlsx", ".xlsm"):  # a macro workbook is the same package; its macros are never run
        from . import xlsx as xlsx_reader

        return xlsx_reader.read
    if suffix == ".csv":
        from . import convert

        return convert.read_csv
    if suffix in CONVERTED_SUFFIXES:
        from . import convert

        return convert.read
    refused = refusal(suffix)
    if refused is not None:
        raise InputError(*refused)
    raise input_error("file.unsupported", suffix=suffix or "(none)")


def read_blocks(path: Path, settings: ReadSettings | None = None) -> tuple[list[Block], int | None, str, bytes]:
    """Blocks of one file, its page count (PDF), its sha256 and its bytes; raises InputError."""
    reader = _reader(path.suffix.lower())
    data, sha = _load(path)
    blocks, pages = reader(path, sha, data, settings or ReadSettings())
    return blocks, pages, sha, data


def _load(path: Path) -> tuple[bytes, str]:
    """The bytes of a file and their sha256; InputError for a file that cannot be read or is empty."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise input_error("file.unreadable", reason=exc.strerror or exc) from exc
    if not data:
        raise input_error("file.empty")
    return data, hashlib.sha256(data).hexdigest()


def cache_dir() -> Path:
    """Where parsed documents are cached: $PLANDRAFT_CACHE_DIR, else the user's cache folder
    (platformdirs: %LOCALAPPDATA%\\plandraft\\Cache on Windows, $XDG_CACHE_HOME/plandraft or
    ~/.cache/plandraft on Linux, ~/Library/Caches/plandraft on macOS)."""
    env = os.environ.get("PLANDRAFT_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_cache_path("plandraft", appauthor=False)


def _cache_path(sha: str, suffix: str) -> Path:
    # (per language: a document's warnings are written in the language it was read in)
    return cache_dir() / f"{sha}{suffix}.{language()}.v{PARSER_VERSION}.json"


def _relocate(doc: Document, path: str) -> Document:
    """A cached document as if read from path (same content, maybe another file name)."""
    if doc.path == path and all(item.source.path == path for item in doc.items):
        return doc
    d = to_jsonable(doc)
    d["path"] = path
    for item in d["items"]:
        item["source"]["path"] = path
    return document_from_dict(d)


def parse_file(path: Path, settings: ReadSettings | None = None) -> Document:
    """The Document of one plan file, parsed here and now (no cache); raises InputError. A PDF's
    Document names the pages read by OCR and the pages with no usable text."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from . import ocr

        data, sha = _load(path)
        result = ocr.read_pdf(path, sha, data, settings)
        doc = parse_blocks(result.blocks, path=display(path), sha256=sha, fmt="pdf", pages=result.pages, cjk_spaces=True,
                           settings=(settings or ReadSettings()).structure)
        return _relocate(ocr.annotate(doc, result, result.blocks, settings), display(path))
    blocks, pages, sha, data = read_blocks(path, settings)
    doc = parse_blocks(blocks, path=display(path), sha256=sha, fmt=suffix.lstrip("."), pages=pages,
                        cjk_spaces=suffix == ".pdf", settings=(settings or ReadSettings()).structure)
    if suffix in (".xlsx", ".xlsm"):  # sheets left out, formulas with no saved result: said
        from .xlsx import workbook_notes

        notes = workbook_notes(data)
        if notes:
            doc = replace(doc, warnings=(*doc.warnings, *notes))
    if suffix == ".docx":  # plandraft's own draft, finished in Word: the 新規候補 the planner deleted
        from ..ooxml import candidate_memory

        doc = replace(doc, declined=candidate_memory(data, [i.name for i in doc.items]))
    return _relocate(doc, display(path))  # the readers' sources name the real path


def _conforms(value: Any, kind: Any) -> bool:
    """True if JSON value has the shape of the type kind (dataclasses, str, int, tuples, dicts,
    unions and Literals as the records declare them)."""
    if dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            return False
        hints = typing.get_type_hints(kind)
        return all(_conforms(value[f.name], hints[f.name]) if f.name in value else
                   (f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING)
                   for f in dataclasses.fields(kind))
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is Any:
        return True
    if origin is typing.Literal:
        return value in args
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, a) for a in args)
    if kind is type(None):
        return value is None
    if origin in (tuple, list):
        if not isinstance(value, list):
            return False
        element = args[0] if args else Any
        return all(_conforms(v, element) for v in value)
    if origin is dict or kind is dict:
        return isinstance(value, dict) and (not args or all(_conforms(v, args[1]) for v in value.values()))
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(kind, type):
        return isinstance(value, kind)
    return True


def cached(path: Path) -> Document | None:
    """The cached Document of path if its content was parsed before (by any name), else None."""
    if not path.is_file():
        return None
    try:
        entry = _cache_path(file_sha256(path), path.suffix.lower())
        if not entry.is_file():
            return None
        data = json.loads(entry.read_text("utf-8"))
        doc = document_from_dict(data) if isinstance(data, dict) else None
        # An entry is trusted only if it is exactly what a Document writes: a damaged or hand-edited
        # one (wrong types, missing keys) would otherwise crash a later stage.
        if doc is not None and _conforms(data, Document) and to_jsonable(doc) == data:
            return _relocate(doc, display(path))
    except Exception:  # noqa: BLE001 - any broken entry is simply re-parsed
        pass
    with contextlib.suppress(OSError, UnboundLocalError):
        entry.unlink()  # so the fresh parse replaces it
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
        raise input_error("file.too_large") from None
    if use_cache:
        store_in_cache(doc)
    return doc


def store_in_cache(doc: Document) -> None:
    """Keep doc's parse for the next run over the same content."""
    _write_cache(_cache_path(doc.sha256, Path(doc.path).suffix.lower()), doc)


def _write_cache(target: Path, doc: Document) -> None:
    from ..errors import OutputError
    from ..output import write_atomic

    with contextlib.suppress(OSError, OutputError):  # caching is an optimisation; a read-only home must not fail the run
        write_atomic(target, json.dumps(to_jsonable(doc), ensure_ascii=False))


def _check(path: Path) -> None:
    """Raise the InputError of a file that need not be opened to be refused: an unsupported or
    unreadable type (with what to do), a missing file, a format that needs LibreOffice when it is
    not installed."""
    suffix = path.suffix.lower()
    try:
        exists = path.exists()
    except OSError as exc:  # in a folder that cannot be entered (no permission)
        raise input_error("file.unreadable", reason=exc.strerror or exc) from exc
    if not exists and not path.suffix:
        raise input_error("file.missing_or_folder")
    _reader(suffix)
    if not exists:
        raise input_error("file.missing")
    if suffix in CONVERTED_SUFFIXES:
        from . import convert

        if convert.soffice() is None:
            raise convert.missing_error(suffix)


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
    on_note: Callable[[str], None] | None = None,
) -> tuple[list[Document], list[IngestError]]:
    """Documents of every readable file, in input order, and one IngestError per file that could not
    be read (on_error is called for each, in input order; progress(done, total, file) as files finish).
    Folders are never silent: a folder with nothing to read is an error, and on_note gets one line
    naming the files of the folders that are not documents (Thumbs.db, plandraft.toml…).

    Unchanged files come from the cache; the others are parsed in up to `workers` (default: the CPU
    count) worker processes, each file within limits (time, memory): a file that passes them is
    reported, never allowed to hang or exhaust the batch."""
    expansion = expand(paths)
    unlisted = dict(expansion.unreadable_folders)
    files = expansion.files + expansion.empty_folders + list(unlisted)
    empty = set(expansion.empty_folders)
    if expansion.not_documents and on_note:
        on_note(not_documents_line(expansion.not_documents))
    if settings is not None and settings.ocr != "auto":
        use_cache = False  # the cache holds what the default reading gave
    results: dict[int, Document | InputError] = {}
    todo: list[int] = []
    for index, f in enumerate(files):
        if f in unlisted and f not in expansion.files:
            results[index] = input_error("folder.unreadable", reason=unlisted[f])
            continue
        if f in empty:
            others = sum(1 for n in expansion.not_documents if n.is_relative_to(f))
            results[index] = input_error("folder.no_documents",
                                         others=msg_text("folder.only_others", count=others) if others else "")
            continue
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
                errors.append(IngestError(path=display(f), reason=result.full_reason()))
                if on_error:
                    on_error(Path(display(f)), result)  # a name that is not valid Unicode, readable
            else:
                docs.append(result)
            reported += 1

    done = len(files) - len(todo)
    if progress and done:
        progress(done, len(files), Path(display(files[max(set(range(len(files))) - set(todo))])))
    report()

    def finished(i: int, result: Document | InputError) -> None:
        nonlocal done
        index = todo[i]
        if use_cache and isinstance(result, Document):
            store_in_cache(result)
        results[index] = result
        done += 1
        if progress:
            progress(done, len(files), Path(display(files[index])))
        report()

    if todo:
        budget = workers or default_workers()
        n = max(1, min(budget, len(todo)))
        read = replace(settings or ReadSettings(), limits=limits) if settings is None or limits is not LIMITS else settings
        if len(todo) < budget and read.page_processes == 1:  # cores the files leave free read pages
            read = replace(read, page_processes=budget // len(todo))
        parse_in_workers([files[i] for i in todo], n, read, finished)
    report()
    return docs, errors


IN_PROCESS_TEXT_BYTES = 1 << 20  # a text file up to 1 MB is read in-process by read_limited


def read_limited(path: Path | str, task: str, settings: ReadSettings | None = None) -> Any:
    """What task ("module:function" of (path, ReadSettings), e.g. batch.READ_OUTLINE) returns for one
    file, run in a limited worker like any plan file (time and memory limits of settings); raises the
    task's InputError, or the limit's."""
    read = settings or ReadSettings()
    path = Path(path)
    with contextlib.suppress(OSError):
        if path.suffix.lower() in (".txt", ".md") and path.stat().st_size <= IN_PROCESS_TEXT_BYTES:
            # Plain text cannot inflate: a small one is read here, without a worker's start-up.
            module, _, function = task.partition(":")
            return getattr(importlib.import_module(module), function)(path, read)
    found: list[Any] = []
    parse_in_workers([path], 1, read, lambda _i, result: found.append(result), task=task)
    result = found[0]
    if isinstance(result, InputError):
        raise result
    return result
