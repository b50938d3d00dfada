"""The plandraft command line: a thin layer over the pipeline stages (see `plandraft -h`).

Exit codes: 0 all inputs read and the job done; 1 some inputs could not be read (the rest were
processed; each is named on stderr and in the JSON `errors`); 2 usage error (bad option, missing
file argument); 3 internal error (a bug: one line on stderr naming the log file with the details);
4 an output could not be written (e.g. a file open in Word); 130 interrupted."""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_PARTIAL,
    EXIT_USAGE,
    InputError,
    OutputError,
    UsageError,
)
from .messages import LANGUAGES, argparse_text, input_error, set_language, text

__all__ = ["EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "build_parser", "entry", "main"]

def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with command, only that subcommand is loaded (all of them otherwise). Its
    help texts are in the language of messages at the time of the call (see main: --lang first)."""
    from . import commands
    from .commands._common import HelpFormatter

    argparse._ = argparse_text  # type: ignore[attr-defined]  # argparse's own errors in the planner's language
    parser = argparse.ArgumentParser(
        prog="plandraft",
        description=text("help.plandraft"),
        epilog=text("help.epilog"),
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=text("help.lang"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands.discover(only=command):
        module.register(sub)
    return parser


LOG_DIR_ENV = "PLANDRAFT_LOG_DIR"


def _safe_console() -> None:
    """Make stdout and stderr replace what the console's encoding cannot show (a cp932 console or a
    redirect on Japanese Windows has no "—" or "≈"), so printing never fails."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):  # a stream that is not a text file: leave it
                reconfigure(errors="replace")


def log_dir() -> Path:
    """Where the details of an internal error are written: $PLANDRAFT_LOG_DIR, else the user's log
    folder (platformdirs: %LOCALAPPDATA%\\plandraft\\Logs on Windows, ~/.local/state/plandraft/log on Linux)."""
    env = os.environ.get(LOG_DIR_ENV)
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_log_path("plandraft", appauthor=False)


def _log_internal_error(argv: Sequence[str]) -> Path | None:
    """Write the current exception's traceback with what was run to a new log file; its path, or None
    if no log folder is writable."""
    import datetime
    import platform
    import tempfile
    import traceback

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = (f"plandraft {' '.join(argv)}\npython {sys.version.split()[0]} on {platform.platform()}\n\n"
            + traceback.format_exc())
    for folder in (log_dir(), Path(tempfile.gettempdir())):
        path = folder / f"plandraft-error-{stamp}-{os.getpid()}.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8", errors="backslashreplace")  # argv may hold a non-Unicode name
            return path
        except OSError:
            continue
    return None


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand argv names (so only it is loaded), past the global options; None if none."""
    rest = list(argv)
    while rest and rest[0].startswith("--lang"):
        rest = rest[1 if "=" in rest[0] else 2:]
    return rest[0] if rest and not rest[0].startswith("-") else None


def _lang_of(argv: Sequence[str]) -> str | None:
    """The --lang argv gives before the subcommand (ja or en), so the help texts are built in it;
    None if none (or not a language: argparse then says so)."""
    rest = list(argv)
    lang = None
    while rest and rest[0].startswith("--lang"):
        value = rest[0].partition("=")[2] if "=" in rest[0] else (rest[1] if len(rest) > 1 else "")
        lang = value if value in LANGUAGES else lang
        rest = rest[1 if "=" in rest[0] else 2:]
    return lang


def entry() -> int:
    """The plandraft command (the console script and `python -m pipeline`): main() on sys.argv, with
    a reader worker started first for the commands that read documents, so its interpreter and
    parsers load while this process loads the command (main() alone, as tests call it, starts none)."""
    argv = sys.argv[1:]
    lang = _lang_of(argv)
    if lang:
        set_language(lang)  # before the worker starts: it keeps the environment it starts with
    if _command_of(argv) in _READING_COMMANDS and not {"-h", "--help"} & set(argv):
        from .workers import prestart

        with contextlib.suppress(Exception):  # no worker now: the batch starts one when it needs it
            prestart()
    return main(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run plandraft with argv (default sys.argv[1:]); returns the exit code."""
    _safe_console()
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--json" in argv:
        return _with_json_fallback(lambda: _main(argv))
    return _main(argv)


