"""Plain, frozen records passed between the pipeline stages (no logic beyond (de)serialisation)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Actor = Literal["citizens", "city", "both"]
ACTOR_MARKS: dict[str, Actor] = {"★": "citizens", "●": "city", "◎": "both"}
MARK_OF_ACTOR: dict[str, str] = {v: k for k, v in ACTOR_MARKS.items()}


@dataclass(frozen=True)
class Source:
    """Where an item or block came from: 1-based page (PDF), line (text; paragraph for .docx),
    table (document-wide table number) and row (physical row in that table, header row = 1)."""

    path: str
    sha256: str = ""
    page: int | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None

    def label(self, with_file: bool = True) -> str:
        """Human-readable location, e.g. 'plan.pdf p.3 表2 行4' ('p.3 表2 行4' without the file)."""
        from pathlib import Path

        parts = [Path(self.path).name] if with_file else []
        if self.page is not None:
            parts.append(f"p.{self.page}")
        if self.table is not None:
            parts.append(f"表{self.table}")
        if self.row is not None:
            parts.append(f"行{self.row}")
        if self.line is not None and self.table is None:
            parts.append(f"{self.line}行目")
        return " ".join(parts)


@dataclass(frozen=True)
class Block:
    """One unit a reader hands to the structure parser: a line of running text (cells empty) or one
    table row (cells filled, text = cells joined by tabs). Text is raw; structure normalizes it."""

    text: str
    source: Source
    cells: tuple[str | None, ...] = ()

    @property
    def is_row(self) -> bool:
        return bool(self.cells)


@dataclass(frozen=True)
class FiscalYear:
    label: str  # as written in the document, e.g. 平成21年度
    year: int  # Western year in which the fiscal year starts, e.g. 2009


@dataclass(frozen=True)
class Item:
    id: str
    policy: str  # e.g. "施策1 協働(共働)の意識を高める!!" ("" if the plan has no policies)
    measure: str  # the ■ heading without its mark and tags
    name: str  # 項目
    content: str  # 内容
    departments: tuple[str, ...]
    actor: Actor | None
    tags: tuple[str, ...]
    source: Source

    def context_text(self) -> str:
        """Name, content, measure and policy in one string, for matching."""
        return "\n".join(t for t in (self.name, self.content, self.measure, self.policy) if t)


@dataclass(frozen=True)
class Document:
    path: str
    sha256: str
    title: str
    city: str | None
    fiscal_year: FiscalYear | None
    items: tuple[Item, ...]
    format: str = ""  # pdf, docx, txt, md, xlsx
    pages: int | None = None


@dataclass(frozen=True)
class IngestError:
    path: str
    reason: str


@dataclass(frozen=True)
class Example:
    """An example project named in the outline, with the city it comes from (None if unnamed)."""

    text: str
    city: str | None = None


@dataclass(frozen=True)
class Pillar:
    number: int
    title: str
    description: str = ""
    topics: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    alt_titles: tuple[str, ...] = ()  # the same pillar worded differently elsewhere in the outline
    details: tuple[str, ...] = ()  # explanatory sentences under the pillar's topics


@dataclass(frozen=True)
class Section:
    """A top-level section of the outline (1. 目標 ... 5. スケジュール) and its sub-headings."""

    number: int
    title: str
    headings: tuple[str, ...] = ()
    text: tuple[str, ...] = ()  # other lines of running text in the section


@dataclass(frozen=True)
class Outline:
    path: str
    title: str
    pillars: tuple[Pillar, ...]
    model_projects: tuple[Example, ...] = ()
    sections: tuple[Section, ...] = ()
    sha256: str = ""  # of the outline file, so later stages need not read it again

    def pillar(self, number: int) -> Pillar:
        for p in self.pillars:
            if p.number == number:
                return p
        raise KeyError(number)


@dataclass(frozen=True)
class Evidence:
    term: str
    pillar_side: str  # where in the outline (or which rule/correction) it matched


@dataclass(frozen=True)
class Match:
    item_id: str
    text: str
    pillar: int
    score: float
    confidence: float  # 0..1
    ranking: tuple[tuple[int, float], ...]  # every pillar with its score, best first
    evidence: tuple[Evidence, ...] = ()
    corrected: bool = False  # set by a planner's correction
    needs_review: bool = False

    @property
    def runner_up(self) -> int | None:
        return self.ranking[1][0] if len(self.ranking) > 1 else None


def to_jsonable(obj: Any) -> Any:
    """Dataclass records (nested) as JSON-ready dicts and lists."""
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_jsonable(v) for k, v in asdict(obj).items()}
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    return obj


def document_from_dict(d: dict[str, Any]) -> Document:
    """Inverse of to_jsonable for a Document (used by the cache)."""
    fy = d.get("fiscal_year")
    items = tuple(
        Item(
            id=i["id"],
            policy=i["policy"],
            measure=i["measure"],
            name=i["name"],
            content=i["content"],
            departments=tuple(i["departments"]),
            actor=i["actor"],
            tags=tuple(i["tags"]),
            source=Source(**i["source"]),
        )
        for i in d["items"]
    )
    return Document(
        path=d["path"],
        sha256=d["sha256"],
        title=d["title"],
        city=d["city"],
        fiscal_year=FiscalYear(**fy) if fy else None,
        items=items,
        format=d.get("format", ""),
        pages=d.get("pages"),
    )


__all__ = [
    "ACTOR_MARKS",
    "MARK_OF_ACTOR",
    "Actor",
    "Block",
    "Document",
    "Evidence",
    "Example",
    "FiscalYear",
    "IngestError",
    "Item",
    "Match",
    "Outline",
    "Pillar",
    "Section",
    "Source",
    "document_from_dict",
    "to_jsonable",
]
