"""A rendered .docx read back as JSON-ready data (page set-up, fonts, header and footer, body
paragraphs and tables with their marks, comments with the text they are anchored on): what the golden
files hold and the tests compare."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pipeline.draft.lint import MARK_STYLES
from pipeline.ooxml import W_NS

_NS = {"w": W_NS}


def _q(tag: str) -> str:
    prefix, local = tag.split(":")
    return "{" + W_NS + "}" + local


def _run_text(p: Any) -> str:
    """A paragraph's text, each run in a character style written [Style]text[/], fields as {PAGE},
    a comment's range as [c3]…[/c3]."""
    out: list[str] = []
    for r in p.iter(_q("w:r"), _q("w:commentRangeStart"), _q("w:commentRangeEnd")):
        if r.tag == _q("w:commentRangeStart"):
            out.append(f"[c{r.get(_q('w:id'))}]")
            continue
        if r.tag == _q("w:commentRangeEnd"):
            out.append(f"[/c{r.get(_q('w:id'))}]")
            continue
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
        "comments": comments(doc),
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


def comments(doc: Any) -> list[dict[str, Any]]:
    """The document's comments in id order: author, text and the body text each is anchored on
    (None for a comment without a range in the body)."""
    anchors: dict[str, str] = {}
    open_ids: list[str] = []
    for el in doc.element.body.iter(_q("w:commentRangeStart"), _q("w:commentRangeEnd"), _q("w:t")):
        if el.tag == _q("w:commentRangeStart"):
            open_ids.append(el.get(_q("w:id")))
            anchors.setdefault(open_ids[-1], "")
        elif el.tag == _q("w:commentRangeEnd"):
            if el.get(_q("w:id")) in open_ids:
                open_ids.remove(el.get(_q("w:id")))
        else:
            for cid in open_ids:
                anchors[cid] += el.text or ""
    referenced = {el.get(_q("w:id")) for el in doc.element.body.iter(_q("w:commentReference"))}
    out = []
    for c in sorted(doc.comments, key=lambda c: c.comment_id):
        cid = str(c.comment_id)
        out.append({"id": c.comment_id, "author": c.author, "initials": c.initials, "text": c.text,
                    "anchor": anchors.get(cid) if cid in referenced else None})
    return out
