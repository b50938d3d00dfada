"""Readers for the old Office and the ODF formats (.doc .rtf .odt → .docx; .xls .ods → .xlsx), converted by
LibreOffice headless in a temporary folder (a private profile, macros off, a time limit) and then read
by the .docx/.xlsx reader under the original file's name; and for .csv, read as one table."""
from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..errors import InputError
from ..messages import input_error, text
from ..model import Block, Source
from ..settings import ReadSettings

# What each format is converted to, and the LibreOffice filter that writes it.
TARGET = {".doc": "docx", ".rtf": "docx", ".odt": "docx", ".xls": "xlsx", ".ods": "xlsx"}
_FILTER = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}
_APP = {"docx": "Word", "xlsx": "Excel"}
# Share of the file's time limit the conversion may take (the rest is for reading the result).
_TIME_SHARE = 0.75

# A profile that never runs a document's macros: security level 'very high' (only trusted, signed
# locations, of which there are none) and macro execution switched off altogether.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseSystemFileDialog" \
oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" \
oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The LibreOffice program (soffice), or None when it is not installed: $PLANDRAFT_SOFFICE, the
    PATH, then the usual install folders on Windows and macOS."""
    env = os.environ.get("PLANDRAFT_SOFFICE")
    if env:
        return env if Path(env).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    for var in ("PROGRAMFILES", "PROGRAMFILES(X86)"):
        if os.environ.get(var):
            candidates.append(Path(os.environ[var]) / "LibreOffice" / "program" / "soffice.exe")
    return next((str(c) for c in candidates if c.is_file()), None)


def missing_error(suffix: str) -> InputError:
    """The one line for a file that needs LibreOffice when it is not installed."""
    target = TARGET[suffix]
    return input_error("convert.missing", suffix=suffix, target=target, app=_APP[target])


def read(path: Path, sha256: str, data: bytes, settings: ReadSettings | None = None) -> tuple[list[Block], int | None]:
    """Blocks of a .doc/.rtf/.odt/.xls/.ods file: its .docx/.xlsx conversion read by that reader, every
    Source naming the original file (and its sha256)."""
    settings = settings or ReadSettings()
    suffix = path.suffix.lower()
    target = TARGET[suffix]
    converted = convert(data, suffix, target, seconds=max(5.0, settings.limits.seconds * _TIME_SHARE))
    if target == "docx":
        from . import docx as reader
    else:
        from . import xlsx as reader  # type: ignore[no-redef]
    try:
        return reader.read(path, sha256, converted, settings)
    except InputError as exc:  # the converted file's trouble is the original's
        raise input_error("convert.after", reason=exc.reason, suffix=suffix, target=target) from exc


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# LibreOffice's import filter for what a file's first bytes say it is (None: let it detect the type).
_FILTERS = {
    (".doc", "ole"): "MS Word 97", (".doc", "rtf"): "Rich Text Format", (".doc", "zip"): None,
    (".doc", "html"): "HTML (StarWriter)", (".rtf", "rtf"): "Rich Text Format", (".odt", "zip"): "writer8",
    (".xls", "ole"): "MS Excel 97", (".xls", "html"): "calc_HTML_WebQuery", (".xls", "zip"): None,
    (".ods", "zip"): "calc8",
}


def _content(data: bytes) -> str:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data.startswith(_OLE):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head:
        return "html"
    return "unknown"


def input_filter(data: bytes, suffix: str) -> str | None:
    """The LibreOffice import filter for data, named by what it is (so a damaged file is refused
    rather than imported as plain text); InputError for content that is not a file of that type."""
    key = (suffix, _content(data))
    if key not in _FILTERS:
        target = TARGET[suffix]
        raise input_error("convert.wrong_content", suffix=suffix, app=_APP[target], target=target)
    return _FILTERS[key]


def convert(data: bytes, suffix: str, target: str, seconds: float) -> bytes:
    """data (a file of type suffix) converted by LibreOffice to target ('docx' or 'xlsx'); raises
    InputError when LibreOffice is missing, fails, or takes longer than seconds."""
    infilter = input_filter(data, suffix)
    program = soffice()
    if program is None:
        raise missing_error(suffix)
    with tempfile.TemporaryDirectory(prefix="plandraft-convert-") as tmp:
        folder = Path(tmp)
        # The bytes that were hashed are converted, under a plain name (no spaces, no Japanese, no
        # leading dash) so neither LibreOffice's command line nor its URL handling can trip on it.
        source = folder / f"document{suffix}"
        source.write_bytes(data)
        profile = folder / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, "utf-8")
        out = folder / "out"
        out.mkdir()
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
                   "--norestore", "--nodefault", "--nolockcheck",
                   *([f"--infilter={infilter}"] if infilter else []),
                   "--convert-to", _FILTER[target], "--outdir", str(out), str(source)]
        code = _run(command, seconds, folder)
        result = out / f"document.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            how = text("read.exit_code", number=code) if code else text("convert.no_output")
            raise input_error("convert.failed", suffix=suffix, how=how, target=target)
        return result.read_bytes()


def _run(command: list[str], seconds: float, cwd: Path) -> int:
    """Run LibreOffice, its whole process tree stopped when it takes longer than seconds; its exit
    code. Its output (Java and font warnings) is discarded."""
    env = dict(os.environ)
    env.pop("DISPLAY", None)  # headless: never open a window, never talk to an X server
    env["HOME"] = str(cwd)  # nothing of the planner's own LibreOffice is read or written
    options: dict[str, object] = {}
    if sys.platform == "win32":
        options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
    else:
        options["start_new_session"] = True  # its own process group, so soffice.bin is stopped with it
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd=str(cwd), env=env, **options)  # type: ignore[call-overload]
    except OSError as exc:
        raise input_error("convert.not_started", reason=exc.strerror or exc) from exc
    try:
        return int(proc.wait(timeout=seconds))
    except subprocess.TimeoutExpired:
        kill_tree(proc)
        raise input_error("convert.timeout", seconds=f"{seconds:g}") from None
    finally:
        if proc.poll() is None:
            kill_tree(proc)


def kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """proc and the processes it started (LibreOffice's own), killed; waits up to 5 s for it to end."""
    if sys.platform == "win32":
        with contextlib.suppress(OSError):
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, timeout=10)
    else:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()
    deadline = time.monotonic() + 5
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)


