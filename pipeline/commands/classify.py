"""`plandraft classify`: measures given as text, one a line → their outline pillars (JSON lines or a table)."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import EXIT_OK, UsageError
from ..match.knowledge import Knowledge, load_knowledge
from ..match.matcher import Matcher
from ..model import Match, Outline
from ..text.normalize import clean
from ._common import Console, add_example, read_outline_or_fail, require_files


def add_knowledge_options(p: argparse.ArgumentParser) -> None:
    """The options every matching command takes: the outline and the planner's knowledge files."""
    p.add_argument("--outline", required=True, metavar="OUTLINE", help="the draft outline (計画の構成案)")
    p.add_argument("--corrections", metavar="TSV", help="a planner's corrections: item → pillar (always win)")
    p.add_argument("--rules", metavar="TSV", help="coding rules (default: the shipped pipeline/data/rules.tsv)")
    p.add_argument("--synonyms", metavar="TSV", help="synonym groups (default: pipeline/data/synonyms.tsv)")
    p.add_argument("--stopwords", metavar="TXT", help="stop words (default: pipeline/data/stopwords.txt)")
    p.add_argument("-v", "--verbose", action="store_true", help="say which rules fit no pillar of this outline")


def matcher_from_args(args: argparse.Namespace, console: Console) -> Matcher:
    """The outline and knowledge the options name, as a Matcher; unresolvable corrections (and with
    -v rules) are reported on stderr."""
    files = [f for f in (args.outline, args.corrections, args.rules, args.synonyms, args.stopwords) if f]
    require_files(files, "file")
    outline: Outline = read_outline_or_fail(args.outline)
    knowledge: Knowledge = load_knowledge(rules=args.rules, synonyms=args.synonyms, stopwords=args.stopwords,
                                          corrections=args.corrections)
    matcher = Matcher(outline, knowledge)
    for c in matcher.unresolved_corrections:
        console.error(f"{c.origin}: pillar '{c.pillar}' is not in this outline (correction of {c.item} ignored)")
    if args.verbose:
        for r in matcher.unresolved_rules:
            console.error(f"{r.origin}: no pillar of this outline matches '{r.target}' (rule {r.when} unused)")
    return matcher


def match_json(m: Match, outline: Outline) -> dict[str, Any]:
    """A Match as the JSON object the commands print."""
    return {
        "text": m.text,
        "pillar": m.pillar,
        "title": outline.pillar(m.pillar).title,
        "score": m.score,
        "confidence": m.confidence,
        "needs_review": m.needs_review,
        "corrected": m.corrected,
        "ranking": [{"pillar": n, "score": s} for n, s in m.ranking],
        "evidence": [{"term": e.term, "pillar_side": e.pillar_side} for e in m.evidence],
    }


def evidence_text(m: Match, limit: int = 3) -> str:
    return "; ".join(f"{e.term} ← {e.pillar_side}" for e in m.evidence[:limit])


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("classify", help="assign measures given as text to outline pillars",
                       description="Read measures, one per line (UTF-8; - or no FILE: standard input), and "
                       "assign each to a pillar of the outline, with score, confidence and evidence. With "
                       "--json: one JSON object per input line, in input order.")
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help="measures, one a line (default: stdin)")
    add_knowledge_options(p)
    p.add_argument("--json", action="store_true", help="one JSON object per line to stdout")
    add_example(p, "plandraft classify --outline inputs/outline_計画の構成案.txt measures.txt --json",
                "echo 市民協働出前講座の実施 | plandraft classify --outline inputs/outline_計画の構成案.txt")
    p.set_defaults(func=run)


def _read_lines(path: str) -> list[str]:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text (save it as UTF-8)") from exc
    return [clean(line) for line in text.splitlines()]


def run(args: argparse.Namespace) -> int:
    import json

    console = Console()
    if args.file != "-":
        require_files([args.file], "input")
    matcher = matcher_from_args(args, console)
    outline = matcher.outline
    out = sys.stdout
    for n, line in enumerate(_read_lines(args.file), start=1):
        if not line:
            continue
        m = matcher.match_text(line, item_id=str(n))
        if args.json:
            out.write(json.dumps(match_json(m, outline), ensure_ascii=False) + "\n")
        else:
            flag = " ?" if m.needs_review else ""
            out.write(f"({m.pillar}) {outline.pillar(m.pillar).title[:18]:<18} {m.confidence:4.2f}{flag:2} "
                      f"{line}  [{evidence_text(m, 2)}]\n")
    return EXIT_OK
