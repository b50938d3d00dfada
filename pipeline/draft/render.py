"""Render stage: Draft records → .docx through the docxtpl templates in templates/ (with comments.py
and properties.py, the only modules that write Word files). The templates hold all the layout; this
module supplies data, names the character style of each marked span and where each review comment is
anchored; lint.py checks templates a planner may have edited in Word, pages.py numbers the contents."""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate, RichText
from jinja2 import TemplateError

from ..errors import InputError, UsageError
from ..messages import input_error, text
from ..model import Document, Match, Outline
from ..output import backup, metadata, write_atomic
from ..resources import TEMPLATE_DIR as RESOURCE_TEMPLATES
from ..settings import DraftSettings
from .build import build_draft
from .comments import Comment, add_comments, anchored, comments_of, end, start
from .lint import MARK_STYLES, jinja_env, lint_template, paragraph_texts
from .pages import heading_pages, to_pdf
from .properties import candidate_properties, fit, set_core, set_custom
from .records import COMMENTS, INLINE, REVIEW, STALE, STUDIED, Draft, Row, Span, Text

TEMPLATE_DIR = RESOURCE_TEMPLATES
DRAFT_TEMPLATE = TEMPLATE_DIR / "draft.docx"
CHANGES_TEMPLATE = TEMPLATE_DIR / "changes.docx"

__all__ = ["CHANGES_TEMPLATE", "DRAFT_TEMPLATE", "MARK_STYLES", "build_and_write", "changes_context",
           "draft_context", "jinja_env", "lint_template", "output_paths", "render", "render_changes",
           "render_draft", "write_draft"]


def rich(text: Text, review_style: str = INLINE) -> RichText:
    """Spans as runs, each marked span in its character style. With Word comments (COMMENTS) the
    text to decide on is left plain, since its comment marks it; a place to type in stays shaded."""
    out = RichText()
    for span in text:
        if span.text:
            mark = "" if span.mark == REVIEW and review_style == COMMENTS else span.mark
            out.add(span.text, style=MARK_STYLES.get(mark))
    return out


class _Anchors:
    """The comment id of each anchor of a draft being rendered (none when the draft is inline)."""

    def __init__(self, draft: Draft) -> None:
        self.style = draft.review_style
        self.comments = comments_of(draft.review) if self.style == COMMENTS else []
        self._ids = {c.anchor: c.id for c in self.comments}

    def id(self, anchor: str) -> int | None:
        return self._ids.get(anchor)

    def rich(self, text: Text, anchor: str) -> RichText:
        """text with the anchor's comment around all of it."""
        return anchored([rich(text, self.style)], self.id(anchor))

    def content(self, text: Text, anchor: str) -> RichText:
        """A row's content with the anchor's comment around its marked part (first to last marked span)."""
        marked = [k for k, s in enumerate(text) if s.mark == REVIEW and s.text]
        cid = self.id(anchor)
        if cid is None or not marked:
            return rich(text, self.style)
        first, last = marked[0], marked[-1]
        return anchored([rich(text[:first], self.style), start(cid), rich(text[first : last + 1], self.style),
                         end(cid), rich(text[last + 1 :], self.style)], None)

    def spread(self, texts: Sequence[str], anchor: str) -> list[RichText]:
        """Paragraphs of plain text, the anchor's comment opened in the first and closed in the last."""
        cid = self.id(anchor)
        n = len(texts)
        return [anchored([rich((Span(t),))], cid, opens=k == 0, closes=k == n - 1) for k, t in enumerate(texts)]

    @staticmethod
    def on_content(row: Row) -> bool:
        """True if a row's comment goes on its marked content (stale figures, 検討): when those are
        all it is about; otherwise on its number and name."""
        return (any(s.mark == REVIEW and s.text for s in row.content)
                and all(f.kind in (STALE, STUDIED) for f in row.flags))


# --- contexts -----------------------------------------------------------------------------------

