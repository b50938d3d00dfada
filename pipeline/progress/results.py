"""Last year's results in: a filled 進行管理シート (plandraft's own, or another city's progress report
found by its header names) read as one Result per row, each linked to an item of last year's plan by
its stable id, then its number, then its name; rows that link to nothing are reported. The copies the
担当課 send back (each with its own rows filled) are merged: an item's result is the one filled in,
and two copies that fill it differently are reported."""
from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..ingest.structure.schedule import name_similarity
from ..messages import input_error, text
from ..model import Document, Item
from ..text.normalize import fiscal_year_label, nfkc
from ..text.similarity import strip_noise

# What the 担当課 fill in, and the words plandraft's own sheet offers in its drop-downs.
DONE, PARTLY, NOT_DONE, COMPLETED = "実施", "一部実施", "未実施", "完了"
STATUSES = (DONE, PARTLY, NOT_DONE, COMPLETED)
CONTINUE, EXPAND, REVISE, ABOLISH, FINISH = "継続", "拡充", "見直し", "廃止", "完了"
DIRECTIONS = (CONTINUE, EXPAND, REVISE, ABOLISH, FINISH)
# The sheet's drop-down for 次年度の方向: the directions and 実施, what a 検討 measure that goes ahead
# is given (Result.moves_to_practice); a list that refused it would make Excel refuse the README's way.
GO_AHEAD = "実施"
SHEET_DIRECTIONS = (CONTINUE, EXPAND, GO_AHEAD, REVISE, ABOLISH, FINISH)
GRADES = ("A", "B", "C", "D")

ID_HEADER = "管理ID"  # plandraft's hidden column

# Header words of each column a progress report may have (the longest word found in a header wins).
_HEADERS: dict[str, tuple[str, ...]] = {
    "id": (ID_HEADER, "ID"),
    "number": ("番号", "No", "No.", "NO", "№", "事業番号", "整理番号"),
    "name": ("項目", "事業名", "取組名", "取り組み名", "具体的な取組", "主な取組", "取組", "事業", "名称", "施策名"),
    "status": ("実施状況", "進捗", "進捗状況", "取組状況", "達成状況", "実施結果"),
    "achievement": ("実績", "取組実績", "実施内容・実績", "成果", "進捗・実績"),
    "grade": ("評価", "自己評価", "達成度", "評価区分"),
    "issue": ("課題", "問題点", "課題・問題点"),
    "direction": ("次年度の方向", "今後の方向", "今後の方向性", "次年度に向けた取組", "次年度の取組", "次年度",
                  "今後の取組", "方向性"),
}
_RESULT_ROLES = ("status", "achievement", "grade", "direction")
_HEADER_ROWS = 15  # a header is looked for in this many rows at the top of each sheet


