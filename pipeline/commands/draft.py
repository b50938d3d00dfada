"""`plandraft draft`: last year's plan + the outline (+ other cities' plans) → next year's plan as a
Word draft and its 新旧対照表."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_OK, EXIT_PARTIAL, InputError, UsageError
from ..job import Pipeline
from ..messages import text
from ..output import metadata
from ..settings import RunConfig, Settings
from ..text.normalize import parse_year_arg
from ._common import Console, add_example, add_reference_option, emit, require_files


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("draft", help=text("help.draft"), description=text("help.draft.description"))
    p.add_argument("--outline", required=True, metavar="OUTLINE", help=text("help.outline"))
    p.add_argument("--plan", required=True, metavar="PLAN", help=text("help.draft.plan"))
    p.add_argument("--others", nargs="+", default=[], metavar="PATH", help=text("help.draft.others"))
    p.add_argument("--year", metavar="YEAR", help=text("help.draft.year"))
    p.add_argument("--corrections", metavar="TSV", help=text("help.draft.corrections"))
    p.add_argument("--template", metavar="DOCX", help=text("help.draft.template"))
    p.add_argument("--force", action="store_true", help=text("help.draft.force"))
    p.add_argument("--review", choices=("comments", "inline"), default=None, help=text("help.draft.review"))
    p.add_argument("--progress", metavar="FILE", action="append", help=text("help.draft.progress"))
    p.add_argument("--json", action="store_true", help=text("help.draft.json"))
    p.add_argument("--no-cache", action="store_true", help=text("help.no_cache_all"))
    add_reference_option(p)
    p.add_argument("-o", "--output", default="outputs", metavar="DIR", help=text("help.output_folder"))
    add_example(
        p,
        "plandraft draft --outline inputs/outline_計画の構成案.txt --plan inputs/tsushima_h21_action_plan.txt -o outputs",
        "plandraft draft --outline outline.docx --plan plan_h21.pdf --others others/ --year 平成22年度 -o outputs --force",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    console = Console()
    require_files([args.outline, args.plan, *args.others], "input")
    for path, what in ((args.template, "template"), (args.corrections, "corrections file")):
        if path:
            require_files([path], what)
    if args.progress:
        require_files(args.progress, "progress sheet")
    try:
        year = parse_year_arg(args.year) if args.year else None
    except ValueError as exc:
        raise UsageError(text("cli.bad_year", reason=exc)) from exc
    cfg = RunConfig.for_files(args.outline, args.plan, args.others, corrections=args.corrections, year=year,
                              reference=args.reference or "auto", progress=args.progress,
                              settings=Settings.resolve({"draft": {"review": args.review}}) if args.review else None)
    # (the manifest tells plandraft's own unedited outputs, replaced with --force as they are, from files a
    # planner edited since, backed up first, as `run` does)
    job = Pipeline(out_dir=Path(args.output), use_cache=not args.no_cache, force=args.force, manifest=True,
                   template=Path(args.template) if args.template else None, outputs=("draft", "progress"),
                   on_error=lambda p, e: console.error(e.line(p)), progress=console.progress)
    state = job(cfg, ("outline", "read"))
    console.summary(state.documents, state.errors)
    plan = state.plan
    if plan is None:
        console.error(text("job.nothing_written", path=args.plan))
        return EXIT_PARTIAL
    if year is not None and plan.fiscal_year is not None and year <= plan.fiscal_year.year:
        console.error(text("job.year_not_after", year=args.year, plan_year=plan.fiscal_year.label))
    try:
        state = job(state, ("match", "draft", "write"))
    except InputError as exc:
        raise (exc.at(args.corrections) if args.corrections else exc) from None
    for w in state.warnings:
        console.error(w)
    draft = state.draft
    assert draft is not None
    if args.json:
        emit({"outputs": [str(p) for p in state.outputs], "year": draft.year_label, "from_year": draft.from_label,
              "review": draft.review, "errors": state.errors, "metadata": metadata()}, None)
    else:
        sys.stdout.write("".join(f"{p}\n" for p in state.outputs))
    return EXIT_PARTIAL if state.errors else EXIT_OK
