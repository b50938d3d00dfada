"""Draft stage: last year's plan, its matches and the outline → the content records of next year's plan.

Pure data, no Word: render.py lays these records out through the templates. build_draft is one builder
per section of the draft. What it does to last year's plan, item by item:
- every item is carried over exactly once, under the pillar it was matched to (items without a
  usable match go to a trailing "柱未定" group, flagged), its years rolled over (平成21年度 → 平成22年度,
  平成31年度 → 令和元年度, 2009年度 → 2010年度, 21年度 → 22年度; see normalize.rollover);
- its 区分 becomes 継続 (last year's 新規 included); (随時) stays;
- a decision the planner has to make is a Flag on the row and a line in the review sheet: figures and
  dates that go stale (要更新), items that were only being studied (検討結果を反映), low-confidence
  matches with their runner-up pillar (柱の確認), items named twice (重複確認);
- other cities' projects (the outline's examples and measures from other plans) are suggested as
  新規候補 where we do nothing similar (character-bigram overlap), more of them for thin pillars.
Text that needs a decision is carried as Spans marked "review", a place to type in as "fill"; each line
of the review sheet names its place in the body (anchor), where render.py puts a Word comment."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import MARK_OF_ACTOR, Document, Example, Item, Match, Outline, Section
from ..progress.results import EXPAND, PARTLY, REVISE, Result
from ..progress.results import NOT_DONE as NOT_DONE_STATUS
from ..reference import FORMAT as REFERENCE_FORMAT
from ..settings import DraftSettings
from ..text.normalize import era_number, fiscal_year_label, rollover, wareki
from ..text.similarity import Overlap, strip_noise
from .changes import change_rows, marked, old_content, one_line, policy_short, short_label, stale_figures, studied
from .records import (
    CANDIDATE,
    CHECK_PILLAR,
    COMMENTS,
    CONTINUING,
    DUPLICATE,
    FILL,
    FILL_IN,
    FLAG_KINDS,
    INLINE,
    NO_RESULT,
    NOT_DONE,
    PROMOTED,
    REVIEW,
    REWORD,
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


def _result_flags(result: Result | None, studied_item: bool) -> tuple[list[Flag], str]:
    """What last year's result asks of the planner, and this year's stage if it changes (a 検討 item
    that goes ahead is 実施)."""
    if result is None or result.empty:
        return [Flag(NO_RESULT, "進行管理シートに前年度の結果が記入されていません。担当課に確認")], ""
    flags = []
    issue = one_line(result.issue)
    if result.status in (NOT_DONE_STATUS, PARTLY):
        flags.append(Flag(NOT_DONE, f"前年度は{result.status}" + (f"。課題：{issue}" if issue else "")
                          + "。今年度の進め方を担当課と確認"))
    if result.direction in (EXPAND, REVISE):
        flags.append(Flag(REWORD, f"次年度の方向は「{result.direction}」。内容を{result.direction}後の取り組みに書き換える"
                          + (f"（課題：{issue}）" if issue and not flags else "")))
    if result.disputed:  # two 担当課 copies of the sheet say different things of it
        flags.append(Flag(NOT_DONE, f"{result.dispute}。どちらの結果か担当課に確認"))
    if studied_item and result.moves_to_practice():
        flags.append(Flag(PROMOTED, "前年度の検討の結果、実施へ移行。区分は継続とし、内容の「検討」を実施の表現に改める"))
        return flags, "実施"
    return flags, ""


def _carried_row(item: Item, match: Match | None, number: str, years: _Years, pillar_titles: dict[int, str],
                 results: Mapping[str, Result] | None = None) -> Row:
    """An item of last year's plan as a row of this year's, with what the planner has to check
    (and, with last year's results, what they report)."""
    name = rollover(one_line(item.name), years.from_year, years.year)
    content = rollover(old_content(item), years.from_year, years.year)
    flags: list[Flag] = []
    marks = stale_figures(content)
    if marks:
        figures = "」「".join(content[a:b] for a, b in marks)
        flags.append(Flag(STALE, f"「{figures}」を{years.label}の数値・日付に更新"))
    studies = studied(content)
    if studies or studied(name):
        flags.append(Flag(STUDIED, "前年度は検討段階。結果（実施／継続検討／終了）に合わせて書き換える"))
    result = results.get(item.id) if results is not None else None
    stage = ""
    if results is not None:
        extra, stage = _result_flags(result, bool(studies or studied(name)))
        if stage:
            flags = [f for f in flags if f.kind != STUDIED]
        flags += extra
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
        content=marked(content, [*marks, *studies]),
        actor=MARK_OF_ACTOR.get(item.actor or "", ""),
        departments="、".join(one_line(d) for d in item.departments),
        status=(Span(status),),
        source="",  # filled by the caller, which knows the plan
        flags=tuple(flags),
        item_id=item.id,
        result=one_line(result.achievement) if result is not None else "",
        grade=result.grade if result is not None else "",
        stage=stage,
    )


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
    """Section 2: every carried-over item under its pillar (柱未定 last), then the suggestions, a place
    to fill in where a pillar has neither; rows named twice flagged."""
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
    candidates = _candidates(outline, others, by_id)
    groups = [(p.number, p.title, p.description, grouped[p.number]) for p in outline.pillars]
    if unplaced:
        groups.append((0, UNPLACED, "", unplaced))
    parts: list[PillarPart] = []
    for number, title, description, members in groups:
        prefix = str(number) if number else "未"
        rows: list[Row] = []
        for item, m in members:
            row = _carried_row(item, m, f"{prefix}-{len(rows) + 1}", years, titles, results)
            source = " ".join(x for x in (plan_short, policy_short(item.policy), item.source.label(with_file=False)) if x)
            rows.append(dataclasses.replace(row, source=source))
        limit = settings.max_candidates_thin if len(rows) < settings.few_items else settings.max_candidates
        for c in _pick(candidates.get(number, []), ours, limit, settings.similar, sim):
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
    """Section 5: item × year; the first year from the item's state, later years to fill in."""
    out = []
    for part in parts:
        for r in part.rows:
            if r.kind == "placeholder":
                continue
            kinds = {f.kind for f in r.flags}
            if r.kind == "candidate":
                first: Text = (Span("採否", REVIEW),)
            elif r.stage:
                first = (Span(r.stage),)
            elif STUDIED in kinds:
                first = (Span("検討"),)
            elif "随時" in plain(r.content):
                first = (Span("随時"),)
            else:
                first = (Span("実施"),)
            out.append(ScheduleRow(f"({part.number})" if part.number else "未", r.number, r.name,
                                   plain(r.status), (first, *(() for _ in years[1:]))))
    return tuple(out)


