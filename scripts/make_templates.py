"""Build the Word templates in templates/ (docxtpl: jinja2 tags inside ordinary .docx files).

Run `python scripts/make_templates.py` after changing the layout here, and commit the .docx files it
writes. A planner may instead restyle the .docx in Word (fonts, colours, margins, column widths); keep
each {{ tag }} typed in one go so Word does not split it (tests/test_templates.py lints them).

All formatting lives here, none in the code that fills the templates: A4 paper, Japanese fonts on
East Asian text, real heading styles (navigation pane, table of contents), table header rows that
repeat on every page, page numbers in the footer, and the character styles that mark what a planner
has to decide ("Review Mark") or what changed ("Inserted Text", "Deleted Text").

The output is byte-for-byte reproducible (fixed zip timestamps), so a test can check that the
committed templates are what this script builds."""
from __future__ import annotations

import argparse
import io
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
DRAFT = "draft.docx"
CHANGES = "changes.docx"

BODY_FONT = "游明朝"  # Windows 8.1+/Office 2016+; Word substitutes ＭＳ 明朝 where it is missing
HEADING_FONT = "游ゴシック"
REVIEW_FILL = "FFF200"  # yellow, like a highlighter
FILL_IN_FILL = "FFF2CC"  # pale yellow: a place to write in
HEADER_FILL = "D9E2F3"  # pale blue table header rows
A4 = (Mm(210), Mm(297))
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# --- low-level helpers ------------------------------------------------------------------------

