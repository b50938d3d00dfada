"""Reader for .pdf plan documents (pdfplumber): ruled tables row by row, the text around them as lines,
page headers, footers and page numbers dropped."""
from __future__ import annotations

import bisect
import io
import itertools
import re
import statistics
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..messages import input_error
from ..model import ACTOR_MARKS, Block, Source
from ..settings import PdfSettings, ReadSettings
from ..text.normalize import join_wrapped, nfkc
from . import drawn
from .drawn import covers
from .structure import POLICY_RE, TAG_RE, header_roles
from .structure.tables import RESULT_ROWS, compact

# A line that starts one of these is never the continuation of the line above it.
_STARTS_PARAGRAPH = re.compile(
    r"^(?:[■◆□◇●◎★☆○・※\-–―‐\u2460-\u24ff\u2776-\u2793]|(?:基本)?施策\s*\d|第\s*\d|[(（]?\d{1,2}[)）.．])"
)
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—―‐－ー]\s*\d{1,4}\s*[-–—―‐－ー]|\d{1,4}(?:\s*/\s*\d{1,4})?|[-–—―‐－ー]?\s*[pP]\.?\s*\d{1,4}"
    r"|\d{1,4}\s*ページ|[(（]\s*\d{1,4}\s*[)）])$"
)


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    band: bool  # in the header/footer band of its page
    order: float = -1.0  # reading-order key where it is not top (the right column of a two-column page)
    # the line's parts a tab's width apart, each with the x where it starts (a row of a table drawn
    # without borders: 取組名 | 取組内容 | 担当課 as text aligned in columns); () where it has no such gap
    parts: tuple[tuple[float, str, tuple[tuple[float, float, str], ...]], ...] = ()  # (x0, text, characters)


@dataclass
class _Table:
    page: int
    top: float
    columns: tuple[float, ...]  # left edge of each column
    rows: list[tuple[str | None, ...]]  # cells of each row; None where a merged cell covers it
    # arrows drawn over columns no header on this page names (the table's header is on the page before):
    # (row, the columns covered, the row of its item), for the pages' assembler to place
    unplaced: tuple[tuple[int, tuple[int, ...], int], ...] = ()
    right: float = 0.0  # where the text of a table drawn without borders ends (0: a ruled table)


@dataclass
class _Page:
    number: int
    entries: list[_Line | _Table]


def read(path: Path, sha256: str, data: bytes, settings: ReadSettings | None = None) -> tuple[list[Block], int | None]:
    """Blocks of a PDF: each table row and each line of text around the tables, in reading order."""
    if b"%PDF-" not in data[:1024]:
        raise input_error("pdf.not_pdf")
    if b"%%EOF" not in data[-4096:]:
        raise input_error("pdf.truncated")
    try:
        pdf_settings = (settings or ReadSettings()).pdf
        pages, count, chars = _read_pages(data, pdf_settings)
    except (InputError, MemoryError):  # MemoryError: the batch reports the file as too large
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on bad input
        raise _input_error(exc) from exc
    if count == 0:
        raise input_error("pdf.no_pages")
    if chars == 0:
        raise input_error("pdf.no_text")
    return _blocks(pages, count, path, sha256, pdf_settings), count


def _input_error(exc: BaseException) -> InputError:
    """The planner-readable error for an exception pdfminer/pdfplumber raised; a MemoryError
    wrapped in it (pdfplumber wraps pdfminer's errors) is raised again, for the batch to report."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if _cause(exc, (MemoryError,)) is not None:
        raise MemoryError from exc
    if _cause(exc, (PDFPasswordIncorrect, PDFEncryptionError)) is not None:
        return input_error("pdf.encrypted")
    return input_error("pdf.corrupt")


def _cause(exc: BaseException, types: tuple[type[BaseException], ...]) -> BaseException | None:
    """The first exception of types in exc, its arguments, causes and contexts."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if e in seen:
            continue
        seen.append(e)
        if isinstance(e, types):
            return e
        todo.extend(a for a in e.args if isinstance(a, BaseException))
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)
    return None


# -- pages --------------------------------------------------------------------------------------


