"""A planner's own wording of items (edits.tsv beside plandraft.toml: 名称 and 内容 edited on the page
before the draft is made), applied by the job's read stage to the items every command drafts from.
The file is the planner's: written atomically, every other line kept."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError
from .model import Document
from .output import write_atomic
from .text.encoding import encode, read_text, tsv_records, tsv_row
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


def read_edits(path: Path) -> dict[tuple[str, str], Edit]:
    """The edits in path by (sha256, item id); {} when there is no file. Lines without the columns
    are skipped (a planner's comment or a half-written line never stops the page). The file may have
    been saved from Excel (CP932, UTF-16, quoted cells); InputError (naming it) for one that cannot be
    read back whole, rather than losing the planner's edits when the page writes it again."""
    if not path.is_file():
        return {}
    try:
        text, _ = read_text(path, strict=True)
    except InputError as exc:
        raise exc.at(path) from None
    records = [r.cells for r in tsv_records(text) if not r.skipped]
    if not records:
        return {}
    header = [h.strip().lower() for h in records[0]]
    if not {"sha256", "item", "name"} <= set(header):
        return {}
    out: dict[tuple[str, str], Edit] = {}
    for row in records[1:]:
        cells = dict(zip(header, row))
        if not cells.get("sha256") or not cells.get("item"):
            continue
        edit = Edit(sha256=cells["sha256"].strip(), item=cells["item"].strip(), original=cells.get("original", ""),
                    name=cells.get("name", "").strip(), content=cells.get("content", "").strip(),
                    file=cells.get("file", ""))
        out[edit.key] = edit
    return out


def write_edits(path: Path, edits: Iterable[Edit]) -> Path:
    """All of edits as path (header, comment, one line each, a cell with a quote quoted as Excel
    does), written atomically in the file's encoding (a new file: UTF-8 with a BOM, for Excel)."""
    codec = read_text(path, strict=True)[1] if path.is_file() else "utf-8-sig"
    rows = ["\t".join(EDIT_COLUMNS), EDITS_HEADER_COMMENT]
    rows += [tsv_row([e.file, e.sha256, e.item, e.original, e.name, e.content]) for e in edits]
    return write_atomic(path, encode("\n".join(rows) + "\n", codec))


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