def _set_fonts(rpr: OxmlElement, latin: str, east_asia: str) -> None:
    """Explicit fonts on an rPr: theme fonts removed (they override explicit names in Word)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:hint"), "eastAsia")


def _shade(parent: OxmlElement, fill: str) -> None:
    """A solid background (w:shd) on an rPr, pPr or tcPr."""
    for old in parent.findall(qn("w:shd")):
        parent.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    parent.append(shd)


def _style(doc, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str | None = "Normal"):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
    if base and kind == WD_STYLE_TYPE.PARAGRAPH:
        style.base_style = styles[base]
    style.quick_style = True
    return style


def _paragraph_style(doc, name: str, *, size: float, font: str = BODY_FONT, bold: bool = False,
                     base: str | None = "Normal", before: float = 0, after: float = 0,
                     align=None, keep_next: bool = False, color: str | None = None):
    style = _style(doc, name, WD_STYLE_TYPE.PARAGRAPH, base)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor.from_string(color or "000000")
    _set_fonts(style.element.get_or_add_rPr(), font, font)
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing = 1.0 if size < 10 else 1.15
    pf.keep_with_next = keep_next
    if align is not None:
        pf.alignment = align
    return style


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (PAGE, TOC …) with its cached result; Word updates it, LibreOffice too."""

    def run_with(child: OxmlElement) -> None:
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _field_start(paragraph, instruction: str) -> None:
    """The opening half of a field whose result spans the paragraphs up to _field_end."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None)):
        r = OxmlElement("w:r")
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        r.append(el)
        paragraph._p.append(r)


def _field_end(paragraph) -> None:
    r = OxmlElement("w:r")
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), "end")
    r.append(el)
    paragraph._p.append(r)


def _mark_header_row(row) -> None:
    """Repeat the row at the top of every page (w:tblHeader) and never split it."""
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _no_split(row) -> None:
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _table(doc, headers: Sequence[str], widths_mm: Sequence[float], body: Sequence[Sequence[str | Sequence[str]]],
           loop: str | None = None, shaded: Sequence[int] = (), min_height_mm: float = 0):
    """A fixed-width 'Table Grid' table: a repeating header row, then body rows. With loop
    ('row in pillar.rows') the body row is wrapped in docxtpl's {%tr for %} … {%tr endfor %} rows.
    A body cell is a string ('Style|text' to choose its paragraph style) or a list of them (one
    paragraph each); columns in shaded get the fill-in background; min_height_mm leaves room to
    write in."""
    rows = 1 + len(body) + (2 if loop else 0)
    table = doc.add_table(rows=rows, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_mm) * 56.7)))
    width.set(qn("w:type"), "dxa")
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    tblpr.append(width)
    margins = OxmlElement("w:tblCellMar")  # a little air between text and rules
    for side, twips in (("top", 40), ("left", 85), ("bottom", 40), ("right", 85)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(twips))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    tblpr.append(margins)
    for col, w in zip(table.columns, widths_mm):
        col.width = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)

    header = table.rows[0]
    _mark_header_row(header)
    for cell, text in zip(header.cells, headers):
        p = cell.paragraphs[0]
        p.style = doc.styles["Table Heading"]
        p.add_run(text)
        _shade(cell._tc.get_or_add_tcPr(), HEADER_FILL)

    r = 1
    if loop:
        start = table.rows[r].cells[0].paragraphs[0]
        start.style = doc.styles["Table Text"]
        start.add_run(f"{{%tr for {loop} %}}")
        r += 1
    for values in body:
        row = table.rows[r]
        _no_split(row)
        if min_height_mm:
            row.height = Mm(min_height_mm)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for c, (cell, value) in enumerate(zip(row.cells, values)):
            texts = [value] if isinstance(value, str) else list(value)
            for k, text in enumerate(texts):
                p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                style, _, text = text.rpartition("|") if "|" in text and not text.startswith("{") else ("", "", text)
                p.style = doc.styles[style or "Table Text"]
                if text:
                    p.add_run(text)
            if c in shaded:
                _shade(cell._tc.get_or_add_tcPr(), FILL_IN_FILL)
        r += 1
    if loop:
        end = table.rows[r].cells[0].paragraphs[0]
        end.style = doc.styles["Table Text"]
        end.add_run("{%tr endfor %}")
    return table


def _para(doc, text: str, style: str):
    p = doc.add_paragraph(style=doc.styles[style])
    if text:
        p.add_run(text)
    return p


def _page_break(doc) -> None:
    p = doc.add_paragraph(style=doc.styles["Normal"])
    p.paragraph_format.space_after = Pt(0)
    p.add_run().add_break(WD_BREAK.PAGE)


# --- document set-up --------------------------------------------------------------------------

def _base(landscape: bool = False):
    """An empty document: A4, margins, Japanese fonts and the styles both templates use."""
    doc = Document()
    props = doc.core_properties
    props.author = ""
    props.title = ""
    props.comments = ""
    props.last_modified_by = ""
    props.revision = 1

    section = doc.sections[0]
    width, height = A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.top_margin = Mm(22)
    section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)

    styles = doc.styles
    # Defaults for every run: 游明朝 on Latin and Japanese text, Japanese as the East Asian language
    # (line breaking, 禁則), no theme fonts.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "ja-JP")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT, BODY_FONT)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15

    for level, size, before, after in ((1, 14, 18, 8), (2, 12, 14, 4), (3, 10.5, 8, 2)):
        h = styles[f"Heading {level}"]
        h.font.size = Pt(size)
        h.font.bold = True
        h.font.color.rgb = RGBColor(0, 0, 0)
        rpr = h.element.get_or_add_rPr()
        _set_fonts(rpr, HEADING_FONT, HEADING_FONT)
        h.paragraph_format.space_before = Pt(before)
        h.paragraph_format.space_after = Pt(after)
        h.paragraph_format.keep_with_next = True
        h.paragraph_format.keep_together = True
        h.paragraph_format.widow_control = True
    h1 = styles["Heading 1"]
    bottom = OxmlElement("w:pBdr")
    line = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "8"), ("w:space", "2"), ("w:color", "000000")):
        line.set(qn(k), v)
    bottom.append(line)
    h1.element.get_or_add_pPr().append(bottom)

    title = styles["Title"]
    ppr = title.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    title.font.size = Pt(24)
    title.font.bold = True
    title.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(title.element.get_or_add_rPr(), HEADING_FONT, HEADING_FONT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.space_after = Pt(12)

    for name in ("Header", "Footer"):
        s = styles[name]
        s.font.size = Pt(8.5)
        _set_fonts(s.element.get_or_add_rPr(), HEADING_FONT, HEADING_FONT)

    _paragraph_style(doc, "Cover Year", size=20, font=HEADING_FONT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                     before=150, after=6)
    _paragraph_style(doc, "Cover Draft", size=28, font=HEADING_FONT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                     after=100)
    _paragraph_style(doc, "Cover Text", size=16, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
    _paragraph_style(doc, "Cover Note", size=9, before=60, after=0)
    _paragraph_style(doc, "Contents Title", size=14, font=HEADING_FONT, bold=True, after=12)
    _paragraph_style(doc, "Lead", size=10.5, after=6, keep_next=True)
    _paragraph_style(doc, "Legend", size=9, font=HEADING_FONT, after=6, keep_next=True)
    _paragraph_style(doc, "Table Text", size=9, after=0)
    _paragraph_style(doc, "Table Item Name", size=9, font=HEADING_FONT, bold=True, base="Table Text")
    _paragraph_style(doc, "Table Heading", size=9, font=HEADING_FONT, bold=True, base="Table Text",
                     align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(doc, "Table Center", size=9, base="Table Text", align=WD_ALIGN_PARAGRAPH.CENTER)
    note = _paragraph_style(doc, "Review Note", size=8, font=HEADING_FONT, base="Table Text", before=2,
                            color="9C0006")
    _shade(note.element.get_or_add_pPr(), FILL_IN_FILL)
    fill = _paragraph_style(doc, "Fill In", size=10.5, after=6, color="7F6000")
    _shade(fill.element.get_or_add_pPr(), FILL_IN_FILL)

    text_width = (section.page_width - section.left_margin - section.right_margin)
    for level in (1, 2):  # Word's own names, so updating the table of contents uses them
        toc = _paragraph_style(doc, f"toc {level}", size=10.5, after=2)
        toc.style_id = f"TOC{level}"
        toc.paragraph_format.left_indent = Mm(6 * (level - 1))
        toc.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    # Word's comment styles (校閲), in the document's fonts.
    comment_text = _paragraph_style(doc, "annotation text", size=9, font=HEADING_FONT)
    comment_text.style_id = "CommentText"
    comment_ref = _style(doc, "annotation reference", WD_STYLE_TYPE.CHARACTER, base=None)
    comment_ref.style_id = "CommentReference"
    comment_ref.font.size = Pt(9)
    _paragraph_style(doc, "Table Small", size=8, base="Table Text")
    mark = _style(doc, "Review Mark", WD_STYLE_TYPE.CHARACTER, base=None)
    _shade(mark.element.get_or_add_rPr(), REVIEW_FILL)
    inserted = _style(doc, "Inserted Text", WD_STYLE_TYPE.CHARACTER, base=None)
    inserted.font.underline = True
    _shade(inserted.element.get_or_add_rPr(), FILL_IN_FILL)
    deleted = _style(doc, "Deleted Text", WD_STYLE_TYPE.CHARACTER, base=None)
    deleted.font.underline = True  # 傍線: the changed parts are underlined on both sides

    # Japanese line breaking and Word's Japanese compatibility: no extra space between Latin and Japanese.
    settings = doc.settings.element
    lang_el = settings.find(qn("w:themeFontLang"))
    if lang_el is None:
        lang_el = OxmlElement("w:themeFontLang")
        settings.append(lang_el)
    lang_el.set(qn("w:val"), "en-US")
    lang_el.set(qn("w:eastAsia"), "ja-JP")
    _compatibility_mode(doc, 15)
    return doc


def _compatibility_mode(doc, mode: int) -> None:
    """Word's compatibility mode in settings.xml: 15 (Word 2013 and later), so Word opens the
    draft without 互換モード."""
    compat = doc.settings.element.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        doc.settings.element.append(compat)
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(mode))
            return
    setting = OxmlElement("w:compatSetting")
    for k, v in (("w:name", "compatibilityMode"), ("w:uri", "http://schemas.microsoft.com/office/word"),
                 ("w:val", str(mode))):
        setting.set(qn(k), v)
    compat.append(setting)


def _header_footer(doc, header_text: str) -> None:
    """Running header (not on the cover page) and a centred page number in the footer."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    hp = section.header.paragraphs[0]
    hp.style = doc.styles["Header"]
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    hp.add_run(header_text)
    fp = section.footer.paragraphs[0]
    fp.style = doc.styles["Footer"]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("- ")
    _field(fp, "PAGE", "1")
    fp.add_run(" -")


