"""The run settings (inputs/plandraft.toml): one validated record, paths resolved against the file."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .ingest import SUFFIXES, expand_paths
from .text.normalize import parse_year_arg

CONFIG_NAME = "plandraft.toml"
_OUTLINE_HINTS = ("構成", "outline", "骨子")


@dataclass(frozen=True)
class RunConfig:
    folder: Path
    outline: Path
    plan: Path
    documents: tuple[Path, ...]  # every plan file in the folder (the plan among them)
    others: tuple[Path, ...] = ()
    corrections: Path | None = None
    year: int | None = None


def _guess_outline(files: list[Path]) -> Path | None:
    return next((f for f in files if any(h in f.name.lower() for h in _OUTLINE_HINTS)), None)


def load(folder: Path | str) -> RunConfig:
    """Settings for a run on folder: from folder/plandraft.toml if present, else guessed from file
    names (the outline's name contains 構成/outline). Raises UsageError for missing or bad settings."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"input folder not found: {folder}")
    cfg_path = folder / CONFIG_NAME
    raw: dict[str, object] = {}
    if cfg_path.is_file():
        try:
            raw = tomllib.loads(cfg_path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"{cfg_path}: not valid TOML ({exc})") from exc
    files = [f for f in expand_paths([folder]) if f.suffix.lower() in SUFFIXES]

    def path_of(key: str) -> Path | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise UsageError(f"{cfg_path}: '{key}' must be a file name")
        p = folder / value
        if not p.exists():
            raise UsageError(f"{cfg_path}: {key} file not found: {p}")
        return p

    outline = path_of("outline") or _guess_outline(files)
    if outline is None:
        raise UsageError(f"no outline in {folder}: name it in {CONFIG_NAME} (outline = \"…\")")
    others_raw = raw.get("others", [])
    if not isinstance(others_raw, list):
        raise UsageError(f"{cfg_path}: 'others' must be a list of files or folders")
    others = tuple(expand_paths(folder / str(o) for o in others_raw))
    corrections = path_of("corrections") if "corrections" in raw else (
        folder / "corrections.tsv" if (folder / "corrections.tsv").is_file() else None)
    other_set = {o.resolve() for o in others}
    documents = tuple(f for f in files if f.resolve() != outline.resolve() and f.resolve() not in other_set)
    plan = path_of("plan") or (documents[0] if documents else None)
    if plan is None:
        raise UsageError(f"no plan in {folder}: name last year's plan in {CONFIG_NAME} (plan = \"…\")")
    year = None
    if raw.get("year") is not None:
        try:
            year = parse_year_arg(str(raw["year"]))
        except ValueError as exc:
            raise UsageError(f"{cfg_path}: {exc}") from exc
    return RunConfig(folder=folder, outline=outline, plan=plan, documents=documents, others=others,
                     corrections=corrections, year=year)