def _main(argv: list[str]) -> int:
    lang = _lang_of(argv)
    if lang:
        set_language(lang)  # before the parser: its help texts are in the language asked for
    parser = build_parser(_command_of(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: -h (0) or a usage error (2)
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    if args.lang:
        set_language(args.lang)  # through the environment, so worker processes speak it too
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    def fail(code: int, line: str) -> int:
        print(line, file=sys.stderr)
        return code

    try:
        if args.command in _OUTPUT_FOLDER_COMMANDS and getattr(args, "output", None):
            from .output import check_output_folder

            check_output_folder(args.output)  # `-o plan.docx`: said now, not after a minute of work
        return int(args.func(args))
    except UsageError as exc:
        return fail(EXIT_USAGE, f"plandraft {args.command}: {exc}")
    except InputError as exc:
        return fail(EXIT_PARTIAL, exc.line(exc.path or args.command))
    except OutputError as exc:
        return fail(EXIT_OUTPUT, str(exc))
    except PermissionError as exc:  # an output that is open in another program (Windows locks it)
        return fail(EXIT_OUTPUT, str(OutputError(exc.filename or args.command, text("cli.locked"),
                                                 input_error("output.locked").hint)))
    except OSError as exc:
        from .output import OUTPUT_ERRNOS, output_error

        if exc.errno not in OUTPUT_ERRNOS:
            return _internal_error(args.command, argv, exc)
        return fail(EXIT_OUTPUT, str(output_error(exc)))  # disk full, read-only, a file where the folder goes
    except KeyboardInterrupt:
        print(text("cli.interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line for the planner, the traceback in a log file
        return _internal_error(args.command, argv, exc)


_OUTPUT_FOLDER_COMMANDS = ("run", "draft", "compare")  # their -o names a folder
# The commands that read documents in worker processes: one worker is started before anything else.
_READING_COMMANDS = ("ingest", "run", "draft", "compare", "match", "library", "serve")


def _internal_error(command: str, argv: Sequence[str], exc: BaseException) -> int:
    """One line for the planner naming the log file that holds the traceback; EXIT_INTERNAL."""
    log = _log_internal_error(argv)
    where = text("cli.log_at", path=log) if log else text("cli.no_log")
    print(text("cli.internal", command=command, kind=type(exc).__name__, where=where), file=sys.stderr)
    return EXIT_INTERNAL


class _Watched:
    """A text stream passed through, remembering whether anything was written and its last lines."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.wrote = False
        self.lines: list[str] = []
        self._partial = ""

    def write(self, data: str) -> int:
        if data:
            self.wrote = True
            *done, self._partial = (self._partial + data).split("\n")
            self.lines = (self.lines + [line.rsplit("\r", 1)[-1] for line in done if line.strip()])[-20:]
        return int(self.stream.write(data) or 0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _with_json_fallback(run: Callable[[], int]) -> int:
    """run(), and, when it fails having written nothing on stdout (an unreadable plan, no outline, a
    usage error, a full disk, a bug), {"error": {"exit", "message", "lines"}} there: with --json a
    script always reads one JSON object (classify: one per line) whatever happened."""
    out, err = _Watched(sys.stdout), _Watched(sys.stderr)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    try:
        code = run()
    finally:
        sys.stdout, sys.stderr = saved
    if code != 0 and not out.wrote:
        lines = [line.strip() for line in err.lines]
        sys.stdout.write(json.dumps({"error": {"exit": code, "message": lines[-1] if lines else "",
                                               "lines": lines}}, ensure_ascii=False) + "\n")
    return code
