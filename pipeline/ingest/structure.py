"""Blocks (lines and table rows, from any reader) → a Document of structured items.

The rules are the same for every format, so a plan read from .txt, .docx, .pdf or .xlsx gives the
same items: policy headings (施策N), measure headings (■…), a table header that names its columns
(項目 / 内容 / 関係部署 …, in any order), data rows whose actor mark (★●◎) sits in its own column or
in front of the item name, and bracketed tags (〈新規〉《継続》(随時) …)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import ACTOR_MARKS, Actor, Block, Document, FiscalYear, Item, Source
from ..text.normalize import clean, join_wrapped, parse_fiscal_year
from ..text.tokenize import place_names

TAG_WORDS = ("新規", "継続", "随時", "再掲", "検討", "拡充", "充実", "廃止", "完了", "終了")
_TAG_ALT = "|".join(TAG_WORDS)
_OPEN = r"(?:<<|《|〈|<|\(|【|\[|≪|«)"
_CLOSE = r"(?:>>|》|〉|>|\)|】|\]|≫|»)"
TAG_RE = re.compile(rf"\s*{_OPEN}\s*((?:{_TAG_ALT})(?:\s*[・、,/]\s*(?:{_TAG_ALT}))*)\s*{_CLOSE}")

POLICY_RE = re.compile(r"^(?:基本)?施策\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[:：.．、)）]?\s*(.*)$")
MEASURE_MARKS = ("■", "◆")
MARKS = "".join(ACTOR_MARKS)
_LEGEND_RE = re.compile(rf"[{MARKS}][^{MARKS}]*主体")

# Column roles, from header words. Checked in order; the first that matches wins.
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("departments", ("関係部署", "担当部署", "担当課", "所管課", "担当部局", "関係課", "部署", "担当", "所管")),
    ("actor", ("主体", "実施主体")),
    ("policy", ("施策",)),
    ("measure", ("取組方針", "方針", "施策の方向")),
    ("tags", ("区分", "新規/継続", "状況")),
    ("content", ("内容", "概要", "取組内容", "説明")),
    ("name", ("項目", "事業名", "取組", "取り組み", "名称", "事業")),
)
TEXT_ROLES = ("name", "content", "departments", "policy", "measure")
_DEPT_SPLIT = re.compile(r"[\s、,，/／・]+")


def header_roles(cells: Sequence[str]) -> list[str | None] | None:
    """The role of each column if cells look like a table header (項目 and 内容 or 部署), else None."""
    roles: list[str | None] = []
    for cell in cells:
        word = re.sub(r"\s+", "", cell)  # also a header wrapped in its cell: アクションプランの内 / 容
        role = None
        if word and len(word) <= 16:
            for name, words in ROLE_WORDS:
                if any(w in word for w in words):
                    role = name
                    break
        roles.append(role)
    found = {r for r in roles if r}
    if ("name" in found and ({"content", "departments"} & found)) or {"content", "departments"} <= found:
        return roles
    return None


def extract_tags(text: str) -> tuple[str, list[str]]:
    """Text without its bracketed tags, and the tags (〈新規〉, 《継続》, (随時), <<新規>> …)."""
    tags: list[str] = []

    def take(m: re.Match[str]) -> str:
        tags.extend(t for t in re.split(r"\s*[・、,/]\s*", m.group(1)) if t)
        return ""

    return TAG_RE.sub(take, text).strip(), tags


def split_mark(text: str) -> tuple[Actor | None, str]:
    """An actor mark at the start of text (◎ 自治会 → both, '自治会')."""
    text = text.strip()
    if text and text[0] in ACTOR_MARKS:
        return ACTOR_MARKS[text[0]], text[1:].strip()
    return None, text


# How a department's name ends (…本部, …課, …センター, 職員); a PDF cell line that ends otherwise was
# wrapped inside a name.
_DEPT_END = re.compile(r"(?:[部課室局係所館署庁班会員]|センター|グループ|チーム|担当)$")


def split_departments(text: str, rejoin_wrapped: bool = False) -> list[str]:
    """関係部署 cell → list of departments (separated by spaces, line breaks or 、).

    With rejoin_wrapped (a PDF cell, whose lines may wrap inside a name: 地域再生推進本 / 部), a line
    that follows a line not ending like a department name, or that is a single character, is joined
    to the line above."""
    if rejoin_wrapped and "\n" in text:
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        joined = lines[:1]
        for line in lines[1:]:
            if len(line) == 1 or not _DEPT_END.search(joined[-1]):
                joined[-1] += line
            else:
                joined.append(line)
        text = "\n".join(joined)
    return [d for d in _DEPT_SPLIT.split(text) if d]


def _dedupe(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _is_legend(text: str) -> bool:
    return len(_LEGEND_RE.findall(text)) >= 2


@dataclass
class _State:
    policy: str = ""
    policy_pending: bool = False
    measure: str = ""
    measure_tags: list[str] = field(default_factory=list)
    roles: list[str | None] | None = None
    last_values: dict[str, str | None] = field(default_factory=dict)
    last_table: object = None


@dataclass
class _Draft:
    policy: str
    measure: str
    name: str
    content: str
    departments: list[str]
    actor: Actor | None
    tags: list[str]
    source: Source


class StructureParser:
    """Walks blocks in document order and collects items; one instance per document."""

    def __init__(self, cjk_spaces: bool = False) -> None:
        self.cjk_spaces = cjk_spaces
        self.state = _State()
        self.items: list[_Draft] = []
        self.lines: list[str] = []  # cleaned running text, for title/city/year

    def clean(self, text: str | None) -> str:
        return clean(text, cjk_spaces=self.cjk_spaces)

    # -- headings ---------------------------------------------------------------------------
    def _heading(self, text: str) -> bool:
        """Handle a policy or measure heading; True if text was one."""
        st = self.state
        m = POLICY_RE.match(text)
        if m:
            number = m.group(1)
            title = m.group(2).strip()
            st.policy = f"施策{number}" + (f" {title}" if title else "")
            st.policy_pending = not title
            st.measure, st.measure_tags = "", []
            return True
        if text.startswith(MEASURE_MARKS):
            heading, tags = extract_tags(text[1:].strip())
            st.measure, st.measure_tags = heading, tags
            st.policy_pending = False
            return True
        return False

    def line(self, block: Block) -> None:
        text = self.clean(block.text)
        if not text:
            return
        for part in text.split("\n"):
            self.lines.append(part)
            if self._heading(part) or _is_legend(part):
                continue
            if self.state.policy_pending:
                self.state.policy += f" {part}"
                self.state.policy_pending = False

    # -- rows -------------------------------------------------------------------------------
    def row(self, block: Block) -> None:
        st = self.state
        raw = list(block.cells)
        cells = [None if c is None else self.clean(c) for c in raw]
        filled = [c for c in cells if c]
        if not filled:
            return
        # A cell's wrapped lines are one heading (a PDF wraps a long ■ row inside its cell).
        joined = " ".join(join_wrapped(c) for c in filled)
        if len(filled) == 1 and (joined.startswith(MEASURE_MARKS) or POLICY_RE.match(joined)):
            self.lines.append(joined)
            self._heading(joined)
            return
        if len(filled) == 1 and _is_legend(joined):
            return
        roles = header_roles([c or "" for c in cells])
        if roles is not None:
            # A header repeated after a page break leaves a merged cell cut by the break open.
            if roles != st.roles:
                st.last_values = {}
            st.roles = roles
            return
        if st.roles is None:
            # No header seen: the usual order of a plan table.
            st.roles = ["name", "content", "departments"]
        table_key = (block.source.page is None, block.source.table)
        if table_key != st.last_table:
            st.last_table = table_key
        self._data_row(cells, block.source)

    def _align(self, cells: list[str | None]) -> dict[str, str | None]:
        """Map data cells to roles: positionally, or with mark-only cells and unnamed header columns
        left out, whichever puts more text under a text role."""
        roles = self.state.roles or []

        def is_mark(c: str | None) -> bool:
            return bool(c) and len(c.strip()) == 1 and c.strip() in ACTOR_MARKS  # type: ignore[union-attr]

        def score(pairs: Sequence[tuple[str | None, str | None]]) -> int:
            s = 0
            for role, cell in pairs:
                if role in TEXT_ROLES and cell and not is_mark(cell):
                    s += 1
                if role in TEXT_ROLES and is_mark(cell):
                    s -= 2
            return s

        positional = list(zip(roles, cells))
        compact_roles = [r for r in roles if r and r != "actor"]
        compact_cells = [c for c in cells if not is_mark(c)]
        while compact_cells and len(compact_cells) > len(compact_roles) and not compact_cells[-1]:
            compact_cells.pop()
        compact = list(zip(compact_roles, compact_cells))
        chosen = compact if score(compact) > score(positional) else positional
        out: dict[str, str | None] = {}
        for role, cell in chosen:
            if role and role not in out:
                out[role] = cell
        marks = [c.strip() for c in cells if is_mark(c)]  # type: ignore[union-attr]
        if marks and not out.get("actor"):
            out["actor"] = marks[0]
        return out

    def _data_row(self, cells: list[str | None], source: Source) -> None:
        st = self.state
        values = self._align(cells)
        # Merged cells (None from the PDF table finder) take the value of the row above.
        for role in ("departments", "actor", "policy", "measure"):
            if values.get(role) is None and st.last_values.get(role) is not None and role in values:
                values[role] = st.last_values[role]
        st.last_values = dict(values)

        actor, name = split_mark(join_wrapped(values.get("name") or ""))
        content = join_wrapped(values.get("content") or "")
        mark_cell = (values.get("actor") or "").strip()
        if actor is None and mark_cell[:1] in ACTOR_MARKS:
            actor = ACTOR_MARKS[mark_cell[0]]
        if actor is None:
            actor, content = split_mark(content) if content[:1] in ACTOR_MARKS else (None, content)
        name, name_tags = extract_tags(name)
        content, content_tags = extract_tags(content)
        _, tag_cell_tags = extract_tags(f"({values['tags']})") if values.get("tags") else ("", [])
        # Deduplicated: merging filled cells in Word (or python-docx) stacks their texts in one cell.
        departments = list(
            _dedupe(split_departments(values.get("departments") or "", rejoin_wrapped=self.cjk_spaces))
        )
        policy = st.policy
        if values.get("policy"):
            policy = join_wrapped(values["policy"] or "")
        measure = st.measure
        measure_tags = st.measure_tags
        if values.get("measure"):
            measure, measure_tags = extract_tags(join_wrapped(values["measure"] or "").lstrip("■◆ "))

        if not name and actor is None and self.items and (content or departments):
            # A row split by a page break: its second half continues the item above.
            prev = self.items[-1]
            prev.content = join_wrapped(prev.content + "\n" + content) if content else prev.content
            prev.departments = list(_dedupe(prev.departments + departments))
            prev.tags = list(_dedupe(prev.tags + content_tags))
            return
        if not name and not content:
            return
        self.items.append(
            _Draft(
                policy=policy,
                measure=measure,
                name=name,
                content=content,
                departments=departments,
                actor=actor,
                tags=list(_dedupe(measure_tags + name_tags + content_tags + tag_cell_tags)),
                source=source,
            )
        )

    # -- document -----------------------------------------------------------------------------
    def feed(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            if block.is_row:
                self.row(block)
            else:
                self.line(block)

    def document(self, *, path: str, sha256: str, fmt: str, pages: int | None, id_prefix: str) -> Document:
        items = tuple(
            Item(
                id=f"{id_prefix}-{n:03d}",
                policy=d.policy,
                measure=d.measure,
                name=d.name,
                content=d.content,
                departments=tuple(d.departments),
                actor=d.actor,
                tags=tuple(d.tags),
                source=d.source,
            )
            for n, d in enumerate(self.items, start=1)
        )
        return Document(
            path=path,
            sha256=sha256,
            title=guess_title(self.lines, path),
            city=guess_city(self.lines),
            fiscal_year=guess_fiscal_year(self.lines),
            items=items,
            format=fmt,
            pages=pages,
        )


_TITLE_WORDS = ("アクションプラン", "計画", "プラン", "方針", "指針", "構成案")


def guess_title(lines: Sequence[str], path: str) -> str:
    """The document's title: an early line naming a plan, else its first line, else the file name."""
    from pathlib import Path

    head = [line for line in lines[:15] if 2 <= len(line) <= 60]
    for line in head:
        if any(w in line for w in _TITLE_WORDS):
            return line
    return head[0] if head else Path(path).stem


