"""Helpers the commands share: stderr reporting, progress, reading inputs, emitting results."""
from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ..errors import InputError, UsageError
from ..ingest import LIMITS, Limits, ingest_paths
from ..messages import MESSAGES, language
from ..messages import text as msg_text
from ..model import Document, IngestError
from ..output import dumps, look_up_metadata, write_atomic
from ..settings import ReadSettings


class Console:
    """Progress and messages on stderr. Progress shows only when stderr is a terminal, so logs and
    pipes stay clean; errors always show."""

    BAR = 24  # cells of the bar
    NAME = 36  # cells of the file name after it

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._shown = 0  # cells of the progress line on screen

    def error(self, line: str) -> None:
        self.clear()
        print(printable(line), file=self.stream)

    def info(self, message: str) -> None:
        self.clear()
        print(printable(message), file=self.stream)

    def progress(self, n: int, total: int, label: object) -> None:
        """A bar, n/total and the file just done, redrawn in place (terminal only, batches of 2+)."""
        if not self.tty or total < 2:
            return
        done = self.BAR * n // total
        line = f"[{'#' * done}{'.' * (self.BAR - done)}] {n}/{total} {_fit(printable(Path(str(label)).name), self.NAME)}"
        width = _cells(line)
        self.stream.write("\r" + line + " " * max(0, self._shown - width))  # blank what a longer line left
        self.stream.flush()
        self._shown = width

    def summary(self, docs: Sequence[Document], errors: Sequence[IngestError]) -> None:
        """The closing line of a batch: which files were skipped (nothing when none was)."""
        self.clear()
        if errors:
            total = len(docs) + len(errors)
            self.error(msg_text("batch.skipped", count=len(errors), total=total,
                            names=", ".join(Path(e.path).name for e in errors)))

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0


def printable(text: str) -> str:
    """text safe for a terminal line: control characters (escape sequences, newlines that would forge
    a second line, bidi overrides, line separators) shown as \\uXXXX instead of acting."""
    return "".join(ch if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")
                   or ch in "\u200c\u200d" else f"\\u{ord(ch):04x}" for ch in text)


def _what(what: str) -> str:
    """The catalogue's word for what a missing file was ('input', 'template' …), else what itself."""
    code = f"what.{what.split()[0]}"
    return msg_text(code) if code in MESSAGES else what


def _cells(text: str) -> int:
    """Terminal cells text takes: two for wide (CJK) characters."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, cells: int) -> str:
    """text cut to at most cells terminal cells (with … when cut), so the line never wraps."""
    if _cells(text) <= cells:
        return text
    out, used = "", 1
    for ch in text:
        used += _cells(ch)
        if used > cells:
            break
        out += ch
    return out + "…"


def add_reference_option(parser: argparse.ArgumentParser) -> None:
    """--reference: whether the built-in measures of other municipalities (参考事例) are used."""
    parser.add_argument("--reference", choices=("auto", "always", "none"), default=None,
                        help=msg_text("help.reference"))


def add_example(parser: argparse.ArgumentParser, *examples: str) -> None:
    """Append usage examples to a command's help."""
    parser.epilog = msg_text("help.examples") + "\n" + "\n".join(f"  {e}" for e in examples)
    parser.formatter_class = HelpFormatter


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help wrapped by terminal cells, so Japanese (two cells a character, no spaces to break at)
    fits the width; text of several lines (the examples) is kept as written."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_cells(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text.strip():
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap_cells(" ".join(text.split()), width - len(indent)))


_NO_LINE_START = set("、。，．・）」』】〕！？:;,.)ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー")


