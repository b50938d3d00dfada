"""`plandraft ingest`: plan documents → structured items (JSON or a readable listing)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_OK, EXIT_PARTIAL, InputError, UsageError
from ..files import expand_paths
from ..ingest import LIMITS, Limits
from ..messages import text
from ..model import MARK_OF_ACTOR, Document
from ..output import backup, metadata
from ..settings import OCR_MODES, ReadSettings
from ._common import Console, add_example, emit, ingest_reporting, positive_float, positive_int, printable


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("ingest", help=text("help.ingest"), description=text("help.ingest.description"))
    p.add_argument("paths", nargs="+", metavar="PATH", help=text("help.paths"))
    p.add_argument("--json", action="store_true", help=text("help.json"))
    p.add_argument("-o", "--output", metavar="FILE", help=text("help.ingest.output"))
    p.add_argument("--force", action="store_true", help=text("help.ingest.force"))
    p.add_argument("--no-cache", action="store_true", help=text("help.ingest.no_cache"))
    p.add_argument("--library", metavar="PATH", help=text("help.ingest.library"))
    p.add_argument("--workers", type=positive_int, metavar="N", help=text("help.workers"))
    p.add_argument("--timeout", type=positive_float, metavar="SECONDS", default=LIMITS.seconds,
                   help=text("help.timeout", seconds=f"{LIMITS.seconds:g}"))
    p.add_argument("--memory-limit", type=positive_int, metavar="MB", default=LIMITS.memory_mb,
                   help=text("help.memory_limit", mb=LIMITS.memory_mb))
    p.add_argument("--ocr", choices=OCR_MODES, default="auto", help=text("help.ocr"))
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
        lines.append("  " + text("ingest.not_plan_line"))
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
    return "\n".join(printable(line) for line in lines)


def _own_json(path: Path) -> bool:
    """Whether path holds what `ingest -o` writes (documents, errors and metadata as JSON): a file a
    re-run may replace, unlike a plan or a planner's own file of that name."""
    import json

    try:
        if path.stat().st_size > 512 * 1024 * 1024:
            return False
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and {"documents", "errors", "metadata"} <= set(data)


def _check_output(output: str, paths: list[str], force: bool) -> bool:
    """-o FILE: never one of the files read (that would replace a plan by its JSON); an existing file
    that is not an earlier `ingest -o` output only with --force. True if the old file is to be kept
    as a .bak."""
    target = Path(output)
    for given in expand_paths(paths):
        try:
            same = target.is_file() and target.samefile(given)
        except OSError:
            same = False
        if same:
            raise UsageError(text("ingest.output_is_input", path=output))
    if not target.is_file() or _own_json(target):
        return False
    if not force:
        raise UsageError(text("ingest.output_exists", path=output))
    return True


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
    keep_old = bool(args.output and args.output != "-" and _check_output(args.output, args.paths, args.force))
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
        if keep_old:
            backup(args.output)
        emit(result, args.output)
    if args.json and args.output not in ("-",):  # (-o - has just written it there)
        emit(result, None)
    if not args.json:
        for doc in docs:
            sys.stdout.write(render_text(doc) + "\n\n")
        if args.output:
            console.info(text("output.wrote", path=args.output))
    return EXIT_PARTIAL if errors else EXIT_OK