class PageSource:
    """The pages of a PDF, each as a pdfplumber page whose characters, lines and rectangles were read
    by PDFium (pdfium.py) or, where PDFium cannot be trusted with it or settings.pdf_engine says so, by
    pdfplumber (pdfminer); the engine of each page is kept in engines."""

    def __init__(self, data: bytes, settings: PdfSettings) -> None:
        self.data = data
        self.mode = settings.pdf_engine
        self.engines: dict[int, str] = {}
        self.reasons: dict[int, str] = {}  # why a page was read by pdfplumber in auto mode
        self._plumber: Any = None
        self._pdfium: Any = None
        if self.mode != "pdfplumber":
            from . import pdfium

            try:
                self._pdfium = pdfium.Document(data)
            except Exception:  # noqa: BLE001 - a file PDFium cannot open: pdfplumber says why
                self._pdfium = None
        self.count = self._pdfium.count if self._pdfium is not None else len(self._plumber_pages())

    def _plumber_pages(self) -> Any:
        if self._plumber is None:
            import pdfplumber

            self._plumber = pdfplumber.open(io.BytesIO(self.data))
        return self._plumber.pages

    def __iter__(self) -> Any:
        """(number, page) of every page in order; the caller closes each page."""
        return self.pages(1, self.count)

    def pages(self, first: int, last: int) -> Any:
        """(number, page) of the pages first to last (from 1, both included) in order; the caller
        closes each page."""
        from . import pdfium

        for number in range(first, last + 1):
            page = None
            if self._pdfium is not None:
                try:
                    page = self._pdfium.page(number, check=self.mode != "pdfium")
                except pdfium.Unusable as why:
                    self.reasons[number] = str(why)
            self.engines[number] = "pdfium" if page is not None else "pdfplumber"
            yield number, page if page is not None else self._plumber_pages()[number - 1]

    def note(self) -> str | None:
        """Which pages pdfplumber read where PDFium could not be trusted with them, for the planner."""
        if not self.reasons:
            return None
        numbers = sorted(self.reasons)
        shown = ", ".join(str(n) for n in numbers[:10]) + (" …" if len(numbers) > 10 else "")
        why = "; ".join(sorted(set(self.reasons.values())))
        return f"pages {shown} were read with pdfplumber, not PDFium ({why})"

    def close(self) -> None:
        if self._pdfium is not None:
            self._pdfium.close()
        if self._plumber is not None:
            self._plumber.close()

    def __enter__(self) -> PageSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_pages(data: bytes, settings: PdfSettings) -> tuple[list[_Page], int, int]:
    """Lines and tables of each page (pages are closed as soon as read), the page count and the
    number of characters seen."""
    pages: list[_Page] = []
    chars = 0
    with PageSource(data, settings) as source:
        count = source.count
        for number, page in source:
            try:
                entries, n = _read_page(page, number, settings)
            finally:
                page.close()
            chars += n
            pages.append(_Page(number, entries))
    return pages, count, chars


