"""Render stage: Draft records → .docx through the docxtpl templates in templates/ (the only module
that writes Word files). The templates hold all the layout; this module supplies data, names the
character style of each marked span, and lints templates a planner may have edited in Word."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from docxtpl import DocxTemplate, RichText
from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError

from ..errors import InputError, UsageError
from ..model import Document, Match, Outline
from ..output import backup, metadata, write_atomic
from ..resources import TEMPLATE_DIR as RESOURCE_TEMPLATES
from ..settings import DraftSettings
from .build import DELETED, INSERTED, REVIEW, Draft, Text, build_draft

TEMPLATE_DIR = RESOURCE_TEMPLATES
DRAFT_TEMPLATE = TEMPLATE_DIR / "draft.docx"
COMPARISON_TEMPLATE = TEMPLATE_DIR / "comparison.docx"
# The character style (w:styleId) each span mark is shown in; the look is the template's business.
MARK_STYLES = {REVIEW: "ReviewMark", INSERTED: "InsertedText", DELETED: "DeletedText"}

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}


def jinja_env() -> Environment:
    """The environment every template renders in: an undefined variable is an error, text escaped
    for XML (a '<' or '&' in a plan must not break the document)."""
    return Environment(undefined=StrictUndefined, autoescape=True)


def rich(text: Text) -> RichText:
    """Spans as runs, each marked span in its character style."""
    out = RichText()
    for span in text:
        if span.text:
            out.add(span.text, style=MARK_STYLES.get(span.mark))
    return out


# --- contexts -----------------------------------------------------------------------------------

def contents(draft: Draft) -> list[tuple[int, str]]:
    """(level, heading) of the draft's headings, in order: what the table of contents shows until
    Word updates it."""
    out = [(1, draft.goal_heading), (1, draft.projects_heading)]
    out += [(2, p.heading) for p in draft.pillars]
    out += [(1, draft.model_heading), (1, draft.organisation_heading)]
    out += [(2, s.heading) for s in draft.organisation]
    out += [(1, draft.schedule_heading), (1, draft.review_heading)]
    return out


def draft_context(draft: Draft, provenance: str = "") -> dict[str, Any]:
    """What templates/draft.docx is filled with."""
    return {
        "title": draft.title,
        "year_label": draft.year_label,
        "plan_name": draft.plan_name,
        "city": draft.city,
        "issued": rich(draft.issued),
        "toc": [{"level": level, "text": text} for level, text in contents(draft)],
        "cover_note": draft.cover_note,
        "goal": {"heading": draft.goal_heading, "guidance": list(draft.goal_guidance), "lead": draft.goal_lead},
        "projects": {"heading": draft.projects_heading, "lead": draft.projects_lead, "legend": list(draft.legend)},
        "pillars": [
            {
                "number": p.number,
                "heading": p.heading,
                "title": p.title,
                "description": rich(p.description),
                "rows": [
                    {
                        "number": r.number,
                        "name": r.name,
                        "content": rich(r.content),
                        "actor": r.actor,
                        "departments": r.departments,
                        "status": rich(r.status),
                        "source": r.source,
                        "kind": r.kind,
                        "flags": [{"kind": f.kind, "note": f.note} for f in r.flags],
                    }
                    for r in p.rows
                ],
            }
            for p in draft.pillars
        ],
        "model": {
            "heading": draft.model_heading,
            "lead": list(draft.model_lead),
            "projects": [{"name": m.name, "city": m.city, "related": m.related} for m in draft.model_projects],
        },
        "organisation": {
            "heading": draft.organisation_heading,
            "subsections": [{"heading": s.heading, "hint": s.hint} for s in draft.organisation],
        },
        "schedule": {
            "heading": draft.schedule_heading,
            "lead": draft.schedule_lead,
            "years": list(draft.schedule_years),
            "rows": [
                {"pillar": s.pillar, "number": s.number, "name": s.name, "status": s.status,
                 "cells": [rich(c) for c in s.cells]}
                for s in draft.schedule
            ],
        },
        "review": {
            "heading": draft.review_heading,
            "lead": draft.review_lead,
            "summary": list(draft.review_summary),
            "entries": [{"number": r.number, "kind": r.kind, "where": r.where, "note": r.note} for r in draft.review],
        },
        "provenance": provenance,
    }


def comparison_context(draft: Draft, provenance: str = "") -> dict[str, Any]:
    """What templates/comparison.docx (the 新旧対照表) is filled with."""
    return {
        "title": draft.title,
        "from_label": draft.from_label,
        "year_label": draft.year_label,
        "lead": "傍線部分は変更箇所です（旧欄：削除・変更前、新欄：追加・変更後）。備考の「要確認」は本文の▲印と対応します。",
        "summary": draft.changes_summary,
        "rows": [
            {
                "number": c.number,
                "old_name": rich(c.old_name),
                "old_content": rich(c.old_content),
                "new_name": rich(c.new_name),
                "new_content": rich(c.new_content),
                "change": rich(c.change),
                "notes": list(c.notes),
            }
            for c in draft.changes
        ],
        "provenance": provenance,
    }


# --- rendering ----------------------------------------------------------------------------------

_LEFTOVER = re.compile(r"\{[{%#]|[}%#]\}")


def render(template: Path | str, context: dict[str, Any], properties: dict[str, str] | None = None) -> bytes:
    """The template filled with context, as .docx bytes. The template file is loaded afresh on
    every call and never modified. Raises InputError if the template does not fit the context."""
    template = Path(template)
    tpl = DocxTemplate(str(template))
    try:
        tpl.render(context, jinja_env(), autoescape=True)
    except TemplateError as exc:
        hint = "check the tag's spelling against templates/draft.docx" if "undefined" in str(exc) else (
            "run the template lint: tags must be typed in one go, with straight quotes")
        error = InputError(f"template does not render: {exc}", hint)
        error.at(str(template))
        raise error from exc
    props = tpl.docx.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    props.created = props.modified = now
    props.last_modified_by = "plandraft"
    for key, value in (properties or {}).items():
        setattr(props, key, value)
    buf = io.BytesIO()
    tpl.save(buf)
    data = buf.getvalue()
    left = [t for t in _texts(data) if _LEFTOVER.search(t)]
    if left:
        error = InputError(f"template tag left unrendered: {left[0][:80]!r}", "run the template lint")
        error.at(str(template))
        raise error
    return data


def render_draft(draft: Draft, template: Path | str | None = None, provenance: str = "") -> bytes:
    """The action-plan draft as .docx bytes."""
    return render(template or DRAFT_TEMPLATE, draft_context(draft, provenance),
                  {"title": f"{draft.title}（案）", "subject": "市民協働推進アクションプラン", "author": draft.city,
                   "keywords": f"{draft.year_label};案", "comments": provenance})


def render_comparison(draft: Draft, template: Path | str | None = None, provenance: str = "") -> bytes:
    """The 新旧対照表 as .docx bytes."""
    return render(template or COMPARISON_TEMPLATE, comparison_context(draft, provenance),
                  {"title": f"{draft.title} 新旧対照表（案）", "subject": "新旧対照表", "author": draft.city,
                   "keywords": f"{draft.year_label};新旧対照表", "comments": provenance})


def output_paths(draft: Draft, out_dir: Path | str) -> list[Path]:
    """Where the draft and its 新旧対照表 go: DIR/平成22年度_市民協働推進アクションプラン_案.docx …"""
    out = Path(out_dir)
    stem = f"{draft.year_label}_市民協働推進アクションプラン"
    return [out / f"{stem}_案.docx", out / f"{stem}_新旧対照表.docx"]


def provenance(draft: Draft, outline: Outline) -> str:
    """One line saying what produced the documents, for their last page and properties."""
    meta = metadata()
    tok = meta.get("tokenizer", {})
    inputs = "、".join((Path(outline.path).name, *draft.sources))
    return (f"作成：plandraft {meta.get('plandraft', '?')}（{tok.get('dictionary', '')} {tok.get('split_mode', '')}）"
            f"　入力：{inputs}")


def build_and_write(
    outline: Outline,
    plan_doc: Document,
    matches: Sequence[Match],
    others_docs: Sequence[Document] = (),
    year: int | None = None,
    out_dir: Path | str = "outputs",
    template: Path | str | None = None,
    force: bool = False,
    comparison_template: Path | str | None = None,
    settings: DraftSettings | None = None,
) -> list[Path]:
    """Draft next year's plan and write it and its 新旧対照表 to out_dir; returns the paths (see
    write_draft). matches cover the plan's items and, optionally, the other plans' items. Raises
    UsageError if the plan has no fiscal year and year is None."""
    try:
        draft = build_draft(outline, plan_doc, matches, others_docs, year, settings)
    except ValueError as exc:
        raise UsageError(f"{plan_doc.path}: {exc} (give --year, e.g. --year 平成22年度)") from exc
    return write_draft(draft, outline, out_dir, template, force, comparison_template)


def write_draft(
    draft: Draft,
    outline: Outline,
    out_dir: Path | str = "outputs",
    template: Path | str | None = None,
    force: bool = False,
    comparison_template: Path | str | None = None,
    unchanged: Callable[[Path], bool] | None = None,
) -> list[Path]:
    """Render the draft and its 新旧対照表 and write them atomically; returns the paths. Both are
    rendered before either is written. Raises UsageError if a file exists and not force (with force
    the old file is kept as a .bak, unless unchanged(path) says it is plandraft's own unedited
    output), InputError for a broken template."""
    for path in (template or DRAFT_TEMPLATE, comparison_template or COMPARISON_TEMPLATE):
        errors = [p for p in lint_template(path) if p.severity == "error"]
        if errors:
            error = InputError(f"template tag broken: {errors[0].message} in {errors[0].context!r}",
                               "retype the tag in Word in one go, with straight quotes and half-width braces")
            error.at(str(path))
            raise error
    paths = output_paths(draft, out_dir)
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise UsageError(f"{existing[0]}: already exists (add --force to replace it; the old file is kept as a .bak)")
    line = provenance(draft, outline)
    data = [render_draft(draft, template, line), render_comparison(draft, comparison_template, line)]
    for path, payload in zip(paths, data):
        if force and not (unchanged and unchanged(path)):
            backup(path)
        write_atomic(path, payload)
    return paths


# --- template lint ------------------------------------------------------------------------------

@dataclass(frozen=True)
class LintProblem:
    template: str
    part: str  # word/document.xml, word/header1.xml …
    severity: str  # error: the template will not render right; warning: it renders, but fix it
    message: str
    context: str  # the paragraph's text


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


def _texts(data: bytes) -> list[str]:
    """The text of every paragraph in the document, headers and footers."""
    out = []
    for _, xml in _parts(data):
        root = parse_xml(xml)
        for p in root.iter(f"{{{W}}}p"):
            out.append("".join(t.text or "" for t in p.iter(f"{{{W}}}t")))
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
        return [LintProblem(name, "", "error", f"not a readable .docx ({exc})", "")]
    tpl = DocxTemplate(io.BytesIO(data))
    env = jinja_env()
    for part, xml in parts:
        root = parse_xml(xml)
        for p in root.iter(f"{{{W}}}p"):
            ts = list(p.iter(f"{{{W}}}t"))
            text = "".join(t.text or "" for t in ts)
            if not text:
                continue
            owner: list[int] = []
            for k, t in enumerate(ts):
                owner.extend([k] * len(t.text or ""))

            def add(severity: str, message: str, _part: str = part, _text: str = text) -> None:
                problems.append(LintProblem(name, _part, severity, message, _text))

            if _FULLWIDTH_DELIM.search(text):
                add("error", "full-width brace or percent sign in a tag delimiter (type it with the IME off)")
            if len(_OPEN.findall(text)) != len(_CLOSE.findall(text)):
                add("error", "unbalanced tag delimiters ({{ }} or {% %} not closed in the paragraph)")
            for m in _TAG.finditer(text):
                body = m.group(2)
                if any(c in body for c in _SMART):
                    add("warning", f"smart quotes in {m.group(0)!r} (docxtpl straightens them; retype with ' or \")")
                if any(c in body for c in _FULLWIDTH_IN_TAG):
                    add("error", f"full-width character in {m.group(0)!r} (retype with the IME off)")
                runs = set(owner[m.start() : m.end()])
                if len(runs) > 1:
                    add("warning", f"{m.group(0)!r} is split over {len(runs)} runs "
                                   "(select it, clear its formatting or retype it in one go)")
        # What jinja will see after docxtpl's own clean-up: it must parse, with no XML left in a tag.
        patched = tpl.patch_xml(tpl.xml_to_string(root))
        for m in _TAG.finditer(patched):
            if "<" in m.group(2):
                problems.append(LintProblem(name, part, "error", "XML inside a tag after clean-up",
                                            re.sub(r"<[^>]+>", "", m.group(0))[:80]))
        try:
            env.parse(patched)
        except TemplateSyntaxError as exc:
            line = patched.splitlines()[exc.lineno - 1] if exc.lineno else ""
            problems.append(LintProblem(name, part, "error", f"jinja2: {exc.message}",
                                        re.sub(r"<[^>]+>", "", line)[:120]))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode("utf-8") if "word/styles.xml" in z.namelist() else ""
    for style_id in MARK_STYLES.values():
        if f'w:styleId="{style_id}"' not in styles:
            problems.append(LintProblem(name, "word/styles.xml", "warning",
                                        f"character style {style_id} missing: marked text will look plain", ""))
    return problems


# --- reading a rendered document back (tests, golden files) -------------------------------------

def _q(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{W}}}{local}"


def _run_text(p: Any) -> str:
    """A paragraph's text, each run in a character style written [Style]text[/], fields as {PAGE}."""
    out: list[str] = []
    for r in p.iter(_q("w:r")):
        style = r.find("w:rPr/w:rStyle", _NS)
        text = "".join(t.text or "" for t in r.iter(_q("w:t")))
        instr = "".join(t.text or "" for t in r.iter(_q("w:instrText"))).strip()
        if instr:
            out.append("{" + instr.split()[0] + "}")
        if text and style is not None:
            out.append(f"[{style.get(_q('w:val'))}]{text}[/]")
        elif text:
            out.append(text)
    return "".join(out)


