"""Draft stage: last year's plan, its matches and the outline → the content records of next year's plan.

Pure data, no Word: render.py lays these records out through the templates. build_draft is one builder
per section of the draft. What it does to last year's plan, item by item:
- every item is carried over exactly once, under the pillar it was matched to (items without a
  usable match go to a trailing "柱未定" group, flagged), its years rolled over (平成21年度 → 平成22年度,
  平成31年度 → 令和元年度, 2009年度 → 2010年度, 21年度 → 22年度; see normalize.rollover);
- its 区分 becomes 継続 (last year's 新規 included); (随時) stays;
- a decision the planner has to make is a Flag on the row and a line in the review sheet: figures and
  dates that go stale (要更新), items that were only being studied (検討結果を反映), items the plan says
  end last year (終了の確認), low-confidence matches with their runner-up pillar (柱の確認), items named
  twice (重複確認), and with last year's results what they report (要確認, 表現の見直し, 実施へ移行,
  結果未記入, and 予定の確認 where they put the plan's own schedule in doubt);
- the schedule (計画のスケジュール) keeps the stage the plan's own schedule gives a year, where it gives one;
- a 新規候補 of last year's draft still marked so is a candidate again (never 継続);
- a year drafted outside the plan's period (計画期間) is the first line of the review sheet;
- other cities' projects (the outline's examples and measures from other plans) are suggested as
  新規候補 where we do nothing similar (character-bigram overlap), more of them for thin pillars.
Text that needs a decision is carried as Spans marked "review", a place to type in as "fill"; each line
of the review sheet names its place in the body (anchor), where render.py puts a Word comment."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..ingest.structure.outline import numbering
from ..model import MARK_OF_ACTOR, Document, Example, Item, Match, Outline, Section
from ..progress.results import EXPAND, GRADES, PARTLY, REVISE, SHEET_DIRECTIONS, STATUSES, Result
from ..progress.results import NOT_DONE as NOT_DONE_STATUS
from ..reference import FORMAT as REFERENCE_FORMAT
from ..settings import DraftSettings
from ..text.normalize import (
    ERA_OF_LETTER,
    era_number,
    era_year,
    fiscal_year_label,
    nfkc,
    parse_fiscal_year,
    parse_period,
    rollover,
    wareki,
)
from ..text.similarity import Overlap, strip_noise
from .changes import (
    candidate_origin,
    change_rows,
    ends_in,
    marked,
    old_content,
    one_line,
    policy_short,
    short_label,
    stale_figures,
    studied,
)
from .records import (
    CANDIDATE,
    CHECK_PILLAR,
    COMMENTS,
    CONTINUING,
    DUPLICATE,
    ENDING,
    FILL,
    FILL_IN,
    FLAG_KINDS,
    HEADING,
    INLINE,
    NO_RESULT,
    NOT_DONE,
    PERIOD,
    PROMOTED,
    REVIEW,
    REWORD,
    SCHEDULE,
    SCHEDULE_YEARS,
    STALE,
    STUDIED,
    UNPLACED,
    Draft,
    FinishedRow,
    Flag,
    ModelProject,
    PillarPart,
    ReviewItem,
    Row,
    ScheduleRow,
    Span,
    Subsection,
    Text,
    plain,
)


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
class _Years:
    """The fiscal year drafted and the one the plan is for."""

    year: int
    label: str
    from_year: int
    from_label: str


def _years(plan: Document, year: int | None) -> _Years:
    if plan.fiscal_year is None and year is None:
        raise ValueError("the plan has no fiscal year; give the year to draft")
    from_year = plan.fiscal_year.year if plan.fiscal_year else year - 1  # type: ignore[operator]
    year = year if year is not None else from_year + 1
    from_label = plan.fiscal_year.label if plan.fiscal_year else fiscal_year_label(from_year)
    return _Years(year, fiscal_year_label(year), from_year, from_label)


# One fiscal year as a schedule column names it: 令和7年度, R7, H27年度, 2025年度, 7年度 (its era the plan's).
_YEAR_CELL = re.compile(r"(?:(令和|平成|昭和|[RHS])(\d{1,2}|元)(?:年度?)?|((?:19|20)\d\d)(?:年度?)?|(\d{1,2}|元)年度?)")
_WESTERN_NOTE = re.compile(r"[(（]\s*(?:(?:19|20)\d\d|[RHS]\d{1,2})\s*[)）]")  # 令和7(2025)年度, 2025(R7)


def _fiscal_year_of(text: str, era: str) -> int | None:
    """The fiscal year text names and nothing else (a bare 7年度 in era), or its last part does (a
    column under a merged group header: スケジュール 令和7年度); None for 前期, 実施時期 and the like."""
    text = nfkc(text)
    for part in (text, re.split(r"[\s/|_・:]+", text.strip())[-1]):
        t = _WESTERN_NOTE.sub("", re.sub(r"\s+", "", part)).strip("【】[]()（）")
        m = _YEAR_CELL.fullmatch(re.sub(r"(?:計画|予定)$", "", t))
        if not m:
            continue
        if m.group(3):
            return int(m.group(3))
        word = ERA_OF_LETTER.get(m.group(1) or "", m.group(1) or era)
        return era_year(word, m.group(2) or m.group(4)) if word else None
    return None


def _plan_schedule(item: Item, from_year: int) -> dict[int, str]:
    """The stage last year's plan gives the item in each fiscal year its schedule names (a column
    per year: 令和6年度 検討 | 令和7年度 実施), as printed."""
    era = wareki(from_year)[0]
    cells: dict[int, str] = {}
    for label, value in item.schedule.items():
        year = _fiscal_year_of(label, era)
        if year is not None and one_line(value).strip():
            cells.setdefault(year, one_line(value).strip())
    out: dict[int, str] = {}
    previous = ""
    for year in sorted(cells):
        stage = _stage_word(cells[year], previous)
        if stage:
            out[year] = previous = stage
    return out


_AMOUNT = re.compile(r"[\d,，.．\s]+(?:千円|万円|百万円|円|件|人|回|団体|か所|箇所|%|％)?")
_CARRY_ON = set("→⇒➡━―─…～〜")  # (a hyphen or － is "none", as tables print it)
_ARROWS = set("→⇒➡")
_DONE_MARKS = set("○〇●◎")


def _stage_word(cell: str, previous: str) -> str:
    """The stage a schedule cell gives ("" for none): a word as printed (検討, 実施, 随時); a mark of
    doing it (○, ●) is 実施; an arrow or bar (→, ━) goes on with the year before's stage, an arrow with
    none before it is 実施; a figure (an amount, a count: a budget column) is no stage."""
    t = nfkc(cell).strip()
    if not t or _AMOUNT.fullmatch(t):
        return ""
    if set(t) <= _CARRY_ON:
        # an arrow that starts the schedule (drawn over the years, no stage before it) is doing it
        return previous or ("実施" if set(t) & _ARROWS else "")
    if set(t) <= set("-－"):
        return ""
    if set(t) <= _DONE_MARKS:
        return "実施"
    return t


# --- section 2: carried items and 新規候補 ------------------------------------------------------

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
            where = (doc.title if doc.format == "reference" else  # its citation: 参考事例：city（title url）
                     " ".join(x for x in (f"{city}{fy}計画", item.source.label(with_file=False)) if x))
            out[m.pillar].append(_Candidate(suggested_name(item.name, doc.city or ""), one_line(item.content), city, where, 1,
                                            m.confidence))
    for cands in out.values():
        cands.sort(key=lambda c: (c.priority, -c.confidence))
    return out


# Marks that lead a measure as another city prints it (★ 重点, ○ before a 例規 title), not its name.
_LEADING_MARKS = "☆★○●◎◇◆□■※・▪▫◦ 　"
_WRAPPED = re.compile(r"【([^【】]+)】")


# Another city's edition of a plan (第三次筑紫野市地域コミュニティ基本計画), and the fiscal year it held an
# event in (平成22年度豊田市共働事業報告会, R6年度…): not ours.
_EDITION = re.compile(r"^第[一二三四五六七八九十\d]{1,3}次\s*")
_LEADING_YEAR = re.compile(r"^(?:(?:令和|平成|昭和)\s*(?:\d{1,2}|元)|[RH]\s*\d{1,2}|(?:19|20)\d\d)\s*年度\s*(?:実施の|実施(?=[「『]))?\s*")


def suggested_name(name: str, city: str = "") -> str:
    """A measure of another city as the draft suggests it: without the number or mark it led its
    own list with ((3)市民活動団体の担当部署の設置, ○みやこ町集落支援員設置要綱, ☆支援金制度…) or the 【】 it was
    boxed in, and without the year it was held in or its city's name before it (平成22年度豊田市共働事業報告会
    is 共働事業報告会 to us; the 出典 column still cites it as printed); as printed otherwise (「」 of a
    proper name kept)."""
    text = one_line(name).strip()
    for _ in range(2):  # (a mark before a number: ・(1)…)
        found = numbering(text)
        if found is not None and found.text.strip():
            text = found.text.strip()
        text = text.lstrip(_LEADING_MARKS)
    boxed = _WRAPPED.fullmatch(text)
    if boxed:
        text = boxed.group(1).strip()
    plain = _LEADING_YEAR.sub("", text)
    if city:
        # its city's name first, also inside the 「」 of a title or after its edition (第三次筑紫野市…)
        quoted = plain.startswith("「") and plain.endswith("」")
        inner = plain[1:-1] if quoted else plain
        edition = _EDITION.match(inner)
        rest = inner[edition.end():] if edition and inner[edition.end():].startswith(city) else inner
        if rest.startswith(city) and len(rest) - len(city) >= 4:
            rest = rest[len(city):].lstrip(" 　の")
            plain = f"「{rest}」" if quoted else rest
    return plain if len(plain) >= 4 else (text or one_line(name).strip())


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


def _result_flags(result: Result | None, studied_item: bool) -> tuple[list[Flag], str]:
    """What last year's result asks of the planner, and this year's stage if it changes (a 検討 item
    that goes ahead is 実施)."""
    if result is None or result.empty:
        return [Flag(NO_RESULT, "進行管理シートに前年度の結果が記入されていません。担当課に確認")], ""
    flags = []
    issue = one_line(result.issue)
    if not result.status:  # other columns filled, 実施状況 left blank: how it went is not said
        said = "、".join(f"{what}「{one_line(value)}」" for what, value in (
            ("実績", result.achievement), ("評価", result.grade), ("課題", result.issue),
            ("次年度の方向", result.direction)) if value)
        flags.append(Flag(NOT_DONE, f"進行管理シートの実施状況が記入されていません（{said}）。実施したか担当課に確認"))
    if result.status in (NOT_DONE_STATUS, PARTLY):
        flags.append(Flag(NOT_DONE, f"前年度は{result.status}" + (f"。課題：{issue}" if issue else "")
                          + "。今年度の進め方を担当課と確認"))
    if result.direction in (EXPAND, REVISE):
        flags.append(Flag(REWORD, f"次年度の方向は「{result.direction}」。内容を{result.direction}後の取り組みに書き換える"
                          + (f"（課題：{issue}）" if issue and not flags else "")))
    if result.disputed:  # two 担当課 copies of the sheet say different things of it
        flags.append(Flag(NOT_DONE, f"{result.dispute}。どちらの結果か担当課に確認"))
    # Words the sheet's lists do not hold (中止 typed by hand is 未実施; ｶﾝﾘｮｳ, 縮小, 廃止も含めて検討 are
    # not understood): asked about, never carried on silently.
    unread = [f"{what}「{one_line(value)}」" for what, value, known in (
        ("実施状況", result.status, STATUSES), ("評価", result.grade, GRADES),  # (評価: a text typed in the wrong column)
        ("次年度の方向", result.direction, SHEET_DIRECTIONS))
        if value and value not in known and not (known is SHEET_DIRECTIONS and result.moves_to_practice())]
    if unread:
        flags.append(Flag(NOT_DONE, f"進行管理シートの{'、'.join(unread)}をそのまま読み取れません。どう扱うか担当課に確認"))
    if studied_item and result.moves_to_practice():
        flags.append(Flag(PROMOTED, "前年度の検討の結果、実施へ移行。区分は継続とし、内容の「検討」を実施の表現に改める"))
        return flags, "実施"
    return flags, ""


def _doubt(result: Result | None) -> str:
    """Why last year's result puts the plan's schedule for the coming years in doubt ("" if it does not):
    the measure was not (fully) carried out, is to be reworked (見直し), or the 担当課 disagree."""
    if result is None or result.empty:
        return ""
    if result.status in (NOT_DONE_STATUS, PARTLY):
        return f"前年度は{result.status}"
    if result.direction == REVISE:
        return f"次年度の方向が「{REVISE}」"
    return "担当課の記入が分かれている" if result.disputed else ""


def _stages(planned: Sequence[tuple[str, str]]) -> str:
    """'令和7年度「実施」、令和8年度「実施」'."""
    return "、".join(f"{label}「{stage}」" for label, stage in planned)


def _endings(old: str, content: str, schedule: Mapping[int, str], years: _Years) -> tuple[list[tuple[int, int]], str]:
    """Where last year's plan says the item ends before the year drafted, as spans of this year's
    content, and the note that asks whether it goes on ("" if it says nothing of the kind): 平成30年度で
    完了します (rolled over to 令和元年度で完了します), or a schedule whose last stage is last year's 完了."""
    spans: list[tuple[int, int]] = []
    said: list[str] = []
    pos = 0
    for a, b in ends_in(old, years.from_year, years.year - 1):
        piece = rollover(old[a:b], years.from_year, years.year)
        at = content.find(piece, pos)
        if at >= 0:
            spans.append((at, at + len(piece)))
            pos = at + len(piece)
        said.append(old[a:b])
    if said:
        return spans, (f"前年度の計画に「{'」「'.join(said)}」とあり、{years.label}の前に終わる予定。{years.label}も続けるか"
                       f"（続けるなら内容を改める）、完了・廃止として計画から外すかを決める")
    last = schedule.get(years.from_year, "")
    if last and max(schedule) == years.from_year and re.search(r"完了|終了|廃止", last):
        return spans, (f"前年度の計画のスケジュールでは{years.from_label}が「{last}」で、{years.label}以降の予定がない。"
                       f"{years.label}も続けるか、完了・廃止として計画から外すかを決める")
    return spans, ""