def _dedupe(chars: list[dict[str, Any]], tolerance: float) -> set[int]:
    """ids of characters drawn again on top of an earlier one (same glyph, font and size, within
    tolerance) that was kept: the second stroke of fake bold. Characters are grouped by glyph and
    swept top-down, so only near pairs are compared (unlike pdfplumber's dedupe_chars)."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, c in enumerate(chars):
        groups.setdefault((c["text"], c.get("fontname"), round(c.get("size", 0), 1)), []).append(i)
    earlier: dict[int, list[int]] = {}  # character → the earlier characters of its glyph on top of it
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: chars[i]["top"])
        for a, i in enumerate(members):
            top, x0 = chars[i]["top"], chars[i]["x0"]
            for j in members[a + 1 :]:
                if chars[j]["top"] - top > tolerance:
                    break
                if abs(chars[j]["x0"] - x0) <= tolerance:
                    earlier.setdefault(max(i, j), []).append(min(i, j))
    dropped: set[int] = set()
    for i in sorted(earlier):
        if any(j not in dropped for j in earlier[i]):
            dropped.add(i)
    return {id(chars[i]) for i in dropped}


# Arrows and bars drawn inside a table's cells over its year columns (a block arrow, a connector and
# its head, a bar): lower than a row of text, with an end on no vertical rule. They are no ruling lines
# (as such they split every cell they cross into rows and columns of their own) but the stages of the
# years they cover.
_MARK_MAX_HEIGHT = 20.0
_MARK_MIN_WIDTH = 12.0  # narrower: an arrowhead where it touches a longer mark, else no mark
_ON_RULE = 3.0  # an end this close to a vertical rule (pdfplumber's snap tolerance) is on it
_MAX_MARKS = 2000  # more such objects than this: a drawing or chart, not a table's arrows


def _drawn_marks(page: Any) -> list[dict[str, Any]]:
    """The page's arrows and bars drawn between a table's vertical rules, not on them."""
    verticals = sorted(((float(e["x0"]), float(e["top"]), float(e["bottom"])) for e in page.edges
                        if e.get("orientation") == "v" and e.get("object_type") != "curve_edge"
                        and e["bottom"] - e["top"] >= 6), key=lambda v: v[0])
    if len(verticals) < 2:
        return []
    xs = [v[0] for v in verticals]

    def rules(lo: float, hi: float, y: float) -> bool:
        return any(top - 2 <= y <= bottom + 2 for _, top, bottom in verticals[bisect.bisect_left(xs, lo):
                                                                              bisect.bisect_right(xs, hi)])

    marks: list[dict[str, Any]] = []
    for obj in itertools.chain(page.curves, page.lines, page.rects):
        x0, x1, top, bottom = float(obj["x0"]), float(obj["x1"]), float(obj["top"]), float(obj["bottom"])
        if bottom - top > _MARK_MAX_HEIGHT or x1 - x0 < 2:
            continue
        y = (top + bottom) / 2
        if rules(x0 - _ON_RULE, x0 + _ON_RULE, y) and rules(x1 - _ON_RULE, x1 + _ON_RULE, y):
            continue  # a rule, a cell's shading
        if rules(float("-inf"), x0, y) and rules(x1, float("inf"), y):  # inside a table's frame
            marks.append(obj)
            if len(marks) > _MAX_MARKS:
                return []
    # A small piece (an arrowhead) only beside a long one: alone, small curves are glyphs drawn as
    # outlines (外字, a logo), not marks.
    long = [m for m in marks if m["x1"] - m["x0"] >= _MARK_MIN_WIDTH]
    return long + [m for m in marks if m["x1"] - m["x0"] < _MARK_MIN_WIDTH and any(
        m["x0"] <= o["x1"] + 3 and o["x0"] <= m["x1"] + 3 and m["top"] <= o["bottom"] + 3 and o["top"] <= m["bottom"] + 3
        for o in long)]


def _mark_spans(marks: list[dict[str, Any]], top: float, bottom: float) -> list[tuple[float, float]]:
    """The horizontal extents of the marks whose middle lies in a row (top..bottom), a connector and
    its head joined where they touch."""
    found = sorted((float(m["x0"]), float(m["x1"])) for m in marks if top <= (m["top"] + m["bottom"]) / 2 < bottom)
    spans: list[tuple[float, float]] = []
    for x0, x1 in found:
        if spans and x0 <= spans[-1][1] + 3:
            spans[-1] = (spans[-1][0], max(spans[-1][1], x1))
        else:
            spans.append((x0, x1))
    return spans


def _marked_stages(rows: list[list[str | None]], boxes: list[list[Any]],
                   spans: list[list[tuple[float, float]]]) -> list[tuple[int, tuple[int, ...], int]]:
    """The stages the drawn marks give the year cells they cover (drawn.fill, in place). A mark in a
    row whose first cell is merged down from above is the row's item's, as in a workbook. Returns the
    marks over columns no header above them names: (row, columns covered, item row)."""
    unplaced: list[tuple[int, tuple[int, ...], int]] = []
    for r, row_spans in enumerate(spans):
        for x0, x1 in row_spans:
            covered = [i for i, box in enumerate(boxes[r]) if box is not None and covers(x0, x1, box[0], box[2])]
            item = r
            while item > 0 and rows[item] and rows[item][0] is None:
                item -= 1
            if covered and not drawn.fill(rows, r, covered, item_row=item):
                unplaced.append((r, tuple(covered), item))
    return unplaced


def _table_rows(table: Any, chars: list[dict[str, Any]], mids: list[tuple[float, float]], order: list[int],
                v_sorted: list[float], text_settings: dict[str, Any], marks: list[dict[str, Any]] | None = None,
                unplaced: list[tuple[int, tuple[int, ...], int]] | None = None) -> list[tuple[str | None, ...]]:
    """The text of each cell of table, row by row: what pdfplumber's Table.extract returns (a
    character belongs to the cell holding its midpoint; characters kept in page order), but finding
    each row's characters by bisection instead of testing every character of the page per row. The
    arrows drawn over its year columns (marks) give the years they cover a stage; those over columns
    no header on the page names go to unplaced."""
    from .cells import cell_text

    rows: list[tuple[str | None, ...]] = []
    boxes: list[list[Any]] = []
    spans: list[list[tuple[float, float]]] = []
    for row in table.rows:
        if marks:
            boxes.append(list(row.cells))
            # (the row's own height: a cell merged down over the rows under it reaches lower)
            own = min((c[3] for c in row.cells if c is not None), default=row.bbox[3])
            spans.append(_mark_spans(marks, row.bbox[1], own))
        x0, top, x1, bottom = row.bbox
        lo, hi = bisect.bisect_left(v_sorted, top), bisect.bisect_left(v_sorted, bottom)
        in_row = sorted(i for i in order[lo:hi] if x0 <= mids[i][0] < x1)
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            found = [chars[i] for i in in_row if cx0 <= mids[i][0] < cx1 and ctop <= mids[i][1] < cbottom]
            cells.append(cell_text(found, **text_settings) if found else "")
        rows.append(tuple(cells))
    if marks and any(spans):
        filled = [list(r) for r in rows]
        left = _marked_stages(filled, boxes, spans)
        if unplaced is not None:
            unplaced.extend(left)
        rows = [tuple(r) for r in filled]
    return rows


def _closing_lines(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Horizontal rules missing where a table is cut by a page break: several vertical rules end
    (or start) at the same height with no horizontal rule there, so the cut row is not closed."""
    vertical = [e for e in edges if e.get("orientation") == "v" and e["bottom"] - e["top"] >= 3]
    horizontal = sorted((e for e in edges if e.get("orientation") == "h"), key=lambda e: e["top"])
    tops = [h["top"] for h in horizontal]
    out: list[dict[str, Any]] = []
    for end in ("top", "bottom"):
        groups: dict[int, list[dict[str, Any]]] = {}
        for e in vertical:
            groups.setdefault(round(e[end]), []).append(e)
        for y, group in sorted(groups.items()):
            if len(group) < 2:
                continue
            x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)
            near = horizontal[bisect.bisect_left(tops, y - 2.001) : bisect.bisect_right(tops, y + 2.001)]
            if any(abs(h["top"] - y) <= 2 and h["x0"] <= x0 + 2 and h["x1"] >= x1 - 2 for h in near):
                continue
            out.append({"object_type": "line", "x0": x0, "x1": x1, "top": float(y), "bottom": float(y),
                        "width": x1 - x0, "height": 0.0})
    return out


