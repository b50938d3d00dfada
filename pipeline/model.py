"""Plain, frozen records passed between the pipeline stages (no logic beyond (de)serialisation)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
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
    confidence: float | None = None  # OCR confidence (0..1) of a block read from a scanned page
    level: int | None = None  # heading level the document's own style gives a line (Word 見出し 1 → 1)

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
    ocr_confidence: float | None = None  # 0..1, for an item read from an OCR'd page
    flags: tuple[str, ...] = ()  # why a planner should check it: "ocr_low_confidence"
    path: tuple[str, ...] = ()  # the headings above the item, top first (policy = path[0])
    number: str = ""  # its own number as printed (1, (2), ③, No.4 …)
    schedule: dict[str, str] = field(default_factory=dict, hash=False)  # year label → mark or text
    status: str = ""  # progress / evaluation cells (実績, 評価 A/B/C, 次年度の方向 …) as "label：value; …"
    kpis: tuple[dict[str, str], ...] = field(default=(), hash=False)  # per indicator: 指標名, 現状値, 目標値 …
    marks: tuple[str, ...] = ()  # marks printed before the item (★ ○ …) that no legend gave a meaning

    def context_text(self) -> str:
        """Name, content, measure and policy in one string, for matching."""
        return "\n".join(t for t in (self.name, self.content, self.measure, self.policy) if t)

    def status_cells(self) -> list[tuple[str, str]]:
        """The (label, value) of each 'label：value' part of status, in order (parts with no label left out)."""
        out = []
        for part in (self.status or "").split("; "):
            label, sep, value = part.partition("：")
            if sep:
                out.append((label.strip(), value.strip()))
        return out


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
    plan_like: bool = True  # False: a budget book, statistics or a name list, not a plan of measures
    warnings: tuple[str, ...] = ()  # why there are no or few items, why it is not plan-like
    period: str | None = None  # the plan period as printed (令和6年度～令和10年度)
    ocr_pages: tuple[int, ...] = ()  # pages read by OCR (no usable text layer, or --ocr always)
    textless_pages: tuple[int, ...] = ()  # pages with no usable text that were not OCR'd (nothing read)
    notes: tuple[str, ...] = ()  # what the planner should know about how it was read
    # 新規候補 plandraft suggested in this plan's draft that the planner deleted (not suggested again)
    declined: tuple[str, ...] = ()


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


# measure: a labelled measure the trained model carries (weight: its similarity), the item's precedent
# (where "precedent: …", its support where no word of the outline or a rule is) or the nearest measure
# its vote came from.
EvidenceKind = Literal["outline", "rule", "model", "measure", "learned", "correction", "none"]


@dataclass(frozen=True)
class Evidence:
    """Why an item went to its pillar: what in the item counted (text), how much (weight, in the
    match's points) and where it was found (where). kind says which source: outline (a term the
    pillar's text shares; where = title, topic: …, example: …), rule (a coding rule; where = the
    rule), model (the trained model's telling words or n-grams; where = the labelled data), measure
    (a labelled measure nearly the same, or the nearest of the vote), learned (a word the labelled
    measures use mostly under this pillar; weight = that share), correction (a planner's correction of this or a similar item; where = that item) or none
    (nothing in the item supports any pillar: the pillar is a guess)."""

    kind: EvidenceKind
    text: str
    weight: float = 0.0
    where: str = ""

    @property
    def term(self) -> str:
        """The text (the name evidence had before it carried a kind)."""
        return self.text


@dataclass(frozen=True)
class Match:
    item_id: str
    text: str
    pillar: int
    score: float
    confidence: float  # 0..1
    # Every pillar with its score, best first: the outline's and rules' points as shares, mixed with the
    # trained model's probability (the points themselves are in the evidence's weights).
    ranking: tuple[tuple[int, float], ...]
    evidence: tuple[Evidence, ...] = ()
    corrected: bool = False  # set by a planner's correction
    needs_review: bool = False
    no_pillar: bool = False  # fits no pillar at all (a budget line, a works item): pillar is only a guess

    @property
    def no_evidence(self) -> bool:
        """Nothing in the item supports any pillar (evidence of kind none)."""
        return any(e.kind == "none" for e in self.evidence)

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
            ocr_confidence=i.get("ocr_confidence"),
            flags=tuple(i.get("flags", ())),
            path=tuple(i.get("path") or ()),
            number=i.get("number") or "",
            schedule=dict(i.get("schedule") or {}),
            status=i.get("status") or "",
            kpis=tuple(dict(k) for k in i.get("kpis") or ()),
            marks=tuple(i.get("marks") or ()),
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
        plan_like=bool(d.get("plan_like", True)),
        warnings=tuple(d.get("warnings") or ()),
        period=d.get("period"),
        ocr_pages=tuple(d.get("ocr_pages", ())),
        textless_pages=tuple(d.get("textless_pages", ())),
        notes=tuple(d.get("notes", ())),
        declined=tuple(d.get("declined", ())),
    )


__all__ = [
    "ACTOR_MARKS",
    "MARK_OF_ACTOR",
    "Actor",
    "Block",
    "Document",
    "Evidence",
    "EvidenceKind",
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
