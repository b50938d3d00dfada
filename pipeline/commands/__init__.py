"""Subcommands: each module here has register(subparsers) and is found automatically."""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

# The order commands are listed in `plandraft -h`; modules not named here come after, by name.
ORDER = ("run", "ingest", "outline", "classify", "match", "evaluate", "draft", "compare", "search", "library", "serve")


def discover() -> list[ModuleType]:
    """The command modules of this package, in help order."""
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    names.sort(key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    return [importlib.import_module(f"{__name__}.{n}") for n in names]
