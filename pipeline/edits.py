"""A planner's own wording of items (edits.tsv beside plandraft.toml: 名称 and 内容 edited on the page
before the draft is made), applied by the job's read stage to the items every command drafts from.
The file is the planner's: written atomically, every other line kept."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError
from .model import Document
from .output import write_atomic
from .text.encoding import decode
from .text.normalize import clean

EDITS_NAME = "edits.tsv"
EDIT_COLUMNS = ("file", "sha256", "item", "original", "name", "content")
EDITS_HEADER_COMMENT = ("# A planner's wording of items, edited on the page (plandraft serve): name (項目) and content "
                        "(内容) replace what was read from the file whose sha256 is given, for the item of that id "
                        "whose name is still original. Delete a line to go back to the file's wording.")


@dataclass(frozen=True)
class Edit:
    """The planner's name and content for one item of one file (its content hash and item id)."""

    sha256: str
    item: str  # Item.id
    original: str  # the name as read, so an edit never lands on another item of a changed file
    name: str
    content: str
    file: str = ""  # the file's name, for the planner reading the TSV

    @property
    def key(self) -> tuple[str, str]:
        return (self.sha256, self.item)


def _cell(text: str) -> str:
    """text as one TSV cell: no tabs or line breaks (the file is read without quoting)."""
    return re.sub(r"[\t\r\n]+", " ", text).strip()


def read_edits(path: Path) -> dict[tuple[str, str], Edit]:
    """The edits in path by (sha256, item id); {} when there is no file. Lines without the columns
    are skipped (a planner's comment or a half-written line never stops the page)."""
    if not path.is_file():
        return {}
    try:
        text = decode(path.read_bytes())  # a planner may have saved it from Excel (CP932, UTF-16)
    except InputError:
        return {}
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        return {}
    header = [h.strip().lower() for h in lines[0].split("\t")]
    if not {"sha256", "item", "name"} <= set(header):
        return {}
    out: dict[tuple[str, str], Edit] = {}
    for line in lines[1:]:
        cells = dict(zip(header, line.split("\t")))
        if not cells.get("sha256") or not cells.get("item"):
            continue
        edit = Edit(sha256=cells["sha256"].strip(), item=cells["item"].strip(), original=cells.get("original", ""),
                    name=cells.get("name", "").strip(), content=cells.get("content", "").strip(),
                    file=cells.get("file", ""))
        out[edit.key] = edit
    return out


def write_edits(path: Path, edits: Iterable[Edit]) -> Path:
    """All of edits as path (header, comment, one line each), written atomically."""
    rows = ["\t".join(EDIT_COLUMNS), EDITS_HEADER_COMMENT]
    rows += ["\t".join(_cell(v) for v in (e.file, e.sha256, e.item, e.original, e.name, e.content)) for e in edits]
    return write_atomic(path, "\n".join(rows) + "\n")


def apply_edits(doc: Document, edits: Mapping[tuple[str, str], Edit]) -> Document:
    """doc with the planner's name and content for the items edits name (same file content, same
    item id, name as read unchanged); doc itself when none applies."""
    changed = False
    items = []
    for item in doc.items:
        e = edits.get((doc.sha256, item.id))
        if e is not None and clean(e.original) == clean(item.name) and (e.name, e.content) != (item.name, item.content):
            item = replace(item, name=e.name or item.name, content=e.content)
            changed = True
        items.append(item)
    return replace(doc, items=tuple(items)) if changed else doc


__all__ = ["EDITS_NAME", "Edit", "apply_edits", "read_edits", "write_edits"]