def contents(draft: Draft) -> list[tuple[int, str]]:
    """(level, heading) of the draft's headings, in order: what the table of contents shows until
    its page numbers are filled in (pages.py) or Word updates it."""
    out = [(1, draft.goal_heading), (1, draft.projects_heading)]
    out += [(2, p.heading) for p in draft.pillars]
    out += [(1, draft.model_heading), (1, draft.organisation_heading)]
    out += [(2, s.heading) for s in draft.organisation]
    out += [(1, draft.schedule_heading), (1, draft.review_heading)]
    return out


def draft_context(draft: Draft, provenance: str = "", pages: dict[int, int] | None = None) -> dict[str, Any]:
    """What templates/draft.docx is filled with. pages: the page of each contents entry by index."""
    anchors = _Anchors(draft)
    style = draft.review_style
    inline = style == INLINE

    def row(r: Row) -> dict[str, Any]:
        anchor = f"row:{r.number}"
        on_content = anchors.on_content(r)
        return {
            "number": r.number,
            "name": r.name,
            "label": anchored([rich((Span(f"{r.number}　{r.name}"),))], None if on_content else anchors.id(anchor)),
            "content": anchors.content(r.content, anchor) if on_content else rich(r.content, style),
            "actor": r.actor,
            "departments": r.departments,
            "status": rich(r.status, style),
            "source": r.source,
            "kind": r.kind,
            "flags": [{"kind": f.kind, "note": f.note} for f in r.flags],
            "notes": [{"kind": f.kind, "note": f.note} for f in r.flags] if inline else [],
            "result": r.result,
            "grade": f"【{r.grade}】" if r.grade else "",
        }

    pages = pages or {}
    return {
        "title": draft.title,
        "year_label": draft.year_label,
        "plan_name": draft.plan_name,
        "city": draft.city,
        # the plan period on the cover, so the draft read back next year still has it (計画期間の確認)
        "period_line": f"計画期間　{draft.period}" if draft.period else "",
        "issued": anchors.rich(draft.issued, "issued"),
        "toc": [{"level": level, "text": text, "page": str(pages.get(k, ""))}
                for k, (level, text) in enumerate(contents(draft))],
        "cover_note": draft.cover_note,
        # A text carrying a comment's marks is a RichText ({{r …}}) under a name of its own, so a
        # template made before the comments (with {{ … }} on the plain names) still renders.
        "goal": {"heading": draft.goal_heading, "lead": draft.goal_lead, "guidance": list(draft.goal_guidance),
                 "fill_ins": anchors.spread([f"【記入】{t}" for t in draft.goal_guidance], "guidance")},
        "projects": {"heading": draft.projects_heading, "lead": draft.projects_lead, "legend": list(draft.legend),
                     "results": draft.results, "finished_heading": "前年度に完了・廃止した事業",
                     "finished": [{"number": f.number, "name": f.name, "outcome": f.outcome, "reason": f.reason}
                                  for f in draft.finished]},
        "pillars": [
            {
                "number": p.number,
                "heading": p.heading,
                "title": p.title,
                "description": rich(p.description, style),
                "goal": anchors.rich(p.description, f"goal:{p.number}"),
                "rows": [row(r) for r in p.rows],
            }
            for p in draft.pillars
        ],
        "model": {
            "heading": draft.model_heading,
            "commented_heading": anchors.rich((Span(draft.model_heading),), "model"),
            "lead": list(draft.model_lead),
            "projects": [{"name": m.name, "city": m.city, "related": m.related} for m in draft.model_projects],
        },
        "organisation": {
            "heading": draft.organisation_heading,
            "subsections": [{"heading": s.heading, "hint": s.hint, "fill_in": fill_in} for s, fill_in in
                            zip(draft.organisation, anchors.spread([f"【記入】{s.hint}" for s in draft.organisation],
                                                                   "organisation"))],
        },
        "schedule": {
            "heading": draft.schedule_heading,
            "lead": draft.schedule_lead,
            "commented_lead": anchors.rich((Span(draft.schedule_lead),), "schedule"),
            "years": list(draft.schedule_years),
            "rows": [
                {"pillar": s.pillar, "number": s.number, "name": s.name, "status": s.status,
                 "cells": [rich(c, style) for c in s.cells]}
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


def changes_context(draft: Draft, provenance: str = "") -> dict[str, Any]:
    """What templates/changes.docx (the 新旧対照表) is filled with; the template decides the order
    of the columns (the shipped one: 新 then 旧, as municipal 新旧対照表 are laid out)."""
    where = "本文のコメント" if draft.review_style == COMMENTS else "本文の▲印"
    return {
        "title": draft.title,
        "from_label": draft.from_label,
        "year_label": draft.year_label,
        "lead": f"傍線部分は変更箇所です（新欄：追加・変更後、旧欄：削除・変更前）。備考の「要確認」は{where}と対応します。",
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


def render(template: Path | str, context: dict[str, Any], properties: dict[str, str] | None = None,
           comments: Sequence[Comment] = (), custom: Sequence[tuple[str, str]] = ()) -> bytes:
    """The template filled with context, as .docx bytes, with the comments whose anchors it rendered
    and the custom properties. The template file is loaded afresh on every call and never modified.
    Raises InputError if the template does not fit the context."""
    template = Path(template)
    tpl = DocxTemplate(str(template))
    try:
        tpl.render(context, jinja_env(), autoescape=True)
    except TemplateError as exc:
        hint = text("template.check_spelling" if "undefined" in str(exc) else "template.run_lint")
        raise InputError(text("template.does_not_render", reason=exc), hint).at(str(template)) from exc
    set_core(tpl.docx, properties or {})
    if custom:
        set_custom(tpl.docx, custom)
    if comments:
        add_comments(tpl.docx, comments)
    buf = io.BytesIO()
    tpl.save(buf)
    data = buf.getvalue()
    left = [t for t in paragraph_texts(data) if _LEFTOVER.search(t)]
    if left:
        raise input_error("template.left_over", tag=repr(left[0][:80]), path=str(template))
    return data


def _custom(provenance: str, inputs: Sequence[str]) -> list[tuple[str, str]]:
    """The provenance as custom properties: what made the file, then one property per input file."""
    head = provenance.split("　入力：", 1)[0]
    return [("plandraft", head), *((f"plandraft 入力 {k}", name) for k, name in enumerate(inputs, 1))]


def _summary(provenance: str, inputs: Sequence[str]) -> str:
    """The core 'comments' property: what made the file and where the list of inputs is (the full
    list may be far longer than the property's 255 characters)."""
    head = provenance.split("　入力：", 1)[0]
    return fit(f"{head}　入力{len(inputs)}件（一覧は文書末尾とユーザー設定のプロパティ「plandraft 入力 1」以降）")


def render_draft(draft: Draft, template: Path | str | None = None, provenance: str = "", *,
                 inputs: Sequence[str] | None = None, pages: dict[int, int] | None = None) -> bytes:
    """The action-plan draft as .docx bytes, each review line a Word comment unless the draft is
    inline. inputs: the input files for the properties (default: the draft's sources); pages: the
    page of each contents entry."""
    names = list(draft.sources if inputs is None else inputs)
    anchors = _Anchors(draft)
    return render(template or DRAFT_TEMPLATE, draft_context(draft, provenance, pages),
                  {"title": f"{draft.title}（案）", "subject": "市民協働推進アクションプラン", "author": draft.city,
                   "keywords": f"{draft.year_label};案", "comments": _summary(provenance, names)},
                  comments=anchors.comments,
                  custom=[*_custom(provenance, names),
                          *candidate_properties([r.name for r in draft.rows() if r.kind == "candidate"], draft.declined)])


def render_changes(draft: Draft, template: Path | str | None = None, provenance: str = "", *,
                      inputs: Sequence[str] | None = None) -> bytes:
    """The 新旧対照表 as .docx bytes."""
    names = list(draft.sources if inputs is None else inputs)
    return render(template or CHANGES_TEMPLATE, changes_context(draft, provenance),
                  {"title": f"{draft.title} 新旧対照表（案）", "subject": "新旧対照表", "author": draft.city,
                   "keywords": f"{draft.year_label};新旧対照表", "comments": _summary(provenance, names)},
                  custom=_custom(provenance, names))


def with_page_numbers(draft: Draft, data: bytes, template: Path | str | None = None, provenance: str = "", *,
                      inputs: Sequence[str] | None = None) -> bytes:
    """The rendered draft again with the page of every contents entry, as LibreOffice lays it out;
    data unchanged when LibreOffice is not installed or fails (Word fills them on updating the field)."""
    pdf = to_pdf(data)
    pages = heading_pages([text for _, text in contents(draft)], pdf) if pdf else {}
    if not pages:
        return data
    return render_draft(draft, template, provenance, inputs=inputs, pages=pages)


def output_paths(draft: Draft, out_dir: Path | str) -> list[Path]:
    """Where the draft and its 新旧対照表 go: DIR/平成22年度_市民協働推進アクションプラン_案.docx …"""
    out = Path(out_dir)
    stem = f"{draft.year_label}_市民協働推進アクションプラン"
    return [out / f"{stem}_案.docx", out / f"{stem}_新旧対照表.docx"]


def inputs_of(draft: Draft, outline: Outline) -> list[str]:
    """The input files of the draft: the outline, the plan and the other plans (with their sha256)."""
    return [Path(outline.path).name, *draft.sources]


def provenance(draft: Draft, outline: Outline) -> str:
    """One line saying what produced the documents and from which files, for their last page."""
    meta = metadata()
    tok = meta.get("tokenizer", {})
    inputs = "、".join(inputs_of(draft, outline))
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
    changes_template: Path | str | None = None,
    settings: DraftSettings | None = None,
) -> list[Path]:
    """Draft next year's plan and write it and its 新旧対照表 to out_dir; returns the paths (see
    write_draft). matches cover the plan's items and, optionally, the other plans' items. Raises
    UsageError if the plan has no fiscal year and year is None."""
    try:
        draft = build_draft(outline, plan_doc, matches, others_docs, year, settings)
    except ValueError as exc:
        raise UsageError(text("draft.no_year", path=plan_doc.path, reason=exc)) from exc
    return write_draft(draft, outline, out_dir, template, force, changes_template)


def write_draft(
    draft: Draft,
    outline: Outline,
    out_dir: Path | str = "outputs",
    template: Path | str | None = None,
    force: bool = False,
    changes_template: Path | str | None = None,
    unchanged: Callable[[Path], bool] | None = None,
    page_numbers: bool = True,
) -> list[Path]:
    """Render the draft and its 新旧対照表 and write them atomically; returns the paths. Both are
    rendered before either is written; with page_numbers the contents get their page numbers from a
    LibreOffice pass when it is installed (pages.py). Raises UsageError if a file exists and not force (with force
    the old file is kept as a .bak, unless unchanged(path) says it is plandraft's own unedited
    output), InputError for a broken template."""
    for path in (template or DRAFT_TEMPLATE, changes_template or CHANGES_TEMPLATE):
        errors = [p for p in lint_template(path) if p.severity == "error"]
        if errors and errors[0].kind != "broken":
            raise input_error(f"template.{errors[0].kind}", problem=errors[0].message, path=str(path))
        if errors:
            raise input_error("template.broken", problem=errors[0].message, context=repr(errors[0].context),
                              path=str(path))
    paths = output_paths(draft, out_dir)
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise UsageError(text("job.exists", path=existing[0]))
    line = provenance(draft, outline)
    names = inputs_of(draft, outline)
    first = render_draft(draft, template, line, inputs=names)
    data = [with_page_numbers(draft, first, template, line, inputs=names) if page_numbers else first,
            render_changes(draft, changes_template, line, inputs=names)]
    for path, payload in zip(paths, data):
        if force and not (unchanged and unchanged(path)):
            backup(path)
        write_atomic(path, payload)
    return paths