def guess_fiscal_year(lines: Sequence[str]) -> FiscalYear | None:
    """The plan's fiscal year: the first one written near the top (title, date line), else the most
    frequent one in the document."""
    for line in lines[:10]:
        fy = parse_fiscal_year(line)
        if fy:
            return fy
    found = [fy for fy in (parse_fiscal_year(line) for line in lines) if fy]
    if not found:
        return None
    year, _ = Counter(fy.year for fy in found).most_common(1)[0]
    return next(fy for fy in found if fy.year == year)


def guess_city(lines: Sequence[str]) -> str | None:
    """The municipality the document is about: the place name most used in its opening text, with
    the title page weighing most."""
    votes: Counter[str] = Counter()
    for i, line in enumerate(lines[:60]):
        weight = 3 if i < 12 else 1
        for name in place_names(line):
            votes[name] += weight
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def parse_blocks(
    blocks: Iterable[Block], *, path: str, sha256: str, fmt: str, pages: int | None = None, cjk_spaces: bool = False
) -> Document:
    """Document with the items found in blocks (any reader's output)."""
    parser = StructureParser(cjk_spaces=cjk_spaces)
    parser.feed(blocks)
    return parser.document(path=path, sha256=sha256, fmt=fmt, pages=pages, id_prefix=sha256[:8] or "doc")
