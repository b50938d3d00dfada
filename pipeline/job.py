"""The stages chained for one job: outline + last year's plan (+ other cities' plans) → matches →
Word draft and 新旧対照表. The `draft` and `run` commands (and the web page) are thin layers over it."""
from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import library as library_db
from .compare.compare import (
    OUTLINE_EXAMPLES,
    Comparison,
    OtherItem,
    compare,
    others_from_document,
    others_from_outline,
    unknown_city_label,
)
from .draft.build import Draft, build_draft
from .draft.render import write_draft
from .errors import UsageError
from .match.knowledge import load_knowledge
from .match.matcher import Matcher
from .model import Document, Match, Outline
from .output import backup, write_atomic
from .settings import CompareSettings

COMPARE_OUTPUTS = ("comparison.xlsx", "heatmap.png", "comparison.docx")


@dataclass(frozen=True)
class DraftResult:
    draft: Draft
    matches: tuple[Match, ...]
    paths: tuple[Path, ...]


def make_matcher(outline: Outline, corrections: str | Path | None = None) -> Matcher:
    """The pillar matcher for outline with the shipped knowledge and the planner's corrections."""
    return Matcher(outline, knowledge=load_knowledge(corrections=corrections))


def match_documents(outline: Outline, docs: Sequence[Document], corrections: str | Path | None = None) -> list[Match]:
    """A match for every item of docs (in order), with the planner's corrections applied."""
    return make_matcher(outline, corrections).match_items([item for doc in docs for item in doc.items])


def file_sha256(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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
    matcher: Matcher | None = None,
) -> DraftResult:
    """Match the plan's and the others' items, build next year's draft and write it and its
    新旧対照表 to out_dir. UsageError when the plan has no fiscal year and none is given, or when
    an output exists and not force (with force, the old file is kept as a .bak unless unchanged(path)
    says it is plandraft's own unedited output). A matcher given is used instead of a new one."""
    if year is None and plan.fiscal_year is None:
        raise UsageError(f"{plan.path}: no fiscal year found in the plan (give --year, e.g. --year 平成22年度)")
    matcher = matcher or make_matcher(outline, corrections)
    matches = matcher.match_items([item for doc in (plan, *others) for item in doc.items])
    draft = build_draft(outline, plan, matches, others, year)
    paths = write_draft(draft, outline, Path(out_dir), template=template, force=force, unchanged=unchanged)
    return DraftResult(draft=draft, matches=tuple(matches), paths=tuple(paths))


# --- comparison and library -------------------------------------------------------------------

@dataclass(frozen=True)
class CompareResult:
    comparison: Comparison
    paths: tuple[Path, ...]


def add_outline_to_library(conn: sqlite3.Connection, outline: Outline, sha256: str, matcher: Matcher) -> int:
    """The outline's example projects into the library under their cities (model projects matched
    to a pillar by matcher); returns how many."""
    others = others_from_outline(outline, sha256)
    unknown = [o.item for o in others if o.pillar is None]
    found = {m.item_id: m for m in matcher.match_items(unknown)} if unknown else {}
    entries = []
    for o in others:
        match = (Match(o.item.id, o.item.name, o.pillar, 1.0, 1.0, ((o.pillar, 1.0),)) if o.pillar is not None
                 else found.get(o.item.id))
        entries.append(library_db.Entry(o.item, None if o.city == OUTLINE_EXAMPLES else o.city, None, match))
    library_db.add_entries(conn, path=outline.path, sha256=sha256, entries=entries, kind="outline",
                      title=outline.title, fmt=Path(outline.path).suffix.lstrip("."), outline_sha256=sha256)
    return len(entries)


