"""Draft records: the content of next year's plan as frozen records (Draft, its pillar parts, rows,
schedule, review list and 新旧対照表 rows), the Spans their text is made of and the marks on them."""
from __future__ import annotations

from dataclasses import dataclass

# What a planner has to decide, in the order the review sheet counts them.
CHECK_PILLAR = "柱の確認"
UNPLACED = "柱未定"
STUDIED = "検討結果を反映"
STALE = "要更新"
DUPLICATE = "重複確認"
CANDIDATE = "新規候補"
FILL_IN = "記入"
# From last year's results (the 進行管理シート read back).
NOT_DONE = "要確認"  # 未実施 / 一部実施: carried, with the 課題
REWORD = "表現の見直し"  # 拡充 / 見直し: carried, its wording to change
PROMOTED = "実施へ移行"  # a 検討 item that goes ahead
NO_RESULT = "結果未記入"  # the 担当課 reported nothing
# From last year's plan itself.
ENDING = "終了の確認"  # the plan says the measure ends last year (平成30年度で完了します。)
SCHEDULE = "予定の確認"  # the plan's schedule for the coming years, which last year's results put in doubt
PERIOD = "計画期間"  # the year drafted is outside the plan's period (令和5年度～令和9年度)
HEADING = "見出しの確認"  # last year's plan (a draft of plandraft, finished) titled a pillar otherwise
FLAG_KINDS = (PERIOD, HEADING, CHECK_PILLAR, UNPLACED, STUDIED, STALE, DUPLICATE, ENDING, NOT_DONE, REWORD, PROMOTED, SCHEDULE,
              NO_RESULT, CANDIDATE, FILL_IN)

CONTINUING = "継続"
NEW = "新規"
SCHEDULE_YEARS = 3  # the template has three year columns

# Span marks: text needing a decision, a place the planner has to type in, and the two sides of a
# change in the 新旧対照表.
REVIEW = "review"
FILL = "fill"
INSERTED = "inserted"
DELETED = "deleted"

# How the draft shows what needs a decision: Word comments (校閲) anchored on the text, or as the
# earlier drafts did, highlighted text and ▲ lines in the body.
COMMENTS = "comments"
INLINE = "inline"
REVIEW_STYLES = (COMMENTS, INLINE)


@dataclass(frozen=True)
class Span:
    text: str
    mark: str = ""  # "", REVIEW, FILL, INSERTED or DELETED


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
    kind: str = "carried"  # carried | candidate (item_id set: one last year's draft left undecided) | placeholder
    result: str = ""  # last year's 実績 (from the 進行管理シート)
    grade: str = ""  # last year's 評価 (A–D)
    stage: str = ""  # this year's stage when the results decide it (実施 for a 検討 item that goes ahead)
    # The stage last year's plan's own schedule gives each schedule year it names (year label → stage as
    # printed: 令和7年度 → 実施), and whether those stages are in doubt (last year's results or the
    # item's own state say they may not hold): the schedule shows them marked.
    planned: tuple[tuple[str, str], ...] = ()
    planned_doubt: bool = False


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
    """One line of the review sheet, and the comment on the place in the body it is about."""

    number: int
    kind: str  # flag kinds joined by ・
    where: str  # "2.(3) 3-2 広報紙の利用"
    note: str
    anchor: str = ""  # the place: issued, guidance, goal:3, row:3-2, model, organisation, schedule


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
class FinishedRow:
    """A measure of last year's plan not carried over because it was completed or abolished."""

    number: str  # its number in last year's plan
    name: str
    departments: str
    outcome: str  # 完了 / 廃止
    reason: str
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
    review_style: str = COMMENTS  # COMMENTS or INLINE
    results: bool = False  # drafted with last year's results (the 前年度の実績 column is shown)
    finished: tuple[FinishedRow, ...] = ()  # 前年度に完了・廃止した事業
    period: str = ""  # the plan period as last year's plan prints it (never rolled over: it is a span)
    declined: tuple[str, ...] = ()  # 新規候補 the planner declined in earlier years: not suggested again

    def rows(self) -> list[Row]:
        """Every row of section 2, in order."""
        return [r for p in self.pillars for r in p.rows]
