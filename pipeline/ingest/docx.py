"""Reader for .docx plan documents (python-docx): body paragraphs and table rows in document order,
merged cells resolved from the XML, zip bombs and DOCTYPEs refused before parsing."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..messages import input_error
from ..model import Block, Source
from ..ooxml import W
from ..settings import ReadSettings
from .word_numbering import Numbering

MAX_INFLATED = 200 * 1024 * 1024  # a plan is a few MB; refuse archives that would inflate past this
MAX_RATIO = 100  # … or a large member compressed more than this (zeros compress ~1000:1)
LARGE_MEMBER = 10 * 1024 * 1024

MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WRAPPERS = (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag")
# Subtrees whose text is not part of the paragraph as read: deleted text, ruby readings, field
# codes, text boxes (read separately) and the VML copy of a drawing.
_SKIP = {f"{W}del", f"{W}rt", f"{W}instrText", f"{W}delText", f"{W}txbxContent", f"{MC}Fallback"}


def check_package(data: bytes, kind: str) -> None:
    """Raise InputError unless data is an Office zip that is safe to parse, checked without inflating
    anything: a zip (not a password-protected or pre-2007 OLE file), that would not inflate past
    MAX_INFLATED (zip bomb), with its main part, and whose XML parts declare no DOCTYPE (XXE)."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise input_error("office.encrypted", kind=kind)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise input_error("office.not_zip", kind=kind) from exc
    except NotImplementedError as exc:  # e.g. "zip file version 6.4": a zip feature Office does not use
        raise input_error("office.zip_format", kind=kind, reason=exc) from exc
    with archive:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        bomb = total > MAX_INFLATED or any(
            m.file_size > LARGE_MEMBER and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members
        )
        if bomb:
            raise input_error("office.zip_bomb", size=total // (1024 * 1024))
        main = MAIN_PART[kind]
        if main not in {m.filename for m in members}:
            raise input_error("office.no_main", kind=kind, part=main)
        for m in members:
            if m.filename.endswith((".xml", ".rels")) and _has_doctype(archive, m):
                raise input_error("office.doctype", kind=kind, part=m.filename)


def _has_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether the part declares a DOCTYPE anywhere: the whole part is read (in pieces; the bomb
    check above bounds its size), since comments or processing instructions may put the DOCTYPE
    after any fixed head. NUL bytes are dropped first, so UTF-16 and UTF-32 parts are seen too."""
    tail = b""
    try:
        with archive.open(member) as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                text = tail + chunk.replace(b"\x00", b"").lower()
                if b"<!doctype" in text:
                    return True
                tail = text[-8:]  # a declaration split between two pieces
    except Exception:  # a broken member is reported when the part is parsed
        return False
    return False


def read(path: Path, sha256: str, data: bytes, settings: ReadSettings | None = None) -> tuple[list[Block], int | None]:
    """Blocks of a .docx: a line per body paragraph, a row block per table row."""
    check_package(data, "docx")
    try:
        import docx
        from lxml import etree

        try:
            document = docx.Document(io.BytesIO(data))
        except KeyError as exc:
            raise input_error("docx.missing_part", part=exc) from exc
        except ValueError as exc:  # python-docx: "… is not a Word file, content type is …"
            raise input_error("docx.not_word") from exc
        except etree.XMLSyntaxError as exc:
            raise input_error("docx.broken_xml") from exc
        reader = _BodyReader(path, sha256, Numbering(_part(document, "numbering"), _part(document, "styles")))
        reader.body(document.element.body)
    except (InputError, MemoryError):  # MemoryError: the batch reports the file as too large
        raise
    except Exception as exc:  # python-docx/lxml raise many types on damaged files
        raise input_error("docx.corrupt") from exc
    return reader.blocks, None


def _part(document: Any, kind: str) -> Any:
    """The root element of the document's related part of kind (numbering, styles), or None: looked up
    by relationship, so that python-docx does not make a default part of its own."""
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype.endswith("/" + kind):
            element = getattr(rel.target_part, "element", None)
            return element if element is not None and hasattr(element, "iter") else None
    return None


def _children(el: Any, tag: str) -> Iterator[Any]:
    """Children of el with tag, looking through content controls and custom-XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _block_children(el: Any) -> Iterator[Any]:
    """Paragraphs and tables in el (a body or cell), in order, through wrappers."""
    for child in el:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _block_children(child)


def _text(el: Any) -> str:
    """Text of a paragraph (or run container): tabs as \\t, line breaks as \\n."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag in (f"{W}tab", f"{W}ptab"):
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                if child.get(f"{W}type") in (None, "textWrapping"):
                    parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{W}sym":
                parts.append(_symbol(child.get(f"{W}char") or ""))
            else:
                walk(child)

    walk(el)
    return "".join(parts)


def _symbol(code: str) -> str:
    """The character of an inserted symbol (w:sym), unless it is a private-use code of a symbol
    font (Wingdings F06C …), which has no meaning outside that font."""
    try:
        ch = chr(int(code, 16))
    except ValueError:
        return ""
    return "" if "\ue000" <= ch <= "\uf8ff" else ch


def _text_boxes(p: Any) -> list[Any]:
    """Text boxes anchored in paragraph p (the DrawingML copy only, not the VML fallback)."""
    out: list[Any] = []

    def walk(node: Any) -> None:
        for child in node:
            if not isinstance(child.tag, str) or child.tag == f"{MC}Fallback":
                continue
            if child.tag == f"{W}txbxContent":
                out.append(child)
            else:
                walk(child)

    walk(p)
    return out


_HEADING_STYLE = re.compile(r"^(?:heading|見出し)\s*(\d)$|^(\d)$", re.IGNORECASE)


def _heading_level(p: Any) -> int | None:
    """The outline level of a paragraph styled Heading N / 見出し N (Japanese Word names the style id
    "1", "2" …), else None."""
    ppr = p.find(f"{W}pPr")
    style = ppr.find(f"{W}pStyle") if ppr is not None else None
    m = _HEADING_STYLE.match((style.get(f"{W}val") or "").strip()) if style is not None else None
    return int(m.group(1) or m.group(2)) if m else None


def _grid_width(tbl: Any) -> int:
    grid = tbl.find(f"{W}tblGrid")
    return len(grid.findall(f"{W}gridCol")) if grid is not None else 0


def _int_prop(pr: Any, tag: str) -> int:
    el = pr.find(f"{W}{tag}") if pr is not None else None
    try:
        return int(el.get(f"{W}val")) if el is not None else 0
    except (TypeError, ValueError):
        return 0


class _BodyReader:
    """Walks a document body (and frame tables, text boxes) collecting blocks."""

    def __init__(self, path: Path, sha256: str, numbering: Numbering | None = None) -> None:
        self.src = Source(path=str(path), sha256=sha256)
        self.numbering = numbering or Numbering()
        self.blocks: list[Block] = []
        self.paragraph = 0
        self.table = 0

    def body(self, el: Any) -> None:
        for child in _block_children(el):
            if child.tag == f"{W}p":
                self.para(child)
            else:
                self.tbl(child)

    def para(self, p: Any) -> None:
        for box in _text_boxes(p):
            self.body(box)
        self.paragraph += 1
        text = _text(p)
        label = self.numbering.label(p)
        text = label + text if text.strip() else text
        if text.strip():
            src = Source(self.src.path, self.src.sha256, line=self.paragraph)
            self.blocks.append(Block(text=text, source=src, level=_heading_level(p)))

    def tbl(self, tbl: Any) -> None:
        rows = list(_children(tbl, f"{W}tr"))
        if _grid_width(tbl) <= 1 and all(len(list(_children(tr, f"{W}tc"))) <= 1 for tr in rows):
            # A one-column table is a frame around text (or around the real table): read its content.
            for tr in rows:
                for tc in _children(tr, f"{W}tc"):
                    self.body(tc)
            return
        self.table += 1
        above: dict[int, str] = {}  # text of the open vertical merge in each grid column
        for number, tr in enumerate(rows, start=1):
            cells: list[str | None] = []
            tr_pr = tr.find(f"{W}trPr")
            cells.extend([""] * _int_prop(tr_pr, "gridBefore"))
            for tc in _children(tr, f"{W}tc"):
                tc_pr = tc.find(f"{W}tcPr")
                span = max(_int_prop(tc_pr, "gridSpan"), 1)
                col = len(cells)
                v = tc_pr.find(f"{W}vMerge") if tc_pr is not None else None
                h = tc_pr.find(f"{W}hMerge") if tc_pr is not None else None
                if h is not None and h.get(f"{W}val") != "restart":
                    cells.append(None)  # legacy horizontal merge: spanned by the cell to the left
                    continue
                if v is not None and v.get(f"{W}val") != "restart":
                    text = above.get(col, "")  # vertical merge: the text of the cell above
                else:
                    text = self.cell_text(tc)
                    if v is not None:
                        above[col] = text
                    else:
                        above.pop(col, None)
                cells.append(text)
                cells.extend([None] * (span - 1))
            cells.extend([""] * _int_prop(tr_pr, "gridAfter"))
            if not any(cells):
                continue
            src = Source(self.src.path, self.src.sha256, table=self.table, row=number)
            self.blocks.append(Block(text="\t".join(c or "" for c in cells), source=src, cells=tuple(cells)))

    def cell_text(self, tc: Any) -> str:
        """A cell's paragraphs joined by \\n; a nested table as one line per row (cells by spaces)."""
        lines: list[str] = []
        for child in _block_children(tc):
            if child.tag == f"{W}p":
                lines.extend(b.text for b in self._boxes(child))
                text = _text(child)
                label = self.numbering.label(child)
                lines.append(label + text if text.strip() else text)
            else:
                for tr in _children(child, f"{W}tr"):
                    texts = [self.cell_text(c).replace("\n", " ").strip() for c in _children(tr, f"{W}tc")]
                    lines.append(" ".join(t for t in texts if t))
        return "\n".join(line for line in lines if line.strip())

    def _boxes(self, p: Any) -> list[Block]:
        sub = _BodyReader(Path(self.src.path), self.src.sha256, self.numbering)
        for box in _text_boxes(p):
            sub.body(box)
        return sub.blocks
