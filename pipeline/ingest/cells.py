"""pdfplumber's table finder (TableFinder: ruling lines → intersections → cells → tables) with the same
results, but without its quadratic steps: pdfplumber compares every vertical rule with every
horizontal one, every intersection with every later one, and every cell with every other on each pass.
A page of a budget book (thousands of ruled cells) took half a second there; the same answers come
from sorted lists, bisection and sets here. The edges, the settings and the Table objects are
pdfplumber's own."""
from __future__ import annotations

import bisect
from collections import defaultdict
from operator import itemgetter
from typing import Any

from pdfplumber.table import Table, TableFinder, TableSettings
from pdfplumber.utils.text import LIGATURES

_Point = tuple[float, float]
_Box = tuple[float, float, float, float]
_bbox = itemgetter("x0", "top", "x1", "bottom")  # pdfplumber's obj_to_bbox
_SLACK = 1e-6  # the bisection windows are widened by this much; the exact tests are pdfplumber's


def find_tables(page: Any, settings: dict[str, Any] | None = None) -> list[Table]:
    """page.find_tables(settings), computed faster."""
    return _Finder(page, TableSettings.resolve(settings)).tables


class _Finder(TableFinder):
    def __init__(self, page: Any, settings: TableSettings) -> None:  # noqa: D107 - TableFinder's, steps replaced
        self.page = page
        self.settings = settings
        self.edges = self.get_edges()
        self.intersections = intersections(self.edges, settings.intersection_x_tolerance,
                                           settings.intersection_y_tolerance)
        self.cells = cells(self.intersections)
        self.tables = [Table(self.page, group) for group in tables(self.cells)]


def intersections(edges: list[dict[str, Any]], x_tolerance: float = 1, y_tolerance: float = 1) -> dict[_Point, dict[str, list[dict[str, Any]]]]:
    """pdfplumber's edges_to_intersections: the points where a vertical and a horizontal edge meet
    (within the tolerances), each with the edges meeting there, in the same order. Only the
    horizontal edges in the height of each vertical one are tested."""
    v_edges = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in h_edges]
    out: dict[_Point, dict[str, list[dict[str, Any]]]] = {}
    for v in v_edges:
        x, top, bottom = v["x0"], v["top"], v["bottom"]
        lo = bisect.bisect_left(tops, top - y_tolerance - _SLACK)
        hi = bisect.bisect_right(tops, bottom + y_tolerance + _SLACK)
        for h in h_edges[lo:hi]:
            if (top <= h["top"] + y_tolerance and bottom >= h["top"] - y_tolerance
                    and x >= h["x0"] - x_tolerance and x <= h["x1"] + x_tolerance):
                vertex = (x, h["top"])
                if vertex not in out:
                    out[vertex] = {"v": [], "h": []}
                out[vertex]["v"].append(v)
                out[vertex]["h"].append(h)
    return out


def cells(found: dict[_Point, dict[str, list[dict[str, Any]]]]) -> list[_Box]:
    """pdfplumber's intersections_to_cells: for each intersection (in sorted order), the smallest
    cell it is the top-left corner of. The points below and to the right of a point are looked up by
    its column and its row instead of scanning every later point, and each point's edges are a set
    made once."""
    points = sorted(found)
    v_sets = {p: {_bbox(e) for e in found[p]["v"]} for p in points}
    h_sets = {p: {_bbox(e) for e in found[p]["h"]} for p in points}
    columns: dict[float, list[_Point]] = defaultdict(list)  # the points of each x, by y
    rows: dict[float, list[_Point]] = defaultdict(list)  # the points of each y, by x
    for p in points:
        columns[p[0]].append(p)
        rows[p[1]].append(p)
    column_index = {p: i for column in columns.values() for i, p in enumerate(column)}
    row_index = {p: i for row in rows.values() for i, p in enumerate(row)}

    def connects(p1: _Point, p2: _Point) -> bool:
        if p1[0] == p2[0] and not v_sets[p1].isdisjoint(v_sets[p2]):
            return True
        return p1[1] == p2[1] and not h_sets[p1].isdisjoint(h_sets[p2])

    out: list[_Box] = []
    for pt in points:
        below = columns[pt[0]][column_index[pt] + 1 :]
        right = rows[pt[1]][row_index[pt] + 1 :]
        cell = _smallest(pt, below, right, found, connects)
        if cell is not None:
            out.append(cell)
    return out