@dataclass(frozen=True)
class Result:
    """One row of a filled sheet: what a 担当課 reported for one measure (values as normalized
    words where a drop-down offers them, else as written)."""

    row: int  # the sheet row (or the item's place in a document)
    name: str
    number: str = ""
    sheet_id: str = ""
    status: str = ""  # 実施 / 一部実施 / 未実施 / 完了, or as written
    achievement: str = ""  # 実績
    grade: str = ""  # A–D
    issue: str = ""  # 課題
    direction: str = ""  # 継続 / 拡充 / 見直し / 廃止 / 完了, or as written
    item_id: str = ""  # the item of last year's plan it is linked to ("" if none)
    linked_by: str = ""  # id, number or name
    file: str = ""  # the name of the sheet's file
    disputed: str = ""  # where two copies of the sheet fill this measure in differently: what each says

    @property
    def empty(self) -> bool:
        """True if the 担当課 left every result cell blank."""
        return not (self.status or self.achievement or self.grade or self.issue or self.direction)

    @property
    def dropped(self) -> bool:
        """True if the measure ends: completed (完了) or abolished (廃止)."""
        return self.direction in (ABOLISH, FINISH) or (self.status == COMPLETED and self.direction in ("", FINISH))

    @property
    def outcome(self) -> str:
        """完了 or 廃止, for a dropped measure."""
        return FINISH if self.direction == FINISH or (self.status == COMPLETED and not self.direction) else ABOLISH

    @property
    def reason(self) -> str:
        """Why a dropped measure ends, in a planner's words."""
        why = self.outcome
        detail = "。".join(t for t in (self.achievement, self.issue) if t)
        return f"前年度に{why}" + (f"（{detail}）" if detail else "") + (f"。{self.dispute}" if self.disputed else "")

    @property
    def dispute(self) -> str:
        """Where two copies of the sheet fill this measure in differently, the sentence that says so."""
        return f"担当課の記入が分かれています（{self.disputed}）" if self.disputed else ""

    def moves_to_practice(self) -> bool:
        """True if the result says a measure being studied (検討) goes ahead: its 実績, 課題 or
        次年度の方向 says it is put into practice (…から実施へ, 導入する, 次年度の方向「実施」). A plain
        実施 / 継続 says only that the study went on, so the item stays 検討."""
        text = nfkc(" ".join((self.achievement, self.issue, self.direction)))
        if nfkc(self.direction).strip() in (GO_AHEAD, "本格実施", "導入", "運用開始"):
            return True
        return bool(re.search(r"(?:実施|導入|運用|開始)(?:へ|に移行|に移る|する|します|予定|決定|が決定)"
                              r"|実施段階|本格実施|制度化", text))


@dataclass(frozen=True)
class Progress:
    """Filled sheets read back: the results linked to last year's items, the rows left over and the
    items two sheets filled in differently (the first sheet's result kept, the other's beside it)."""

    path: str  # the (first) sheet
    results: Mapping[str, Result] = field(default_factory=dict)  # item id → its result
    unlinked: tuple[Result, ...] = ()
    rows: int = 0  # rows read
    paths: tuple[str, ...] = ()  # every sheet read, in order (path alone where empty)
    conflicts: tuple[tuple[Result, Result], ...] = ()  # (kept, other) for one item
    notes: tuple[str, ...] = ()  # what else the planner should know of the sheets (one made for another year)

    @property
    def names(self) -> str:
        """The sheets' file names, as a planner reads them in a sentence."""
        return "、".join(Path(p).name for p in (self.paths or (self.path,)))

    def warnings(self) -> list[str]:
        """One line per note on the sheets, per row that links to no item of last year's plan, and per
        item two sheets filled in differently."""
        return [*self.notes, *self.unlinked_lines(), *self.conflict_lines()]

    def unlinked_lines(self) -> list[str]:
        """One line per row that links to no item of last year's plan (or repeats one another row
        of its sheet links to)."""
        name = Path(self.path).name
        out = []
        for r in self.unlinked:
            if r.linked_by == "repeated":
                out.append(text("results.repeated_row", file=r.file or name, row=r.row, item=r.name or r.number))
            else:
                out.append(text("results.unlinked_row", file=r.file or name, row=r.row, item=r.name or r.number))
        return out

    def conflict_lines(self) -> list[str]:
        """One line per item two sheets filled in differently."""
        return [text("results.conflict", item=kept.name or kept.number, file=kept.file, row=kept.row,
                     other_file=other.file, other_row=other.row) for kept, other in self.conflicts]


# --- the stable id ------------------------------------------------------------------------------

def stable_id(year: int, number: str, name: str) -> str:
    """The id plandraft's sheet gives a measure of the plan for year: it is the same for the item
    read back from that plan's .docx (its year, number and name), so the filled sheet links to it
    even though the .docx was made into a new file."""
    digest = hashlib.sha1(strip_noise(nfkc(name)).encode("utf-8")).hexdigest()[:8]
    return f"{year}-{_number_key(number)}-{digest}"


def _number_key(number: str) -> str:
    text = nfkc(number or "").strip().strip("()（）[]【】.．")
    return re.sub(r"[\s‐−–—ー－]+", "-", text).lower()


# --- reading --------------------------------------------------------------------------------------

