"""Writing results safely: atomic replace, backups of files a planner may have edited, JSON."""
from __future__ import annotations

import contextlib
import errno
import functools
import glob
import hashlib
import json
import os
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import OutputError
from .files import display
from .messages import input_error
from .model import to_jsonable


def write_atomic(path: Path | str, data: bytes | str) -> Path:
    """Write data to path via a temp file in the same folder and a rename, so a crash never
    leaves a half-written file; returns the path. OutputError if path cannot be replaced (on Windows:
    it is open in Word or Excel)."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where the folder should be, a read-only or full disk
        raise output_error(exc) from exc
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # a read-only folder: named by the output, not the temp file
        raise output_error(exc, path) from exc
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a result is an ordinary file
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except PermissionError as exc:  # Windows refuses to replace a file another program (Word) has open
        Path(tmp).unlink(missing_ok=True)
        _drop_pending_backup(path)
        locked = input_error("output.locked")
        raise OutputError(path, locked.reason, locked.hint) from exc
    except OSError as exc:  # the disk filled up while writing: the old file is kept as it was
        Path(tmp).unlink(missing_ok=True)
        _drop_pending_backup(path)
        raise output_error(exc, path) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        _drop_pending_backup(path)
        raise
    _PENDING.pop(path, None)
    _sweep_stale_temps(path)
    return path


def _drop_pending_backup(path: Path) -> None:
    """Remove the backup made for a replace of path that failed: the file is unchanged, so the
    backup would only be a spurious copy."""
    made = _PENDING.pop(path, None)
    if made is not None:
        with contextlib.suppress(OSError):
            made.unlink()


_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_NOT_A_FOLDER = {errno.EEXIST, errno.ENOTDIR}
# Errors of the place an output goes, not of plandraft: one line and exit code 4 (cli.main).
OUTPUT_ERRNOS = frozenset(_DISK_FULL | _READ_ONLY | _NOT_A_FOLDER | {errno.EISDIR})


class OutputWriteError(OutputError, OSError):
    """An output that could not be written: an OutputError (one line, exit code 4) that is also the
    OSError it came from, so callers that handle a failed write (the web page's uploads) still do."""

    def __init__(self, path: object, reason: str, hint: str, errno_: int | None = None) -> None:
        OutputError.__init__(self, path, reason, hint)
        self.errno, self.strerror, self.filename = errno_, reason, str(path)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.reason, self.hint, self.errno))


def output_error(exc: OSError, path: Path | str | None = None) -> OutputError:
    """The OutputError of exc, met writing path (default: exc's own file): the file and the reason in
    a planner's words (the disk is full, the folder is read-only, a file stands where the output
    folder should be), and what to do."""
    start = Path(exc.filename if exc.filename is not None else path if path is not None else "")
    where = Path(path) if path is not None else start
    if exc.errno in _DISK_FULL:
        code = "output.disk_full"
    elif exc.errno in _READ_ONLY:
        code = "output.read_only"
    elif exc.errno in _NOT_A_FOLDER:
        code = "output.not_a_folder"
        # name the file that stands in the way (`-o plan.docx`, or a file named like a folder above it)
        where = next((p for p in (start, *start.parents) if p.exists() and not p.is_dir()), where)
    elif exc.errno == errno.EISDIR:
        code = "output.is_a_folder"
    else:
        error = input_error("output.cannot_write", reason=exc.strerror or exc)
        return OutputWriteError(display(where), error.reason, error.hint, exc.errno)
    error = input_error(code)
    return OutputWriteError(display(where), error.reason, error.hint, exc.errno)


def check_output_folder(folder: Path | str) -> None:
    """Raise the OutputError of an output folder that a file stands in the way of (the folder
    itself, or one above it, is a file): before any work, so `-o plan.docx` is said at once."""
    folder = Path(folder)
    blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        error = input_error("output.not_a_folder")
        raise OutputWriteError(display(blocking), error.reason, error.hint, errno.ENOTDIR)


# A temp file this old beside an output was left by a writer that was killed mid-write.
STALE_TEMP_SECONDS = 600


