"""The stages chained for one job: outline + last year's plan (+ other cities' plans) → matches →
Word draft and 新旧対照表. The `draft` and `run` commands (and the web page) are thin layers over it."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .draft import Draft, build_draft
from .errors import UsageError
from .knowledge import load_knowledge
from .match import Matcher
from .model import Document, Match, Outline
from .render import write_draft


@dataclass(frozen=True)
class DraftResult:
    draft: Draft
    matches: tuple[Match, ...]
    paths: tuple[Path, ...]


def match_documents(outline: Outline, docs: Sequence[Document], corrections: str | Path | None = None) -> list[Match]:
    """A match for every item of docs (in order), with the planner's corrections applied."""
    matcher = Matcher(outline, knowledge=load_knowledge(corrections=corrections))
    return matcher.match_items([item for doc in docs for item in doc.items])


def draft_plan(
    outline: Outline,
    plan: Document,
    others: Sequence[Document] = (),
    *,
    out_dir: str | Path,
    corrections: str | Path | None = None,
    year: int | None = None,
    template: str | Path | None = None,
    force: bool = False,
    unchanged: Callable[[Path], bool] | None = None,
) -> DraftResult:
    """Match the plan's and the others' items, build next year's draft and write it and its
    新旧対照表 to out_dir. UsageError when the plan has no fiscal year and none is given, or when
    an output exists and not force (with force, the old file is kept as a .bak unless unchanged(path)
    says it is plandraft's own unedited output)."""
    if year is None and plan.fiscal_year is None:
        raise UsageError(f"{plan.path}: no fiscal year found in the plan (give --year, e.g. --year 平成22年度)")
    matches = match_documents(outline, [plan, *others], corrections)
    draft = build_draft(outline, plan, matches, others, year)
    paths = write_draft(draft, outline, Path(out_dir), template=template, force=force, unchanged=unchanged)
    return DraftResult(draft=draft, matches=tuple(matches), paths=tuple(paths))
