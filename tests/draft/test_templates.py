"""The Word templates: built reproducibly by scripts/make_templates.py, their tags intact (lint), every
variable supplied by the render context, and the page set-up a Japanese office expects."""
from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate
from test_draft import hand_matches, tsushima

from pipeline.draft.build import build_draft
from pipeline.draft.lint import jinja_env, lint_template
from pipeline.draft.render import (
    CHANGES_TEMPLATE,
    DRAFT_TEMPLATE,
    changes_context,
    draft_context,
)

TEMPLATES = [DRAFT_TEMPLATE, CHANGES_TEMPLATE]


def _make_templates():
    spec = importlib.util.spec_from_file_location("make_templates", ROOT / "scripts" / "make_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def contexts():
    outline, plan = tsushima()
    draft = build_draft(outline, plan, hand_matches(plan))
    return {DRAFT_TEMPLATE: draft_context(draft, "作成：test"), CHANGES_TEMPLATE: changes_context(draft, "作成：test")}


def test_committed_templates_are_what_the_script_builds():
    built = _make_templates().build_all()
    assert sorted(built) == sorted(p.name for p in TEMPLATES)
    for path in TEMPLATES:
        with zipfile.ZipFile(path) as committed, zipfile.ZipFile(io.BytesIO(built[path.name])) as fresh:
            assert committed.namelist() == fresh.namelist()
            for name in committed.namelist():
                assert committed.read(name) == fresh.read(name), (
                    f"{path.name}:{name} differs; run `python scripts/make_templates.py` and commit the result")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_shipped_templates_lint_clean(path):
    assert lint_template(path) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_every_template_variable_is_supplied(path, contexts):
    tpl = DocxTemplate(str(path))
    assert tpl.get_undeclared_template_variables(jinja_env(), contexts[path]) == set()
    # and nothing the context supplies goes unused (a renamed tag would otherwise render nothing)
    assert set(contexts[path]) <= tpl.get_undeclared_template_variables(jinja_env())


def _broken(tmp_path: Path, *paragraphs: list[tuple[str, bool]]) -> Path:
    """A template whose paragraphs are made of (text, bold) runs, as Word leaves them after editing."""
    doc = open_docx(str(DRAFT_TEMPLATE))
    for runs in paragraphs:
        p = doc.add_paragraph()
        for text, bold in runs:
            p.add_run(text).bold = bold
    path = tmp_path / "edited.docx"
    doc.save(path)
    return path


@pytest.mark.parametrize(
    ("runs", "severity", "message"),
    [
        ([("{{ ti", False), ("tle }}", True)], "warning", "split over 2 runs"),
        ([("{{ city|default(“市”) }}", False)], "warning", "smart quotes"),
        ([("｛｛ title ｝｝", False)], "error", "full-width brace"),
        ([("{{ title（） }}", False)], "error", "full-width character"),
        ([("{{ title }", False)], "error", "unbalanced"),
        ([("{%p for x in pillars %}", False)], "error", "jinja2"),
    ],
)
def test_lint_finds_what_word_does_to_tags(tmp_path, runs, severity, message):
    problems = lint_template(_broken(tmp_path, runs))
    assert any(p.severity == severity and message in p.message for p in problems), problems


def test_lint_reports_a_file_that_is_not_a_docx(tmp_path):
    path = tmp_path / "x.docx"
    path.write_text("not a zip")
    assert lint_template(path)[0].severity == "error"


@pytest.mark.parametrize(("path", "landscape"), [(DRAFT_TEMPLATE, False), (CHANGES_TEMPLATE, True)],
                         ids=lambda x: getattr(x, "name", str(x)))
def test_page_setup_fonts_header_rows_and_page_numbers(path, landscape):
    doc = open_docx(str(path))
    section = doc.sections[0]
    size = sorted((round(section.page_width.mm), round(section.page_height.mm)))
    assert size == [210, 297]
    assert (section.page_width > section.page_height) == landscape
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = defaults.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "游明朝" and rfonts.get(qn("w:eastAsiaTheme")) is None
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "ja-JP"
    for name in ("Normal", "Heading 1", "Heading 2", "Table Text"):
        style_fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert style_fonts.get(qn("w:eastAsia")) in ("游明朝", "游ゴシック"), name
        assert style_fonts.get(qn("w:asciiTheme")) is None, name
    assert doc.styles["Heading 2"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "游ゴシック"
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    footer = section.footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    assert section.left_margin >= Mm(15)


def _xml_parts(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                yield name, z.read(name)


def test_property_elements_are_in_schema_order_in_templates_and_rendered_files(contexts):
    """Word refuses ('unreadable content') a file whose pPr/rPr/tblPr/trPr/tcPr children are out of order."""
    from docx.oxml import parse_xml

    from pipeline.draft.render import render

    check = _make_templates().schema_order_problems
    files = {p.name: p.read_bytes() for p in TEMPLATES}
    files.update({f"rendered {p.name}": render(p, contexts[p]) for p in TEMPLATES})
    for label, data in files.items():
        for name, xml in _xml_parts(data):
            assert check(parse_xml(xml)) == [], f"{label}:{name}"