def _carried_row(item: Item, match: Match | None, number: str, years: _Years, pillar_titles: dict[int, str],
                 results: Mapping[str, Result] | None = None) -> Row:
    """An item of last year's plan as a row of this year's, with what the planner has to check
    (and, with last year's results, what they report). The stages the plan's own schedule gives the
    schedule years are kept (planned); last year's results win over them where they decide this
    year's stage (a 検討 item that goes ahead), and where they put them in doubt (未実施, 一部実施,
    見直し, two 担当課 disagreeing) the stages are kept, marked, and a 予定の確認 flag asks."""
    name = rollover(one_line(item.name), years.from_year, years.year)
    old = old_content(item)
    content = rollover(old, years.from_year, years.year)
    flags: list[Flag] = []
    marks = stale_figures(content)
    if marks:
        figures = "」「".join(content[a:b] for a, b in marks)
        flags.append(Flag(STALE, f"「{figures}」を{years.label}の数値・日付に更新"))
    studies = studied(content)
    studied_item = bool(studies or studied(name))
    schedule = _plan_schedule(item, years.from_year)
    planned = tuple((fiscal_year_label(y), schedule[y])
                    for y in range(years.year, years.year + SCHEDULE_YEARS) if y in schedule)
    goes_ahead = any(not studied(stage) for _, stage in planned)  # the plan moves the study on (実施)
    if studied_item:
        flags.append(Flag(STUDIED, "前年度は検討段階。結果（実施／継続検討／終了）に合わせて書き換える"
                          + (f"（計画のスケジュールでは{_stages(planned)}）" if goes_ahead else "")))
    endings, ending_note = _endings(old, content, schedule, years)
    if ending_note:
        flags.append(Flag(ENDING, ending_note))
    result = results.get(item.id) if results is not None else None
    stage = ""
    if results is not None:
        extra, stage = _result_flags(result, studied_item)
        if stage:
            flags = [f for f in flags if f.kind != STUDIED]
        flags += extra
    doubt = _doubt(result) if planned else ""
    if doubt:
        flags.append(Flag(SCHEDULE, f"計画のスケジュールでは{_stages(planned)}。{doubt}ため、この予定で進めるか担当課と確認"))
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
        content=marked(content, [*marks, *studies, *endings]),
        actor=MARK_OF_ACTOR.get(item.actor or "", ""),
        departments="、".join(one_line(d) for d in item.departments),
        status=(Span(status),),
        source="",  # filled by the caller, which knows the plan
        flags=tuple(flags),
        item_id=item.id,
        result=one_line(result.achievement) if result is not None else "",
        grade=result.grade if result is not None else "",
        stage=stage,
        planned=planned,
        planned_doubt=bool(doubt) or (studied_item and goes_ahead and not stage),
    )


