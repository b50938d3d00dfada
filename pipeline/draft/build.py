"""Draft stage: last year's plan, its matches and the outline → the content records of next year's plan.

Pure data, no Word: render.py lays these records out through the templates. What the draft does to
last year's plan, item by item:
- every item is carried over exactly once, under the pillar it was matched to (items without a
  usable match go to a trailing "柱未定" group, flagged), its years rolled over (平成21年度 → 平成22年度,
  平成31年度 → 令和元年度, 2009年度 → 2010年度, 21年度 → 22年度; see normalize.rollover);
- its 区分 becomes 継続 (last year's 新規 included); (随時) stays;
- a decision the planner has to make is a Flag on the row and a line in the review sheet: figures and
  dates that go stale (要更新), items that were only being studied (検討結果を反映), low-confidence
  matches with their runner-up pillar (柱の確認), items named twice (重複確認);
- other cities' projects (the outline's examples and measures from other plans) are suggested as
  新規候補 where we do nothing similar (character-bigram overlap), more of them for thin pillars.
Text that needs a decision is carried as Spans marked "review", so the template can highlight it."""
from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import MARK_OF_ACTOR, Document, Example, Item, Match, Outline, Section
from ..settings import DraftSettings
from ..text.normalize import era_number, fiscal_year_label, join_wrapped, rollover, wareki
from ..text.similarity import Overlap, strip_noise

# What a planner has to decide, in the order the review sheet counts them.
CHECK_PILLAR = "柱の確認"
UNPLACED = "柱未定"
STUDIED = "検討結果を反映"
STALE = "要更新"
DUPLICATE = "重複確認"
CANDIDATE = "新規候補"
FILL_IN = "記入"
FLAG_KINDS = (CHECK_PILLAR, UNPLACED, STUDIED, STALE, DUPLICATE, CANDIDATE, FILL_IN)

CONTINUING = "継続"
NEW = "新規"
SCHEDULE_YEARS = 3  # the template has three year columns

# Span marks: text needing a decision, and the two sides of a change in the 新旧対照表.
REVIEW = "review"
INSERTED = "inserted"
DELETED = "deleted"


@dataclass(frozen=True)
class Span:
    text: str
    mark: str = ""  # "", REVIEW, INSERTED or DELETED


Text = tuple[Span, ...]


def plain(text: Text) -> str:
    """The characters of a Text, marks dropped."""
    return "".join(s.text for s in text)


@dataclass(frozen=True)
class Flag:
    kind: str  # one of FLAG_KINDS
    note: str  # what to check or do


@dataclass(frozen=True)
class Row:
    """One line of a pillar's table: a carried-over item, a suggestion, or a place to fill in."""

    number: str  # "3-2": pillar 3, second row
    name: str
    content: Text
    actor: str  # ★ ● ◎ or ""
    departments: str
    status: Text  # 継続 / 新規候補 (marked) / ""
    source: str  # which plan or city, and where in it
    flags: tuple[Flag, ...] = ()
    item_id: str | None = None
    kind: str = "carried"  # carried | candidate | placeholder


@dataclass(frozen=True)
class PillarPart:
    number: int  # 0 for the group of items without a pillar
    heading: str  # "(1) 市民の協働に対する意識の醸成"
    title: str
    description: Text
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class ModelProject:
    name: str
    city: str
    related: str  # our rows that look related, "1-10 協働(共働)事例集の作成"


@dataclass(frozen=True)
class Subsection:
    heading: str
    hint: str


@dataclass(frozen=True)
class ScheduleRow:
    pillar: str  # "(1)"
    number: str
    name: str
    status: str
    cells: tuple[Text, ...]  # one per schedule year; later years left empty to fill in


@dataclass(frozen=True)
class ReviewItem:
    number: int
    kind: str  # flag kinds joined by ・
    where: str  # "2.(3) 3-2 広報紙の利用"
    note: str


