"""Template lint: the problems a planner's edit in Word can leave in a .docx template (split or
mistyped jinja tags, missing mark styles), found before rendering; and what render.py shares with it
(the jinja environment, the mark styles, the text of a document's parts)."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError

from ..messages import text as msg_text
from ..ooxml import W
from .records import DELETED, FILL, INSERTED, REVIEW

# The character style (w:styleId) each span mark is shown in; the look is the template's business.
# Text to decide on and places to type in look the same (a highlighter) when the draft is inline.
MARK_STYLES = {REVIEW: "ReviewMark", FILL: "ReviewMark", INSERTED: "InsertedText", DELETED: "DeletedText"}



def jinja_env() -> Environment:
    """The environment every template renders in: an undefined variable is an error, text escaped
    for XML (a '<' or '&' in a plan must not break the document)."""
    return Environment(undefined=StrictUndefined, autoescape=True)


@dataclass(frozen=True)
class LintProblem:
    template: str
    part: str  # word/document.xml, word/header1.xml …
    severity: str  # error: the template will not render right; warning: it renders, but fix it
    message: str
    context: str  # the paragraph's text
    # broken: a tag that will not render; unreadable: no .docx at all; no_tags: a .docx with no tag (a
    # plan or letter given as the template would come out as itself, with nothing of the draft in it)
    kind: str = "broken"


_TAG = re.compile(r"\{([{%#])(.*?)([}%#])\}", re.DOTALL)
_OPEN = re.compile(r"\{[{%#]")
_CLOSE = re.compile(r"[}%#]\}")
_FULLWIDTH_DELIM = re.compile(r"[｛{][｛％＃]|[｝％＃][｝}]|｛[{%#]|[}%#]｝")
_SMART = "“”‘’„‚«»"
_FULLWIDTH_IN_TAG = "（）＝＜＞｜．，＋－＊／［］"


def _parts(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [n for n in z.namelist()
                 if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes)\.xml", n)]
        return [(n, z.read(n)) for n in sorted(names)]


def paragraph_texts(data: bytes) -> list[str]:
    """The text of every paragraph in the document, headers and footers."""
    out = []
    for _, xml in _parts(data):
        root = parse_xml(xml)
        for p in root.iter(W + "p"):
            out.append("".join(t.text or "" for t in p.iter(W + "t")))
    return out


def lint_template(path: Path | str) -> list[LintProblem]:
    """Problems with the jinja tags of a .docx template: tags Word split across runs (docxtpl mends
    most, but the tag takes the first run's look), smart or full-width quotes, braces and operators
    typed with the IME on, unbalanced delimiters, jinja syntax errors, and missing mark styles."""
    path = Path(path)
    name = path.name
    problems: list[LintProblem] = []
    try:
        data = path.read_bytes()
        parts = _parts(data)
    except (OSError, zipfile.BadZipFile) as exc:
        reason = msg_text("lint.not_zip") if isinstance(exc, zipfile.BadZipFile) else exc.strerror or exc
        return [LintProblem(name, "", "error", msg_text("lint.unreadable", reason=reason), "", "unreadable")]
    tpl = DocxTemplate(io.BytesIO(data))
    env = jinja_env()
    tags = 0
    for part, xml in parts:
        root = parse_xml(xml)
        for p in root.iter(W + "p"):
            ts = list(p.iter(W + "t"))
            text = "".join(t.text or "" for t in ts)
            if not text:
                continue
            owner: list[int] = []
            for k, t in enumerate(ts):
                owner.extend([k] * len(t.text or ""))

            def add(severity: str, message: str, _part: str = part, _text: str = text) -> None:
                problems.append(LintProblem(name, _part, severity, message, _text))

            if _FULLWIDTH_DELIM.search(text):
                add("error", msg_text("lint.fullwidth_delimiter"))
            if len(_OPEN.findall(text)) != len(_CLOSE.findall(text)):
                add("error", msg_text("lint.unbalanced", first="{{ }}", second="{% %}"))
            for m in _TAG.finditer(text):
                body = m.group(2)
                if any(c in body for c in _SMART):
                    add("warning", msg_text("lint.smart_quotes", tag=repr(m.group(0))))
                if any(c in body for c in _FULLWIDTH_IN_TAG):
                    add("error", msg_text("lint.fullwidth_character", tag=repr(m.group(0))))
                runs = set(owner[m.start() : m.end()])
                if len(runs) > 1:
                    add("warning", msg_text("lint.split", tag=repr(m.group(0)), runs=len(runs)))
        # What jinja will see after docxtpl's own clean-up: it must parse, with no XML left in a tag.
        patched = tpl.patch_xml(tpl.xml_to_string(root))
        tags += len(_OPEN.findall(patched))
        for m in _TAG.finditer(patched):
            if "<" in m.group(2):
                problems.append(LintProblem(name, part, "error", msg_text("lint.xml_in_tag"),
                                            re.sub(r"<[^>]+>", "", m.group(0))[:80]))
        try:
            env.parse(patched)
        except TemplateSyntaxError as exc:
            line = patched.splitlines()[exc.lineno - 1] if exc.lineno else ""
            problems.append(LintProblem(name, part, "error", msg_text("lint.jinja", reason=exc.message),
                                        re.sub(r"<[^>]+>", "", line)[:120]))
    if not tags:
        problems.append(LintProblem(name, "word/document.xml", "error", msg_text("lint.no_tags"), "", "no_tags"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode("utf-8") if "word/styles.xml" in z.namelist() else ""
    for style_id in dict.fromkeys(MARK_STYLES.values()):
        if f'w:styleId="{style_id}"' not in styles:
            problems.append(LintProblem(name, "word/styles.xml", "warning",
                                        msg_text("lint.no_style", style=style_id), ""))
    return problems
