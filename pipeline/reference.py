"""The built-in reference library: real measures of other municipalities, each citing its source.

pipeline/data/reference/measures.tsv holds them, one a row (its README says where they come from and
how to add a city); `load_reference` reads and checks it, `reference_items` turns the measures into
model Items marked 参考事例 for the comparison and the draft's 新規候補."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .messages import input_error
from .messages import text as msg_text
from .model import Document, FiscalYear, Item, Source
from .resources import DATA_DIR
from .text.encoding import decode, tsv_records

if TYPE_CHECKING:
    from .library import Library

DEFAULT_PATH = DATA_DIR / "reference" / "measures.tsv"
COLUMNS = ("id", "city", "prefecture", "measure", "department", "pillar", "acceptable", "reason", "heading",
           "source_title", "source_url", "source_year", "split")
REFERENCE = "参考事例"  # the mark on every reference measure, so nobody mistakes it for our own
FORMAT = "reference"  # Document.format of the documents reference_documents makes
MAX_PILLAR = 99


@dataclass(frozen=True)
class ReferenceMeasure:
    """One row of the reference file. pillar is the pillar of the shipped outline
    (inputs/outline_計画の構成案.txt) the measure belongs under (0: none), acceptable every pillar that
    would also be right; line is the row's line in the file."""

    id: str
    city: str
    prefecture: str
    measure: str  # the name as printed
    department: str  # the 担当課 where printed, else ""
    pillar: int
    acceptable: tuple[int, ...]
    reason: str  # why that pillar, in our own words
    heading: str  # the page's heading above the measure
    source_title: str
    source_url: str
    source_year: int | None  # the fiscal year (西暦) of the plan or page, where known
    split: str  # train | tune | test (by city)
    line: int = 0

    def source(self) -> str:
        """The source in one line: 'title (year) url'."""
        year = f" ({self.source_year}年度)" if self.source_year else ""
        return " ".join(x for x in (f"{self.source_title}{year}".strip(), self.source_url) if x)

    def cite(self) -> str:
        """The mark a planner sees beside the measure: '参考事例：秦野市（title (year) url）'."""
        return f"{REFERENCE}：{self.city}（{self.source()}）"


@dataclass(frozen=True)
class ReferenceItem:
    """A reference measure as the comparison takes another city's measure (the fields of
    compare.OtherItem), with its citation."""

    item: Item
    city: str
    fiscal_year: int | None
    pillar: int | None  # None: no pillar in the file (0), the matcher decides
    cite: str
    measure: ReferenceMeasure


def load_reference(path: Path | str = DEFAULT_PATH,
                   on_error: Callable[[InputError], None] | None = None) -> list[ReferenceMeasure]:
    """The measures of the reference file at path (tab-separated, the COLUMNS as header).

    A bad row (no city, no source, a pillar that is not a number, a repeated id…) raises InputError
    naming the file and the row; with on_error, each bad row is handed to it as one InputError and
    left out, and the other rows are returned. A file that cannot be read or lacks a column raises."""
    path = Path(path)
    try:
        text = decode(path.read_bytes())  # UTF-8, or as Excel saves it (CP932, UTF-16)
    except OSError as exc:
        raise input_error("reference.unreadable", reason=exc, path=str(path)) from exc
    except InputError as exc:
        raise input_error("reference.unreadable", reason=exc.reason, path=str(path)) from exc
    rows = tsv_records(text)  # as plandraft train reads the same file (and Excel writes it)
    if not rows:
        raise input_error("reference.empty", columns=" ".join(COLUMNS), path=str(path))
    header = [h.strip() for h in rows[0].cells]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise input_error("reference.no_column", missing=", ".join(missing), columns=" ".join(COLUMNS),
                          path=str(path))
    out: list[ReferenceMeasure] = []
    seen: dict[str, int] = {}
    for line, cells in ((r.line, r.cells) for r in rows[1:]):
        if not any(c.strip() for c in cells):
            continue
        try:
            measure = _measure(dict(zip(header, (c.strip() for c in cells), strict=False)), line, len(cells),
                               len(header))
            if measure.id in seen:
                raise input_error("reference.repeated_id", id=measure.id, line=seen[measure.id])
        except (InputError, ValueError) as exc:
            reason, hint = (exc.reason, exc.hint) if isinstance(exc, InputError) else (str(exc), "")
            error = InputError(msg_text("reference.line", line=line, reason=reason), hint, path=str(path))
            if on_error is None:
                raise error from None
            on_error(error)
            continue
        seen[measure.id] = line
        out.append(measure)
    return out