def _kept_candidate_row(number: str, item: Item, plan_short: str) -> Row:
    """A 新規候補 of last year's draft that the planner left undecided (its 区分 still 新規候補): still a
    candidate to decide, never a 継続 measure. Its text is another city's, so its years stay."""
    origin = candidate_origin(item)
    note = (f"前年度の案でも新規候補のまま（採否未定{'・' + origin if origin else ''}）。採否を判断（採用なら内容・主体・"
            "関係部署を記入し区分を「新規」に、採用しないなら行を削除）")
    return Row(number=number, name=one_line(item.name),
               content=(Span(one_line(item.content)),) if item.content else (),
               actor=MARK_OF_ACTOR.get(item.actor or "", ""), departments="、".join(one_line(d) for d in item.departments),
               status=(Span(CANDIDATE, REVIEW),), source=origin or f"{plan_short}の{CANDIDATE}",
               flags=(Flag(CANDIDATE, note),), item_id=item.id, kind="candidate")


def _candidate_row(number: str, c: _Candidate) -> Row:
    what = ("参考事例（他市町村の実際の取組）。" if c.source.startswith("参考事例") else
            f"{c.city}の事例。" if c.city else "構成案の例。")
    note = what + "採否を判断（採用なら内容・主体・関係部署を記入し区分を「新規」に）"
    return Row(number=number, name=c.name, content=(Span(c.content),) if c.content else (),
               actor="", departments="", status=(Span(CANDIDATE, REVIEW),), source=c.source,
               flags=(Flag(CANDIDATE, note),), kind="candidate")