def others_via_library(library: Path | str, outline: Outline, plan: Document, our_matches: Sequence[Match],
                       others: Sequence[Document], matcher: Matcher, our_city: str | None = None) -> list[OtherItem]:
    """Add the outline, our plan and the others to the library (one transaction each), match whatever
    it holds that has no pillar for this outline, and return every other city's measure in it."""
    outline_sha = file_sha256(outline.path)
    conn = library_db.open_library(library)
    try:
        add_outline_to_library(conn, outline, outline_sha, matcher)
        library_db.set_meta(conn, "outline", outline.path)
        library_db.add_document(conn, plan, our_matches, city=our_city, outline_sha256=outline_sha)
        for doc in others:
            library_db.add_document(conn, doc, matcher.match_items(list(doc.items)), outline_sha256=outline_sha)
        stored = library_db.items(conn, exclude_sha256=[plan.sha256])
        stale = [s for s in stored if s.outline_sha256 != outline_sha or s.pillar is None]
        if stale:
            found = matcher.match_items([replace(s.item, id=str(s.rowid)) for s in stale])
            library_db.set_pillars(conn, {int(m.item_id): m for m in found}, outline_sha)
            stored = library_db.items(conn, exclude_sha256=[plan.sha256])
    finally:
        conn.close()
    out = []
    for s in stored:
        city = s.city or (OUTLINE_EXAMPLES if s.kind == "outline" else unknown_city_label(s.document_path))
        out.append(OtherItem(item=s.item, city=city, fiscal_year=s.fiscal_year, pillar=s.pillar))
    return out


def write_comparison(result: Comparison, out: Path | str, provenance: str = "",
                     unchanged: Callable[[Path], bool] | None = None) -> list[Path]:
    """comparison.xlsx, heatmap.png and comparison.docx in out, written atomically; an earlier .xlsx
    or .docx is kept as a .bak unless unchanged(path) says it is plandraft's own unedited output."""
    from .compare.heatmap import render_heatmap
    from .compare.report import report_bytes, workbook_bytes

    png = render_heatmap(result)
    payloads = {"comparison.xlsx": workbook_bytes(result), "heatmap.png": png,
                "comparison.docx": report_bytes(result, png, provenance=provenance)}
    written = []
    for name in COMPARE_OUTPUTS:
        target = Path(out) / name
        if target.exists() and name != "heatmap.png" and not (unchanged and unchanged(target)):
            backup(target)
        written.append(write_atomic(target, payloads[name]))
    return written


def compare_plan(
    outline: Outline,
    plan: Document,
    others: Sequence[Document] = (),
    *,
    out_dir: Path | str,
    corrections: str | Path | None = None,
    library: Path | str | None = None,
    our_city: str | None = None,
    threshold: float = CompareSettings().threshold,
    force: bool = False,
    unchanged: Callable[[Path], bool] | None = None,
    matcher: Matcher | None = None,
    our_matches: Sequence[Match] | None = None,
) -> CompareResult:
    """Our plan against the outline's example projects, the other plans and (with library) every
    other city in the library, which the inputs are added to; writes the comparison files. UsageError
    when an output exists and not force. matcher and our_matches (the plan's), when given, save
    building and matching again."""
    out = Path(out_dir)
    existing = [out / name for name in COMPARE_OUTPUTS if (out / name).exists()]
    if existing and not force:
        raise UsageError(f"{existing[0]} exists (use --force to replace it; a backup is kept)")
    matcher = matcher or make_matcher(outline, corrections)
    if our_matches is None:
        our_matches = matcher.match_items(list(plan.items))
    if library is None:
        items = others_from_outline(outline, file_sha256(outline.path))
        for doc in others:
            items += [replace(o, pillar=m.pillar)
                      for o, m in zip(others_from_document(doc), matcher.match_items(list(doc.items)))]
    else:
        items = others_via_library(library, outline, plan, our_matches, others, matcher, our_city)
    result = compare(outline, plan.items, items, matcher, our_city=our_city or plan.city or "当市",
                     our_matches=our_matches, settings=CompareSettings(threshold=threshold))
    provenance = f"plandraft compare: {plan.path} × {outline.path}"
    return CompareResult(result, tuple(write_comparison(result, out, provenance, unchanged)))