@dataclass(frozen=True)
class ChangeRow:
    """One line of the 新旧対照表: an old item against its new wording (empty for new or dropped)."""

    number: str
    old_name: Text
    old_content: Text
    new_name: Text
    new_content: Text
    change: Text  # 変更 / 変更なし / 新規候補 / 削除
    notes: tuple[str, ...]  # where it was and went, 区分 change, what to check
    item_id: str | None = None


@dataclass(frozen=True)
class Draft:
    city: str
    title: str  # "平成22年度 市民協働(共働)推進アクションプラン"
    plan_name: str  # the title without its year: "市民協働(共働)推進アクションプラン"
    year: int
    year_label: str
    from_year: int
    from_label: str
    issued: Text
    cover_note: str
    goal_heading: str
    goal_guidance: tuple[str, ...]  # what the outline says section 1 should explain
    goal_lead: str
    projects_heading: str
    projects_lead: str
    legend: tuple[str, ...]
    pillars: tuple[PillarPart, ...]
    model_heading: str
    model_lead: tuple[str, ...]
    model_projects: tuple[ModelProject, ...]
    organisation_heading: str
    organisation: tuple[Subsection, ...]
    schedule_heading: str
    schedule_lead: str
    schedule_years: tuple[str, ...]
    schedule: tuple[ScheduleRow, ...]
    review_heading: str
    review_lead: str
    review_summary: tuple[str, ...]
    review: tuple[ReviewItem, ...]
    changes: tuple[ChangeRow, ...]
    changes_summary: str
    sources: tuple[str, ...]  # the input files and their sha256

    def rows(self) -> list[Row]:
        """Every row of section 2, in order."""
        return [r for p in self.pillars for r in p.rows]


# --- text helpers -------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def one_line(text: str) -> str:
    """A cell's text on one line (Japanese wrapped lines joined without a space), control characters gone."""
    return join_wrapped(_CONTROL.sub("", text or ""))


_COUNTER = r"(?:団体|件|回|人|名|か所|箇所|ヶ所|ヵ所|校|地区|世帯|千円|万円|円|%|％)"
# Figures and dates that describe last year's state; each one is highlighted and listed as 要更新.
_STALE = re.compile(
    rf"現在\s*(?:[0-9,]+\s*{_COUNTER}?)?"
    r"|[0-9０-９一二三四五六]+\s*[ヶヵかケカ箇]月に\s*[0-9]+\s*回(?:程度)?"
    r"|(?:令和|平成|昭和)?\s*[0-9元]{1,4}年\s*[0-9]{1,2}月(?:\s*[0-9]{1,2}日)?"
    r"|[0-9]{1,2}月\s*[0-9]{1,2}日"
    r"|[0-9]{1,4}/[0-9]{1,2}(?:/[0-9]{1,2})?"
    rf"|[0-9][0-9,]*\s*{_COUNTER}"
)
_STUDIED = re.compile(r"検討(?!段階|会|委員|結果)")


def stale_figures(text: str) -> list[tuple[int, int]]:
    """(start, end) of every figure or date in text that describes last year's state."""
    return [(m.start(), m.end()) for m in _STALE.finditer(text)]


def _marked(text: str, spans: Iterable[tuple[int, int]]) -> Text:
    """text as Spans, the (start, end) ranges marked REVIEW (overlaps merged)."""
    ranges: list[list[int]] = []
    for start, end in sorted(spans):
        if ranges and start <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end])
    out: list[Span] = []
    pos = 0
    for start, end in ranges:
        if start > pos:
            out.append(Span(text[pos:start]))
        out.append(Span(text[start:end], REVIEW))
        pos = end
    if pos < len(text):
        out.append(Span(text[pos:]))
    return tuple(out)


_TOKEN = re.compile(r"[0-9０-９]+|[A-Za-z]+|.", re.DOTALL)