def _placeholder_row(number: str) -> Row:
    return Row(number=number, name="（該当する事業なし）", content=(Span("この柱の事業を記入してください", FILL),),
               actor="", departments="", status=(), source="",
               flags=(Flag(FILL_IN, "前年度計画にも他都市事例にも当てはまる事業がありません。事業を記入"),),
               kind="placeholder")


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


def _pillar_parts(outline: Outline, plan: Document, others: Sequence[Document], by_id: dict[str, Match],
                  dropped: set[str], years: _Years, settings: DraftSettings, sim: Overlap,
                  results: Mapping[str, Result] | None = None) -> list[PillarPart]:
    """Section 2: every carried-over item under its pillar (柱未定 last), then the 新規候補 last year's
    draft left undecided (still candidates), then the new suggestions (as many fewer as there are
    undecided ones), a place to fill in where a pillar has none; rows named twice flagged."""
    titles = {p.number: p.title for p in outline.pillars}
    plan_short = f"{short_label(years.from_year)}計画"  # 出典 is a narrow column: H21計画
    grouped: dict[int, list[tuple[Item, Match | None]]] = {p.number: [] for p in outline.pillars}
    unplaced: list[tuple[Item, Match | None]] = []
    for item in plan.items:
        if item.id in dropped:
            continue
        m = by_id.get(item.id)
        (grouped[m.pillar] if m is not None and m.pillar in grouped else unplaced).append((item, m))
    ours = [f"{i.name} {i.content}" for i in plan.items if i.id not in dropped]
    declined = {strip_noise(n) for n in plan.declined}  # deleted by the planner from an earlier draft
    candidates = {number: [c for c in cands if strip_noise(c.name) not in declined]
                  for number, cands in _candidates(outline, others, by_id).items()}
    groups = [(p.number, p.title, p.description, grouped[p.number]) for p in outline.pillars]
    if unplaced:
        groups.append((0, UNPLACED, "", unplaced))
    parts: list[PillarPart] = []
    for number, title, description, members in groups:
        prefix = str(number) if number else "未"
        rows: list[Row] = []
        undecided = [item for item, _ in members if CANDIDATE in item.tags]
        for item, m in members:
            if CANDIDATE in item.tags:
                continue
            row = _carried_row(item, m, f"{prefix}-{len(rows) + 1}", years, titles, results)
            source = " ".join(x for x in (plan_short, policy_short(item.policy), item.source.label(with_file=False)) if x)
            rows.append(dataclasses.replace(row, source=source))
        limit = settings.max_candidates_thin if len(rows) < settings.few_items else settings.max_candidates
        for item in undecided:
            rows.append(_kept_candidate_row(f"{prefix}-{len(rows) + 1}", item, plan_short))
        for c in _pick(candidates.get(number, []), ours, max(0, limit - len(undecided)), settings.similar, sim):
            rows.append(_candidate_row(f"{prefix}-{len(rows) + 1}", c))
        if not rows:
            rows.append(_placeholder_row(f"{prefix}-1"))
        desc: Text = (Span(one_line(description)),) if description else (
            Span("【記入】この柱の目指すものを記入してください", FILL),)
        heading = f"({number}) {title}" if number else f"（{UNPLACED}）"
        parts.append(PillarPart(number, heading, title, desc, tuple(rows)))
    deduped = {r.number: r for r in _with_duplicates([r for p in parts for r in p.rows])}
    return [dataclasses.replace(p, rows=tuple(deduped[r.number] for r in p.rows)) for p in parts]


