"""The plandraft command line: a thin layer over the pipeline stages (see `plandraft -h`).

Exit codes: 0 all inputs read and the job done; 1 some inputs could not be read (the rest were
processed; each is named on stderr and in the JSON `errors`); 2 usage error (bad option, missing
file argument); 130 interrupted."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, InputError, UsageError

__all__ = ["EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "build_parser", "main"]

EPILOG = """exit codes: 0 done; 1 some input files could not be read (the rest were processed);
2 usage error; 130 interrupted. Run `plandraft COMMAND -h` for a command's options and an example."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with command, only that subcommand is loaded (all of them otherwise)."""
    from . import commands

    parser = argparse.ArgumentParser(
        prog="plandraft",
        description="Drafts next year's 市民協働 action plan from last year's plan, the draft outline "
        "(計画の構成案) and other cities' plans.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands.discover(only=command):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run plandraft with argv (default sys.argv[1:]); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv and not argv[0].startswith("-") else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: -h (0) or a usage error (2)
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"plandraft {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as exc:
        print(exc.line(exc.path or args.command), file=sys.stderr)
        return EXIT_PARTIAL
    except KeyboardInterrupt:
        print("plandraft: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
