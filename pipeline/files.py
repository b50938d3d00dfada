"""Which files are plan documents, and the files a folder given on the command line stands for."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".xlsx")


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files named and the plan files inside folders named (recursively, sorted), skipping hidden
    files and Office lock files (~$…)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if not f.is_file() or any(part.startswith(".") for part in rel.parts):
                    continue
                if f.name.startswith("~$") or f.suffix.lower() not in SUFFIXES:
                    continue
                out.append(f)
        else:
            out.append(p)
    return out