# --- sections 3 to 5 ----------------------------------------------------------------------------

def _model_projects(outline: Outline, rows: Sequence[Row], sim: Overlap, related: float) -> tuple[ModelProject, ...]:
    """Section 3: the outline's model projects, each with our rows that look related."""
    out = []
    for ex in outline.model_projects:
        scored = sorted(((sim(ex.text, f"{r.name} {plain(r.content)}"), r) for r in rows if r.kind == "carried"),
                        key=lambda x: -x[0])
        names = "、".join(f"{r.number} {r.name}" for score, r in scored[:2] if score >= related)
        out.append(ModelProject(one_line(ex.text), ex.city or "", names))
    return tuple(out)


def _organisation(section: Section | None, year_label: str) -> tuple[Subsection, ...]:
    """Section 4: the organisation, one place to fill in per outline sub-heading."""
    subs = section.headings if section and section.headings else ("推進組織", "庁内体制", "計画の進捗評価")
    return tuple(Subsection(f"({k}) {h}", f"{h.removesuffix('について')}について、{year_label}の内容を記入してください。")
                 for k, h in enumerate(subs, 1))


def _schedule(parts: Sequence[PillarPart], years: Sequence[str]) -> tuple[ScheduleRow, ...]:
    """Section 5: item × year. A year last year's plan gives a stage keeps it (marked where it is in
    doubt); the first year otherwise from the item's state (last year's results decide it first),
    later years left to fill in."""
    out = []
    for part in parts:
        for r in part.rows:
            if r.kind == "placeholder":
                continue
            kinds = {f.kind for f in r.flags}
            planned = dict(r.planned)
            mark = REVIEW if r.planned_doubt else ""
            if r.kind == "candidate":
                first: Text = (Span("採否", REVIEW),)
            elif r.stage:
                first = (Span(r.stage),)
            elif years[0] in planned:
                first = (Span(planned[years[0]], mark),)
            elif STUDIED in kinds:
                first = (Span("検討"),)
            elif "随時" in plain(r.content):
                first = (Span("随時"),)
            else:
                first = (Span("実施"),)
            if ENDING in kinds:  # the plan says it ended last year: whether it goes on is to decide
                first = tuple(Span(x.text, REVIEW) for x in first)
            later = tuple((Span(planned[y], mark),) if y in planned else () for y in years[1:])
            out.append(ScheduleRow(f"({part.number})" if part.number else "未", r.number, r.name,
                                   plain(r.status), (first, *later)))
    return tuple(out)


# --- the review sheet ---------------------------------------------------------------------------

def _renamed_headings(plan: Document, outline: Outline) -> list[tuple[int, str, str]]:
    """(pillar, last year's heading, the outline's title) where last year's plan, a draft of plandraft
    on this outline finished in Word, titled a pillar otherwise ((1) 協働の意識づくり for (1) 市民の協働に対する
    意識の醸成): the draft puts the outline's title back, and the planner decides. Only where most of
    the plan's "(n) …" headings are the outline's titles, so the plan is one written on it."""
    titles = {p.number: p.title for p in outline.pillars}
    headings: dict[int, str] = {}
    for item in plan.items:
        for heading in (item.measure, item.policy):
            found = numbering(heading or "")  # (3) 協働の仕組みづくり, as plandraft titles a pillar
            if found is not None and found.kind == "paren" and (number := int(found.number.strip("(（)）"))) in titles:
                headings.setdefault(number, found.text)
    same = [n for n, h in headings.items() if strip_noise(h) == strip_noise(titles[n])]
    if len(same) * 2 < len(headings):
        return []
    return [(n, h, titles[n]) for n, h in sorted(headings.items()) if n not in same]