def _measure(row: dict[str, str], line: int, cells: int, columns: int) -> ReferenceMeasure:
    """One row as a ReferenceMeasure; InputError (no file named) if it is not one."""
    if cells != columns:
        raise input_error("reference.fields", cells=cells, columns=columns)
    if not row["id"]:
        raise input_error("reference.no_id")
    if not row["city"]:
        raise input_error("reference.no_city")
    if not row["measure"]:
        raise input_error("reference.no_measure")
    if not row["source_url"] and not row["source_title"]:
        raise input_error("reference.no_source", id=row["id"])
    pillar = _number(row["pillar"], "pillar")
    if pillar is None or not 0 <= pillar <= MAX_PILLAR:
        raise input_error("reference.bad_pillar", value=repr(row["pillar"]))
    acceptable = tuple(n for n in (_number(x, "acceptable") for x in row["acceptable"].split(",")) if n is not None)
    year = _number(row["source_year"], "source_year")
    if year is not None and not 1900 <= year <= 2200:
        raise input_error("reference.bad_year", year=year)
    return ReferenceMeasure(
        id=row["id"], city=row["city"], prefecture=row["prefecture"], measure=row["measure"],
        department=row["department"], pillar=pillar, acceptable=acceptable or ((pillar,) if pillar else ()),
        reason=row["reason"], heading=row["heading"], source_title=row["source_title"],
        source_url=row["source_url"], source_year=year, split=row["split"], line=line)


def _number(text: str, column: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise input_error("reference.not_number", column=column, value=repr(text)) from None


def reference_items(measures: Sequence[ReferenceMeasure], path: Path | str = DEFAULT_PATH) -> list[ReferenceItem]:
    """The measures as Items for the comparison: name as printed, department, tags (参考事例,), the
    source URL as Source.path (the reference file and its line where a measure has no URL)."""
    out = []
    for m in measures:
        source = Source(path=m.source_url) if m.source_url else Source(path=str(path), line=m.line)
        item = Item(id=f"{REFERENCE}:{m.id}", policy="", measure=m.heading, name=m.measure, content="",
                    departments=(m.department,) if m.department else (), actor=None, tags=(REFERENCE,),
                    source=source)
        out.append(ReferenceItem(item=item, city=m.city, fiscal_year=m.source_year, pillar=m.pillar or None,
                                 cite=m.cite(), measure=m))
    return out


def reference_documents(measures: Sequence[ReferenceMeasure], path: Path | str = DEFAULT_PATH) -> list[Document]:
    """The measures as one Document per source (city, title, URL), format "reference", so the job
    matches, compares and suggests them like another city's plan while every item keeps its citation
    (Document.title is the cite line of its measures)."""
    import hashlib

    groups: dict[tuple[str, str, str], list[ReferenceItem]] = {}
    for r in reference_items(measures, path):
        groups.setdefault((r.city, r.measure.source_title, r.measure.source_url), []).append(r)
    docs = []
    for (city, _title, url), refs in groups.items():
        key = hashlib.sha256("\t".join((city, _title, url)).encode("utf-8")).hexdigest()
        year = refs[0].fiscal_year
        docs.append(Document(path=url or str(path), sha256=key, title=refs[0].cite, city=city,
                             fiscal_year=FiscalYear(f"{year}年度", year) if year else None,
                             items=tuple(r.item for r in refs), format=FORMAT))
    return docs


def reference_library(path: Path | str = DEFAULT_PATH) -> tuple[Library, dict[str, ReferenceItem]]:
    """The reference measures in an in-memory library (one document per source), for searching them
    as the library is searched, and each measure by item id (for its citation)."""
    from .library import Entry, Library
    from .model import Match

    refs = reference_items(load_reference(path), path)
    lib = Library(":memory:")
    by_source: dict[str, list[ReferenceItem]] = {}
    for r in refs:
        by_source.setdefault(r.item.source.path, []).append(r)
    with lib.atomic():
        for n, (source, group) in enumerate(by_source.items()):
            entries = [Entry(r.item, r.city, None, Match(r.item.id, r.item.name, r.pillar, 1.0, 1.0, ((r.pillar, 1.0),))
                             if r.pillar else None) for r in group]
            lib.add_entries(path=source, sha256=f"{n:064x}", entries=entries, kind="reference",
                            title=group[0].measure.source_title, city=group[0].city, fmt="tsv")
    return lib, {r.item.id: r for r in refs}
