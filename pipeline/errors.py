"""Errors and exit codes: the one exception bad input raises (InputError, carrying the file, a
planner-readable reason and what to do about it), usage errors, and the codes the CLI exits with."""
from __future__ import annotations

# Exit codes (README, `plandraft -h`).
EXIT_OK = 0  # done
EXIT_PARTIAL = 1  # some input files could not be read (each named on stderr); the rest were processed
EXIT_USAGE = 2  # bad option, missing file argument, an output that exists without --force
EXIT_INTERNAL = 3  # an unexpected error (a bug): one line on stderr and the details in a log file
EXIT_OUTPUT = 4  # an output could not be written (disk full, read-only folder, a file open in Word)
EXIT_INTERRUPTED = 130  # Ctrl-C


class InputError(Exception):
    """A file that cannot be read: reason says why, hint what the planner can do, path which file
    (None until the stage that knows the file says so)."""

    def __init__(self, reason: str, hint: str = "", *, path: str | None = None) -> None:
        super().__init__(reason, hint, path)  # all in args, so the error survives pickling (worker processes)
        self.reason = reason
        self.hint = hint
        self.path = path

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.reason, self.hint, self.path))

    def __str__(self) -> str:
        return self.full_reason()

    def at(self, path: object) -> InputError:
        """This error, naming path as its file unless it names one already; returns self (raise e.at(p))."""
        if self.path is None:
            self.path = str(path)
        return self

    def line(self, path: object = None) -> str:
        """One stderr line: 'PATH: reason (what to do)'."""
        where = self.path if path is None else path
        return (f"{where}: " if where is not None else "") + self.full_reason()

    def full_reason(self) -> str:
        return self.reason + (f" ({self.hint})" if self.hint else "")


def _rebuild(reason: str, hint: str, path: str | None) -> InputError:
    return InputError(reason, hint, path=path)


class UsageError(Exception):
    """Bad command-line use (exit code 2)."""


class OutputError(Exception):
    """An output file that cannot be written (exit code 4): the file, the reason and what to do."""

    def __init__(self, path: object, reason: str, hint: str = "") -> None:
        super().__init__(str(path), reason, hint)
        self.path, self.reason, self.hint = str(path), reason, hint

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" + (f" ({self.hint})" if self.hint else "")
