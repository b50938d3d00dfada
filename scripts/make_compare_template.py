"""Build templates/compare_report.docx: the styles of the comparison report (`plandraft compare`).

The report's content is added by pipeline/report_compare.py; this template only carries the page and
the styles, so a planner may restyle it in Word (fonts, colours, margins) and keep the result:
A4 landscape (the matrix has a column per municipality), Japanese fonts on East Asian text (w:eastAsia),
heading styles for the navigation pane, a table style with a shaded header row, a running header and
page numbers, and Word 2013+ compatibility (no 互換モード).

    .venv/bin/python scripts/make_compare_template.py [--check]

The output is byte-for-byte reproducible (fixed zip timestamps), so --check can tell whether the
committed template is what this script builds."""
from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from make_templates import _compatibility_mode, _field, _set_fonts  # scripts/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "templates" / "compare_report.docx"

BODY_FONT = "游明朝"  # Word substitutes ＭＳ 明朝 where it is missing
HEADING_FONT = "游ゴシック"
LATIN_FONT = "Century"
HEADER_FILL = "D9E2F3"


def _fonts(style, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Explicit fonts on a style (the draft templates' helper: theme fonts removed, East Asian set)."""
    _set_fonts(style.element.get_or_add_rPr(), latin, east_asia)


def _header_row_fill(style, fill: str) -> None:
    """The table style's first row shaded (w:tblStylePr type=firstRow)."""
    pr = OxmlElement("w:tblStylePr")
    pr.set(qn("w:type"), "firstRow")
    rpr = OxmlElement("w:rPr")
    bold = OxmlElement("w:b")
    rpr.append(bold)
    tcpr = OxmlElement("w:tcPr")
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)
    pr.append(rpr)
    pr.append(tcpr)
    style.element.append(pr)


def build() -> bytes:
    """The template's bytes."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(18))
    section.top_margin = section.bottom_margin = Mm(15)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10)
    _fonts(normal, BODY_FONT)
    # East Asian text: lines snap to the grid off, so tables stay compact.
    ppr = normal.element.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = styles[name]
        _fonts(style, HEADING_FONT)
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    caption = styles["Caption"] if "Caption" in [s.name for s in styles] else styles.add_style("Caption", WD_STYLE_TYPE.PARAGRAPH)
    _fonts(caption, HEADING_FONT)
    caption.font.size = Pt(9)
    note = styles.add_style("Report Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(9)
    note.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    table = styles["Table Grid"]
    _fonts(table, BODY_FONT)
    table.font.size = Pt(9)
    _header_row_fill(table, HEADER_FILL)

    for name in ("Header", "Footer"):
        _fonts(styles[name], HEADING_FONT)
        styles[name].font.size = Pt(8.5)
    section.header_distance = section.footer_distance = Mm(8)
    header = section.header.paragraphs[0]
    header.style = styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run("他市町村との施策比較")
    footer = section.footer.paragraphs[0]
    footer.style = styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- ")
    _field(footer, "PAGE", "1")
    footer.add_run(" -")
    _compatibility_mode(doc, 15)

    doc.core_properties.title = "他市町村との施策比較"
    doc.core_properties.author = "plandraft"
    buf = io.BytesIO()
    doc.save(buf)
    return _reproducible(buf.getvalue())


def _reproducible(data: bytes) -> bytes:
    """The same .docx with fixed zip timestamps and no creation dates, so builds are identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                payload = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", payload)
            entry = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, payload)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed template differs")
    args = ap.parse_args(argv)
    data = build()
    if args.check:
        same = TARGET.is_file() and TARGET.read_bytes() == data
        print(f"{TARGET.relative_to(ROOT)}: {'up to date' if same else 'differs: run scripts/make_compare_template.py'}")
        return 0 if same else 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(data)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