# -- .csv ---------------------------------------------------------------------------------------

# A cell longer than this is refused (csv's own default limit, raised): no plan writes one.
_MAX_FIELD = 1 << 20


def read_csv(path: Path, sha256: str, data: bytes, settings: ReadSettings | None = None) -> tuple[list[Block], int | None]:
    """Blocks of a .csv file, read as one table (UTF-8 with or without BOM, UTF-16, or Shift_JIS as
    Excel writes it; comma, tab or semicolon separated): a row block per row with two or more values, a
    line for a row with one value (a title or ■ heading). Source.table is 1, Source.row the line."""
    from ..text.encoding import decode

    text = decode(data)
    if not text.strip():
        raise input_error("text.empty")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    src = Source(path=str(path), sha256=sha256)
    blocks: list[Block] = []
    old_limit = csv.field_size_limit()
    csv.field_size_limit(_MAX_FIELD)
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            cells = [c.strip() for c in row]
            while cells and not cells[-1]:
                cells.pop()
            filled = [c for c in cells if c]
            if not filled:
                continue
            at = Source(path=src.path, sha256=sha256, table=1, row=number)
            if len(filled) == 1 and cells[0]:
                blocks.append(Block(text=cells[0], source=at))
            else:
                blocks.append(Block(text="\t".join(cells), source=at, cells=tuple(cells)))
    except csv.Error as exc:
        raise input_error("csv.unreadable", reason=exc) from exc
    finally:
        csv.field_size_limit(old_limit)
    return blocks, None