def _read_page(page: Any, number: int, settings: PdfSettings) -> tuple[list[_Line | _Table], int]:
    from .cells import find_tables  # pdfplumber's table code, loaded where pages are read

    raw_chars = page.chars
    if not raw_chars:
        return [], 0
    drop = _dedupe(raw_chars, settings.dedupe_tolerance)
    clean = page.filter(lambda o: id(o) not in drop) if drop else page
    height = float(page.height)
    band = max(settings.margin_ratio * height, settings.margin_min)
    entries: list[_Line | _Table] = []
    boxes: list[tuple[float, float, float, float]] = []
    table_settings = dict(settings.table_settings)
    marks = _drawn_marks(clean)
    if marks:  # (tables are found without them: not ruling lines)
        mark_ids = {id(m) for m in marks}
        ruled = clean.filter(lambda o: id(o) not in mark_ids)
    else:
        ruled = clean
    closing = _closing_lines(ruled.edges)
    if closing:
        table_settings["explicit_horizontal_lines"] = closing
    tables = find_tables(ruled, table_settings)
    if tables:
        chars = clean.chars
        mids = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars]
        order = sorted(range(len(chars)), key=lambda i: mids[i][1])
        v_sorted = [mids[i][1] for i in order]
    for table in tables:
        unplaced: list[tuple[int, tuple[int, ...], int]] = []
        rows = _table_rows(table, chars, mids, order, v_sorted, settings.text_settings(), marks, unplaced)
        if not rows or max(len(r) for r in rows) < 2:
            continue  # a framed paragraph, not a table: its text is read as lines below
        boxes.append(table.bbox)
        columns = tuple(round(c.bbox[0], 1) for c in table.columns)
        entries.append(_Table(number, float(table.bbox[1]), columns, rows, tuple(unplaced)))

    # The text around the tables: the characters whose midpoint is in no table's box (edges included),
    # found by bisection on the midpoints' heights, as for the rows.
    inside: set[int] = set()
    for x0, top, x1, bottom in boxes:
        lo, hi = bisect.bisect_left(v_sorted, top), bisect.bisect_right(v_sorted, bottom)
        inside.update(id(chars[i]) for i in order[lo:hi] if x0 <= mids[i][0] <= x1)
    text_page = clean.filter(lambda obj: id(obj) not in inside) if inside else clean
    raw_lines = [line for line in text_page.extract_text_lines(strip=True, return_chars=True,
                                                                **settings.text_settings()) if line["text"].strip()]
    for line in _in_columns(raw_lines, float(page.width)):
        sizes = [c.get("size", 0) for c in line["chars"]] or [10.0]
        entries.append(
            _Line(
                page=number,
                text=_tabbed_text(line),
                x0=float(line["x0"]),
                x1=float(line["x1"]),
                top=float(line["top"]),
                bottom=float(line["bottom"]),
                size=float(statistics.median(sizes)),
                band=line["top"] < band or line["bottom"] > height - band,
                order=line.get("order", -1.0),
                parts=_tab_parts(line),
            )
        )
    entries.sort(key=lambda e: e.order if isinstance(e, _Line) and e.order >= 0 else e.top)
    return _aligned_tables(entries, number), len(raw_chars) - len(drop)


def _tab_parts(line: dict[str, Any]) -> tuple[tuple[float, str, tuple[tuple[float, float, str], ...]], ...]:
    """The parts of a line split where its characters stand a tab's width apart (_TAB_GAP), each with
    its left x and its characters (x0, x1, text); () where there is no such gap."""
    chars = [c for c in line["chars"] if not c["text"].isspace()]
    groups: list[list[dict[str, Any]]] = []
    for a, b in zip([None, *chars], chars):
        if a is None or b["x0"] - a["x1"] >= _TAB_GAP * a.get("size", 10.0):
            groups.append([])
        groups[-1].append(b)
    if len(groups) < 2:
        return ()
    return tuple((float(g[0]["x0"]), _joined(g), tuple((float(c["x0"]), float(c["x1"]), c["text"]) for c in g))
                 for g in groups)


# How far (in points) a cell's text may start left of its column's header and still be in that column
_COLUMN_SLACK = 6.0
# A number in a narrow column printed close to the next column's text (No. | 取組名: 1協働事業提案制度)
_CELL_NUMBER = re.compile(r"^(?:\d{1,3}(?:[-‐－.．]\d{1,3}){0,3}|[(（]\d{1,2}[)）]|[①-⑳])$")


def _split_number(x: float, text: str, chars: tuple[tuple[float, float, str], ...],
                  starts: list[float]) -> list[tuple[float, str]]:
    """A part as the columns it stands in: one, or a number and the text beside it where the next
    column starts between them (1協働事業提案制度 under No. | 取組名)."""
    s = next((s for s in starts if x < s - _COLUMN_SLACK), None)  # where the next column starts
    cut = next((k for k, (x0, _, _) in enumerate(chars) if x0 >= s - _COLUMN_SLACK), None) if s is not None else None
    if s is not None and cut:
        head = "".join(t for _, _, t in chars[:cut])
        if chars[cut - 1][1] <= s + 1.0 and _CELL_NUMBER.match(head):
            return [(x, head), (chars[cut][0], "".join(t for _, _, t in chars[cut:]))]
    return [(x, text)]