def _sweep_stale_temps(path: Path) -> None:
    cutoff = time.time() - STALE_TEMP_SECONDS
    for old in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass  # another writer's file, or already gone


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    """The process's umask, read once (reading it means setting it for a moment: done again in the web
    server's threads, another thread's file could be made in that moment with the wrong mode)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


_umask()  # at import, before any thread


# Backups made for a replace that has not happened yet (path → backup): a write_atomic of path that
# fails removes its backup, since the file was left as it was.
_PENDING: dict[Path, Path] = {}


def backup(path: Path | str) -> Path | None:
    """Copy an existing file to 'name.YYYYmmdd-HHMMSS.bak' beside it; returns the backup's path. A
    file whose newest backup already holds the same content is not copied again (repeated or
    concurrent runs, a run that failed after its backup): that backup is returned."""
    path = Path(path)
    if not path.exists():
        return None
    newest = max(path.parent.glob(f"{glob.escape(path.stem)}.*{glob.escape(path.suffix)}.bak"),
                 key=lambda b: b.stat().st_mtime_ns, default=None)
    if newest is not None and newest.stat().st_size == path.stat().st_size and \
            Manifest._sha(newest) == Manifest._sha(path):
        return newest
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{stamp}{path.suffix}.bak")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.{stamp}-{n}{path.suffix}.bak")
        n += 1
    shutil.copy2(path, target)
    _PENDING[path] = target
    return target


def dumps(obj: Any) -> str:
    """Records as pretty, UTF-8 JSON text (Japanese kept readable)."""
    return json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2) + "\n"


def metadata() -> dict[str, Any]:
    """What produced an output: plandraft and tokenizer versions and settings."""
    version, tokenizer = _versions()
    return {"plandraft": version, "tokenizer": dict(tokenizer)}


@functools.lru_cache(maxsize=1)
def _versions() -> tuple[str, dict[str, str]]:
    import importlib.metadata

    from .text import tokenize

    try:
        version = importlib.metadata.version("plandraft")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return version, tokenize.info()


def look_up_metadata() -> None:
    """Find the versions metadata() reports in the background (the package metadata is read from
    disk), while the caller waits for its workers; the output then does not wait for them."""
    import threading

    threading.Thread(target=_versions, name="plandraft-metadata", daemon=True).start()


class Manifest:
    """What plandraft last wrote in a folder (file name → sha256), so a re-run can tell its own
    unedited outputs (safe to replace) from files a planner has edited since (backed up first)."""

    NAME = ".plandraft-manifest.json"

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.path = self.folder / self.NAME
        self.entries: dict[str, str] = self._read()

    def _read(self) -> dict[str, str]:
        try:
            raw = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            raw = {}
        # A manifest that is not what plandraft writes is ignored: every output then counts as edited
        # and is backed up before it is replaced, which loses nothing.
        return ({k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)}
                if isinstance(raw, dict) else {})

    @staticmethod
    def _sha(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    def unchanged(self, path: Path | str) -> bool:
        """True if path holds exactly what was last recorded for it."""
        path = Path(path)
        if not path.is_file():
            return False
        sha = self._sha(path)
        if self.entries.get(path.name) == sha:
            return True
        # another run into the same folder may have written it since this manifest was read
        self.entries = {**self.entries, **self._read()}
        return self.entries.get(path.name) == sha

    def record(self, paths: list[Path] | tuple[Path, ...]) -> None:
        """Remember the current content of paths and save the manifest atomically."""
        self.entries = {**self.entries, **self._read()}  # keep what a concurrent run recorded
        for p in paths:
            self.entries[Path(p).name] = self._sha(Path(p))
        write_atomic(self.path, json.dumps(self.entries, ensure_ascii=False, indent=1))


_FORMULA_START = ("=", "+", "-", "@")


def safe_cell(cell: Any, value: object) -> Any:
    """Put value in an openpyxl cell so that text is always stored as text, never as a formula
    (openpyxl takes any string starting with '=' for one): the cell is typed as a string, and text
    a spreadsheet would read as a formula once a planner edits the cell (= + - @, full-width ＝ too)
    gets a quote prefix. Numbers and None are stored as they are. Returns the cell."""
    import unicodedata

    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if unicodedata.normalize("NFKC", value).lstrip().startswith(_FORMULA_START):
            cell.quotePrefix = True
    return cell


def append_safe(ws: Any, values: list[Any] | tuple[Any, ...]) -> int:
    """values as the next row of an openpyxl worksheet, every text stored as text (safe_cell);
    returns the row number."""
    row = ws.max_row + 1 if ws.max_row > 1 or any(c.value is not None for c in ws[1]) else 1
    for k, value in enumerate(values, start=1):
        safe_cell(ws.cell(row=row, column=k), value)
    return row