def _update_fields_on_open(doc) -> None:
    """Ask Word to update fields (the table of contents) when the draft is first opened."""
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    settings = doc.settings.element
    later = {qn(f"w:{t}") for t in _SETTINGS_AFTER_UPDATE_FIELDS}
    successor = next((c for c in settings if c.tag in later), None)
    if successor is not None:
        successor.addprevious(el)
    else:
        settings.append(el)


# Word rejects a file whose property elements are out of the schema's order (ECMA-376 Part 1).
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
    "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
SCHEMA_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
           "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
           "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
           "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
           "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
             "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
}


def _schema_key(order: list[str]):
    def key(child) -> int:
        ns, _, local = child.tag.rpartition("}")
        return order.index(local) if ns == "{" + W_NS and local in order else len(order)
    return key


def schema_order_problems(root) -> list[str]:
    """Property elements under root whose children are out of schema order (or repeated)."""
    problems = []
    for name, seq in SCHEMA_ORDER.items():
        order = seq.split()
        key = _schema_key(order)
        for el in root.iter(qn(f"w:{name}")):
            keys = [key(c) for c in el]
            known = [k for k in keys if k < len(order)]
            if keys != sorted(keys) or len(known) != len(set(known)):
                problems.append(f"{name}: " + " ".join(c.tag.rpartition("}")[2] for c in el))
    return problems


