"""Subcommands: each module here has register(subparsers) and is found automatically."""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

# The order commands are listed in `plandraft -h`; modules not named here come after, by name.
ORDER = ("run", "ingest", "outline", "classify", "match", "evaluate", "draft", "sheet", "compare", "search", "library",
         "serve")


def discover(only: str | None = None) -> list[ModuleType]:
    """The command modules of this package, in help order; with only, just that command's module
    when there is one (so running a command does not import every other command's libraries)."""
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    if only in names:
        names = [only]
    names.sort(key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    return [importlib.import_module(f"{__name__}.{n}") for n in names]