def _review(parts: Sequence[PillarPart], goal_heading: str, goal_no: int, guidance: Sequence[str], projects_no: int,
            model_heading: str, organisation_heading: str, organisation: Sequence[Subsection],
            schedule_heading: str, years: Sequence[str], period: str = "",
            planned: bool = False, added: Sequence[str] = (),
            renamed: Sequence[tuple[int, str, str]] = ()) -> tuple[ReviewItem, ...]:
    """The review sheet, in document order: one line per row with flags (a pillar's candidates on
    one line), one per place to fill in. period: what to decide because the year drafted is outside
    the plan's period (its comment takes the cover's place, so the 発行年月 line has none); planned:
    the schedule's later years hold stages of last year's plan."""
    review: list[tuple[str, str, str, str]] = [(PERIOD, "表紙", period, "issued")] if period else []
    review.append((FILL_IN, "表紙", "発行年月を記入", "" if period else "issued"))
    if guidance:
        review.append((FILL_IN, goal_heading, f"本文の【記入】欄（{len(guidance)}か所：基本方針・計画の意義など）を記入",
                       "guidance"))
    for part in parts:
        if part.description and part.description[0].mark in (REVIEW, FILL):
            review.append((FILL_IN, f"{goal_no}. 表 {part.heading}", "この柱の目指すもの（方向性）を記入",
                           f"goal:{part.number}"))
    for number, old, title in renamed:
        review.append((HEADING, f"{projects_no}.({number})", f"前年度の計画では、この柱の見出しは「{old}」でした。"
                       f"構成案の「{title}」にしています。どちらにするか確認（構成案を直せば翌年度からもその見出しになります）", ""))
    for part in parts:
        where = f"{projects_no}.{part.heading.split(' ')[0]}"
        cands = [r for r in part.rows if r.kind == "candidate"]
        for r in part.rows:
            if r.flags and r.kind != "candidate":
                review.append(("・".join(dict.fromkeys(f.kind for f in r.flags)), f"{where} {r.number} {r.name}",
                               "／".join(f.note for f in r.flags), f"row:{r.number}"))
        if cands:
            span = cands[0].number if len(cands) == 1 else f"{cands[0].number}〜{cands[-1].number}"
            undecided = sum(1 for r in cands if r.item_id)  # left undecided in last year's draft
            cities = "、".join([*((f"前年度の案から採否未定のまま{undecided}件",) if undecided else ()),
                               *dict.fromkeys(r.source for r in cands if not r.item_id)])
            review.append((CANDIDATE, f"{where} {span}", f"{len(cands)}件の新規候補（{cities}）の採否を判断（採用なら内容・主体・関係部署を記入し区分を「新規」に）",
                           f"row:{cands[0].number}"))
    review += [(CANDIDATE, "進行管理シート", note, "") for note in added]
    review.append((FILL_IN, model_heading, "モデル事業として取り組むものを選び、本市での取り組みを記入", "model"))
    review.append((FILL_IN, organisation_heading,
                   "・".join(s.heading.split(" ", 1)[-1].removesuffix("について") for s in organisation) + "を記入",
                   "organisation"))
    review.append((FILL_IN, schedule_heading,
                   f"{years[0]}の予定を確認し、{years[1]}以降の欄を記入"
                   + ("（前年度計画のスケジュールにある予定は転記済み。確認する）" if planned else ""), "schedule"))
    return tuple(ReviewItem(k, kind, where, note, anchor) for k, (kind, where, note, anchor) in enumerate(review, 1))


def _flag_summary(rows: Sequence[Row]) -> str:
    """'柱の確認 3件、要更新 5件…': the flags in the body, by kind."""
    counts: dict[str, int] = {}
    for r in rows:
        for f in r.flags:
            counts[f.kind] = counts.get(f.kind, 0) + 1
    return "、".join(f"{k} {counts[k]}件" for k in FLAG_KINDS if counts.get(k))


# --- the whole draft ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _ReviewTexts:
    """What the draft says about how it shows the places to check."""

    where: str  # on the cover
    legend: str  # under section 2's heading
    review_lead: str  # at the top of the review sheet


_REVIEW_TEXTS = {
    COMMENTS: _ReviewTexts(
        "確認が必要な箇所にはコメント（校閲）を付けています。黄色の網掛けは記入が必要な箇所です",
        "確認が必要な箇所にはコメントを付けています（巻末の確認事項一覧を参照）。黄色の網掛けは記入欄です。",
        "この案で人の判断が必要な箇所です。本文のコメントと対応しています（確認後は［校閲］→［削除］→"
        "［ドキュメント内のすべてのコメントを削除］でまとめて消せます）。"),
    INLINE: _ReviewTexts(
        "黄色の網掛けと▲印は確認が必要な箇所です",
        "▲印と黄色の網掛けは確認が必要な箇所です（巻末の確認事項一覧を参照）。",
        "この案で人の判断が必要な箇所です。本文の▲印・黄色の網掛けと対応しています。"),
}


