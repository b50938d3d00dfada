"""`plandraft train`: rebuild the matcher's text model from the labelled measures and a planner's corrections."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import EXIT_OK, InputError, UsageError
from ..messages import text
from ._common import Console, add_example, emit, read_outline_or_fail, require_files


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("train", help=text("help.train"), description=text("help.train.description"))
    p.add_argument("--outline", required=True, metavar="OUTLINE", help=text("help.outline"))
    p.add_argument("--reference", metavar="TSV", help=text("help.train.reference"))
    p.add_argument("--not-measures", metavar="TSV", help=text("help.train.not_measures"))
    p.add_argument("--labelled", nargs="*", metavar="TSV", help=text("help.train.labelled"))
    p.add_argument("--corrections", metavar="TSV", help=text("help.train.corrections"))
    p.add_argument("--rules", metavar="TSV", help=text("help.knowledge.rules"))
    p.add_argument("--synonyms", metavar="TSV", help=text("help.knowledge.synonyms"))
    p.add_argument("--stopwords", metavar="TXT", help=text("help.knowledge.stopwords"))
    p.add_argument("-o", "--output", metavar="JSON", help=text("help.train.output"))
    p.add_argument("--json", action="store_true", help=text("help.train.json"))
    add_example(p, "plandraft train --outline inputs/outline_計画の構成案.txt",
                "plandraft train --outline inputs/outline_計画の構成案.txt --corrections inputs/corrections.tsv "
                "-o my_model.json")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise UsageError(text("train.needs_sklearn")) from None
    from ..match.knowledge import load_knowledge, read_corrections
    from ..match.model import DEFAULT_MODEL
    from ..match.trainer import (
        DEFAULT_LABELLED,
        DEFAULT_NOT_MEASURES,
        DEFAULT_REFERENCE,
        from_corrections,
        read_labelled,
        read_reference,
        train,
    )

    console = Console()
    labelled = args.labelled if args.labelled is not None else [str(p) for p in DEFAULT_LABELLED if p.is_file()]
    reference = args.reference or str(DEFAULT_REFERENCE)
    not_measures = args.not_measures or (str(DEFAULT_NOT_MEASURES) if DEFAULT_NOT_MEASURES.is_file() else None)
    files = [args.outline, reference, *labelled] + [f for f in (not_measures, args.corrections, args.rules,
                                                                 args.synonyms, args.stopwords) if f]
    require_files(files, "file")
    outline = read_outline_or_fail(args.outline)
    knowledge = load_knowledge(rules=args.rules, synonyms=args.synonyms, stopwords=args.stopwords)
    rows = read_reference(reference)
    if not_measures:
        rows += read_reference(not_measures, "not_measure")
    for path in labelled:
        rows += read_labelled(path)
    if args.corrections:
        try:
            corrections = read_corrections(args.corrections)
        except InputError as exc:
            exc.at(args.corrections)
            raise
        rows += from_corrections(corrections, outline)
    console.info(text("train.rows", train=sum(r.split == "train" for r in rows),
                      tune=sum(r.split == "tune" for r in rows)))
    result = train(outline, knowledge, rows, progress=console.progress)
    console.clear()
    out = Path(args.output) if args.output else DEFAULT_MODEL
    result.model.save(out)
    report = {**result.report, "model": str(out)}
    if args.json:
        emit(report, None)
    else:
        sys.stdout.write(summary(report, out))
    return EXIT_OK


def summary(report: dict[str, Any], out: Path) -> str:
    """What `plandraft train` prints without --json: the file written, the settings chosen and the
    tune split's figures, in the planner's language."""
    t = report["tune"]
    settings = text("train.settings", c=report["C"], vectors=report["vector_weight"],
                    neighbours=report["neighbour_weight"], weight=report["weight"],
                    review=report["review_below"], review_model=report.get("review_model", 0.0), generic=report["generic_words"],
                    learned=report.get("learned_words", 0))
    tune = text("train.tune", n=t["n"], top1=t["top1"], acceptable=t["acceptable"], top2=t["top2"],
                recall=t["flag_recall"], rate=t["flag_rate_correct"])
    nm = report.get("tune_not_measures") or {}
    others = text("train.not_measures", n=nm["n"], share=nm["no_pillar"]) + "\n" if nm.get("n") else ""
    return f"{text('output.wrote', path=out)}\n{settings}\n{tune}\n{others}"