def _smallest(pt: _Point, below: list[_Point], right: list[_Point], found: dict[_Point, Any], connects: Any) -> _Box | None:
    right_ok: list[_Point] | None = None  # the points to the right joined to pt, found once
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        if right_ok is None:
            right_ok = [r for r in right if connects(pt, r)]
            if not right_ok:
                return None  # no rule to the right: no cell starts here, whatever is below
        for right_pt in right_ok:
            corner = (right_pt[0], below_pt[1])
            if corner in found and connects(corner, right_pt) and connects(corner, below_pt):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def tables(found: list[_Box]) -> list[list[_Box]]:
    """pdfplumber's cells_to_tables: cells grouped into tables by shared corners, tables ordered by
    their top-left cell, single cells dropped. pdfplumber grows each group by passes over all the
    remaining cells until a pass adds none, which makes each group the connected set of its first
    cell; here the groups are joined through their corners at once. Within a table the cells are in
    the order they were found (pdfplumber's Table sorts them where order matters: rows, columns)."""
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_at: dict[_Point, int] = {}  # each corner → the first cell that has it
    for i, (x0, top, x1, bottom) in enumerate(found):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = first_at.setdefault(corner, i)
            if j != i:
                a, b = root(i), root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[_Box]] = {}
    for i, cell in enumerate(found):
        groups.setdefault(root(i), []).append(cell)
    ordered = sorted(groups.values(), key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in ordered if len(t) > 1]


_FAST_TEXT = frozenset(("x_tolerance_ratio", "y_tolerance"))  # the settings cell_text knows


def cell_text(chars: list[dict[str, Any]], **settings: Any) -> str:
    """pdfplumber.utils.extract_text(chars, **settings) of a table cell: its words (split at spaces
    and gaps wider than x_tolerance_ratio × the font size) on lines (tops within y_tolerance), words
    joined by a space and lines by a line break. The same steps as pdfplumber's, without its
    generator layers and its word extractor built anew for each cell; other settings, and
    characters that are not upright, are left to pdfplumber."""
    if not chars:
        return ""
    if not _FAST_TEXT.issuperset(settings) or not all(c["upright"] for c in chars):
        from pdfplumber.utils import extract_text

        return extract_text(chars, **settings)
    ratio = settings.get("x_tolerance_ratio")
    y_tolerance = settings.get("y_tolerance", 3)
    words: list[tuple[str, float]] = []  # each word's text and top, as pdfplumber forms them
    for line in _clusters(chars, y_tolerance):
        line.sort(key=_x0)
        current: list[dict[str, Any]] = []
        for c in line:
            text = c["text"]
            if text.isspace() or text == "":  # a space ends the word; an empty text is a word of its own
                _word(current, words)
                _word([c] if text == "" else [], words)
                current = []
                continue
            if current:
                last = current[-1]
                x_tolerance = 3 if ratio is None else ratio * last["size"]
                if c["x0"] < last["x0"] or c["x0"] > last["x1"] + x_tolerance or abs(c["top"] - last["top"]) > y_tolerance:
                    _word(current, words)
                    current = []
            current.append(c)
        _word(current, words)
    lines = _clusters(words, y_tolerance, key=1)
    return "\n".join(" ".join(w[0] for w in line) for line in lines)


_x0 = itemgetter("x0")


def _word(chars: list[dict[str, Any]], words: list[tuple[str, float]]) -> None:
    if chars:
        words.append(("".join(LIGATURES.get(c["text"], c["text"] or "") for c in chars), min(c["top"] for c in chars)))


def _clusters(objs: list[Any], tolerance: float, key: Any = "top") -> list[list[Any]]:
    """pdfplumber's cluster_objects(objs, key, tolerance): the distinct values chained into clusters
    (each within tolerance of the one before), objects grouped by cluster in value order, each
    group in the objects' own order."""
    values = sorted({o[key] for o in objs})
    ids: dict[Any, int] = {}
    n = 0
    last = None
    for v in values:
        if last is not None and not (tolerance and v <= last + tolerance):
            n += 1
        ids[v] = n
        last = v
    groups: list[list[Any]] = [[] for _ in range(n + 1)]
    for o in objs:
        groups[ids[o[key]]].append(o)
    return groups
