"""Stages drawn over a table's year columns: the arrows (右矢印, a connector with an arrowhead, a bar) a
年次計画 or 進行管理シート draws across the years a measure runs, in a workbook (xlsx_shapes.py), a Word
table or their PDF export. Each reader finds its arrows' rows and the cells they cover; what they
give those cells is decided here, alike for every format."""
from __future__ import annotations

import re
from collections.abc import Sequence

from .structure.tables import YEAR_LABEL

# Preset shapes (DrawingML, in workbooks and Word alike) that point along a row (ブロック矢印), and the
# straight lines and connectors that are arrows where they end in an arrowhead, a period bar where not.
ARROW_SHAPES = frozenset({"rightArrow", "leftArrow", "leftRightArrow", "notchedRightArrow", "stripedRightArrow",
                          "homePlate", "chevron", "rightArrowCallout", "leftRightArrowCallout"})
LINE_SHAPES = frozenset({"line", "straightConnector1"})
DRAWN_SHAPES = ARROW_SHAPES | LINE_SHAPES  # what the readers take for a drawn stage
COVERED = 0.3  # the share of a cell's width an arrow must cover for that year to be in it
MAX_STAGE = 20  # longer text in or beside an arrow is a note, not a stage


def covers(x0: float, x1: float, left: float, right: float) -> bool:
    """Whether an arrow from x0 to x1 covers enough of the cell from left to right."""
    return right > left and (min(x1, right) - max(x0, left)) / (right - left) >= COVERED


def year_column(rows_above: Sequence[Sequence[str | None]], i: int) -> bool:
    """Whether column i is headed by a fiscal year or term in the rows above (its own cell, or the cell
    merged across it from the left)."""
    for cells in rows_above:
        j = i
        while 0 < j < len(cells) and cells[j] is None:
            j -= 1
        label = re.sub(r"\s+", "", cells[j] or "") if j < len(cells) else ""
        if label and len(label) <= 16 and YEAR_LABEL.match(label):
            return True
    return False


def fill(rows: list[list[str | None]], row: int, covered: Sequence[int], text: str = "", item_row: int | None = None) -> bool:
    """An arrow in rows[row] over the columns covered: the empty year cells among them (in the item's
    row, item_row, where the arrow lies in the lower row of an item merged down) take its stage: the
    text written in the arrow, else the first covered cell's text (実施 typed on it, 検討 where it
    starts), else →. Columns not headed by a year or term are left as they are; False where none of
    the covered ones is (the header may be on the page before)."""
    target = row if item_row is None else item_row
    columns = [i for i in covered if i < len(rows[target]) and year_column(rows[:target], i)]
    if not columns:
        return False
    texts = [text, *((rows[k][i] or "").strip() for k in dict.fromkeys((row, target)) for i in columns if i < len(rows[k]))]
    stage = next((t for t in texts if t and len(t) <= MAX_STAGE), "→")
    for i in columns:
        if rows[target][i] == "":
            rows[target][i] = stage
    return True


__all__ = ["ARROW_SHAPES", "COVERED", "DRAWN_SHAPES", "LINE_SHAPES", "covers", "fill", "year_column"]