def _put_in_schema_order(root) -> None:
    for name, seq in SCHEMA_ORDER.items():
        key = _schema_key(seq.split())
        for el in root.iter(qn(f"w:{name}")):
            children = sorted(el, key=key)  # stable: same tags keep their order
            for child in children:
                el.append(child)


# --- the templates ----------------------------------------------------------------------------

def build_draft():
    """The action-plan draft: cover, contents, sections 1-5 of the outline, review sheet."""
    doc = _base()
    _header_footer(doc, "{{ title }}（案）")
    _update_fields_on_open(doc)

    # Cover
    _para(doc, "{{ year_label }}", "Cover Year")
    _para(doc, "{{ plan_name }}", "Title")
    _para(doc, "（案）", "Cover Draft")
    _para(doc, "{{ period_line }}", "Cover Text")
    _para(doc, "{{r issued }}", "Cover Text")
    _para(doc, "{{ city }}", "Cover Text")
    _para(doc, "{{ cover_note }}", "Cover Note")
    _page_break(doc)

    # Contents: a TOC field over the heading styles; its shown result lists the headings with the
    # pages LibreOffice laid them out on (when it is installed), and Word updates it on opening
    # (w:updateFields).
    _para(doc, "目　次", "Contents Title")
    toc = doc.add_paragraph(style=doc.styles["toc 1"])
    _field_start(toc, 'TOC \\o "1-2" \\h \\z \\u')
    _para(doc, "{%p for entry in toc %}", "Normal")
    _para(doc, "{%p if entry.level == 1 %}", "Normal")
    _para(doc, "{{ entry.text }}\t{{ entry.page }}", "toc 1")
    _para(doc, "{%p else %}", "Normal")
    _para(doc, "{{ entry.text }}\t{{ entry.page }}", "toc 2")
    _para(doc, "{%p endif %}", "Normal")
    _para(doc, "{%p endfor %}", "Normal")
    _field_end(doc.add_paragraph(style=doc.styles["toc 1"]))
    _page_break(doc)

    # 1. Goals and pillars
    _para(doc, "{{ goal.heading }}", "Heading 1")
    _para(doc, "{%p for text in goal.fill_ins %}", "Normal")
    _para(doc, "{{r text }}", "Fill In")
    _para(doc, "{%p endfor %}", "Normal")
    _para(doc, "{{ goal.lead }}", "Lead")
    _table(doc, ["施策の柱", "目指すもの（事業の方向性）"], [55, 115],
           [["Table Item Name|{{ p.heading }}", "{{r p.goal }}"]], loop="p in pillars")

    # 2. Projects, one heading and one table per pillar
    _page_break(doc)
    _para(doc, "{{ projects.heading }}", "Heading 1")
    _para(doc, "{{ projects.lead }}", "Lead")
    _para(doc, "{%p for text in projects.legend %}", "Normal")
    _para(doc, "{{ text }}", "Legend")
    _para(doc, "{%p endfor %}", "Normal")
    _para(doc, "{%p for pillar in pillars %}", "Normal")
    _para(doc, "{{ pillar.heading }}", "Heading 2")
    _para(doc, "{{r pillar.description }}", "Lead")
    content = ["{{r row.content }}", "{%p for flag in row.notes %}", "Review Note|▲{{ flag.kind }}：{{ flag.note }}",
               "{%p endfor %}"]
    # Drafted with last year's results (the 進行管理シート read back): a 前年度の実績 column beside 内容.
    _para(doc, "{%p if projects.results %}", "Normal")
    _table(
        doc,
        ["項目", "内容", "前年度の実績", "主体", "関係部署", "区分", "出典"],
        [28, 50, 30, 10, 20, 14, 18],
        [[
            "Table Item Name|{{r row.label }}", content, "Table Small|{{ row.grade }}{{ row.result }}",
            "Table Center|{{ row.actor }}", "{{ row.departments }}", "Table Center|{{r row.status }}",
            "Table Small|{{ row.source }}",
        ]],
        loop="row in pillar.rows",
    )
    _para(doc, "{%p else %}", "Normal")
    _table(
        doc,
        ["項目", "内容", "主体", "関係部署", "区分", "出典"],
        [32, 60, 11, 24, 17, 26],
        [[
            "Table Item Name|{{r row.label }}",
            content,
            "Table Center|{{ row.actor }}",
            "{{ row.departments }}",
            "Table Center|{{r row.status }}",
            "Table Small|{{ row.source }}",
        ]],
        loop="row in pillar.rows",
    )
    _para(doc, "{%p endif %}", "Normal")
    _para(doc, "{%p endfor %}", "Normal")
    # Last year's measures not carried over (完了, 廃止), with the reason; headed so that reading the
    # draft back as next year's plan does not take them for measures.
    _para(doc, "{%p if projects.finished %}", "Normal")
    _para(doc, "{{ projects.finished_heading }}", "Heading 2")
    _table(doc, ["前年度の番号", "完了・廃止したもの", "実施状況", "理由（実績・課題）"], [24, 56, 18, 72],
           [["Table Center|{{ f.number }}", "{{ f.name }}", "Table Center|{{ f.outcome }}", "{{ f.reason }}"]],
           loop="f in projects.finished")
    _para(doc, "{%p endif %}", "Normal")

    # 3. Model projects
    _page_break(doc)
    _para(doc, "{{r model.commented_heading }}", "Heading 1")
    _para(doc, "{%p for text in model.lead %}", "Normal")
    _para(doc, "{{ text }}", "Lead")
    _para(doc, "{%p endfor %}", "Normal")
    # Headers no reader takes for a plan's item table, so the draft read back as next year's plan
    # holds section 2's measures only (not the model projects nor the schedule again).
    _table(doc, ["先進事例", "参考都市", "関連する本市の番号", "区分（記入）", "本市での実施予定（記入）"],
           [40, 18, 40, 18, 54],
           [["Table Item Name|{{ m.name }}", "Table Center|{{ m.city or '—' }}", "{{ m.related or '—' }}", "", ""]],
           loop="m in model.projects", shaded=(3, 4), min_height_mm=14)

    # 4. Organisation
    _para(doc, "{{ organisation.heading }}", "Heading 1")
    _para(doc, "{%p for sub in organisation.subsections %}", "Normal")
    _para(doc, "{{ sub.heading }}", "Heading 2")
    _para(doc, "{{r sub.fill_in }}", "Fill In")
    _para(doc, "{%p endfor %}", "Normal")

    # 5. Schedule
    _page_break(doc)
    _para(doc, "{{ schedule.heading }}", "Heading 1")
    _para(doc, "{{r schedule.commented_lead }}", "Legend")
    _table(
        doc,
        ["柱", "番号・名", "区分", "{{ schedule.years[0] }}", "{{ schedule.years[1] }}", "{{ schedule.years[2] }}"],
        [12, 62, 18, 26, 26, 26],
        [["Table Center|{{ s.pillar }}", "{{ s.number }}　{{ s.name }}", "Table Center|{{ s.status }}",
          "Table Center|{{r s.cells[0] }}", "Table Center|{{r s.cells[1] }}", "Table Center|{{r s.cells[2] }}"]],
        loop="s in schedule.rows", shaded=(4, 5),
    )

    # Review sheet
    _page_break(doc)
    _para(doc, "{{ review.heading }}", "Heading 1")
    _para(doc, "{{ review.lead }}", "Lead")
    _para(doc, "{%p for text in review.summary %}", "Normal")
    _para(doc, "{{ text }}", "Legend")
    _para(doc, "{%p endfor %}", "Normal")
    # Column names a reader takes for a table header with no measure column, so a draft read back as
    # next year's plan with its review sheet still in it does not take the lines for measures.
    _table(doc, ["No.", "区分", "場所", "確認すること", "確認状況"], [9, 24, 46, 77, 14],
           [["Table Center|{{ f.number }}", "{{ f.kind }}", "{{ f.where }}", "{{ f.note }}", "Table Center|□"]],
           loop="f in review.entries")
    _para(doc, "{{ provenance }}", "Cover Note")
    return doc


