"""The draft outline (計画の構成案) → its policy pillars, example projects and section headings.

Nothing of a particular outline is built in: the pillars are the numbered headings "(N) …" of the
section that has most of them; a section before it that lists the same pillars as title/description
pairs gives their descriptions; bullets under a pillar are its topics, bullets after a 【…】 label
are example projects, and a section about モデル事業 gives the model projects. A city is read from
"(安城市)" after a project or "ex. 横浜市の…" inside a topic."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .files import display
from .ingest import read_blocks
from .model import Example, Outline, Pillar, Section
from .settings import ReadSettings
from .text.normalize import clean
from .text.similarity import dice
from .text.tokenize import place_names

_SECTION_RE = re.compile(r"^(?:第\s*)?(\d{1,2})\s*(?:[.．、]|章)\s*(\S.*)$")
_PILLAR_RE = re.compile(r"^[(（]\s*(\d{1,2})\s*[)）]\s*(\S.*)$")
_BULLET_RE = re.compile(r"^(?:[-*+•・●○◦▪]\s*)+")
_LABEL_RE = re.compile(r"^[【\[]([^】\]]+)[】\]]")
_CITY = r"[^\s()（）、,]{1,8}?[市町村区]"
_CITY_PAREN_RE = re.compile(rf"\s*[(（]\s*({_CITY})\s*[)）]\s*$")
_EX_RE = re.compile(r"\s*[(（]\s*(?:ex|e\.g|例)[.:：]?\s*([^()（）]+?)\s*[)）]", re.IGNORECASE)
_EX_CITY_RE = re.compile(rf"^({_CITY})の(.+)$")


@dataclass
class _Line:
    text: str
    bullet: bool


@dataclass
class _PillarDraft:
    number: int
    title: str
    topics: list[str] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


def _is_sentence(text: str) -> bool:
    return text.endswith(("。", "."))


def _is_aside(text: str) -> bool:
    """A parenthesised aside such as '(例えば・・・)'."""
    return bool(re.fullmatch(r"[(（][^()（）]*[)）]", text))


def split_city(text: str) -> tuple[str, str | None]:
    """'市民協働出前講座の実施(安城市)' → ('市民協働出前講座の実施', '安城市')."""
    m = _CITY_PAREN_RE.search(text)
    if m:
        return text[: m.start()].strip(), m.group(1)
    m = _EX_CITY_RE.match(text)
    if m and m.group(1) in place_names(m.group(1)):
        return m.group(2).strip(), m.group(1)
    return text, None


def _example(text: str) -> Example:
    body, city = split_city(text)
    return Example(text=body, city=city)


def _lines(path: Path, settings: ReadSettings) -> tuple[list[_Line], str]:
    blocks, _, sha256, _ = read_blocks(path, settings)
    cjk = path.suffix.lower() == ".pdf"
    out: list[_Line] = []
    for block in blocks:
        raw = " ".join(c for c in block.cells if c) if block.is_row else block.text
        for text in clean(raw, cjk_spaces=cjk).split("\n"):
            text = text.strip()
            m = _BULLET_RE.match(text)
            bullet = bool(m)
            if m:
                text = text[m.end():].strip()
            if text:
                out.append(_Line(text, bullet))
    return out, sha256


def _sections(lines: list[_Line]) -> list[tuple[int, str, list[_Line]]]:
    """Top-level numbered sections (1. …, 2. …) in order; text before the first is section 0."""
    sections: list[tuple[int, str, list[_Line]]] = [(0, "", [])]
    expected = 1
    for line in lines:
        m = _SECTION_RE.match(line.text)
        if m and not line.bullet and int(m.group(1)) == expected and not _is_sentence(line.text):
            sections.append((int(m.group(1)), m.group(2).strip(), []))
            expected += 1
            continue
        sections[-1][2].append(line)
    return sections


def _pillars_of(body: list[_Line]) -> list[_PillarDraft]:
    pillars: list[_PillarDraft] = []
    in_examples = False
    for line in body:
        m = _PILLAR_RE.match(line.text)
        if m and not _is_sentence(line.text):
            pillars.append(_PillarDraft(int(m.group(1)), m.group(2).strip()))
            in_examples = False
            continue
        if not pillars:
            continue
        p = pillars[-1]
        label = _LABEL_RE.match(line.text)
        if label:
            in_examples = True
            rest = line.text[label.end():].strip()
            if rest and not _is_aside(rest):
                p.details.append(rest)
            continue
        if line.bullet:
            text = line.text
            for ex in _EX_RE.finditer(text):
                p.examples.append(_example(ex.group(1)))
            text = _EX_RE.sub("", text).strip()
            if in_examples:
                p.examples.append(_example(text))
            elif text:
                p.topics.append(text)
            continue
        in_examples = False
        if _is_sentence(line.text):
            p.details.append(line.text)
        elif not _is_aside(line.text):
            p.topics.append(line.text)
    return pillars


def _title_pairs(body: list[_Line]) -> list[tuple[str, str]]:
    """(title, description) pairs: a non-sentence line followed by its sentences."""
    pairs: list[tuple[str, list[str]]] = []
    for line in body:
        if line.bullet or _is_aside(line.text):
            continue
        if _is_sentence(line.text):
            if pairs:
                pairs[-1][1].append(line.text)
            continue
        pairs.append((line.text, []))
    return [(t, "".join(d)) for t, d in pairs]


def _model_projects(body: list[_Line]) -> list[Example]:
    """Project names in a モデル事業 section: short lines that are not sentences or list labels."""
    projects: list[Example] = []
    for line in body:
        text = line.text
        if _is_sentence(text) or _is_aside(text) or text.endswith(("事例", "例", ":", "：")):
            continue
        if len(text) > 40:
            continue
        projects.append(_example(text))
    return projects


def parse_outline_lines(lines: list[_Line], path: str = "", sha256: str = "",
                        settings: ReadSettings | None = None) -> Outline:
    """Outline from cleaned lines (see module docstring)."""
    title_similarity = (settings or ReadSettings()).outline_title_similarity
    sections = _sections(lines)
    drafts_by_section = [(_pillars_of(body), i) for i, (_, _, body) in enumerate(sections)]
    best, best_index = max(drafts_by_section, key=lambda d: len(d[0]))
    drafts = best if len(best) >= 2 else []
    pairs: list[tuple[str, str]] = []
    for _, _, body in sections[: best_index if drafts else len(sections)]:
        found = _title_pairs(body)
        if sum(1 for _, d in found if d) >= 2:
            pairs = found
            break

    pillars: list[Pillar] = []
    if drafts:
        for k, d in enumerate(drafts):
            description = ""
            alt: tuple[str, ...] = ()
            scored = sorted(((dice(d.title, t), j) for j, (t, _) in enumerate(pairs)), reverse=True)
            if scored and scored[0][0] >= title_similarity:
                j = scored[0][1]
            elif len(pairs) == len(drafts):
                j = k
            else:
                j = -1
            if j >= 0:
                title1, description = pairs[j]
                alt = (title1,) if title1 != d.title else ()
            if not description and d.details:
                description = d.details[0]
            pillars.append(
                Pillar(
                    number=d.number,
                    title=d.title,
                    description=description,
                    topics=tuple(dict.fromkeys(d.topics)),
                    examples=tuple(d.examples),
                    alt_titles=alt,
                    details=tuple(d.details),
                )
            )
    else:
        pillars = [Pillar(number=n, title=t, description=desc) for n, (t, desc) in enumerate(pairs, start=1)]

    model: list[Example] = []
    for _, title, body in sections:
        if "モデル" in title:
            model = _model_projects(body)
            break
    secs = tuple(
        Section(
            number=n,
            title=t,
            headings=tuple(m.group(2).strip() for m in (_PILLAR_RE.match(x.text) for x in body) if m),
            text=tuple(x.text for x in body if not _PILLAR_RE.match(x.text)),
        )
        for n, t, body in sections
        if n > 0
    )
    head = [x.text for x in sections[0][2] if not x.bullet]
    title = next((t for t in head if "構成" in t or "計画" in t), head[0] if head else Path(path).stem)
    return Outline(path=path, title=title, pillars=tuple(pillars), model_projects=tuple(model), sections=secs,
                   sha256=sha256)


def read_outline(path: Path | str, settings: ReadSettings | None = None) -> Outline:
    """The Outline of a draft-outline document in any format ingest reads; raises InputError."""
    path = Path(path)
    settings = settings or ReadSettings()
    lines, sha256 = _lines(path, settings)
    outline = parse_outline_lines(lines, display(path), sha256, settings)  # a non-Unicode name, readable
    if not outline.pillars:
        from .messages import input_error

        raise input_error("outline.no_pillars")
    return outline
