"""`plandraft ingest`: plan documents → structured items (JSON or a readable listing)."""
from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK, EXIT_PARTIAL, InputError, UsageError
from ..ingest import LIMITS, Limits
from ..messages import text
from ..model import MARK_OF_ACTOR, Document
from ..output import metadata
from ..settings import OCR_MODES, ReadSettings
from ._common import Console, add_example, emit, ingest_reporting, positive_float, positive_int


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("ingest", help="read plan documents into structured items",
                       description="Read plan documents (.pdf .docx .xlsx .doc .xls .rtf .odt .ods .csv .txt .md, or folders "
                       "of them; scanned PDF pages by OCR) "
                       "into items: policy, ■ measure, 項目, 内容, 関係部署, actor mark, tags, year, city, source.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--json", action="store_true", help="print JSON to stdout")
    p.add_argument("-o", "--output", metavar="FILE", help="write the JSON to FILE (atomically)")
    p.add_argument("--no-cache", action="store_true", help="parse again even if the file is unchanged")
    p.add_argument("--library", metavar="PATH", help="also keep the documents' measures in this library "
                   "(e.g. outputs/library.sqlite) for `plandraft search` and `compare`")
    p.add_argument("--workers", type=positive_int, metavar="N", help="parallel processes (default: the CPU count)")
    p.add_argument("--timeout", type=positive_float, metavar="SECONDS", default=LIMITS.seconds,
                   help=f"give up on a file that takes longer (default {LIMITS.seconds:g})")
    p.add_argument("--memory-limit", type=positive_int, metavar="MB", default=LIMITS.memory_mb,
                   help=f"give up on a file whose reading needs more memory (default {LIMITS.memory_mb}, at least 256)")
    p.add_argument("--ocr", choices=OCR_MODES, default="auto",
                   help="read PDF pages by OCR (Tesseract, Japanese): auto, the pages without a usable text "
                   "layer (scans, (cid:N) codes); always, every page; never, none (default auto)")
    add_example(p, "plandraft ingest inputs/ --json", "plandraft ingest plan.pdf -o outputs/plan.json",
                "plandraft ingest archive/ --workers 4 --timeout 120 -o outputs/archive.json",
                "plandraft ingest scanned_plan.pdf --ocr always --timeout 300")
    p.set_defaults(func=run)


def render_text(doc: Document) -> str:
    """A planner-readable listing of one document's items."""
    fy = f"{doc.fiscal_year.label} (FY{doc.fiscal_year.year})" if doc.fiscal_year else "年度不明"
    lines = [f"{doc.path} — {doc.title}", "  " + text("ingest.summary", city=doc.city or "市町村不明", year=fy,
                                                       count=len(doc.items))]
    if not doc.plan_like:
        lines.append("  (not a plan of measures: its rows are not read as measures)")
    lines.extend(f"  ! {w}" for w in doc.warnings)
    policy = measure = None
    for item in doc.items:
        if item.policy != policy:
            policy = item.policy
            lines.append(f"  {policy or '(施策なし)'}")
        if item.measure != measure:
            measure = item.measure
            if measure:
                lines.append(f"    ■ {measure}")
        mark = MARK_OF_ACTOR.get(item.actor or "", "・")
        tags = f" [{'・'.join(item.tags)}]" if item.tags else ""
        depts = "、".join(item.departments)
        lines.append(f"      {mark} {item.name}{tags} — {depts}  ({item.source.label()})")
    return "\n".join(lines)


def _keep_in_library(path: str, docs: list[Document]) -> None:
    """Add docs to the library at path (one transaction each; re-adding a file updates it). Pillars
    are assigned later, by `compare` or `library add --outline`, against the outline then in use."""
    from ..library import Library

    try:
        lib = Library(path)
    except InputError as exc:
        raise exc.at(path) from None
    with lib:
        for doc in docs:
            with lib.atomic():
                lib.add_document(doc)


def run(args: argparse.Namespace) -> int:
    try:
        limits = Limits(seconds=args.timeout, memory_mb=args.memory_limit)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    console = Console()
    settings = ReadSettings(limits=limits, ocr=args.ocr)
    docs, errors = ingest_reporting(args.paths, console, use_cache=not args.no_cache, workers=args.workers,
                                    limits=limits, settings=settings)
    for doc in docs:
        if not doc.plan_like:  # one line each: later stages do not read its rows as measures
            console.info(text("ingest.not_plan", path=doc.path, why="; ".join(doc.warnings) or text("ingest.no_measures")))
    if args.library:
        _keep_in_library(args.library, docs)
    result = {"documents": docs, "errors": errors, "metadata": metadata()}
    if args.output:
        emit(result, args.output)
    if args.json:
        emit(result, None)
    if not args.json:
        for doc in docs:
            sys.stdout.write(render_text(doc) + "\n\n")
        if args.output:
            console.info(text("output.wrote", path=args.output))
    return EXIT_PARTIAL if errors else EXIT_OK