def diff_spans(old: str, new: str) -> tuple[Text, Text]:
    """old and new as Spans, what was removed from old marked DELETED and what was added in new
    marked INSERTED, the way a 新旧対照表 underlines 改正部分. Compared character by character, but a
    number or Latin word changes as a whole (21年度 → 22年度 underlines 21 and 22, not one digit)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[Span] = []
    right: list[Span] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(Span("".join(a[i1:i2])))
            right.append(Span("".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(Span("".join(a[i1:i2]), DELETED))
        if j2 > j1:
            right.append(Span("".join(b[j1:j2]), INSERTED))
    return _joined(left), _joined(right)


def _joined(spans: list[Span]) -> Text:
    out: list[Span] = []
    for s in spans:
        if out and out[-1].mark == s.mark:
            out[-1] = Span(out[-1].text + s.text, s.mark)
        else:
            out.append(s)
    return tuple(out)


# --- the parts of the draft ----------------------------------------------------------------------

_ERA_LETTER = {"令和": "R", "平成": "H", "昭和": "S", "大正": "T", "明治": "M"}


def short_label(year: int) -> str:
    """A fiscal year the way tables abbreviate it: 2009 → 'H21', 2019 → 'R1'."""
    era, n = wareki(year)
    return f"{_ERA_LETTER[era]}{n}"


def _policy_short(policy: str) -> str:
    """'施策1 協働(共働)の意識を高める!!' → '施策1'."""
    return policy.split(" ", 1)[0] if policy else ""


def _old_content(item: Item) -> str:
    """An item's 内容 as last year's plan showed it: (随時) put back where the reader took it off."""
    content = one_line(item.content)
    if "随時" in item.tags and "随時" not in content:
        content += "（随時）"
    return content


def _section(outline: Outline, keywords: Sequence[str], number: int, title: str) -> tuple[str, Section | None]:
    """The heading '2．…' of the outline section whose title has one of keywords (a default if none)."""
    for s in outline.sections:
        if any(k in s.title for k in keywords):
            return f"{s.number}．{s.title}", s
    return f"{number}．{title}", None


def _guidance(section: Section | None) -> tuple[str, ...]:
    """The outline's instructions at the top of section 1 ('基本方針を再掲し、…。'): the sentences
    before its first non-sentence line."""
    out: list[str] = []
    for text in section.text if section else ():
        if not text.endswith("。"):
            break
        out.append(text)
    return tuple(out)


@dataclass(frozen=True)
class _Candidate:
    name: str
    content: str
    city: str
    source: str
    priority: int  # 0 outline example with a city, 1 another plan's measure, 2 outline example without
    confidence: float = 1.0


def _candidates(outline: Outline, others: Sequence[Document], by_id: dict[str, Match]) -> dict[int, list[_Candidate]]:
    """Every suggestion per pillar number, best first."""
    out: dict[int, list[_Candidate]] = {p.number: [] for p in outline.pillars}
    for p in outline.pillars:
        for ex in p.examples:
            out[p.number].append(_example_candidate(ex))
    for doc in others:
        fy = doc.fiscal_year.label if doc.fiscal_year else ""
        city = doc.city or Path(doc.path).stem
        for item in doc.items:
            m = by_id.get(item.id)
            if m is None or m.needs_review or m.pillar not in out:
                continue
            where = " ".join(x for x in (f"{city}{fy}計画", item.source.label(with_file=False)) if x)
            out[m.pillar].append(_Candidate(one_line(item.name), one_line(item.content), city, where, 1, m.confidence))
    for cands in out.values():
        cands.sort(key=lambda c: (c.priority, -c.confidence))
    return out


def _example_candidate(ex: Example) -> _Candidate:
    if ex.city:
        return _Candidate(one_line(ex.text), "", ex.city, f"構成案（{ex.city}の事例）", 0)
    return _Candidate(one_line(ex.text), "", "", "構成案", 2)


def _pick(cands: list[_Candidate], ours: list[str], limit: int, similar: float, sim: Overlap) -> list[_Candidate]:
    """Up to limit candidates that none of our items (nor an earlier pick) already covers."""
    picked: list[_Candidate] = []
    for c in cands:
        if len(picked) >= limit:
            break
        covered = [*ours, *(f"{p.name} {p.content}" for p in picked)]
        if any(sim(c.name, text) >= similar for text in covered):
            continue
        picked.append(c)
    return picked


def _carried_row(item: Item, match: Match | None, number: str, from_year: int, year: int,
                 pillar_titles: dict[int, str]) -> Row:
    name = rollover(one_line(item.name), from_year, year)
    content = rollover(_old_content(item), from_year, year)
    flags: list[Flag] = []
    marks = stale_figures(content)
    if marks:
        figures = "」「".join(content[a:b] for a, b in marks)
        flags.append(Flag(STALE, f"「{figures}」を{fiscal_year_label(year)}の数値・日付に更新"))
    studied = [(m.start(), m.end()) for m in _STUDIED.finditer(content)]
    if studied or _STUDIED.search(name):
        flags.append(Flag(STUDIED, "前年度は検討段階。結果（実施／継続検討／終了）に合わせて書き換える"))
    if match is None:
        flags.append(Flag(UNPLACED, "どの柱にも振り分けられていません。柱を決めて移動"))
    elif match.needs_review and not match.corrected:
        runner = match.runner_up
        alt = f"。次点は({runner}){pillar_titles.get(runner, '')}" if runner is not None else ""
        flags.append(Flag(CHECK_PILLAR, f"({match.pillar})に仮置き（確信度{match.confidence:.2f}）{alt}"))
    status = CONTINUING + ("（再掲）" if "再掲" in item.tags else "")
    return Row(
        number=number,
        name=name,
        content=_marked(content, [*marks, *studied]),
        actor=MARK_OF_ACTOR.get(item.actor or "", ""),
        departments="、".join(one_line(d) for d in item.departments),
        status=(Span(status),),
        source="",  # filled by the caller, which knows the plan
        flags=tuple(flags),
        item_id=item.id,
    )


def _with_duplicates(rows: list[Row]) -> list[Row]:
    """Rows whose item names are the same get a 重複確認 flag naming each other."""
    by_name: dict[str, list[str]] = {}
    for r in rows:
        if r.kind == "carried":
            by_name.setdefault(strip_noise(r.name), []).append(r.number)
    out = []
    for r in rows:
        twins = [n for n in by_name.get(strip_noise(r.name), []) if n != r.number] if r.kind == "carried" else []
        if twins:
            note = f"{'、'.join(twins)} と同じ項目名。統合するか、書き分けるか確認"
            r = dataclasses.replace(r, flags=(*r.flags, Flag(DUPLICATE, note)))
        out.append(r)
    return out


def build_draft(
    outline: Outline,
    plan: Document,
    matches: Iterable[Match],
    others: Sequence[Document] = (),
    year: int | None = None,
    settings: DraftSettings | None = None,
    drop: Iterable[str] = (),
) -> Draft:
    """The content of next year's plan. matches may cover the other plans' items too (they are
    suggested where they match a pillar confidently); drop names item ids not to carry over (shown
    as 削除 in the 新旧対照表). Raises ValueError if the plan has no fiscal year and year is None."""
    settings = settings or DraftSettings()
    if plan.fiscal_year is None and year is None:
        raise ValueError("the plan has no fiscal year; give the year to draft")
    from_year = plan.fiscal_year.year if plan.fiscal_year else year - 1  # type: ignore[operator]
    year = year if year is not None else from_year + 1
    year_label = fiscal_year_label(year)
    from_label = plan.fiscal_year.label if plan.fiscal_year else fiscal_year_label(from_year)
    by_id = {m.item_id: m for m in matches}
    dropped = set(drop)
    titles = {p.number: p.title for p in outline.pillars}
    goal_heading, goal_section = _section(outline, ("目指す", "目標"), 1, "行動計画の目指すもの")
    projects_heading, projects_section = _section(outline, ("具体的な事業", "事業"), 2, "市民協働推進のための具体的な事業")
    projects_no = projects_section.number if projects_section else 2
    plan_name = f"{from_label}計画"
    plan_short = f"{short_label(from_year)}計画"  # 出典 is a narrow column: H21計画

    # Section 2: every carried-over item under its pillar, then the suggestions.
    grouped: dict[int, list[tuple[Item, Match | None]]] = {p.number: [] for p in outline.pillars}
    unplaced: list[tuple[Item, Match | None]] = []
    for item in plan.items:
        if item.id in dropped:
            continue
        m = by_id.get(item.id)
        (grouped[m.pillar] if m is not None and m.pillar in grouped else unplaced).append((item, m))
    ours = [f"{i.name} {i.content}" for i in plan.items if i.id not in dropped]
    sim = Overlap(ours)
    candidates = _candidates(outline, others, by_id)

    parts: list[PillarPart] = []
    groups = [(p.number, p.title, p.description, grouped[p.number]) for p in outline.pillars]
    if unplaced:
        groups.append((0, UNPLACED, "", unplaced))
    rows_all: list[Row] = []
    for number, title, description, members in groups:
        prefix = str(number) if number else "未"
        rows: list[Row] = []
        for item, m in members:
            row = _carried_row(item, m, f"{prefix}-{len(rows) + 1}", from_year, year, titles)
            source = " ".join(x for x in (plan_short, _policy_short(item.policy), item.source.label(with_file=False)) if x)
            rows.append(dataclasses.replace(row, source=source))
        limit = settings.max_candidates_thin if len(rows) < settings.few_items else settings.max_candidates
        for c in _pick(candidates.get(number, []), ours, limit, settings.similar, sim):
            note = (f"{c.city}の事例。" if c.city else "構成案の例。") + "採否を判断（採用なら内容・主体・関係部署を記入し区分を「新規」に）"
            rows.append(Row(
                number=f"{prefix}-{len(rows) + 1}", name=c.name, content=(Span(c.content),) if c.content else (),
                actor="", departments="", status=(Span(CANDIDATE, REVIEW),), source=c.source,
                flags=(Flag(CANDIDATE, note),), kind="candidate",
            ))
        if not rows:
            rows.append(Row(
                number=f"{prefix}-1", name="（該当する事業なし）", content=(Span("この柱の事業を記入してください", REVIEW),),
                actor="", departments="", status=(), source="",
                flags=(Flag(FILL_IN, "前年度計画にも他都市事例にも当てはまる事業がありません。事業を記入"),),
                kind="placeholder",
            ))
        desc: Text = (Span(one_line(description)),) if description else (
            Span("【記入】この柱の目指すものを記入してください", REVIEW),)
        heading = f"({number}) {title}" if number else f"（{UNPLACED}）"
        parts.append(PillarPart(number, heading, title, desc, tuple(rows)))
        rows_all.extend(rows)
    deduped = {r.number: r for r in _with_duplicates(rows_all)}
    parts = [PillarPart(p.number, p.heading, p.title, p.description, tuple(deduped[r.number] for r in p.rows))
             for p in parts]
    rows_all = [r for p in parts for r in p.rows]

    # Section 3: model projects, with our rows that look related.
    model_heading, model_section = _section(outline, ("モデル",), 3, "モデル事業")
    model_lead = tuple(t for t in (model_section.text if model_section else ()) if len(t) > 40 or t.endswith("。"))
    model_projects = []
    for ex in outline.model_projects:
        related = sorted(((sim(ex.text, f"{r.name} {plain(r.content)}"), r) for r in rows_all
                          if r.kind == "carried"), key=lambda x: -x[0])
        names = "、".join(f"{r.number} {r.name}" for score, r in related[:2] if score >= settings.related)
        model_projects.append(ModelProject(one_line(ex.text), ex.city or "", names))

    # Section 4: the organisation, one place to fill in per outline sub-heading.
    organisation_heading, organisation_section = _section(outline, ("推進体制", "体制"), 4, "計画の推進体制")
    subs = organisation_section.headings if organisation_section and organisation_section.headings else (
        "推進組織", "庁内体制", "計画の進捗評価")
    organisation = tuple(
        Subsection(f"({k}) {h}", f"{h.removesuffix('について')}について、{year_label}の内容を記入してください。")
        for k, h in enumerate(subs, 1))

    # Section 5: item × year schedule; the first year from the item's state, later years to fill in.
    schedule_heading, _ = _section(outline, ("スケジュール", "工程"), 5, "計画のスケジュール")
    years = tuple(fiscal_year_label(year + k) for k in range(SCHEDULE_YEARS))
    schedule = []
    for part in parts:
        for r in part.rows:
            if r.kind == "placeholder":
                continue
            kinds = {f.kind for f in r.flags}
            if r.kind == "candidate":
                first: Text = (Span("採否", REVIEW),)
            elif STUDIED in kinds:
                first = (Span("検討"),)
            elif "随時" in plain(r.content):
                first = (Span("随時"),)
            else:
                first = (Span("実施"),)
            schedule.append(ScheduleRow(f"({part.number})" if part.number else "未", r.number, r.name,
                                        plain(r.status), (first, *(() for _ in years[1:]))))

    # The review sheet, in document order: one line per row with flags (a pillar's candidates on
    # one line), one per place to fill in.
    goal_no = goal_section.number if goal_section else 1
    review: list[tuple[str, str, str]] = [(FILL_IN, "表紙", "発行年月を記入")]
    guidance = _guidance(goal_section)
    if guidance:
        review.append((FILL_IN, goal_heading, f"本文の【記入】欄（{len(guidance)}か所：基本方針・計画の意義など）を記入"))
    for part in parts:
        if part.description and part.description[0].mark == REVIEW:
            review.append((FILL_IN, f"{goal_no}. 表 {part.heading}", "この柱の目指すもの（方向性）を記入"))
    for part in parts:
        cands = [r for r in part.rows if r.kind == "candidate"]
        for r in part.rows:
            if r.flags and r.kind != "candidate":
                review.append(("・".join(dict.fromkeys(f.kind for f in r.flags)), f"{projects_no}.{part.heading.split(' ')[0]} {r.number} {r.name}",
                               "／".join(f.note for f in r.flags)))
        if cands:
            span = cands[0].number if len(cands) == 1 else f"{cands[0].number}〜{cands[-1].number}"
            cities = "、".join(dict.fromkeys(r.source for r in cands))
            review.append((CANDIDATE, f"{projects_no}.{part.heading.split(' ')[0]} {span}",
                           f"{len(cands)}件の新規候補（{cities}）の採否を判断"))
    review.append((FILL_IN, model_heading, "モデル事業として取り組むものを選び、本市での取り組みを記入"))
    review.append((FILL_IN, organisation_heading,
                   "・".join(s.heading.split(" ", 1)[-1].removesuffix("について") for s in organisation) + "を記入"))
    review.append((FILL_IN, schedule_heading, f"{years[0]}の予定を確認し、{years[1]}以降の欄を記入"))
    review_items = tuple(ReviewItem(k, kind, where, note) for k, (kind, where, note) in enumerate(review, 1))
    counts: dict[str, int] = {}
    for r in rows_all:
        for f in r.flags:
            counts[f.kind] = counts.get(f.kind, 0) + 1
    summary = "、".join(f"{k} {counts[k]}件" for k in FLAG_KINDS if counts.get(k))

    changes = _changes(plan, parts, by_id, dropped, from_label, year_label, plan_name, projects_no)
    n_changed = sum(1 for c in changes if plain(c.change) == "変更")
    n_cands = sum(1 for r in rows_all if r.kind == "candidate")
    n_carried = sum(1 for r in rows_all if r.kind == "carried")

    title = rollover(one_line(plan.title), from_year, year) if plan.title else ""
    if year_label not in title:
        title = f"{year_label} {title or '市民協働推進アクションプラン'}".strip()
    era, n = wareki(year)
    return Draft(
        city=plan.city or "（市町村名）",
        title=title,
        plan_name=title.removeprefix(year_label).strip() or title,
        year=year,
        year_label=year_label,
        from_year=from_year,
        from_label=from_label,
        issued=(Span(f"{era}{era_number(n)}年　月", REVIEW),),
        cover_note=(f"この案は、{plan_name}（{Path(plan.path).name}）と{outline.title or '構成案'}"
                    f"（{Path(outline.path).name}）から作成した下書きです。黄色の網掛けと▲印は確認が必要な箇所です"
                    f"（巻末の「確認事項一覧」に{len(review_items)}件）。"),
        goal_heading=goal_heading,
        goal_guidance=_guidance(goal_section),
        goal_lead=f"{year_label}の計画は、次の{len(outline.pillars)}本の施策の柱で構成します。",
        projects_heading=projects_heading,
        projects_lead=(f"{plan_name}の{n_carried}事業を施策の柱ごとに整理し、年度を{year_label}に改めました。"
                       + (f"他都市の事例などから新規候補を{n_cands}件加えています。" if n_cands else "")),
        legend=("主体　★市民が主体　●市が主体　◎市民と市が主体",
                "区分　継続：前年度からの事業　新規：今年度からの事業　新規候補：他都市事例等からの提案（採否を判断）",
                "▲印と黄色の網掛けは確認が必要な箇所です（巻末の確認事項一覧を参照）。"),
        pillars=tuple(parts),
        model_heading=model_heading,
        model_lead=model_lead,
        model_projects=tuple(model_projects),
        organisation_heading=organisation_heading,
        organisation=organisation,
        schedule_heading=schedule_heading,
        schedule_lead=f"{years[0]}欄は前年度計画からの見込みです。網掛けの欄（{years[1]}以降）を記入してください。",
        schedule_years=years,
        schedule=tuple(schedule),
        review_heading="確認事項一覧（提出前に削除してください）",
        review_lead="この案で人の判断が必要な箇所です。本文の▲印・黄色の網掛けと対応しています。",
        review_summary=(f"本文の確認箇所：{summary}" if summary else "本文の確認箇所：なし",),
        review=review_items,
        changes=changes,
        changes_summary=(f"前年度{len(plan.items)}事業のうち変更{n_changed}件、"
                         f"削除{len(dropped & {i.id for i in plan.items})}件、新規候補{n_cands}件"),
        sources=tuple(f"{Path(d.path).name} (sha256 {d.sha256[:12]})" for d in (plan, *others)),
    )


def _changes(plan: Document, parts: Sequence[PillarPart], by_id: dict[str, Match], dropped: set[str],
             from_label: str, year_label: str, plan_name: str, projects_no: int) -> tuple[ChangeRow, ...]:
    """The 新旧対照表: last year's items in their old order, then the new candidates."""
    located = {r.item_id: (p, r) for p in parts for r in p.rows if r.item_id}
    out: list[ChangeRow] = []
    for k, item in enumerate(plan.items, 1):
        old_name, old_content = one_line(item.name), _old_content(item)
        old_status = NEW if NEW in item.tags else CONTINUING
        policy = _policy_short(item.policy)
        if item.id not in located:
            notes = tuple(x for x in (policy, f"{year_label}は実施しない") if x)
            out.append(ChangeRow(str(k), (Span(old_name, DELETED),), (Span(old_content, DELETED),), (), (),
                                 (Span("削除", REVIEW),), notes, item.id))
            continue
        part, row = located[item.id]
        name_old, name_new = diff_spans(old_name, row.name)
        content_old, content_new = diff_spans(old_content, plain(row.content))
        changed = old_name != row.name or old_content != plain(row.content)
        moved = [f"{policy} → {projects_no}.{part.heading.split(' ')[0]} {row.number}".strip()]
        if old_status != CONTINUING:
            moved.append(f"区分 {old_status}→{CONTINUING}")
            changed = True
        kinds = [f.kind for f in row.flags]
        if kinds:
            moved.append("要確認：" + "・".join(dict.fromkeys(kinds)))
        out.append(ChangeRow(str(k), name_old, content_old, name_new, content_new,
                             (Span("変更" if changed else "変更なし"),), tuple(moved), item.id))
    n = len(plan.items)
    for part in parts:
        for row in part.rows:
            if row.kind != "candidate":
                continue
            n += 1
            out.append(ChangeRow(str(n), (), (), (Span(row.name, INSERTED),),
                                 tuple(Span(s.text, INSERTED) for s in row.content),
                                 (Span(CANDIDATE, REVIEW),),
                                 (row.source, f"→ {projects_no}.{part.heading.split(' ')[0]} {row.number}")))
    return tuple(out)