def _aligned_tables(entries: list[_Line | _Table], number: int) -> list[_Line | _Table]:
    """A page's entries with each table drawn without borders made a table: a line of column words
    (header_roles: 取組名 | 取組内容 | 担当課 | 区分) a tab's width apart, and the lines under it whose
    parts stand in its columns, one row each; a line of one part inside a column (a cell's wrapped
    text) joins the row above. The table ends at a line in no column (a heading at the margin), a
    gap of three lines, or the page's header or footer band. Excel sheets printed without cell borders
    (LibreOffice prints no gridlines) are read like this; a drawn table is found from its lines."""
    out: list[_Line | _Table] = []
    i = 0
    while i < len(entries):
        e = entries[i]
        i += 1
        if not (isinstance(e, _Line) and len(e.parts) >= 2 and not e.band
                and header_roles([t for _, t, _ in e.parts]) is not None):
            out.append(e)
            continue
        starts = [x for x, _, _ in e.parts]
        rows: list[list[str | None]] = [[t for _, t, _ in e.parts]]
        last, start = e, i
        while i < len(entries):
            n = entries[i]
            if not isinstance(n, _Line) or n.band or n.top - last.bottom > 3 * max(n.size, 1.0):
                break
            cells: list[str | None] = [""] * len(starts)
            placed = True
            parts = [p for x, t, chars in n.parts for p in _split_number(x, t, chars, starts)] or [(n.x0, n.text)]
            for x, text in parts:
                k = max((j for j, s in enumerate(starts) if s - _COLUMN_SLACK <= x), default=None)
                if k is None or cells[k]:
                    placed = False
                    break
                cells[k] = text
            filled = [k for k, c in enumerate(cells) if c]
            if not placed or (len(filled) == 1 and (filled[0] == 0 or len(rows) == 1)):
                break  # (a line at the margin under the table: a heading or a note)
            if len(filled) == 1:
                k = filled[0]
                prior = rows[-1][k]
                rows[-1][k] = join_wrapped(f"{prior}\n{cells[k]}") if prior else cells[k]
            else:
                rows.append(cells)
            last = n
            i += 1
        if len(rows) < 2 or _resumes(entries[i:i + 3], starts):
            # (no row, or rows parted by lines at the margin: a list aligned by tab stops, ① 名前<tab>担当課
            # with its sentence under each, read as lines)
            out.append(e)
            i = start
            continue
        group = _spanning_header(out[-1] if out else None, e, starts)
        if group is not None:
            # the header's own labels under no group (プロジェクト名, 評価) as the sheet merges them down
            # over both rows: in the upper row, covered (None) in the lower
            out.pop()
            lower = rows[0]
            for j, cell in enumerate(group):
                if cell == "" and lower[j]:
                    group[j], lower[j] = lower[j], None
            rows.insert(0, group)
        columns = tuple(round(x, 1) for x in starts)
        right = max(n.x1 for n in entries[start - 1:i] if isinstance(n, _Line))
        out.append(_Table(number, e.top, columns, [tuple(r) for r in rows], right=right))
    return out


def _resumes(after: list[_Line | _Table], starts: list[float]) -> bool:
    """Whether lines just after where a table drawn without borders stopped stand in its columns again
    (as many parts as half its columns or more, two at least, each at a column's start): the table was a
    list aligned by tab stops. (A legend under a wide table, A | 計画以上に進んだ, does not resume it.)"""
    for n in after[1:]:
        if not isinstance(n, _Line):
            return False
        if len(n.parts) >= max(2, (len(starts) + 1) // 2) and all(
                any(abs(x - s) <= _COLUMN_SLACK for s in starts) for x, _, _ in n.parts):
            return True
    return False


def _spanning_header(prev: _Line | _Table | None, header: _Line, starts: list[float]) -> list[str | None] | None:
    """The upper row of a two-row header (令和5年度 | 令和6年度 over 計画 | 実績 | 計画 | 実績; 年次計画 over
    R6 … R10): the line just above the header whose every part starts where a column other than the
    first does. Each of its cells spans the columns up to the next one's, the last as many as the one
    before it (or to the end), as the merged cell of the sheet does: None where it covers."""
    if not isinstance(prev, _Line) or prev.band or header.top - prev.bottom > 2 * max(header.size, 1.0):
        return None
    at: list[tuple[int, str]] = []
    for x, text in [(x, t) for x, t, _ in prev.parts] or [(prev.x0, prev.text)]:
        k = next((j for j, s in enumerate(starts) if abs(s - x) <= _COLUMN_SLACK), None)
        if not k or (at and k <= at[-1][0]):
            return None
        at.append((k, text))
    cells: list[str | None] = [""] * len(starts)
    for n, (k, text) in enumerate(at):
        end = at[n + 1][0] if n + 1 < len(at) else min(len(starts), k + (k - at[n - 1][0]) if n else len(starts))
        cells[k] = text
        for j in range(k + 1, end):
            cells[j] = None
    return cells


