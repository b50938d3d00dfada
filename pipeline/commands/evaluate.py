"""`plandraft evaluate`: how well matching agrees with a gold TSV (accuracy, confusion, misses)."""
from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK, EXIT_PARTIAL, InputError
from ..match.evaluate import evaluate, find_items, read_gold, render_text
from ..messages import text
from ..model import Item
from ..output import metadata
from ._common import (
    Console,
    add_example,
    add_knowledge_options,
    emit,
    ingest_reporting,
    matcher_from_args,
    require_files,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("evaluate", help=text("help.evaluate"), description=text("help.evaluate.description"))
    add_knowledge_options(p)
    p.add_argument("--gold", required=True, metavar="TSV", help=text("help.evaluate.gold"))
    p.add_argument("--plan", metavar="PLAN", help=text("help.evaluate.plan"))
    p.add_argument("--loo", action="store_true", help=text("help.evaluate.loo"))
    p.add_argument("--json", action="store_true", help=text("help.json"))
    add_example(p, "plandraft evaluate --outline inputs/outline_計画の構成案.txt "
                "--gold ../shared/eval/tsushima_h21_gold.tsv --plan inputs/tsushima_h21_action_plan.txt --loo")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    console = Console()
    require_files([args.gold] + ([args.plan] if args.plan else []), "file")
    matcher = matcher_from_args(args, console)
    try:
        gold = read_gold(args.gold)
    except InputError as exc:
        exc.at(args.gold)
        raise
    items: list[Item | None] | None = None
    status = EXIT_OK
    if args.plan:
        docs, errors = ingest_reporting([args.plan], console)
        if errors:
            return EXIT_PARTIAL
        items = find_items(docs[0], gold)
        for g, item in zip(gold, items):
            if item is None:
                console.error(text("evaluate.not_an_item", gold=args.gold, item=g.item, plan=args.plan))
                status = EXIT_PARTIAL
    report = evaluate(matcher.outline, gold, matcher.knowledge, items, loo=args.loo, settings=matcher.settings,
                      model=matcher.model)
    if args.json:
        emit({**report.to_json(), "metadata": metadata()}, None)
    else:
        sys.stdout.write(render_text(report, matcher.outline) + "\n")
    return status
