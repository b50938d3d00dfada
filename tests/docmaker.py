"""Builders of plan documents for tests and samples: a plan read from text, written as PDF/DOCX/XLSX in
several layouts, and deliberately broken files."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.ingest.structure import POLICY_RE, header_roles, split_departments, split_mark
from pipeline.ingest.text import read as read_text
from pipeline.model import Item

# ---------------------------------------------------------------------------------------------
# The plan as data


@dataclass(frozen=True)
class Para:
    """A paragraph of running text; kind picks its style (title, subtitle, policy, measure, legend,
    list, body). `**…**` marks bold text, as in the text version."""

    text: str
    kind: str = "body"


@dataclass(frozen=True)
class Row:
    mark: str  # ★ ● ◎ or ""
    name: str
    content: str
    departments: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...] = ()
    header: tuple[str, str, str] = ("項目", "アクションプランの内容", "関係部署")  # name, content, departments
    heading: str = ""  # a ■ measure heading written as the table's first, full-width row
    header_span: bool = False  # 項目 spans the (empty) mark column header too


@dataclass(frozen=True)
class PageBreak:
    pass


Element = Para | Table | PageBreak


@dataclass(frozen=True)
class Plan:
    elements: tuple[Element, ...]

    @property
    def title(self) -> str:
        return next(e.text for e in self.elements if isinstance(e, Para))


def _para_kind(text: str) -> str:
    if text.startswith(("■", "◆")):
        return "measure"
    if POLICY_RE.match(text.replace("*", "")):
        return "policy"
    if text.count("主体") >= 2 and text[:1] in "★●◎":
        return "legend"
    if text.startswith("- "):
        return "list"
    return "body"


def plan_from_text(path: Path) -> Plan:
    """The plan written in a .txt file (read with the project's own text reader), as paragraphs and
    tables: the title page up to the first repetition of the title, then the body."""
    blocks, _ = read_text(path, "", path.read_bytes())
    elements: list[Element] = []
    rows: list[Row] = []
    heading = ""
    header: tuple[str, str, str] | None = None
    roles: list[str | None] | None = None
    span = False
    table_id: int | None = None

    def close_table() -> None:
        nonlocal rows, heading, header, roles, span
        if rows:
            elements.append(Table(tuple(rows), header or Table().header, heading, span))
        elif heading:
            elements.append(Para(heading, "measure"))
        rows, heading, header, roles, span = [], "", None, None, False

    for block in blocks:
        if not block.is_row or block.source.table != table_id:
            close_table()
            table_id = block.source.table
        if not block.is_row:
            text = block.text.strip()
            elements.append(Para(text, _para_kind(text)))
            continue
        cells = [c.strip() if c else "" for c in block.cells]
        filled = [c for c in cells if c]
        if len(filled) == 1 and filled[0].startswith(("■", "◆")):
            heading = filled[0]
            continue
        found = header_roles(cells)
        if found is not None:
            roles = found
            named = {r: c for r, c in zip(roles, cells) if r}
            header = (named["name"], named["content"], named["departments"])
            # "項 目<TAB><TAB>内容": the item header covers an empty mark column, as a merged cell does.
            after = cells.index(named["name"]) + 1
            span = after < len(cells) and not cells[after]
            continue
        if roles is None:  # e.g. "||" between two lines, read as a Markdown row
            elements.append(Para(block.text.strip(), "body"))
            continue
        marks = [c for c in cells if c in ("★", "●", "◎")]
        texts = [c for c in cells if c not in marks]
        while len(texts) > 3 and not texts[-1]:
            texts.pop()
        by_role = dict(zip([r for r in roles if r], texts))
        mark, name = split_mark(by_role["name"])
        rows.append(
            Row(
                mark=marks[0] if marks else {"both": "◎", "city": "●", "citizens": "★", None: ""}[mark],
                name=name,
                content=by_role["content"],
                departments=tuple(split_departments(by_role["departments"])),
            )
        )
    close_table()
    # The title page: the paragraphs before the title's repetition, which opens the body.
    title = elements[0].text.replace(" ", "") if isinstance(elements[0], Para) else ""
    for i, e in enumerate(elements[1:], start=1):
        if isinstance(e, Para) and e.text.replace(" ", "") == title:
            elements[:i] = [replace(p, kind="title" if n == 0 else "subtitle")
                            for n, p in enumerate(elements[:i]) if isinstance(p, Para)]
            elements.insert(i, PageBreak())
            break
    return Plan(tuple(elements))


# ---------------------------------------------------------------------------------------------
# Layouts

COLUMNS = ("mark", "name", "content", "departments")


@dataclass(frozen=True)
class Layout:
    """How a plan is laid out; the defaults are those of the shipped samples."""

    columns: tuple[str, ...] = COLUMNS  # left to right; without "mark" the mark goes in front of the name
    # The 項目 header spans the mark and name columns (when adjacent); None: as each table says.
    header_span: bool | None = None
    policy_page_break: bool = False  # each 施策 starts a new page
    mark_header: str = ""  # header of the mark column when not spanned
    merge_departments: bool = False  # equal departments of consecutive rows in one merged cell
    repeat_header: bool = True  # header row repeated on each page of a table (PDF, DOCX)
    split_rows: bool = False  # a row may break across pages (PDF)
    char_space: float = 0.0  # letter-spacing in points (PDF)
    bold_twice: bool = False  # headings made bold by drawing them twice (PDF)
    page_header: bool = True  # running header with the title on every page but the first
    page_numbers: bool = True  # "- N -" footer on every page but the first
    page_height_mm: float = 297.0  # shorter pages force more tables across page breaks
    top_margin_mm: float = 20.0  # a small one puts the first line of a page in the header band (PDF)
    font_size: float = 9.5  # table text
    departments_sep: str = "\n"  # how departments are separated in a cell

    def mark_in_name(self) -> bool:
        return "mark" not in self.columns

    def spanned_header(self, table: Table | None = None) -> bool:
        span = self.header_span if self.header_span is not None else bool(table and table.header_span)
        if not span or self.mark_in_name():
            return False
        i, j = self.columns.index("mark"), self.columns.index("name")
        return abs(i - j) == 1


def _cell_values(row: Row, layout: Layout) -> list[str]:
    values = {
        "mark": row.mark,
        "name": f"{row.mark} {row.name}" if layout.mark_in_name() and row.mark else row.name,
        "content": row.content,
        "departments": layout.departments_sep.join(row.departments),
    }
    return [values[c] for c in layout.columns]


def _header_values(table: Table, layout: Layout) -> list[str]:
    values = {"mark": layout.mark_header, "name": table.header[0], "content": table.header[1],
              "departments": table.header[2]}
    out = [values[c] for c in layout.columns]
    if layout.spanned_header(table):
        i, j = sorted((layout.columns.index("mark"), layout.columns.index("name")))
        out[i], out[j] = table.header[0], ""
    return out


# The table layouts the PDF tests write the sample plan in (test_ingest_pdf, and both engines in
# test_pdf_engines): column orders, spanned and repeated headers, page breaks inside rows, fake bold.
PDF_LAYOUTS = {
    "departments-first": Layout(columns=("departments", "mark", "name", "content")),
    "mark-last": Layout(columns=("name", "content", "departments", "mark")),
    "content-before-name": Layout(columns=("mark", "content", "name", "departments")),
    "mark-in-name-cell": Layout(columns=("name", "content", "departments")),
    "header-not-spanned": Layout(header_span=False, mark_header=""),
    "merged-departments": Layout(merge_departments=True),
    "short-pages-header-repeated": Layout(page_height_mm=120),
    "short-pages-no-repeated-header": Layout(page_height_mm=120, repeat_header=False),
    "rows-split-across-pages": Layout(page_height_mm=100, split_rows=True, font_size=12),
    "letter-spaced": Layout(char_space=4.5),
    "bold-drawn-twice": Layout(bold_twice=True),
    "mark-after-name-spanned": Layout(columns=("name", "mark", "content", "departments"), header_span=True),
    "all-at-once": Layout(columns=("departments", "content", "name"), merge_departments=True, page_height_mm=140,
                          bold_twice=True, char_space=1.5, repeat_header=False),
}

def _merge_runs(rows: tuple[Row, ...]) -> list[tuple[int, int]]:
    """(first, last) indexes of runs of consecutive rows with the same departments (length ≥ 2)."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i].departments != rows[start].departments:
            if i - 1 > start:
                runs.append((start, i - 1))
            start = i
    return runs


_WIDTHS_MM = {"mark": 8.0, "name": 40.0, "content": 82.0, "departments": 40.0}


def _widths_mm(layout: Layout) -> list[float]:
    widths = dict(_WIDTHS_MM)
    if layout.mark_in_name():
        widths["name"] += widths["mark"]
    return [widths[c] for c in layout.columns]


def _bold_parts(text: str) -> list[tuple[str, bool]]:
    """'施策3**市民活動**' → [('施策3', False), ('市民活動', True)]."""
    parts = re.split(r"\*\*", text)
    return [(p, i % 2 == 1) for i, p in enumerate(parts) if p]


# ---------------------------------------------------------------------------------------------
# PDF (reportlab)

MINCHO = "HeiseiMin-W3"
GOTHIC = "HeiseiKakuGo-W5"


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    registered = pdfmetrics.getRegisteredFontNames()
    for name in (MINCHO, GOTHIC):
        if name not in registered:
            pdfmetrics.registerFont(UnicodeCIDFont(name))


def _spaced_flowable_class():  # type: ignore[no-untyped-def]
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    class SpacedText(Flowable):  # type: ignore[misc]
        """Text wrapped character by character and drawn with letter-spacing (Tc) and/or twice,
        slightly offset (the fake bold of many Japanese PDFs)."""

        def __init__(self, text: str, font: str, size: float, leading: float, char_space: float,
                     twice: bool, align: str = "left") -> None:
            super().__init__()
            self.text, self.font, self.size, self.leading = text, font, size, leading
            self.char_space, self.twice, self.align = char_space, twice, align
            self.lines: list[str] = []

        def _width(self, s: str) -> float:
            return stringWidth(s, self.font, self.size) + self.char_space * len(s)

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.lines = []
            for para in self.text.split("\n"):
                line = ""
                for ch in para:
                    if line and self._width(line + ch) > avail_width:
                        self.lines.append(line)
                        line = ""
                    line += ch
                self.lines.append(line)
            self.avail_width = avail_width
            return avail_width, self.leading * len(self.lines)

        def draw(self) -> None:
            canvas = self.canv
            y = self.leading * len(self.lines) - self.size
            for line in self.lines:
                x = 0.0
                if self.align == "center":
                    x = (self.avail_width - self._width(line)) / 2
                for dx in ((0.0, 0.35) if self.twice else (0.0,)):
                    t = canvas.beginText(x + dx, y)
                    t.setFont(self.font, self.size)
                    t.setCharSpace(self.char_space)
                    t.textOut(line)
                    canvas.drawText(t)
                y -= self.leading

    return SpacedText


_PARA_STYLE = {  # kind: (font, size, space before, alignment)
    "title": (GOTHIC, 18, 60, 1),
    "subtitle": (MINCHO, 12, 12, 1),
    "policy": (GOTHIC, 14, 14, 0),
    "measure": (GOTHIC, 11, 10, 0),
    "legend": (MINCHO, 9, 4, 2),
    "list": (MINCHO, 10.5, 2, 0),
    "body": (MINCHO, 10.5, 6, 0),
}
_BOLD_KINDS = ("title", "policy", "measure")


def write_pdf(plan: Plan, path: Path, layout: Layout | None = None) -> Path:
    """plan written to path as an A4 (or shorter) PDF with ruled tables, Japanese CID fonts, a
    running header and page numbers; deterministic (invariant) output."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    layout = layout or Layout()
    _register_fonts()
    SpacedText = _spaced_flowable_class()
    fancy = layout.char_space > 0 or layout.bold_twice
    page_size = (210 * mm, layout.page_height_mm * mm)
    title = plan.title

    def text_flowable(  # type: ignore[no-untyped-def]
        text: str, font: str, size: float, leading: float, align: int, bold: bool
    ):
        if fancy:
            twice = bold and layout.bold_twice
            return SpacedText(text.replace("**", ""), font, size, leading, layout.char_space, twice,
                              "center" if align == 1 else "left")
        style = ParagraphStyle("p", fontName=font, fontSize=size, leading=leading, alignment=align,
                               wordWrap="CJK")
        markup = "".join(f"<font name='{GOTHIC}'>{escape(t)}</font>" if b else escape(t)
                         for t, b in _bold_parts(text)).replace("\n", "<br/>")
        return Paragraph(markup, style)

    story: list[object] = []
    for element in plan.elements:
        if isinstance(element, PageBreak):
            story.append(RLPageBreak())
        elif isinstance(element, Para):
            if element.kind == "policy" and layout.policy_page_break:
                story.append(RLPageBreak())
            font, size, before, align = _PARA_STYLE[element.kind]
            text = element.text[2:] if element.kind == "list" else element.text
            story.append(Spacer(1, before))
            story.append(text_flowable(text, font, size, size * 1.45, align, element.kind in _BOLD_KINDS))
        else:
            story.append(Spacer(1, 4))
            story.append(_pdf_table(element, layout, text_flowable))

    def decorate(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        if doc.page == 1:
            return
        canvas.saveState()
        if layout.page_header:
            canvas.setFont(MINCHO, 8)
            canvas.drawRightString(page_size[0] - 20 * mm, page_size[1] - 12 * mm, title)
        if layout.page_numbers:
            canvas.setFont(MINCHO, 9)
            canvas.drawCentredString(page_size[0] / 2, 10 * mm, f"- {doc.page} -")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=page_size, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=layout.top_margin_mm * mm, bottomMargin=20 * mm, title=title, author="plandraft tests",
                            invariant=1)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path


def _pdf_table(table: Table, layout: Layout, text_flowable: Callable[..., object]) -> object:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table as RLTable

    size = layout.font_size
    leading = size * 1.4
    ncol = len(layout.columns)
    data: list[list[object]] = []
    style: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        # Room for punctuation hung past the line end (burasagari), so it stays inside its cell.
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]

    def cell(text: str, bold: bool = False, align: int = 0) -> object:
        return text_flowable(text, GOTHIC if bold else MINCHO, size, leading, align, bold) if text else ""

    if table.heading:
        data.append([cell(table.heading, bold=True)] + [""] * (ncol - 1))
        style.append(("SPAN", (0, 0), (-1, 0)))
    header_row = len(data)
    header = _header_values(table, layout)
    data.append([cell(h, bold=True, align=1) for h in header])
    style.append(("BACKGROUND", (0, header_row), (-1, header_row), colors.Color(0.85, 0.85, 0.85)))
    if layout.spanned_header(table):
        i, j = sorted((layout.columns.index("mark"), layout.columns.index("name")))
        style.append(("SPAN", (i, header_row), (j, header_row)))
    first = len(data)
    for row in table.rows:
        values = zip(layout.columns, _cell_values(row, layout))
        data.append([cell(v, align=1 if c == "mark" else 0) for c, v in values])
    if layout.merge_departments:
        d = layout.columns.index("departments")
        for a, b in _merge_runs(table.rows):
            for r in range(first + a + 1, first + b + 1):
                data[r][d] = ""
            style.append(("SPAN", (d, first + a), (d, first + b)))
            style.append(("VALIGN", (d, first + a), (d, first + b), "MIDDLE"))
    return RLTable(data, colWidths=[w * mm for w in _widths_mm(layout)], style=style,
                   repeatRows=header_row + 1 if layout.repeat_header else 0,
                   splitInRow=1 if layout.split_rows else 0, hAlign="LEFT")


# ---------------------------------------------------------------------------------------------
# DOCX (python-docx)


def _set_east_asia(style_or_run, font: str) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn

    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font)


def write_docx(plan: Plan, path: Path, layout: Layout | None = None) -> Path:
    """plan written to path as an A4 .docx with East Asian fonts, headings, a page header/footer and
    ruled tables (header row repeated, merged header and department cells as layout asks)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    layout = layout or Layout()
    east_asia, gothic = "ＭＳ 明朝", "ＭＳ ゴシック"
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(layout.page_height_mm)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    normal = doc.styles["Normal"]
    normal.font.name = "Century"
    normal.font.size = Pt(10.5)
    _set_east_asia(normal, east_asia)
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_east_asia(doc.styles[name], gothic)
    section.different_first_page_header_footer = True
    if layout.page_header:
        section.header.paragraphs[0].text = plan.title
        section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if layout.page_numbers:
        _add_page_field(section.footer.paragraphs[0])

    styles = {"title": "Title", "policy": "Heading 1", "measure": "Heading 2"}
    pending_break = False
    for element in plan.elements:
        if isinstance(element, PageBreak):
            pending_break = True
            continue
        if isinstance(element, Para):
            text = element.text[2:] if element.kind == "list" else element.text
            p = doc.add_paragraph(style=styles.get(element.kind))
            if pending_break or (element.kind == "policy" and layout.policy_page_break):
                p.paragraph_format.page_break_before = True
                pending_break = False
            if element.kind in ("subtitle", "title"):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for part, bold in _bold_parts(text):
                run = p.add_run(part)
                run.bold = bold or None
            continue
        _docx_table(doc, element, layout)
    doc.core_properties.title = plan.title
    _save_docx_deterministic(doc, path)
    return path


def _add_page_field(paragraph) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("- ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            el.text = text
        run._r.append(el)
    paragraph.add_run(" -")


def _docx_table(doc, table: Table, layout: Layout) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    ncol = len(layout.columns)
    heading_rows = 1 if table.heading else 0
    t = doc.add_table(rows=heading_rows + 1 + len(table.rows), cols=ncol)
    t.style = "Table Grid"
    widths = _widths_mm(layout)
    for col, w in zip(t.columns, widths):
        for c in col.cells:
            c.width = Mm(w)

    def fill(cell, text: str, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
        lines = text.split("\n")
        cell.paragraphs[0].text = ""
        for i, line in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            run = p.add_run(line)
            run.bold = bold or None

    if table.heading:
        fill(t.cell(0, 0), table.heading, bold=True)
        t.cell(0, 0).merge(t.cell(0, ncol - 1))
    header = _header_values(table, layout)
    header_row = heading_rows
    for c, h in enumerate(header):
        if h:
            fill(t.cell(header_row, c), h, bold=True)
    if layout.spanned_header(table):
        i, j = sorted((layout.columns.index("mark"), layout.columns.index("name")))
        t.cell(header_row, i).merge(t.cell(header_row, j))
    if layout.repeat_header:
        for r in range(header_row + 1):
            t.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    first = header_row + 1
    runs = _merge_runs(table.rows) if layout.merge_departments else []
    d = layout.columns.index("departments")
    covered = {r for a, b in runs for r in range(a + 1, b + 1)}  # rows under a merged cell's top
    for r, row in enumerate(table.rows):
        for c, value in enumerate(_cell_values(row, layout)):
            if value and not (c == d and r in covered):
                fill(t.cell(first + r, c), value)
    for a, b in runs:
        t.cell(first + a, d).merge(t.cell(first + b, d))
    doc.add_paragraph()


def _save_docx_deterministic(doc, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Save with fixed zip timestamps and core-property dates, so the same plan gives the same bytes."""
    import datetime as dt

    props = doc.core_properties
    stamp = dt.datetime(2009, 4, 1, 0, 0, 0)
    props.created = props.modified = stamp
    props.last_modified_by = props.author = "plandraft"
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    _rezip(buf.getvalue(), path)


def _rezip(data: bytes, path: Path, extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = (extra or {}).get(info.filename, src.read(info))
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2009, 4, 1, 0, 0, 0)), payload,
                         compress_type=zipfile.ZIP_DEFLATED)


DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"><w:body>{body}<w:sectPr/></w:body></w:document>'
)


def p_xml(text: str, extra: str = "") -> str:
    """A <w:p> with one run of text (extra: more XML inside the paragraph, after the run)."""
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r>{extra}</w:p>"


def tc_xml(text: str = "", span: int = 1, vmerge: str | None = None, inner: str | None = None) -> str:
    """A <w:tc>: paragraphs from the lines of text (or inner XML), gridSpan and vMerge as given."""
    pr = ""
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        pr += "<w:vMerge/>"
    content = inner if inner is not None else "".join(p_xml(line) for line in text.split("\n"))
    return f"<w:tc>{f'<w:tcPr>{pr}</w:tcPr>' if pr else ''}{content or '<w:p/>'}</w:tc>"


def tbl_xml(rows: list[list[str]], grid: int) -> str:
    """A <w:tbl> of rows (each a list of tc_xml strings) over grid columns."""
    cols = "".join("<w:gridCol/>" for _ in range(grid))
    body = "".join(f"<w:tr>{''.join(cells)}</w:tr>" for cells in rows)
    return f"<w:tbl><w:tblPr/><w:tblGrid>{cols}</w:tblGrid>{body}</w:tbl>"


def add_label_table(document, pairs: Sequence[tuple[str, str]], style: str | None = None):  # type: ignore[no-untyped-def]
    """A python-docx table of label | value rows (a 取組シート's), added to document and returned."""
    return add_table(document, pairs, style)


def add_table(document, rows: Sequence[Sequence[str]], style: str | None = "Table Grid"):  # type: ignore[no-untyped-def]
    """A python-docx table of rows of cells (as wide as the first row), added to document and returned;
    a cell's lines (⏎) are paragraphs of their own, as typed with Enter."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    if style:
        table.style = style
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            first, *more = str(text).split("\n")
            table.cell(r, c).text = first
            for line in more:
                table.cell(r, c).add_paragraph(line)
    return table


def write_docx_xml(path: Path, body: str) -> Path:
    """A .docx whose body is the given WordprocessingML (paragraphs, tables …)."""
    write_docx(Plan((Para("-"),)), path)
    return patch_docx(path, {"word/document.xml": DOCUMENT_XML.format(body=body).encode("utf-8")})


def patch_docx(path: Path, replace_parts: dict[str, bytes]) -> Path:
    """path rewritten with some of its parts (e.g. word/document.xml) replaced."""
    _rezip(path.read_bytes(), path, replace_parts)
    return path


# ---------------------------------------------------------------------------------------------
# XLSX (openpyxl): a progress sheet


def policies(plan: Plan) -> list[tuple[str, str, Table]]:
    """(policy, measure heading, table) for each table: policy as 施策N and its title on one line."""
    out: list[tuple[str, str, Table]] = []
    policy = measure = ""
    waiting = False  # a bare 施策N whose title is the next paragraph
    for element in plan.elements:
        if isinstance(element, Para):
            text = element.text.replace("**", " ").strip()
            if element.kind == "policy":
                m = POLICY_RE.match(text)
                assert m
                policy, waiting = f"施策{m.group(1)} {m.group(2).strip()}".strip(), not m.group(2).strip()
            elif waiting:
                policy, waiting = f"{policy} {text}", False
            if element.kind == "measure":
                measure = text
        elif isinstance(element, Table):
            out.append((policy, element.heading or measure, element))
    return out


def write_progress_xlsx(plan: Plan, path: Path) -> Path:
    """plan's items as a progress sheet: a merged title row, then 施策 | 取組方針 | 項目 | 内容 | 担当課 |
    進捗状況, with the 施策 and 取組方針 cells merged down over their items."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    ws.title = "進捗状況"
    ws.append([f"{plan.title} 進捗状況"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    ws.append([])
    ws.append(["施策", "取組方針", "項目", "内容", "担当課", "進捗状況"])
    runs: dict[int, list[tuple[str, int]]] = {1: [], 2: []}  # column → (value, first row) of each run
    for policy, measure, table in policies(plan):
        for row in table.rows:
            r = ws.max_row + 1
            name = f"{row.mark} {row.name}".strip()
            values = [policy, measure, name, row.content, "\n".join(row.departments), "実施"]
            for c, v in enumerate(values, start=1):
                if c in runs and runs[c] and runs[c][-1][0] == v:
                    continue  # left empty: covered by the merged cell above
                if c in runs:
                    runs[c].append((v, r))
                ws.cell(r, c, v).alignment = Alignment(wrap_text=True, vertical="top")
    last = ws.max_row
    for c, starts in runs.items():
        ends = [r - 1 for _, r in starts[1:]] + [last]
        for (_, first), end in zip(starts, ends):
            if end > first:
                ws.merge_cells(start_row=first, start_column=c, end_row=end, end_column=c)
    wb.properties.creator = "plandraft"
    buf = io.BytesIO()
    wb.save(buf)
    _rezip(buf.getvalue(), path)
    return path


@dataclass(frozen=True)
class DrawnArrow:
    """An arrow drawn on a sheet as Excel draws one: a block arrow (右矢印, prst rightArrow), or a
    straight connector ending in an arrowhead (prst straightConnector1), anchored by two cells
    (0-based column, offset, row, offset; offsets in EMU), with the text typed into it."""

    start: tuple[int, int, int, int]
    end: tuple[int, int, int, int]
    text: str = ""
    shape: str = "rightArrow"


def _arrow_anchor(n: int, arrow: DrawnArrow, widths: Sequence[int], height: int) -> str:
    def corner(tag: str, at: tuple[int, int, int, int]) -> str:
        col, col_off, row, row_off = at
        return (f"<xdr:{tag}><xdr:col>{col}</xdr:col><xdr:colOff>{col_off}</xdr:colOff><xdr:row>{row}</xdr:row>"
                f"<xdr:rowOff>{row_off}</xdr:rowOff></xdr:{tag}>")

    def point(at: tuple[int, int, int, int]) -> tuple[int, int]:  # (x, y) in EMU from the sheet's corner
        col, col_off, row, row_off = at
        shown = min(col, len(widths))  # (the last width for the rest, computed, not walked: a test's anchor may be far out)
        return sum(widths[:shown]) + (col - shown) * widths[-1] + col_off, row * height + row_off

    (x0, y0), (x1, y1) = point(arrow.start), point(arrow.end)
    geometry = (f'<a:xfrm><a:off x="{x0}" y="{y0}"/><a:ext cx="{max(x1 - x0, 1)}" cy="{max(y1 - y0, 1)}"/></a:xfrm>'
                f'<a:prstGeom prst="{arrow.shape}"><a:avLst/></a:prstGeom>')
    if arrow.shape == "straightConnector1":
        shape = (f'<xdr:cxnSp macro=""><xdr:nvCxnSpPr><xdr:cNvPr id="{n + 2}" name="直線矢印コネクタ {n}"/><xdr:cNvCxnSpPr/>'
                 f'</xdr:nvCxnSpPr><xdr:spPr>{geometry}<a:ln w="28575"><a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
                 '<a:tailEnd type="triangle"/></a:ln></xdr:spPr></xdr:cxnSp>')
    else:
        text = (f'<xdr:txBody><a:bodyPr vertOverflow="clip" rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/>'
                f'<a:r><a:rPr lang="ja-JP" altLang="en-US" sz="900"/><a:t>{escape(arrow.text)}</a:t></a:r></a:p></xdr:txBody>'
                if arrow.text else "")
        shape = (f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{n + 2}" name="右矢印 {n}"/><xdr:cNvSpPr/>'
                 f'</xdr:nvSpPr><xdr:spPr>{geometry}<a:solidFill><a:srgbClr val="BFBFBF"/></a:solidFill></xdr:spPr>{text}</xdr:sp>')
    return (f'<xdr:twoCellAnchor>{corner("from", arrow.start)}{corner("to", arrow.end)}{shape}'
            '<xdr:clientData/></xdr:twoCellAnchor>')


def add_drawn_arrows(path: Path, arrows: Sequence[DrawnArrow], sheet: int = 1, widths: Sequence[int] = (609_600,),
                     height: int = 190_500) -> Path:
    """path (a workbook openpyxl saved) with arrows drawn on its sheet-th sheet, in the parts Excel
    writes for them: a drawing part, the sheet's relationship to it and its <drawing> element. widths
    (EMU, per column; the last for the rest) and height (EMU, every row) place each shape's frame as
    Excel does beside its anchor."""
    data = path.read_bytes()
    sheet_part = f"xl/worksheets/sheet{sheet}.xml"
    drawing = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
               ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
               + "".join(_arrow_anchor(n, a, widths, height) for n, a in enumerate(arrows, start=1)) + "</xdr:wsDr>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdArrows" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"'
            f' Target="../drawings/drawing{sheet}.xml"/></Relationships>')
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(sheet_part).decode("utf-8")
        types = z.read("[Content_Types].xml").decode("utf-8")
        assert f"xl/worksheets/_rels/sheet{sheet}.xml.rels" not in z.namelist()  # (the sheet has no other parts)
    if 'xmlns:r="' not in xml.split(">", 2)[1]:
        xml = xml.replace("<worksheet ", '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
    xml = re.sub(r"(<pageMargins\b[^>]*/>)(<pageSetup\b[^>]*/>)?", lambda m: m.group(0) + '<drawing r:id="rIdArrows"/>', xml, count=1)
    assert 'r:id="rIdArrows"' in xml
    types = types.replace("</Types>", f'<Override PartName="/xl/drawings/drawing{sheet}.xml"'
                          ' ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = {sheet_part: xml.encode("utf-8"), "[Content_Types].xml": types.encode("utf-8")}.get(
                info.filename, src.read(info))
            dst.writestr(info.filename, payload)
        dst.writestr(f"xl/worksheets/_rels/sheet{sheet}.xml.rels", rels)
        dst.writestr(f"xl/drawings/drawing{sheet}.xml", drawing)
    return path


# ---------------------------------------------------------------------------------------------
# Bad files


def write_image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF whose pages carry only drawings (like a scan without OCR)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for _ in range(pages):
        c.rect(100, 100, 300, 500, fill=1)
        c.line(50, 50, 500, 700)
        c.showPage()
    c.save()
    return path


def write_encrypted_pdf(path: Path, password: str = "pw") -> Path:
    from reportlab.pdfgen import canvas

    _register_fonts()
    c = canvas.Canvas(str(path), encrypt=password, invariant=1)
    c.setFont(MINCHO, 12)
    c.drawString(72, 720, "平成21年度 市民協働推進アクションプラン")
    c.showPage()
    c.save()
    return path


def write_zip_bomb(path: Path, member: str = "word/document.xml", size: int = 1 << 30) -> Path:
    """A .docx-shaped zip whose member inflates to `size` bytes of zeros (written streaming, so it
    costs ~1 MB on disk and a second or two to make)."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        info = zipfile.ZipInfo(member, date_time=(2009, 4, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            for _ in range(size // len(chunk)):
                f.write(chunk)
    return path


def _raw_pdf(content: bytes) -> bytes:
    """A one-page PDF (A4, Helvetica as F1) whose page content is the given Flate-compressed stream."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write_vector_storm_pdf(path: Path, objects: int = 300_000) -> Path:
    """A valid one-page PDF drawing `objects` tiny filled squares (~0.6 MB on disk): pdfminer and the
    table finder take tens of seconds over it, like a CAD plot or a map exported as vectors."""
    import zlib

    ops = b"".join(b"%d %d 0.4 0.4 re f\n" % (50 + i % 490, 50 + (i // 490) % 740) for i in range(objects))
    content = b"BT /F1 10 Tf 72 800 Td (vector storm) Tj ET\n" + ops
    path.write_bytes(_raw_pdf(zlib.compress(content, 6)))
    return path


def write_inflation_bomb_pdf(path: Path, inflated_mb: int = 2048) -> Path:
    """A valid one-page PDF whose content stream inflates to `inflated_mb` MB (zeros after a line of
    text), ~1 KB per inflated MB on disk. Written in a few milliseconds: one deflate block of 1 MB of
    zeros, ended by a full flush (which makes it independent of what came before), is repeated."""
    import struct
    import zlib

    text = b"BT /F1 10 Tf 72 800 Td (bomb) Tj ET\n"
    c = zlib.compressobj(9)
    head = c.compress(text) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(b"\0" * (1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    # Adler-32 after n zeros: a is unchanged, b grows by n·a (mod 65521).
    checksum = zlib.adler32(text)
    a, b = checksum & 0xFFFF, checksum >> 16
    b = (b + (inflated_mb << 20) * a) % 65521
    stream = head + block * inflated_mb + b"\x03\x00" + struct.pack(">I", (b << 16) | a)  # 03 00: empty last block
    path.write_bytes(_raw_pdf(stream))
    return path


XXE_DOCUMENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>平成21年度 アクションプラン</w:t></w:r></w:p>
<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>
</w:body></w:document>"""


def write_xxe_docx(path: Path, secret_file: Path) -> Path:
    """A .docx whose document.xml declares an external entity pointing at secret_file."""
    base = write_docx(Plan((Para("表題"),)), path)
    return patch_docx(base, {"word/document.xml": XXE_DOCUMENT.format(secret=secret_file).encode()})


# The fields every reader must give exactly as the text version does (used by the reader tests).
FIELDS = ("policy", "measure", "name", "content", "departments", "actor", "tags")


def fields(item: Item) -> tuple[object, ...]:
    """An item's comparable fields (see FIELDS)."""
    return tuple(getattr(item, f) for f in FIELDS)


__all__ = [
    "COLUMNS",
    "FIELDS",
    "Layout",
    "PageBreak",
    "Para",
    "Plan",
    "Row",
    "Table",
    "fields",
    "p_xml",
    "patch_docx",
    "plan_from_text",
    "tbl_xml",
    "tc_xml",
    "policies",
    "write_docx",
    "write_docx_xml",
    "write_encrypted_pdf",
    "write_image_only_pdf",
    "write_inflation_bomb_pdf",
    "write_pdf",
    "write_progress_xlsx",
    "write_vector_storm_pdf",
    "write_xxe_docx",
    "write_zip_bomb",
]


def libreoffice_pdf(source: Path) -> Path:
    """source (.docx or .xlsx) exported as PDF by LibreOffice, as city offices make their PDFs, written
    beside it; the test is skipped where LibreOffice is missing (`make test` installs it)."""
    import pytest

    from pipeline.draft.pages import soffice, to_pdf

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: `make test` installs it")
    pdf = to_pdf(source.read_bytes(), suffix=source.suffix)
    assert pdf, f"LibreOffice could not export {source.name}"
    out = source.with_suffix(".pdf")
    out.write_bytes(pdf)
    return out