# --- the review sheet ---------------------------------------------------------------------------

def _review(parts: Sequence[PillarPart], goal_heading: str, goal_no: int, guidance: Sequence[str], projects_no: int,
            model_heading: str, organisation_heading: str, organisation: Sequence[Subsection],
            schedule_heading: str, years: Sequence[str]) -> tuple[ReviewItem, ...]:
    """The review sheet, in document order: one line per row with flags (a pillar's candidates on
    one line), one per place to fill in."""
    review: list[tuple[str, str, str, str]] = [(FILL_IN, "表紙", "発行年月を記入", "issued")]
    if guidance:
        review.append((FILL_IN, goal_heading, f"本文の【記入】欄（{len(guidance)}か所：基本方針・計画の意義など）を記入",
                       "guidance"))
    for part in parts:
        if part.description and part.description[0].mark in (REVIEW, FILL):
            review.append((FILL_IN, f"{goal_no}. 表 {part.heading}", "この柱の目指すもの（方向性）を記入",
                           f"goal:{part.number}"))
    for part in parts:
        where = f"{projects_no}.{part.heading.split(' ')[0]}"
        cands = [r for r in part.rows if r.kind == "candidate"]
        for r in part.rows:
            if r.flags and r.kind != "candidate":
                review.append(("・".join(dict.fromkeys(f.kind for f in r.flags)), f"{where} {r.number} {r.name}",
                               "／".join(f.note for f in r.flags), f"row:{r.number}"))
        if cands:
            span = cands[0].number if len(cands) == 1 else f"{cands[0].number}〜{cands[-1].number}"
            cities = "、".join(dict.fromkeys(r.source for r in cands))
            review.append((CANDIDATE, f"{where} {span}", f"{len(cands)}件の新規候補（{cities}）の採否を判断（採用なら内容・主体・関係部署を記入し区分を「新規」に）",
                           f"row:{cands[0].number}"))
    review.append((FILL_IN, model_heading, "モデル事業として取り組むものを選び、本市での取り組みを記入", "model"))
    review.append((FILL_IN, organisation_heading,
                   "・".join(s.heading.split(" ", 1)[-1].removesuffix("について") for s in organisation) + "を記入",
                   "organisation"))
    review.append((FILL_IN, schedule_heading, f"{years[0]}の予定を確認し、{years[1]}以降の欄を記入", "schedule"))
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
) -> Draft:
    """The content of next year's plan. matches may cover the other plans' items too (they are
    suggested where they match a pillar confidently); drop names item ids not to carry over (shown
    as 削除 in the 新旧対照表). results: last year's results by item id (the 進行管理シート read
    back; None: drafted without them): completed and abolished items are not carried but listed
    with their reason, the others flagged as their results ask. Raises ValueError if the plan has
    no fiscal year and year is None."""
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
    guidance = _guidance(goal_section)
    review = _review(parts, goal_heading, goal_no, guidance, projects_no, model_heading, organisation_heading,
                     organisation, schedule_heading, schedule_years)
    summary = _flag_summary(rows_all)
    changes = change_rows(plan.items, parts, by_id, years.label, projects_no, reasons)
    n_changed = sum(1 for c in changes if plain(c.change) == "変更")
    n_cands = sum(1 for r in rows_all if r.kind == "candidate")
    n_carried = sum(1 for r in rows_all if r.kind == "carried")

    title = rollover(one_line(plan.title), years.from_year, years.year) if plan.title else ""
    if years.label not in title:
        title = f"{years.label} {title or '市民協働推進アクションプラン'}".strip()
    era, n = wareki(years.year)
    texts = _REVIEW_TEXTS[settings.review]
    return Draft(
        city=plan.city or "（市町村名）",
        title=title,
        plan_name=title.removeprefix(years.label).strip() or title,
        year=years.year,
        year_label=years.label,
        from_year=years.from_year,
        from_label=years.from_label,
        issued=(Span(f"{era}{era_number(n)}年　月", FILL),),
        cover_note=(f"この案は、{plan_name}（{Path(plan.path).name}）と{outline.title or '構成案'}"
                    f"（{Path(outline.path).name}）から作成した下書きです。{texts.where}"
                    f"（巻末の「確認事項一覧」に{len(review)}件）。"),
        goal_heading=goal_heading,
        goal_guidance=guidance,
        goal_lead=f"{years.label}の計画は、次の{len(outline.pillars)}本の施策の柱で構成します。",
        projects_heading=projects_heading,
        projects_lead=(f"{plan_name}の{n_carried}事業を施策の柱ごとに整理し、年度を{years.label}に改めました。"
                       + (f"他都市の事例などから新規候補を{n_cands}件加えています。" if n_cands else "")
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
        schedule_lead=f"{schedule_years[0]}欄は前年度計画からの見込みです。網掛けの欄（{schedule_years[1]}以降）を記入してください。",
        schedule_years=schedule_years,
        schedule=_schedule(parts, schedule_years),
        review_heading="確認事項一覧（提出前に削除してください）",
        review_lead=texts.review_lead,
        review_summary=(f"本文の確認箇所：{summary}" if summary else "本文の確認箇所：なし",),
        review=review,
        changes=changes,
        changes_summary=(f"前年度{len(plan.items)}事業のうち変更{n_changed}件、"
                         f"削除{len(dropped & {i.id for i in plan.items})}件、新規候補{n_cands}件"),
        sources=_sources(plan, others),
        review_style=settings.review,
        results=results is not None,
        finished=tuple(finished),
    )


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