def build_draft(
    outline: Outline,
    plan: Document,
    matches: Iterable[Match],
    others: Sequence[Document] = (),
    year: int | None = None,
    settings: DraftSettings | None = None,
    drop: Iterable[str] = (),
    results: Mapping[str, Result] | None = None,
    added: Sequence[Result] = (),
) -> Draft:
    """The content of next year's plan. matches may cover the other plans' items too (they are
    suggested where they match a pillar confidently); drop names item ids not to carry over (shown
    as 削除 in the 新旧対照表). results: last year's results by item id (the 進行管理シート read
    back; None: drafted without them): completed and abolished items are not carried but listed
    with their reason, the others flagged as their results ask. added: the sheet's rows that link to
    no item (a measure a 担当課 added at the bottom), each a line of the review sheet. Raises
    ValueError if the plan has no fiscal year and year is None."""
    settings = settings or DraftSettings()
    years = _years(plan, year)
    by_id = {m.item_id: m for m in matches}
    dropped = set(drop)
    finished = _finished(plan, results or {})
    dropped |= {f.item_id for f in finished if f.item_id}
    reasons = {f.item_id: f.reason for f in finished if f.item_id}
    goal_heading, goal_section = _section(outline, ("目指す", "目標"), 1, "行動計画の目指すもの")
    projects_heading, projects_section = _section(outline, ("具体的な事業", "事業"), 2, "市民協働推進のための具体的な事業")
    model_heading, model_section = _section(outline, ("モデル",), 3, "モデル事業")
    organisation_heading, organisation_section = _section(outline, ("推進体制", "体制"), 4, "計画の推進体制")
    schedule_heading, _ = _section(outline, ("スケジュール", "工程"), 5, "計画のスケジュール")
    projects_no = projects_section.number if projects_section else 2
    goal_no = goal_section.number if goal_section else 1
    plan_name = f"{years.from_label}計画"
    sim = Overlap([f"{i.name} {i.content}" for i in plan.items if i.id not in dropped])

    parts = _pillar_parts(outline, plan, others, by_id, dropped, years, settings, sim, results)
    rows_all = [r for p in parts for r in p.rows]
    organisation = _organisation(organisation_section, years.label)
    schedule_years = tuple(fiscal_year_label(years.year + k) for k in range(SCHEDULE_YEARS))
    planned_later = any(label in dict(r.planned) for r in rows_all for label in schedule_years[1:])
    guidance = _guidance(goal_section)
    period_note = _period_check(plan, years)
    review = _review(parts, goal_heading, goal_no, guidance, projects_no, model_heading, organisation_heading,
                     organisation, schedule_heading, schedule_years, period_note, planned_later, _added(added),
                     _renamed_headings(plan, outline))
    summary = "、".join(x for x in (f"{PERIOD} 1件" if period_note else "", _flag_summary(rows_all)) if x)
    changes = change_rows(plan.items, parts, by_id, years.label, projects_no, reasons)
    n_changed = sum(1 for c in changes if plain(c.change) == "変更")
    n_cands = sum(1 for r in rows_all if r.kind == "candidate")
    n_undecided = sum(1 for r in rows_all if r.kind == "candidate" and r.item_id)
    n_carried = sum(1 for r in rows_all if r.kind == "carried")
    n_measures = sum(1 for i in plan.items if CANDIDATE not in i.tags)  # last year's draft's 新規候補 are none

    title = rollover(one_line(plan.title), years.from_year, years.year) if plan.title else ""
    # The title names the new year already (as 令和元年度, or abbreviated: R元年度) or is given it.
    named = parse_fiscal_year(title) if title else None
    own_label = years.label if years.label in title else named.label if named and named.year == years.year else ""
    if not own_label:
        title, own_label = f"{years.label} {title or '市民協働推進アクションプラン'}".strip(), years.label
    era, n = wareki(years.year)
    texts = _REVIEW_TEXTS[settings.review]
    return Draft(
        period=one_line(plan.period or ""),
        declined=plan.declined,
        city=plan.city or "（市町村名）",
        title=title,
        plan_name=title.removeprefix(own_label).strip() or title,
        year=years.year,
        year_label=years.label,
        from_year=years.from_year,
        from_label=years.from_label,
        issued=(Span(f"{era}{era_number(n)}年　月", FILL),),
        cover_note=(f"この案は、{plan_name}（{Path(plan.path).name}）と{outline.title or '構成案'}"
                    f"（{Path(outline.path).name}）から作成した下書きです。{texts.where}"
                    f"（巻末の「確認事項一覧」に{len(review)}件）。"
                    + (period_note.split("。", 1)[0] + "。" if period_note else "")),
        goal_heading=goal_heading,
        goal_guidance=guidance,
        goal_lead=f"{years.label}の計画は、次の{len(outline.pillars)}本の施策の柱で構成します。",
        projects_heading=projects_heading,
        projects_lead=(f"{plan_name}の{n_carried}事業を施策の柱ごとに整理し、年度を{years.label}に改めました。"
                       + (f"前年度の案で採否が決まっていない新規候補{n_undecided}件は、新規候補のまま残しています。"
                          if n_undecided else "")
                       + (f"他都市の事例などから新規候補を{n_cands - n_undecided}件加えています。"
                          if n_cands - n_undecided else "")
                       + (f"前年度までの案から削除された新規候補{len(plan.declined)}件は、改めて挙げていません。"
                          if plan.declined else "")
                       + (f"前年度に完了・廃止した{len(finished)}事業は、章末の一覧に理由とともに挙げています。"
                          if finished else "")),
        legend=("主体　★市民が主体　●市が主体　◎市民と市が主体",
                "区分　継続：前年度からの事業　新規：今年度からの事業　新規候補：他都市事例等からの提案（採否を判断）",
                texts.legend,
                *(("前年度の実績　進行管理シートに担当課が記入した実績（【A】〜【D】は評価）",) if results is not None else ())),
        pillars=tuple(parts),
        model_heading=model_heading,
        model_lead=tuple(t for t in (model_section.text if model_section else ()) if len(t) > 40 or t.endswith("。")),
        model_projects=_model_projects(outline, rows_all, sim, settings.related),
        organisation_heading=organisation_heading,
        organisation=organisation,
        schedule_heading=schedule_heading,
        schedule_lead=(f"{schedule_years[0]}欄は前年度計画からの見込みです。"
                       + (f"{schedule_years[1]}以降の欄には前年度計画のスケジュールにある予定を転記しています。"
                          if planned_later else "")
                       + f"網掛けの欄（{schedule_years[1]}以降）を記入してください。"),
        schedule_years=schedule_years,
        schedule=_schedule(parts, schedule_years),
        review_heading="確認事項一覧（提出前に削除してください）",
        review_lead=texts.review_lead,
        review_summary=(f"本文の確認箇所：{summary}" if summary else "本文の確認箇所：なし",),
        review=review,
        changes=changes,
        changes_summary=(f"前年度{n_measures}事業"
                         + (f"（ほかに採否未定の新規候補{n_undecided}件）" if n_undecided else "")
                         + f"のうち変更{n_changed}件、"
                         f"削除{len(dropped & {i.id for i in plan.items})}件、新規候補{n_cands}件"),
        sources=_sources(plan, others),
        review_style=settings.review,
        results=results is not None,
        finished=tuple(finished),
    )


