"""The one exception bad input raises, carrying a planner-readable reason and what to do about it."""
from __future__ import annotations


class InputError(Exception):
    """A file that cannot be read: reason says why, hint says what the planner can do."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason, hint)  # both in args, so the error survives pickling (worker processes)
        self.reason = reason
        self.hint = hint

    def __str__(self) -> str:
        return self.full_reason()

    def line(self, path: object) -> str:
        """One stderr line: 'PATH: reason (what to do)'."""
        return f"{path}: {self.reason}" + (f" ({self.hint})" if self.hint else "")

    def full_reason(self) -> str:
        return self.reason + (f" ({self.hint})" if self.hint else "")


class UsageError(Exception):
    """Bad command-line use (exit code 2)."""
