"""Reader for .docx plan documents (python-docx): body paragraphs and table rows in document order,
merged cells resolved from the XML, zip bombs and DOCTYPEs refused before parsing."""
from __future__ import annotations

import io
import itertools
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
from . import drawn
from .word_numbering import Numbering, symbol_char

MAX_INFLATED = 200 * 1024 * 1024  # a plan is a few MB; refuse archives that would inflate past this
MAX_RATIO = 100  # … or a large member compressed more than this (zeros compress ~1000:1)
LARGE_MEMBER = 10 * 1024 * 1024

MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WRAPPERS = (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag")
# Subtrees whose text is not part of the paragraph as read: deleted text, ruby readings, field
# codes, text boxes (read separately) and the VML copy of a drawing.
_SKIP = {f"{W}del", f"{W}moveFrom", f"{W}rt", f"{W}instrText", f"{W}delText", f"{W}txbxContent", f"{MC}Fallback"}
# Styles of a table of contents (Word names its built-in styles in English in the file: "toc 1")
_TOC_STYLE = re.compile(r"^(?:toc|目次)\s*\d$", re.IGNORECASE)
_OFF = ("0", "false", "off")


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
        styles = _part(document, "styles")
        reader = _BodyReader(path, sha256, Numbering(_part(document, "numbering"), styles), _Styles(styles))
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
    """Paragraphs and tables in el (a body or cell), in order, through wrappers; not a content control
    that shows its placeholder (ここをクリックして…) or holds the table of contents."""
    for child in el:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag in _WRAPPERS and not _unread_control(child):
            yield from _block_children(child)


def _unread_control(el: Any) -> bool:
    """A content control (w:sdt) showing its placeholder text, or Word's table of contents."""
    if el.tag != f"{W}sdt":
        return False
    pr = el.find(f"{W}sdtPr")
    if pr is None:
        return False
    if pr.find(f"{W}showingPlcHdr") is not None:
        return True
    gallery = pr.find(f"{W}docPartObj/{W}docPartGallery")
    return gallery is not None and (gallery.get(f"{W}val") or "") == "Table of Contents"


def _on(el: Any) -> bool:
    """A toggle property (w:vanish, w:b …) that is set."""
    return el is not None and (el.get(f"{W}val") or "1").lower() not in _OFF


class _Styles:
    """What the document's styles say of a paragraph or run: its outline level (w:outlineLvl, or
    built-in heading N), whether it is a table-of-contents line, whether its text is hidden; through
    basedOn."""

    def __init__(self, root: Any = None) -> None:
        self._based: dict[str, str] = {}
        self._level: dict[str, int | None] = {}
        self._toc: set[str] = set()
        self._hidden: set[str] = set()
        for st in root.iter(f"{W}style") if root is not None else ():
            sid = st.get(f"{W}styleId") or ""
            name_el = st.find(f"{W}name")
            name = (name_el.get(f"{W}val") or "").strip() if name_el is not None else ""
            based = st.find(f"{W}basedOn")
            if based is not None:
                self._based[sid] = based.get(f"{W}val") or ""
            lvl = st.find(f"{W}pPr/{W}outlineLvl")
            m = _HEADING_STYLE.match(name)
            if name.lower() in ("title", "subtitle"):
                self._level[sid] = None  # 表題 / 副題 (an outline level in the Japanese templates): no heading
            elif lvl is not None:
                self._level[sid] = _outline(lvl)
            elif m:
                self._level[sid] = int(m.group(1) or m.group(2))
            if _TOC_STYLE.match(name) or _TOC_STYLE.match(sid):
                self._toc.add(sid)
            if _on(st.find(f"{W}rPr/{W}vanish")):
                self._hidden.add(sid)

    def _chain(self, sid: str) -> Iterator[str]:
        for _ in range(16):
            if not sid:
                return
            yield sid
            sid = self._based.get(sid, "")

    def level(self, sid: str) -> int | None:
        return next((self._level[s] for s in self._chain(sid) if s in self._level), None)

    def known(self, sid: str) -> bool:
        return any(s in self._level for s in self._chain(sid))

    def toc(self, sid: str) -> bool:
        return any(s in self._toc for s in self._chain(sid))

    def hidden(self, sid: str) -> bool:
        return any(s in self._hidden for s in self._chain(sid))


def _outline(el: Any) -> int | None:
    """w:outlineLvl as a heading level (0 → 1); 9 and above: body text."""
    try:
        n = int(el.get(f"{W}val"))
    except (TypeError, ValueError):
        return None
    return n + 1 if 0 <= n < 9 else None


_NO_STYLES = _Styles()


def _text(el: Any, styles: _Styles = _NO_STYLES) -> str:
    """Text of a paragraph (or run container): tabs as \\t, line breaks as \\n; not hidden text
    (隠し文字, w:vanish) nor a content control's placeholder."""
    parts: list[str] = []

    def hidden(run: Any) -> bool:
        pr = run.find(f"{W}rPr")
        if pr is None:
            return False
        style = pr.find(f"{W}rStyle")
        return _on(pr.find(f"{W}vanish")) or (style is not None and styles.hidden(style.get(f"{W}val") or ""))

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if (tag == f"{W}r" and hidden(child)) or _unread_control(child):
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
                parts.append(_symbol(child.get(f"{W}char") or "", child.get(f"{W}font") or ""))
            else:
                walk(child)

    walk(el)
    return "".join(parts)


def _symbol(code: str, font: str = "") -> str:
    """The character of an inserted symbol (w:sym): a symbol font's bullet (Wingdings F06C ●), no
    other code of such a font (it has no meaning outside it)."""
    try:
        ch = chr(int(code, 16))
    except (ValueError, OverflowError):
        return ""
    return symbol_char(ch, font)


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


def _style_id(p: Any) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return (style.get(f"{W}val") or "").strip() if style is not None else ""


def _heading_level(p: Any, styles: _Styles = _NO_STYLES) -> int | None:
    """The outline level of a paragraph: its own w:outlineLvl (段落 → アウトライン レベル), else its
    style's (a style with an outline level, based on 見出し N, or Heading N / 見出し N by name or id:
    Japanese Word names the style id "1", "2" …), else None."""
    own = p.find(f"{W}pPr/{W}outlineLvl")
    if own is not None:
        return _outline(own)
    sid = _style_id(p)
    if styles.known(sid):
        return styles.level(sid)
    m = _HEADING_STYLE.match(sid)
    return int(m.group(1) or m.group(2)) if m else None


def _mark_deleted(p: Any) -> bool:
    """Whether the paragraph's mark is a tracked deletion (the paragraph goes when changes are accepted)."""
    return p.find(f"{W}pPr/{W}rPr/{W}del") is not None or p.find(f"{W}pPr/{W}rPr/{W}moveFrom") is not None


def _grid_width(tbl: Any) -> int:
    return len(_grid_columns(tbl))


_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_EMU_PER_TWIP = 635
# Where a drawn arrow's horizontal offset is measured from, for an arrow anchored in a table cell: the
# cell's text column (Word's layout in the cell), or the margin the table starts at.
_FROM_CELL = ("column", "character", "insideMargin")
_FROM_TABLE = ("margin", "leftMargin")


def _grid_columns(tbl: Any) -> list[int]:
    """The widths of a table's grid columns, in twips (0 where not given)."""
    grid = tbl.find(f"{W}tblGrid")
    out: list[int] = []
    for col in grid.findall(f"{W}gridCol") if grid is not None else ():
        try:
            out.append(int(col.get(f"{W}w") or 0))
        except ValueError:
            out.append(0)
    return out


def _cell_arrows(tc: Any, left: int) -> list[tuple[float, float, str]]:
    """The arrows drawn in a table cell (anchored in its paragraphs, not in a table inside it): their
    left and right ends from the table's left edge (EMU) and the text written in them. left: the cell's
    left edge from the table's (EMU)."""
    found: list[tuple[float, float, str]] = []
    for anchor in tc.iter(f"{_WP}anchor"):
        position, extent = anchor.find(f"{_WP}positionH"), anchor.find(f"{_WP}extent")
        offset = position.findtext(f"{_WP}posOffset") if position is not None else None
        drawn_shape = any(g.get("prst") in drawn.DRAWN_SHAPES for g in anchor.iter(f"{_A}prstGeom"))
        if not drawn_shape or extent is None or offset is None:
            continue
        origin = position.get("relativeFrom") if position is not None else ""
        if origin not in _FROM_CELL and origin not in _FROM_TABLE:
            continue
        try:
            x0 = int(offset.strip()) + (left if origin in _FROM_CELL else 0)
            width = int(extent.get("cx") or 0)
        except ValueError:
            continue
        text = "".join(t.text or "" for box in anchor.iter(f"{W}txbxContent") for t in box.iter(f"{W}t"))
        found.append((float(x0), float(x0 + width), re.sub(r"\s+", "", text)))
    return found


def _int_prop(pr: Any, tag: str) -> int:
    el = pr.find(f"{W}{tag}") if pr is not None else None
    try:
        return int(el.get(f"{W}val")) if el is not None else 0
    except (TypeError, ValueError):
        return 0


class _BodyReader:
    """Walks a document body (and frame tables, text boxes) collecting blocks."""

    def __init__(self, path: Path, sha256: str, numbering: Numbering | None = None,
                 styles: _Styles = _NO_STYLES) -> None:
        self.src = Source(path=str(path), sha256=sha256)
        self.numbering = numbering or Numbering()
        self.styles = styles
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
        if self.styles.toc(_style_id(p)):
            return  # a line of the table of contents (目次): the headings come again where they are
        read = self._numbered(p)
        if read is None:
            return
        label, text = read
        text = label + text if text.strip() else text
        if text.strip():
            src = Source(self.src.path, self.src.sha256, line=self.paragraph)
            self.blocks.append(Block(text=text, source=src, level=_heading_level(p, self.styles)))

    def tbl(self, tbl: Any) -> None:
        rows = list(_children(tbl, f"{W}tr"))
        if _grid_width(tbl) <= 1 and all(len(list(_children(tr, f"{W}tc"))) <= 1 for tr in rows):
            # A one-column table is a frame around text (or around the real table): read its content.
            for tr in rows:
                for tc in _children(tr, f"{W}tc"):
                    self.body(tc)
            return
        self.table += 1
        grid = [w * _EMU_PER_TWIP for w in _grid_columns(tbl)]
        edges = [0, *itertools.accumulate(grid)]  # each grid column's left edge (EMU), and the table's right
        read: list[tuple[int, list[str | None]]] = []
        arrows: list[tuple[int, tuple[float, float, str]]] = []  # (row, arrow) of the arrows drawn in cells
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
                # A vertical merge's lower cells are covered by its first (None, as a PDF of the document
                # and a workbook read them): the parser carries a merged 施策 or 担当課 down to the
                # measures beside it, and a row whose name is covered continues the item above.
                text = None if v is not None and v.get(f"{W}val") != "restart" else self.cell_text(tc)
                if col < len(edges) and all(grid):  # (a column of no width given: no edge to place it by)
                    arrows.extend((len(read), a) for a in _cell_arrows(tc, edges[col]))
                cells.append(text)
                cells.extend([None] * (span - 1))
            cells.extend([""] * _int_prop(tr_pr, "gridAfter"))
            read.append((number, cells))
        table = [cells for _, cells in read]
        for r, (x0, x1, text) in arrows:  # the year arrows drawn in the cells: the years' stages
            drawn.fill(table, r, [k for k in range(len(grid)) if drawn.covers(x0, x1, edges[k], edges[k + 1])], text)
        for number, cells in read:
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
                read = self._numbered(child)
                if read is None:
                    continue
                label, text = read
                # a cell of the number alone (an auto-numbered No. column) holds the number; a bullet in a
                # cell is how its lines are set out, no mark of the measure (● would read as who acts)
                if self.numbering.bullet:
                    label = ""
                lines.append(label + text if text.strip() else label.strip())
            else:
                for tr in _children(child, f"{W}tr"):
                    texts = [self.cell_text(c).replace("\n", " ").strip() for c in _children(tr, f"{W}tc")]
                    lines.append(" ".join(t for t in texts if t))
        return "\n".join(line for line in lines if line.strip())

    def _numbered(self, p: Any) -> tuple[str, str] | None:
        """(the label Word draws before paragraph p, its text), counting p in its list; None for a
        paragraph deleted with its mark (gone once the changes are accepted, and not numbered)."""
        text = _text(p, self.styles)
        if not text.strip() and _mark_deleted(p):
            return None
        return self.numbering.label(p), text

    def _boxes(self, p: Any) -> list[Block]:
        sub = _BodyReader(Path(self.src.path), self.src.sha256, self.numbering, self.styles)
        for box in _text_boxes(p):
            sub.body(box)
        return sub.blocks