def _clean(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text in ("-", "－", "―", "ー") else text


def normalize_status(text: str) -> str:
    """実施状況 as one of STATUSES where the text says which (済, 一部, 未, 完了 …), else as written."""
    t = nfkc(text).replace(" ", "")
    if not t:
        return ""
    if "一部" in t or "一部実施" in t or "途中" in t:
        return PARTLY
    if (t.startswith(("未", "不", "中止", "休止", "延期", "取りやめ", "取止め", "見送")) or "未実施" in t or "不実施" in t
            or "実施せず" in t or "実施しなかった" in t or "できなかった" in t or "中止" in t):
        return NOT_DONE
    if "完了" in t or "終了" in t or t == "達成":
        return COMPLETED
    if "実施" in t or t in ("済", "実施済", "○", "◯"):
        return DONE
    return text.strip()


_DIRECTION_WORDS = (("廃止", ABOLISH), ("終了", FINISH), ("完了", FINISH), ("拡充", EXPAND), ("拡大", EXPAND),
                    ("充実", EXPAND), ("見直", REVISE), ("改善", REVISE), ("継続", CONTINUE))
# A direction said with a doubt (廃止も含めて検討, 継続か廃止か): not a decision to act on.
_HEDGED = re.compile(r"含め|含む|検討|可能性|未定|か(?:廃止|継続|見直|拡充|終了|完了)|[?？]")


def normalize_direction(text: str) -> str:
    """次年度の方向 as one of DIRECTIONS where the text is one, or begins with one and says no other
    (継続（一部見直し） is 見直し: a change is the telling part); a hedged answer (廃止も含めて検討) or two
    directions at odds are kept as written, for the planner to ask about."""
    t = nfkc(text).replace(" ", "")
    if not t:
        return ""
    lead = next(((word, value) for word, value in _DIRECTION_WORDS if t.startswith(word)), None)
    if lead is None or _HEDGED.search(t[len(lead[0]):]):
        return text.strip()
    first = lead[1]
    found = list(dict.fromkeys(value for word, value in _DIRECTION_WORDS if word in t))
    if len(found) == 1:
        return first
    change = [v for v in found if v in (REVISE, EXPAND)]
    if set(found) == {CONTINUE, *change} and len(change) == 1:
        return change[0]  # 継続（一部見直し）, 改善して継続: carried on, with the change
    return text.strip()


def normalize_grade(text: str) -> str:
    t = nfkc(text).strip().upper()
    return t[0] if t[:1] in GRADES else text.strip()


def _role(header: str) -> str | None:
    word = re.sub(r"\s+", "", nfkc(header)).strip("【】[]()（）■□・:：")
    if not word or len(word) > 20:
        return None
    best: tuple[int, int] | None = None
    role = None
    for name, words in _HEADERS.items():
        for w in words:
            w = nfkc(w)
            if word == w or (len(w) > 1 and w in word):
                key = (len(w) + (100 if word == w else 0), -list(_HEADERS).index(name))
                if best is None or key > best:
                    best, role = key, name
    return role


def _header(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, role → column) of the first row naming a measure and a result."""
    for k, row in enumerate(rows[:_HEADER_ROWS]):
        roles: dict[str, int] = {}
        for col, value in enumerate(row):
            role = _role(_clean(value))
            if role and role not in roles:
                roles[role] = col
        if any(r in roles for r in ("id", "number", "name")) and any(r in roles for r in _RESULT_ROLES):
            return k, roles
    return None


def _result(row_no: int, get: Mapping[str, str]) -> Result:
    return Result(row=row_no, name=get.get("name", ""), number=get.get("number", ""), sheet_id=get.get("id", ""),
                  status=normalize_status(get.get("status", "")), achievement=get.get("achievement", ""),
                  grade=normalize_grade(get.get("grade", "")), issue=get.get("issue", ""),
                  direction=normalize_direction(get.get("direction", "")))


def _with_merged(ws: Any) -> list[tuple[Any, ...]]:
    """The sheet's rows as values, a merged range's value in every cell of it (a 担当課 who merges 完了
    over two measures' rows says it of both; openpyxl gives it to the first cell only)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
            line = rows[r - 1]
            line.extend([None] * (merged.max_col - len(line)))
            for c in range(merged.min_col, merged.max_col + 1):
                line[c - 1] = value
    return [tuple(r) for r in rows]


def read_sheet_rows(path: Path) -> list[Result]:
    """Every measure row of an .xlsx progress report, from the first sheet with a header naming a
    measure (番号, 項目 …) and a result (実施状況, 実績, 評価, 次年度の方向, 進捗 …)."""
    from openpyxl import load_workbook

    from ..ingest.docx import check_package

    # Not read_only: merged cells are only seen so. The memory that costs is bounded by the zip-bomb
    # check the plans' reader makes first (ingest/xlsx.py), made here too.
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise input_error("file.unreadable", reason=exc.strerror or exc, path=str(path)) from exc
    try:
        check_package(data, "xlsx")
    except InputError as exc:
        raise exc.at(str(path)) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=False, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise input_error("results.not_excel", kind=type(exc).__name__).at(str(path)) from exc
    try:
        for ws in wb.worksheets:
            rows = _with_merged(ws)
            found = _header(rows)
            if found is None:
                continue
            start, roles = found
            out = []
            for k, row in enumerate(rows[start + 1:], start=start + 2):
                get = {role: _clean(row[col]) if col < len(row) else "" for role, col in roles.items()}
                if not (get.get("name") or get.get("number") or get.get("id")):
                    continue
                out.append(_result(k, get))
            return out
    finally:
        wb.close()
    raise InputError("進行管理シートの見出し（項目・番号と実施状況・実績・評価・次年度の方向など）が見つかりません",
                     "見出しの行に「項目」と「実施状況」などの列名があるか確認してください", path=str(path))


def _status_fields(item: Item) -> dict[str, str]:
    """An item's progress cells ('実施状況：実施; 実績：…') by role."""
    out: dict[str, str] = {}
    for label, value in item.status_cells():
        role = _role(label)
        if role in ("status", "achievement", "grade", "issue", "direction") and role not in out:
            out[role] = value
    return out


def results_from_document(doc: Document) -> list[Result]:
    """The results in a plan-like document another city publishes (its items' progress cells)."""
    out = []
    for k, item in enumerate(doc.items, start=1):
        got = _status_fields(item)
        if got:
            out.append(_result(item.source.row or k, {"name": item.name, "number": item.number, **got}))
    return out


# --- linking ----------------------------------------------------------------------------------

# How alike a sheet row's name and a measure's must be for the row's number alone to link them
# (協働出前講座 for まちづくり協働出前講座の開催; not 学習会 for 市民団体を対象とした講座の開催).
NAME_AGREES = 0.5


def plan_ids(plan: Document, year: int) -> dict[str, str]:
    """Item id → the stable id a sheet gives the item of plan (for year): stable_id of its number and
    name; where two items share both (① 職員研修の実施 under 施策1 and under 施策2, as numbering restarts
    under each policy), their headings go into the number, so each keeps an id of its own."""
    plain = {it.id: stable_id(year, it.number, it.name) for it in plan.items}
    seen = Counter(plain.values())
    return {it.id: plain[it.id] if seen[plain[it.id]] == 1 else stable_id(year, "/".join([*it.path, it.number]), it.name)
            for it in plan.items}


def _sheet_year(results: Sequence[Result]) -> int:
    """The fiscal year the sheet's ids were made for (its most common one), or 0."""
    years = [m.group(1) for r in results if (m := re.match(r"(\d{4})-", r.sheet_id))]
    return int(max(set(years), key=years.count)) if years else 0


def link(results: Iterable[Result], plan: Document) -> tuple[dict[str, Result], list[Result]]:
    """Each result linked to an item of plan: by id (the item's own id or its stable id, plan_ids),
    then by its number, then by its name (each only where it names one item). (item id → result,
    unlinked). A plan that does not say its year is taken to be the year the sheet was made for."""
    results = list(results)
    year = plan.fiscal_year.year if plan.fiscal_year else _sheet_year(results)
    by_id: dict[str, Item] = {}
    by_number: dict[str, list[Item]] = {}
    by_name: dict[str, list[Item]] = {}
    stable = plan_ids(plan, year)
    for it in plan.items:
        by_id[it.id] = it
        by_id[stable[it.id]] = it
        if it.number:
            by_number.setdefault(_number_key(it.number), []).append(it)
        by_name.setdefault(strip_noise(nfkc(it.name)), []).append(it)
    linked: dict[str, Result] = {}
    unlinked: list[Result] = []
    for r in results:
        item: Item | None = by_id.get(r.sheet_id) if r.sheet_id else None
        how = "id"
        numbered = by_number.get(_number_key(r.number), []) if r.number else []
        if item is None and numbered:
            named = [i for i in numbered if strip_noise(nfkc(i.name)) == strip_noise(nfkc(r.name))]
            item, how = (named[0], "number") if len(named) == 1 else (None, "")
        if item is None and r.name:
            same = by_name.get(strip_noise(nfkc(r.name)), [])
            item, how = (same[0], "name") if len(same) == 1 else (None, "")
        if item is None and numbered:
            # The number alone only where the names agree (a name shortened or reworded a little): after
            # a measure is deleted and the rest renumbered, 1-3 of the sheet is another measure now.
            agree = [i for i in numbered if not r.name or name_similarity(i.name, r.name) >= NAME_AGREES]
            item, how = (agree[0], "number") if len(agree) == 1 else (None, "")
        if item is None:
            unlinked.append(r)
            continue
        if item.id in linked:  # a second row of the same measure: said as such, not merged
            unlinked.append(replace(r, item_id=item.id, linked_by="repeated"))
            continue
        linked[item.id] = replace(r, item_id=item.id, linked_by=how)
    return linked, unlinked


def read_progress(path: Path | str | Sequence[Path | str], plan: Document, document: Document | None = None,
                  on_error: Callable[[Path, InputError], None] | None = None) -> Progress:
    """The filled sheet at path, or the sheets (a copy per 担当課; a file given twice is read once),
    linked to plan's items. An .xlsx is read by its header names; another format is read as a plan
    (document: that file already read) and its progress cells used. Of several sheets, each cell of
    an item's result is the one a copy filled in; where two fill one differently, the first's is kept
    and the pair reported (Progress.conflicts), except that a measure one copy ends (完了, 廃止) and
    another carries on is carried, to be decided. Raises InputError for a file that cannot be read or
    has no progress columns; with several sheets and on_error, such a sheet is handed to it and the
    others are read (InputError when none is left)."""
    if isinstance(path, (str, Path)):
        return _read_one(Path(path), plan, document)
    paths = list({Path(p).resolve(): Path(p) for p in path}.values())
    read: list[Progress] = []
    last: InputError | None = None
    for p in paths:
        try:
            read.append(_read_one(p, plan, document if len(paths) == 1 else None))
        except InputError as exc:
            if on_error is None:
                raise
            on_error(p, exc.at(p))
            last = exc
    if not read:
        raise last or InputError("進行管理シートがありません", "記入済みの進行管理シートを指定してください")
    return merge(read) if len(read) > 1 else read[0]


_FIELDS = (("status", "実施状況"), ("achievement", "実績"), ("grade", "評価"), ("issue", "課題"), ("direction", "次年度の方向"))


def _combined(kept: Result, other: Result) -> tuple[Result, list[str]]:
    """kept with the cells other filled that kept left blank (but never other's ending of a measure
    kept carries on), and the labels of the cells both filled differently."""
    fill: dict[str, Any] = {}
    differ: list[str] = []
    ends = other.dropped and _carries_on(kept)
    for name, label in _FIELDS:
        mine, theirs = getattr(kept, name), getattr(other, name)
        if ends and name in ("status", "direction") and mine != theirs:
            differ.append(label)
        elif not mine and theirs:
            fill[name] = theirs
        elif mine and theirs and nfkc(mine).strip() != nfkc(theirs).strip():
            differ.append(label)
    return (replace(kept, **fill) if fill else kept), differ


def _carries_on(r: Result) -> bool:
    """Whether r says the measure goes on: its 実施状況 or 次年度の方向 filled, and not an ending."""
    return bool(r.status or r.direction) and not r.dropped


def _cells(r: Result, labels: Sequence[str]) -> str:
    """What r says in the cells labels name, in short: 実施状況「実施」、次年度の方向「継続」."""
    names = dict((label, name) for name, label in _FIELDS)
    return "、".join(f"{label}「{' '.join(getattr(r, names[label]).split())[:30] or '空欄'}」" for label in labels)


def merge(sheets: Sequence[Progress]) -> Progress:
    """Several sheets' results as one (see read_progress). Rows that link to no item are reported once
    however many copies hold them (a filled one rather than a blank one)."""
    results: dict[str, Result] = {}
    conflicts: list[tuple[Result, Result]] = []
    for sheet in sheets:
        for item_id, r in sheet.results.items():
            kept = results.get(item_id)
            if kept is None or (kept.empty and not r.empty):
                results[item_id] = r
                continue
            if r.empty:
                continue
            earlier = kept.disputed
            if kept.dropped and _carries_on(r):  # one copy ends it, another carries on: carry it, to decide
                kept, r = replace(r, disputed=""), replace(kept, disputed="")
            merged, differ = _combined(kept, r)
            said = f"{kept.file} 行{kept.row}：{_cells(kept, differ)}／{r.file} 行{r.row}：{_cells(r, differ)}" if differ else ""
            if differ:
                conflicts.append((kept, r))
            merged = replace(merged, disputed="／".join(t for t in (earlier, said) if t))
            results[item_id] = merged
    unlinked: dict[tuple[str, ...], Result] = {}
    for sheet in sheets:
        for u in sheet.unlinked:
            key = (_number_key(u.number), strip_noise(nfkc(u.name)), u.sheet_id,
                   "" if (u.number or u.name) else f"{u.file}:{u.row}")
            if key not in unlinked or (unlinked[key].empty and not u.empty):
                unlinked[key] = u
    return Progress(path=sheets[0].path, results=results, unlinked=tuple(unlinked.values()),
                    rows=sum(s.rows for s in sheets), paths=tuple(p for s in sheets for p in s.paths),
                    conflicts=tuple(conflicts), notes=tuple(n for s in sheets for n in s.notes))


def _read_one(path: Path, plan: Document, document: Document | None) -> Progress:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = read_sheet_rows(path)
    else:
        if document is None:
            from ..ingest import ingest_paths

            docs, errors = ingest_paths([path], use_cache=False)
            if not docs:
                reason = errors[0].reason if errors else "読めません"
                raise InputError(reason, "進行管理シート（.xlsx）を指定してください", path=str(path))
            document = docs[0]
        rows = results_from_document(document)
        if not rows:
            raise InputError("実施状況・実績・評価・次年度の方向などの列がありません",
                             "進行管理シート（.xlsx）を指定してください", path=str(path))
    linked, unlinked = link([replace(r, file=path.name) for r in rows], plan)
    return Progress(path=str(path), results=linked, unlinked=tuple(unlinked), rows=len(rows), paths=(str(path),),
                    notes=_other_year(path, rows, plan))


def _other_year(path: Path, rows: Sequence[Result], plan: Document) -> tuple[str, ...]:
    """A note where plandraft's sheet was made for another year's plan than plan (its hidden ids say
    the year): a copy left over from an earlier year, linked by number and name all the same."""
    years = {int(m.group(1)) for r in rows if (m := re.match(r"(\d{4})-", r.sheet_id))}
    mine = plan.fiscal_year.year if plan.fiscal_year else None
    other = sorted(y for y in years if y != mine)
    if mine is None or not other:
        return ()
    made = "・".join(fiscal_year_label(y) for y in other)
    return (text("results.other_year", file=path.name, made=made, plan=fiscal_year_label(mine)),)