def wrap_cells(text: str, width: int) -> list[str]:
    """text in lines of at most width terminal cells: broken at spaces, or between two wide (CJK)
    characters, never before closing punctuation."""
    tokens: list[str] = []
    for ch in text:
        wide = _cells(ch) == 2
        if tokens and not wide and ch != " " and tokens[-1][-1] != " " and _cells(tokens[-1][-1]) == 1:
            tokens[-1] += ch  # a Latin word stays whole
        elif tokens and ch in _NO_LINE_START:
            tokens[-1] += ch
        else:
            tokens.append(ch)
    lines, line = [], ""
    for token in tokens:
        if line and _cells(line + token) > width and token != " ":
            lines.append(line.rstrip())
            line = ""
        if token == " " and not line:
            continue
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def positive_int(value: str) -> int:
    """argparse type: a whole number ≥ 1."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(msg_text("cli.not_whole_number", value=repr(value))) from None
    if n < 1:
        raise argparse.ArgumentTypeError(msg_text("cli.at_least_one", value=n))
    return n


def positive_float(value: str) -> float:
    """argparse type: a number > 0."""
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(msg_text("cli.not_number", value=repr(value))) from None
    if not n > 0 or n == float("inf"):
        raise argparse.ArgumentTypeError(msg_text("cli.not_positive", value=value))
    return n


def require_files(paths: Sequence[str], what: str) -> None:
    """UsageError unless every path exists."""
    for p in paths:
        if p != "-" and not Path(p).exists():
            raise UsageError(msg_text("input.not_found", what=_what(what), path=p))


def ingest_reporting(
    paths: Sequence[str | Path],
    console: Console,
    use_cache: bool = True,
    workers: int | None = None,
    limits: Limits = LIMITS,
    settings: ReadSettings | None = None,
) -> tuple[list[Document], list[IngestError]]:
    """Ingest paths, printing one line per unreadable file, one for the files of folders that are not
    documents, each document's notes (pages read by OCR, pages with no text) and a closing summary
    of what was skipped."""
    look_up_metadata()  # the outputs name the versions: found while the files are read
    docs, errors = ingest_paths(
        paths,
        use_cache=use_cache,
        on_error=lambda p, e: console.error(e.line(p)),
        progress=console.progress,
        workers=workers,
        limits=limits,
        settings=settings,
        on_note=console.info,
    )
    for doc in docs:
        for note in doc.notes:
            console.info(f"{doc.path}: {note}")
    console.summary(docs, errors)
    return docs, errors


def emit(obj: Any, out: str | None) -> None:
    """JSON of obj to stdout, or atomically to the file out."""
    text = dumps(obj)
    if out and out != "-":
        write_atomic(out, text)
    else:
        sys.stdout.write(text)


def read_outline_or_fail(path: str) -> Any:
    """The outline at path, read in a limited worker like every plan; InputError (carrying the path)
    if it cannot be read."""
    from ..ingest import read_limited
    from ..workers import READ_OUTLINE

    try:
        return read_limited(path, READ_OUTLINE)
    except InputError as exc:
        exc.at(path)
        raise


def add_library_option(p: argparse.ArgumentParser) -> None:
    """--library PATH (default outputs/library.sqlite)."""
    from ..library import Library

    p.add_argument("--library", metavar="PATH", default=str(Library.DEFAULT_PATH),
                   help=msg_text("help.library", path=Library.DEFAULT_PATH))


def open_library(path: str, create: bool = False) -> Any:
    """The Library at path (created if create); UsageError if there is none, InputError naming the
    file if it is not a library."""
    from ..library import Library

    try:
        return Library(path, create=create)
    except FileNotFoundError:
        raise UsageError(msg_text("library.none", path=path)) from None
    except InputError as exc:
        raise exc.at(path) from None


# -- matching commands (classify, match, evaluate) ------------------------------------------------

def add_knowledge_options(p: argparse.ArgumentParser) -> None:
    """The options every matching command takes: the outline and the planner's knowledge files."""
    p.add_argument("--outline", required=True, metavar="OUTLINE", help=msg_text("help.outline"))
    p.add_argument("--corrections", metavar="TSV", help=msg_text("help.knowledge.corrections"))
    p.add_argument("--rules", metavar="TSV", help=msg_text("help.knowledge.rules"))
    p.add_argument("--synonyms", metavar="TSV", help=msg_text("help.knowledge.synonyms"))
    p.add_argument("--stopwords", metavar="TXT", help=msg_text("help.knowledge.stopwords"))
    p.add_argument("--model", metavar="JSON", help=msg_text("help.knowledge.model"))
    p.add_argument("--no-model", action="store_true", help=msg_text("help.knowledge.no_model"))
    p.add_argument("-v", "--verbose", action="store_true", help=msg_text("help.knowledge.verbose"))


def corrections_of(args: argparse.Namespace) -> str | None:
    """The corrections file of a matching command: --corrections, else corrections.tsv beside the
    outline (as run and draft use)."""
    from ..settings import default_corrections

    if args.corrections:
        return str(args.corrections)
    found = default_corrections(Path(args.outline).parent)
    return str(found) if found is not None else None


def matcher_from_args(args: argparse.Namespace, console: Console, outline: Any = None,
                      report_corrections: bool = True) -> Any:
    """The outline (read here unless given) and knowledge the options name, as a Matcher;
    unresolvable corrections (unless the caller reports them: the job's match stage does) and with -v
    rules are reported on stderr."""
    from ..match.knowledge import load_knowledge
    from ..match.matcher import Matcher
    from ..match.model import load_model

    model = getattr(args, "model", None)
    corrections = corrections_of(args)
    files = [f for f in (args.outline, corrections, args.rules, args.synonyms, args.stopwords, model) if f]
    require_files(files, "file")
    if outline is None:
        outline = read_outline_or_fail(args.outline)
    knowledge = load_knowledge(rules=args.rules, synonyms=args.synonyms, stopwords=args.stopwords,
                               corrections=corrections)
    if getattr(args, "no_model", False):
        matcher = Matcher(outline, knowledge, model=None)
    elif model:
        matcher = Matcher(outline, knowledge, model=load_model(model))
    else:
        matcher = Matcher(outline, knowledge)
    for c in matcher.unresolved_corrections if report_corrections else ():
        console.error(msg_text("job.unknown_pillar", origin=c.origin, pillar=c.pillar, item=c.item))
    if args.verbose:
        for r in matcher.unresolved_rules:
            console.error(msg_text("match.rule_unused", origin=r.origin, target=r.target, when=r.when))
    return matcher


def match_json(m: Any, outline: Any) -> dict[str, Any]:
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
        "no_evidence": m.no_evidence,
        "no_pillar": m.no_pillar,
        "evidence": [evidence_json(e) for e in m.evidence],
    }


def evidence_json(e: Any) -> dict[str, Any]:
    """One piece of evidence as JSON: kind (outline, rule, model, measure, correction, none), text, weight,
    where."""
    return {"kind": e.kind, "text": e.text, "weight": e.weight, "where": e.where}


def evidence_text(m: Any, limit: int = 3) -> str:
    """The strongest evidence in one line, in the planner's language: e.g. '柱の内容: 研修（職員研修）;
    分類ルール: 職員・研修（…）', in English '研修 ← outline topic: 職員研修; 職員・研修 ← rule …'."""
    if language() == "ja":
        from ..match.wording import evidence

        return "; ".join("{}: {}".format(*evidence(e)) for e in m.evidence[:limit])
    return "; ".join(f"{e.text} ← {e.kind}{' ' + e.where if e.where else ''}" for e in m.evidence[:limit])