def build_changes():
    """The 新旧対照表: the new wording (新, 改正後) on the left of last year's (旧, 改正前), as municipal
    新旧対照表 are laid out, the changed parts underlined (傍線)."""
    doc = _base(landscape=True)
    _header_footer(doc, "{{ title }}　新旧対照表（案）")
    doc.sections[0].different_first_page_header_footer = False
    _para(doc, "{{ title }}　新旧対照表（案）", "Contents Title")
    _para(doc, "{{ lead }}", "Legend")
    _para(doc, "{{ summary }}", "Legend")
    _table(
        doc,
        ["No.", "新（{{ year_label }}）", "旧（{{ from_label }}）", "備考"],
        [12, 100, 100, 45],
        [[
            "Table Center|{{ row.number }}",
            ["Table Item Name|{{r row.new_name }}", "{{r row.new_content }}"],
            ["Table Item Name|{{r row.old_name }}", "{{r row.old_content }}"],
            ["{{r row.change }}", "{%p for note in row.notes %}", "Table Small|{{ note }}", "{%p endfor %}"],
        ]],
        loop="row in rows",
    )
    _para(doc, "{{ provenance }}", "Cover Note")
    return doc


def _deterministic(doc) -> bytes:
    """The document as .docx bytes, property elements in schema order, with fixed zip timestamps so a
    rebuild is byte-identical."""
    _put_in_schema_order(doc.styles.element)
    _put_in_schema_order(doc.element)
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            _put_in_schema_order(part._element)
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


BUILDERS = {DRAFT: build_draft, CHANGES: build_changes}


def build_all() -> dict[str, bytes]:
    """Every template's file name and bytes."""
    return {name: _deterministic(build()) for name, build in BUILDERS.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", default=str(TEMPLATES), help="folder to write to (default: templates/)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in build_all().items():
        (out / name).write_bytes(data)
        print(out / name, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