def _gutter(lines: list[dict[str, Any]], width: float) -> float | None:
    """x of the gap between the two columns of a two-column page (a 広報 page): the least-covered
    place in the middle of the page, crossed by few lines, with several lines on each side of it."""
    if len(lines) < 6 or width <= 0:
        return None
    if sum(1 for line in lines if line["x0"] >= 0.4 * width) < 2:
        return None  # nothing starts in the right half: one column (checked before any character)
    step = 2.0
    lo, hi = int(0.3 * width / step), int(0.7 * width / step)
    cover = [0] * (hi - lo + 1)
    for line in lines:
        # The line's runs of text: gaps narrower than two characters (letter spacing, a space) are text.
        runs: list[list[float]] = []
        for c in line["chars"]:
            if runs and c["x0"] - runs[-1][1] < 2 * c.get("size", 10.0):
                runs[-1][1] = max(runs[-1][1], c["x1"])
            else:
                runs.append([c["x0"], c["x1"]])
        seen: set[int] = set()
        for x0, x1 in runs:
            seen.update(range(max(lo, int(x0 / step)), min(hi, int(x1 / step)) + 1))
        for b in seen:
            cover[b - lo] += 1
    best = min(range(len(cover)), key=lambda i: (cover[i], abs(i - len(cover) // 2)))
    if cover[best] > 0.15 * len(lines):
        return None
    gutter = (best + lo + 0.5) * step
    left = sum(1 for line in lines if line["x1"] <= gutter)
    right = sum(1 for line in lines if line["x0"] >= gutter)
    split = sum(1 for line in lines if line["x0"] < gutter < line["x1"] and _gap_at(line["chars"], gutter))
    return gutter if left + split >= 3 and right + split >= 3 else None


def _gap_at(chars: list[dict[str, Any]], x: float) -> bool:
    """Whether x falls in a gap of at least two characters between two characters of a line."""
    return any(a["x1"] <= x <= b["x0"] and b["x0"] - a["x1"] >= 2 * a.get("size", 10.0) for a, b in zip(chars, chars[1:]))


# A gap in a line this many characters wide or wider is a tab (a space is a third of one; Japanese text
# justified to the margin spreads its characters by far less).
_TAB_GAP = 1.5


# A gap of this many characters or more between two characters is a full-width space typed there
_WIDE_GAP = 0.8


def _tabbed_text(line: dict[str, Any]) -> str:
    """A line's text with a tab where its characters stand 1.5 characters or more apart (a name and its
    担当課 aligned by a tab stop in Word: 市民活動フェスタの開催　→　市民協働課), which the spacing repair of
    Japanese text would otherwise close up; the line's text as pdfplumber gives it where there is none."""
    chars = [c for c in line["chars"] if not c["text"].isspace()]
    gaps = [(b["x0"] - a["x1"], a.get("size", 10.0)) for a, b in zip(chars, chars[1:])]  # (gap, size)
    if not any(gap >= _TAB_GAP * size for gap, size in gaps):
        wide = [k for k, (gap, size) in enumerate(gaps, start=1) if gap >= _WIDE_GAP * size]
        if wide and all(b - a >= 2 for a, b in zip([0, *wide], [*wide, len(chars)])):
            # a space a character wide between words (第4章　具体的な取組): full-width, kept between Japanese
            # (not a word spaced out letter by letter to fill its width: 予　算　説　明　書)
            return _joined(chars)
        return str(line["text"])
    return _joined(chars, tabs=True)


def _joined(chars: list[dict[str, Any]], tabs: bool = False) -> str:
    """The characters' text, a space where they stand apart (a third of a character), with tabs a tab
    where they stand _TAB_GAP characters apart or more."""
    parts: list[str] = []
    for a, b in zip([None, *chars], chars):
        if b["text"].isspace():
            # a space the document has: full-width where it is a character wide (第4章　具体的な取組)
            wide = b["x1"] - b["x0"] >= _WIDE_GAP * b.get("size", 10.0)
            parts.append("\u3000" if wide else " ")
            continue
        if a is not None and not a["text"].isspace():
            gap = b["x0"] - a["x1"]
            size = (a if tabs else b).get("size", 10.0)
            if tabs and gap >= _TAB_GAP * a.get("size", 10.0):
                parts.append("\t")
            elif gap >= _WIDE_GAP * size:
                parts.append("\u3000")  # a space of a character's width (第4章　具体的な取組), kept between Japanese
            elif gap > 0.3 * size:
                parts.append(" ")
        parts.append(b["text"])
    return "".join(parts).strip()


def _chars_line(chars: list[dict[str, Any]]) -> dict[str, Any]:
    return {"text": _joined(chars), "chars": chars, "x0": chars[0]["x0"], "x1": chars[-1]["x1"],
            "top": min(c["top"] for c in chars), "bottom": max(c["bottom"] for c in chars)}


def _in_columns(lines: list[dict[str, Any]], width: float) -> list[dict[str, Any]]:
    """Lines in reading order: on a page with two columns of text, each run of lines that do not cross
    the gutter is read left column first, then right column (a line spanning both is split). Costs one
    pass over the characters of the lines; a one-column page is returned as it is."""
    gutter = _gutter(lines, width)
    if gutter is None:
        return lines
    out: list[dict[str, Any]] = []
    run: list[tuple[str, dict[str, Any]]] = []

    def close() -> None:
        if not run:
            return
        if any(side == "right" for side, _ in run) and any(side == "left" for side, _ in run):
            top = min(x["top"] for _, x in run)
            bottom = max(x["bottom"] for _, x in run)
            for side, x in run:
                if side == "right":
                    x["order"] = bottom + (x["top"] - top) * 1e-3
        out.extend(x for _, x in run)
        run.clear()

    for line in lines:
        chars = line["chars"]
        if line["x0"] < gutter < line["x1"] and not _gap_at(chars, gutter):
            close()
            out.append(line)  # crosses the gutter: a masthead or a heading across the page
            continue
        left = [c for c in chars if c["x1"] <= gutter]
        right = [c for c in chars if c["x0"] >= gutter]
        if left:
            run.append(("left", _chars_line(left) if right else line))
        if right:
            run.append(("right", _chars_line(right) if left else line))
    close()
    return out


# -- document -----------------------------------------------------------------------------------


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _furniture(pages: list[_Page], count: int, settings: PdfSettings) -> set[int]:
    """ids of the lines that are page furniture: bare page numbers in the header/footer bands, and
    band lines that repeat on enough pages, as written or with their numbers masked (so "p.3" and
    "p.4" repeat). A 施策N or ■ heading opening several pages is not masked into a repeat."""
    band = [e for page in pages for e in page.entries if isinstance(e, _Line) and e.band]
    exact: dict[str, set[int]] = {}
    masked: dict[str, set[int]] = {}
    for e in band:
        exact.setdefault(re.sub(r"\s+", "", e.text), set()).add(e.page)
        if not _is_heading(e.text):
            masked.setdefault(_mask(e.text), set()).add(e.page)
    needed = max(2.0, settings.repeat_share * count)

    def repeats(e: _Line) -> bool:
        if count < settings.repeat_min_pages:
            return False
        if len(exact[re.sub(r"\s+", "", e.text)]) >= needed:
            return True
        return not _is_heading(e.text) and len(masked[_mask(e.text)]) >= needed

    return {id(e) for e in band if _PAGE_NUMBER.match(e.text.strip()) or repeats(e)}


def _is_heading(text: str) -> bool:
    text = nfkc(text).strip()
    return text.startswith(("■", "◆")) or bool(POLICY_RE.match(text))


_HANGING = tuple("、。，．,.」』）)】〉》")


def _right_margin(body: list[list[_Line | _Table]]) -> float:
    """Where full lines of running text end: the rightmost line end, not counting punctuation hung
    into the margin (burasagari)."""
    ends = [e.x1 for entries in body for e in entries
            if isinstance(e, _Line) and not e.band and not e.text.rstrip().endswith(_HANGING)]
    ends += [e.right for entries in body for e in entries if isinstance(e, _Table)]  # (a sheet printed without borders)
    return max(ends, default=0.0)


def _continues(prev: _Line, line: _Line, right: float) -> bool:
    """Whether line is the wrapped continuation of prev (same paragraph, the line above full)."""
    if line.page != prev.page or abs(line.size - prev.size) > 0.5:
        return False
    if prev.x1 < right - 1.5 * prev.size:  # prev ends short of the right margin: paragraph ended
        return False
    if line.top - prev.bottom > 0.9 * prev.size or line.top < prev.bottom - 1:
        return False
    centred = abs((line.x0 + line.x1) - (prev.x0 + prev.x1)) < prev.size  # a centred title's lines
    if line.x0 > prev.x0 + 0.5 * prev.size and not centred:
        return False
    if TAG_RE.fullmatch(nfkc(line.text.strip())):
        return True  # a heading's 〈新規〉 wrapped onto a line of its own
    if prev.text.rstrip().endswith(("。", "：", ":")):
        return False
    return not _STARTS_PARAGRAPH.match(line.text.strip())


_MARKS = tuple(ACTOR_MARKS)


def _is_remainder(prev: tuple[str | None, ...], cells: tuple[str | None, ...]) -> bool:
    """Whether cells, the first data row on a page, are the rest of prev, a row split by the page
    break: prev has an actor mark (own cell or before the name) and cells have none where it was."""
    if len(prev) != len(cells) or any((c or "").strip().startswith(_MARKS) for c in cells):
        return False
    return any((p or "").strip().startswith(_MARKS) for p in prev)


def _is_split_row(header: list[tuple[str | None, ...]], prev: tuple[str | None, ...],
                  cells: tuple[str | None, ...]) -> bool:
    """Whether cells, the first data row on a page, are the rest of prev, a row split by the page
    break (Word and LibreOffice let a row break across pages unless told not to, so a long 内容 runs
    on): the name column of the table's header is empty in cells and filled in prev, and cells have
    text only in columns where prev has. (A row of the next measure has its name; one under a 施策
    merged down has its name too; a heading's row is one cell merged across.)"""
    filled = [k for k, c in enumerate(cells) if c and c.strip()]
    if len(prev) != len(cells) or not filled:
        return False
    if len(filled) == 1 and filled[0] + 1 < len(cells) and all(c is None for c in cells[filled[0] + 1:]):
        return False  # one cell merged across the row: a ■ heading's row
    if any(compact(c) in RESULT_ROWS for c in cells):
        return False  # the 実績 row under a measure's 計画 row (区分 計画 / 実績), a row of its own
    names = {k for row in header if len(row) == len(cells)
             for k, role in enumerate(header_roles([c or "" for c in row]) or ()) if role == "name"}
    if not names or any((cells[k] or "").strip() or not (prev[k] or "").strip() for k in names):
        return False
    return all((p or "").strip() for c, p in zip(cells, prev) if c and c.strip())


def _is_heading_row(cells: tuple[str | None, ...]) -> bool:
    """A table's header row (項目 | 内容 | …) or a one-cell ■ heading row: what a page repeats."""
    return header_roles([c or "" for c in cells]) is not None or sum(1 for c in cells if c) == 1


def _join_cells(a: str | None, b: str | None) -> str | None:
    """The two parts of a cell split by a page break, as one cell of wrapped lines (None, a cell
    covered by a merged cell above, stays None unless the second part has text)."""
    if a and b:
        return f"{a}\n{b}"
    return a or b or (None if a is None else "")


class _Assembler:
    """Turns the pages' lines and tables into blocks: wrapped lines joined into one block per
    paragraph (line = its number on the page), table rows numbered document-wide; a table continued
    on the next page keeps its number, and a row split by the page break is put back together."""

    def __init__(self, src: Source, right: float) -> None:
        self.src = src
        self.right = right
        self.blocks: list[Block] = []
        self.table = 0
        self.row = 0
        self.first_rows: list[tuple[str | None, ...]] = []  # opening rows of the current table
        self.prev_table: _Table | None = None  # the table the previous page ended with
        self.last_row: int | None = None  # index in blocks of the current table's last row

    def page(self, entries: list[_Line | _Table]) -> None:
        # Header/footer lines not dropped as furniture (too few pages to see them repeat) do not
        # stop a table from continuing over the page break.
        body = [e for e in entries if not (isinstance(e, _Line) and e.band)]
        prev_line: _Line | None = None
        line_no = 0
        for e in entries:
            if isinstance(e, _Line):
                if prev_line is not None and _continues(prev_line, e, self.right):
                    last = self.blocks[-1]
                    self.blocks[-1] = Block(text=join_wrapped(last.text + "\n" + e.text), source=last.source)
                else:
                    line_no += 1
                    src = replace(self.src, page=e.page, line=line_no)
                    self.blocks.append(Block(text=e.text, source=src))
                prev_line = e
                continue
            prev_line = None
            self.table_rows(e, continued=e is body[0] and self.continues(e))
        self.prev_table = body[-1] if body and isinstance(body[-1], _Table) else None

    def continues(self, table: _Table) -> bool:
        """Whether table, first on its page, continues the one the page before ended with: same
        columns, and it opens with the repeated header or with a data row (not a new header or ■ row)."""
        prev = self.prev_table
        if prev is None or len(table.columns) != len(prev.columns):
            return False
        if any(abs(a - b) > 3 for a, b in zip(table.columns, prev.columns)):
            return False
        first = table.rows[0]
        if first in self.first_rows:
            return True
        if header_roles([c or "" for c in first]) is not None:
            return False
        last = self.blocks[self.last_row].cells if self.last_row is not None else ()
        return sum(1 for c in first if c) > 1 or _is_split_row(self.first_rows, last, first)

    def table_rows(self, table: _Table, continued: bool) -> None:
        rows = table.rows
        if continued and table.unplaced and self.first_rows:
            # arrows on a page whose table has no header of its own: placed under the header it continues
            k = len(self.first_rows)
            grid = [list(r) for r in (*self.first_rows, *rows)]
            for r, covered, item in table.unplaced:
                drawn.fill(grid, r + k, covered, item_row=item + k)
            rows = [tuple(r) for r in grid[k:]]
        remainder = None  # index of the row that is the rest of a row split by the page break
        if not continued:
            self.table += 1
            self.row = 0
            self.first_rows = list(itertools.takewhile(_is_heading_row, rows))
            self.last_row = None
        else:
            first_data = next((i for i, r in enumerate(rows) if r not in self.first_rows), None)
            last = self.blocks[self.last_row] if self.last_row is not None else None
            if first_data is not None and last is not None and (
                    _is_remainder(last.cells, rows[first_data])
                    or _is_split_row(self.first_rows, last.cells, rows[first_data])):
                remainder = first_data
        for i, cells in enumerate(rows):
            self.row += 1
            if i == remainder and self.last_row is not None:
                prev = self.blocks[self.last_row]
                joined = tuple(_join_cells(a, b) for a, b in zip(prev.cells, cells))
                self.blocks[self.last_row] = Block(text=_row_text(joined), source=prev.source, cells=joined)
                continue
            src = replace(self.src, page=table.page, table=self.table, row=self.row)
            self.blocks.append(Block(text=_row_text(cells), source=src, cells=cells))
            if cells not in self.first_rows:
                self.last_row = len(self.blocks) - 1


def _row_text(cells: tuple[str | None, ...]) -> str:
    return "\t".join(c or "" for c in cells)


def _blocks(pages: list[_Page], count: int, path: Path, sha256: str, settings: PdfSettings) -> list[Block]:
    furniture = _furniture(pages, count, settings)
    body = [[e for e in p.entries if id(e) not in furniture] for p in pages]
    assembler = _Assembler(Source(path=str(path), sha256=sha256), _right_margin(body))
    for entries in body:
        assembler.page(entries)
    return assembler.blocks