def dump_docx(source: Path | str | bytes) -> dict[str, Any]:
    """A rendered document's content as JSON-ready data: page set-up, fonts of the styles used,
    header and footer, and the body as paragraphs (text, style) and tables (cells, header repeat)."""
    from docx import Document as open_docx

    doc = open_docx(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    section = doc.sections[0]
    styles_used: set[str] = set()
    body: list[dict[str, Any]] = []
    id_to_name = {s.style_id: s.name for s in doc.styles}
    for block in doc.element.body.iterchildren():
        if block.tag == _q("w:p"):
            style = block.find("w:pPr/w:pStyle", _NS)
            name = id_to_name.get(style.get(_q("w:val")), "?") if style is not None else "Normal"
            styles_used.add(name)
            text = _run_text(block)
            if block.find(".//w:br[@w:type='page']", _NS) is not None:
                text += "{PAGEBREAK}"
            if text:
                body.append({"p": text, "style": name})
        elif block.tag == _q("w:tbl"):
            rows = []
            repeat = []
            for tr in block.iterchildren(_q("w:tr")):
                repeat.append(tr.find("w:trPr/w:tblHeader", _NS) is not None)
                cells = []
                for tc in tr.iterchildren(_q("w:tc")):
                    paras = []
                    for p in tc.iterchildren(_q("w:p")):
                        style = p.find("w:pPr/w:pStyle", _NS)
                        if style is not None:
                            styles_used.add(id_to_name.get(style.get(_q("w:val")), "?"))
                        paras.append(_run_text(p))
                    cells.append("\n".join(x for x in paras if x))
                rows.append(cells)
            body.append({"table": rows, "header_rows": sum(1 for r in repeat if r)})
    fonts = {}
    for s in doc.styles:
        if s.name in styles_used | {"Normal", "Heading 1", "Heading 2"} or s.style_id in MARK_STYLES.values():
            rpr = s.element.find("w:rPr", _NS)
            rfonts = rpr.find("w:rFonts", _NS) if rpr is not None else None
            size = rpr.find("w:sz", _NS) if rpr is not None else None
            fonts[s.name] = {
                "eastAsia": rfonts.get(_q("w:eastAsia")) if rfonts is not None else None,
                "ascii": rfonts.get(_q("w:ascii")) if rfonts is not None else None,
                "size_pt": int(size.get(_q("w:val"))) / 2 if size is not None else None,
            }
    defaults = doc.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr", _NS)
    drf = defaults.find("w:rFonts", _NS)
    lang = defaults.find("w:lang", _NS)

    def part_text(part: Any) -> list[str]:
        return [t for t in (_run_text(p._p) for p in part.paragraphs) if t]

    def mm(length: Any) -> int | None:
        return round(length.mm) if length is not None else None

    return {
        "page": {"width_mm": mm(section.page_width), "height_mm": mm(section.page_height),
                 "margins_mm": [mm(m) for m in (section.top_margin, section.right_margin,
                                                section.bottom_margin, section.left_margin)]},
        "defaults": {"eastAsia": drf.get(_q("w:eastAsia")), "ascii": drf.get(_q("w:ascii")),
                     "lang_eastAsia": lang.get(_q("w:eastAsia")) if lang is not None else None},
        "fonts": dict(sorted(fonts.items())),
        "header": part_text(section.header),
        "footer": part_text(section.footer),
        "body": body,
    }