def _period_check(plan: Document, years: _Years) -> str:
    """Where the year drafted is outside the plan's period, what the planner has to decide ("" where
    it is inside, or the plan names no period plandraft can read)."""
    period = one_line(plan.period or "")
    span = parse_period(period)
    if span is None or span[1] > span[2]:
        return ""
    _, first, last = span
    if years.year > last:
        return (f"{years.label}は前年度計画の計画期間（{period}）を過ぎています。計画期間を延長するか、"
                f"次期計画を策定するかを決める（決めた期間に合わせて表題・本文を改める）")
    if years.year < first:
        return f"{years.label}は前年度計画の計画期間（{period}）より前の年度です。作成する年度を確認"
    return ""


def _added(rows: Sequence[Result]) -> list[str]:
    """The review lines of the sheet's rows a 担当課 added (they link to no measure of last year's
    plan): whether the new measure goes into the plan."""
    out = []
    for r in rows:
        if r.linked_by == "repeated" or not (r.name or r.number):
            continue
        said = "、".join(x for x in (r.status, one_line(r.achievement), r.direction) if x)
        where = " ".join(x for x in (Path(r.file).name if r.file else "", f"行{r.row}") if x)
        out.append(f"担当課が進行管理シートに加えた行「{one_line(r.name or r.number)}」（{where}{'：' + said if said else ''}）。"
                   "新しい事業として計画に載せるか判断（載せるなら柱を決めて行を加え、区分を「新規」に）")
    return out


def _finished(plan: Document, results: Mapping[str, Result]) -> list[FinishedRow]:
    """Last year's items their results end (完了, 廃止), in the plan's order, with the reason."""
    out = []
    for k, item in enumerate(plan.items, 1):
        r = results.get(item.id)
        if r is not None and r.dropped:
            out.append(FinishedRow(item.number or str(k), one_line(item.name),
                                   "、".join(one_line(d) for d in item.departments), r.outcome, r.reason, item.id))
    return out


def _sources(plan: Document, others: Sequence[Document]) -> tuple[str, ...]:
    """The input files with their sha256; the built-in reference measures (one Document for each
    page they were taken from, hundreds) as one entry with their count."""
    files = [d for d in (plan, *others) if d.format != REFERENCE_FORMAT]
    refs = [d for d in others if d.format == REFERENCE_FORMAT]
    out = [f"{Path(d.path).name} (sha256 {d.sha256[:12]})" for d in files]
    if refs:
        out.append(f"参考事例 {sum(len(d.items) for d in refs)}件（{len({d.city for d in refs})}市町村）")
    return tuple(out)
