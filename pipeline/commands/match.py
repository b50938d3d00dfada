"""`plandraft match`: every item of the plans → its outline pillar, with runner-up and evidence."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import EXIT_OK, EXIT_PARTIAL
from ..messages import text
from ..model import Document, Match, Outline
from ..output import metadata
from ._common import (
    Console,
    add_example,
    add_knowledge_options,
    corrections_of,
    emit,
    evidence_text,
    match_json,
    matcher_from_args,
    require_files,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("match", help=text("help.match"), description=text("help.match.description"))
    p.add_argument("plans", nargs="+", metavar="PLAN", help=text("help.match.plans"))
    add_knowledge_options(p)
    p.add_argument("--json", action="store_true", help=text("help.json"))
    p.add_argument("--no-cache", action="store_true", help=text("help.match.no_cache"))
    add_example(p, "plandraft match --outline inputs/outline_計画の構成案.txt inputs/tsushima_h21_action_plan.txt",
                "plandraft match --outline inputs/outline_計画の構成案.txt --corrections inputs/corrections.tsv "
                "plan.pdf --json")
    p.set_defaults(func=run)


def document_json(doc: Document, matches: list[Match], outline: Outline) -> dict[str, Any]:
    items = []
    for item, m in zip(doc.items, matches):
        row = {"id": item.id, "name": item.name, "policy": item.policy, "measure": item.measure,
               "source": item.source, **match_json(m, outline), "runner_up": m.runner_up}
        del row["text"]
        items.append(row)
    return {"path": doc.path, "city": doc.city, "fiscal_year": doc.fiscal_year, "items": items}


def render_text(doc: Document, matches: list[Match], outline: Outline) -> str:
    lines = [text("match.document", path=doc.path, count=len(doc.items))]
    for item, m in zip(doc.items, matches):
        mark = "✔" if m.corrected else ("?" if m.needs_review else " ")
        runner = f" / {m.runner_up}" if m.runner_up is not None else ""
        lines.append(f"  {mark} ({m.pillar}{runner}) {m.confidence:4.2f}  {item.name}  "
                     f"— {outline.pillar(m.pillar).title}")
        if m.evidence:
            lines.append(f"        {evidence_text(m)}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..job import Pipeline
    from ..settings import RunConfig

    console = Console()
    corrections = corrections_of(args)
    require_files([f for f in (args.outline, corrections, args.rules, args.synonyms, args.stopwords, args.model)
                   if f], "file")
    # The plans are read and matched by the job's own stages (outline → read → match), as run does;
    # given as "others", so no reference measures are added.
    config = RunConfig.for_files(args.outline, None, args.plans, corrections=corrections, reference="none")
    job = Pipeline(use_cache=not args.no_cache, on_error=lambda p, e: console.error(e.line(p)),
                   progress=console.progress,
                   matcher_factory=lambda outline, _cfg: matcher_from_args(args, console, outline,
                                                                                   report_corrections=False))
    state = job(config, ("outline", "read", "match"))
    for doc in state.documents:
        for note in doc.notes:
            console.info(f"{doc.path}: {note}")
    console.summary(state.documents, state.errors)
    for warning in state.warnings:
        console.error(warning)
    outline = state.outline
    assert outline is not None
    results = [(doc, state.matches_of(doc)) for doc in state.documents]
    errors = list(state.errors)
    if args.json:
        emit({"outline": outline.path,
              "documents": [document_json(d, ms, outline) for d, ms in results],
              "errors": errors, "metadata": metadata()}, None)
    else:
        for doc, ms in results:
            sys.stdout.write(render_text(doc, ms, outline) + "\n\n")
    return EXIT_PARTIAL if errors else EXIT_OK
