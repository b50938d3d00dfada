"""One validated settings record for a job (pdfplumber's TableSettings is the model): a section per
stage (read, match, compare, draft), every threshold a documented field, read from the [read],
[match], [compare] and [draft] tables of plandraft.toml; and the run's files (RunConfig)."""
from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import InputError, UsageError
from .files import SUFFIXES, expand_paths
from .messages import input_error, text
from .text.encoding import decode
from .text.normalize import parse_year_arg
from .workers import READER_MEMORY_MB


def _check_fields(obj: object) -> None:
    """ValueError unless every field holds its declared kind of value and numbers are not negative."""
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        kind = str(f.type)
        if kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(text("settings.not_bool", name=f.name, value=repr(value)))
        elif kind in ("int", "float"):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind == "int" and not isinstance(value, int)):
                code = "settings.not_whole_number" if kind == "int" else "settings.not_number"
                raise ValueError(text(code, name=f.name, value=repr(value)))
            if value < 0:
                raise ValueError(text("settings.negative", name=f.name, value=value))


def _in_unit(obj: object, name: str) -> None:
    value = getattr(obj, name)
    if not 0 <= value <= 1:
        raise ValueError(text("settings.not_unit", name=name, value=value))


# -- read --------------------------------------------------------------------------------------

PDF_ENGINES = ("auto", "pdfium", "pdfplumber")


@dataclass(frozen=True)
class PdfSettings:
    """How a PDF is read; the defaults suit plans made with Word, Ichitaro or Excel."""

    # Characters closer than this many font sizes belong to one word; wide enough for letter-spaced
    # (均等割付) text, while real spaces (space characters) still separate words.
    x_tolerance_ratio: float = 0.6
    y_tolerance: float = 3.0
    # Fake bold: the same character drawn again within this many points is dropped.
    dedupe_tolerance: float = 1.0
    # Running headers/footers live in this share of the page height (but at least margin_min points,
    # for small pages) at the top and bottom …
    margin_ratio: float = 0.08
    margin_min: float = 42.0
    # … and repeat (digits masked) on at least this share of the pages, when there are enough pages.
    repeat_share: float = 0.5
    repeat_min_pages: int = 3
    table_settings: dict[str, Any] = field(
        default_factory=lambda: {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    )
    # Where each page's characters, lines and rectangles come from: auto, PDFium (4-40× faster than
    # pdfminer), each page PDFium cannot be trusted with (characters missing, fonts without a Unicode
    # map, rotated or vertical text) read by pdfplumber; pdfium, PDFium even where those checks fail;
    # pdfplumber, pdfplumber (pdfminer) on every page.
    pdf_engine: str = "auto"

    def __post_init__(self) -> None:
        _check_fields(self)
        _in_unit(self, "margin_ratio")
        _in_unit(self, "repeat_share")
        if self.pdf_engine not in PDF_ENGINES:
            raise ValueError(text("settings.not_one_of", name="pdf_engine", choices=", ".join(PDF_ENGINES), value=repr(self.pdf_engine)))

    def text_settings(self) -> dict[str, Any]:
        return {"x_tolerance_ratio": self.x_tolerance_ratio, "y_tolerance": self.y_tolerance}


SETTINGS = PdfSettings()


MAX_SECONDS = 86_400.0  # the longest time limit a file may have: a day


@dataclass(frozen=True)
class Limits:
    """What reading one file may cost before it is stopped and reported as unreadable."""

    seconds: float = 60.0  # wall-clock time per file, reading and structuring
    # … or this many seconds per page, when more (a 612-page budget book is not a hostile file).
    seconds_per_page: float = 0.25
    memory_mb: int = READER_MEMORY_MB  # address space of a worker process (interpreter and libraries included)

    def __post_init__(self) -> None:
        _check_fields(self)
        if not 0 < self.seconds <= MAX_SECONDS:  # more overflows the worker's timer (OverflowError)
            raise ValueError(text("limits.bad_seconds", seconds=self.seconds, most=f"{MAX_SECONDS:g}"))
        if self.memory_mb < 256:  # the interpreter with pdfplumber, python-docx and openpyxl needs ~200 MB
            raise ValueError(text("limits.bad_memory", mb=self.memory_mb))

    def seconds_for(self, pages: int) -> float:
        """The time limit of a file of pages pages."""
        return max(self.seconds, pages * self.seconds_per_page)

    def timeout_error(self, seconds: float | None = None) -> InputError:
        """The error of a file stopped after seconds (its limit; default the per-file one)."""
        return input_error("limits.timeout", seconds=f"{self.seconds if seconds is None else seconds:g}")

    def memory_error(self) -> InputError:
        return input_error("limits.memory", mb=self.memory_mb)


LIMITS = Limits()
OCR_MODES = ("auto", "always", "never")

@dataclass(frozen=True)
class StructureSettings:
    """How items are recognised in any document (tables, outlines, label | value sheets) and when a
    document is judged not to be a plan of measures."""

    # A header cell longer than this (spaces removed) is text, not a column name.
    header_max_chars: int = 24
    # A row is a table header when at least this share of its filled cells are column words.
    header_word_share: float = 0.6
    # A label | value sheet (取組シート, 事務事業評価シート) has at least this many label rows.
    record_min_labels: int = 3
    # With no name column, the content is the name when at most this long; else its first sentence.
    name_max_chars: int = 80
    # A column is numeric (an amount, a count: never a name) when this share of its cells are numbers.
    numeric_share: float = 0.6
    # Not a plan: this share of all data cells of its tables are numbers (budget books, statistics) …
    nonplan_numeric_share: float = 0.6
    # … or more pages than this with fewer items per page than nonplan_items_per_page (a budget book).
    nonplan_min_pages: int = 150
    nonplan_items_per_page: float = 0.2
    # … or at least nonplan_min_rows table rows and lines of which fewer than this share are items.
    nonplan_min_rows: int = 200
    nonplan_item_share: float = 0.02

    def __post_init__(self) -> None:
        _check_fields(self)
        for name in ("header_word_share", "numeric_share", "nonplan_numeric_share", "nonplan_item_share"):
            _in_unit(self, name)


@dataclass(frozen=True)
class ReadSettings:
    """How documents are read: the per-file limits and the PDF reader's tolerances."""

    limits: Limits = field(default_factory=Limits)
    pdf: PdfSettings = field(default_factory=PdfSettings)
    structure: StructureSettings = field(default_factory=StructureSettings)
    # The outline names each pillar twice (in its list of goals and as a section heading): titles whose
    # character bigrams overlap this much are one pillar.
    outline_title_similarity: float = 0.5
    # Which PDF pages are read by OCR (Tesseract, Japanese): auto, the pages without a usable text
    # layer (none, or (cid:N) codes); always, every page; never, none (such pages are reported).
    ocr: str = "auto"
    # An item read by OCR whose text was recognised with less confidence than this is flagged.
    ocr_review_below: float = 0.8
    # Processes that read a large PDF's pages in parallel (the worker reading it among them): the
    # batch sets it to the cores its files leave free. Each has the worker's memory limit.
    page_processes: int = 1

    def __post_init__(self) -> None:
        _check_fields(self)
        _in_unit(self, "outline_title_similarity")
        _in_unit(self, "ocr_review_below")
        if self.page_processes < 1:
            raise ValueError(text("settings.bad_page_processes", value=self.page_processes))
        if self.ocr not in OCR_MODES:
            raise ValueError(text("settings.not_one_of", name="ocr", choices=", ".join(OCR_MODES), value=repr(self.ocr)))


# -- match -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MatchSettings:
    """How much each part of an item and of the outline counts; the defaults are what
    `plandraft evaluate` was measured with."""

    # An item's own name and content count more than its measure heading, which counts more than
    # the policy title (broad, and often misleading).
    name: float = 1.0
    content: float = 0.7
    measure: float = 0.4
    policy: float = 0.15
    # Where a term is found in a pillar.
    title: float = 3.0
    topic: float = 2.5
    description: float = 1.5
    example: float = 1.5
    detail: float = 1.0
    compound: float = 1.5  # a shared compound noun (出前講座) is worth more than a single word
    k1: float = 1.2  # BM25: how soon repeated mentions of a term in a pillar stop adding
    b: float = 0.75  # BM25: how much a long pillar (many topics and examples) is weighted down
    rules: float = 1.0  # multiplies every rule's weight
    field_cap: float = 15.0  # a field's points for a pillar saturate towards this (0: no limit)
    heading_title: float = 6.0  # points for a measure heading or policy title that is a pillar's own title
    learned: float = 12.0  # points for a corrected item identical in terms (similarity 1)
    learned_min: float = 0.5  # similarity below which a corrected item does not pull
    learned_power: float = 1.0  # pull = learned × similarity ** power (2: near-copies pull far more)
    learned_measure: float = 0.5  # and of the measure heading (the same heading often recurs next year)
    learned_context: float = 0.5  # weight of the content (name: 1) in that similarity
    # Confidence is the softmax share of the best score at temperature base + scale × best score, so a
    # lead counts relative to the scores' size (an item with context scores higher than a bare name).
    temperature: float = 1.0
    temperature_scale: float = 0.3
    review_below: float = 0.4  # confidence under which a match is flagged needs_review (without tuned)
    # An item's name: words inside its parentheses count this much (an explanatory parenthesis says
    # less about what the measure is), its head noun (the last word before 実施, 推進 …) this many times.
    parenthesis: float = 0.4
    head: float = 1.5
    # Words spread over many pillars in the labelled measures (制度, づくり) count less: a factor from
    # 1 down to generic_floor, computed by `plandraft train` and shipped with the model.
    generic: bool = True
    generic_floor: float = 0.3
    # The trained text model (pipeline/data/match_model.json, rebuilt by `plandraft train`): pillars
    # rank by (share of the outline's and rules' points + model_weight × model probability) / (1 +
    # model_weight). tuned: take model_weight and review_below as `plandraft train` chose them on the
    # tune split (stored with the model) instead of the two fields here.
    model: bool = True
    tuned: bool = True
    model_weight: float = 1.0
    # The model's probability of "no pillar" from which an item is reported as fitting no pillar (a
    # budget line, a works item), where no pillar is also the model's likeliest class.
    no_pillar_min: float = 0.5
    # An item no word of the outline or a rule supports is still supported (not 根拠なし) where a
    # labelled measure the model carries, of the pillar it is put under, is this similar to it (cosine
    # over the model's words; 1: the same words): that measure is shown as its evidence. 1 turns it off.
    precedent_min: float = 0.8
    evidence: int = 6  # evidence lines kept per match
    # Text fed to matching is cut at this many characters per field (a warning names the item), so one
    # huge cell cannot make matching take minutes: real measures are a few dozen characters.
    max_chars: int = 2000
    overrides: bool = True  # a correction wins for an item of its name (off: corrections only teach)
    # A correction or rule naming a pillar by its title finds it when the titles' character bigrams
    # overlap this much (so corrections survive renumbering and rewording of the outline).
    title_similarity: float = 0.5

    def __post_init__(self) -> None:
        _check_fields(self)
        for name in ("review_below", "learned_min", "title_similarity", "parenthesis", "generic_floor",
                     "no_pillar_min", "precedent_min"):
            _in_unit(self, name)
        if self.temperature <= 0:
            raise ValueError(text("settings.not_positive", name="temperature", value=self.temperature))

# -- compare -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CompareSettings:
    """When another city's measure counts as one of ours (a pair) or as a gap.

    threshold: measured on the outline's examples against 対馬市's plan, 0.4 pairs 市民協働事例集の発行
    with 協働(共働)事例集の作成 (0.56) and 職員向けの市民協働研修事業 with 職員研修の実施 (0.91), and keeps
    自治協議会運営マニュアルの作成 apart from 職員用マニュアル (0.37) and 住民リーダーの研修 from 職員研修の実施 (0.24)."""

    threshold: float = 0.4  # cosine similarity from which two measures are a pair
    group: float = 0.75  # gaps this similar to each other are listed as one
    content_weight: float = 0.5  # an item's content counts this much beside its name (1)
    # The built-in reference measures (参考事例) shown per pillar: the ones matched to it most surely
    # (the draft's suggestions and the web page's search draw on all of them).
    reference_per_pillar: int = 10

    def __post_init__(self) -> None:
        _check_fields(self)
        for name in ("threshold", "group"):
            _in_unit(self, name)


# -- draft -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DraftSettings:
    """How eagerly the draft suggests other cities' projects."""

    few_items: int = 3  # a pillar with fewer carried-over items than this is thin
    similar: float = 0.5  # share of a candidate's character bigrams found in one of our items: "we do that"
    related: float = 0.3  # the same share, for naming a related item of ours beside a model project
    max_candidates: int = 3  # suggestions per pillar
    max_candidates_thin: int = 6  # suggestions per thin pillar
    review: str = "comments"  # what needs a decision: "comments" (Word comments) or "inline" (highlight and ▲ lines)

    def __post_init__(self) -> None:
        _check_fields(self)
        if self.review not in ("comments", "inline"):
            raise ValueError(text("settings.not_one_of", name="review", choices="comments, inline", value=repr(self.review)))
        for name in ("similar", "related"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(text("settings.not_open_unit", name=name, value=getattr(self, name)))
        if self.few_items < 0 or self.max_candidates < 0 or self.max_candidates_thin < self.max_candidates:
            raise ValueError(text("settings.candidates"))

# -- the record --------------------------------------------------------------------------------

SECTIONS: dict[str, type] = {"read": ReadSettings, "match": MatchSettings, "compare": CompareSettings,
                             "draft": DraftSettings}


@dataclass(frozen=True)
class Settings:
    """Every threshold of a job, by stage. Settings.resolve(None | dict | Settings) at every entry point."""

    read: ReadSettings = field(default_factory=ReadSettings)
    match: MatchSettings = field(default_factory=MatchSettings)
    compare: CompareSettings = field(default_factory=CompareSettings)
    draft: DraftSettings = field(default_factory=DraftSettings)

    @classmethod
    def resolve(cls, value: Settings | Mapping[str, Any] | None, where: str = "settings") -> Settings:
        """value as Settings: None gives the defaults, a dict (as in plandraft.toml: {"match": {"name":
        1.0}, "read": {"timeout": 60, "pdf": {...}}}) is checked key by key. UsageError naming where and
        the key for an unknown key (with the nearest known one) or a bad value."""
        if value is None:
            return cls()
        if isinstance(value, Settings):
            return value
        return _from_mapping(cls, dict(value), where)


_READ_ALIASES = {"timeout": ("limits", "seconds"), "memory_limit": ("limits", "memory_mb")}


def _from_mapping(kind: type, raw: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(kind)}
    if kind is ReadSettings:  # [read] timeout / memory_limit are the CLI's names for the limits
        for alias, (section, key) in _READ_ALIASES.items():
            if alias in raw:
                raw.setdefault(section, {})[key] = raw.pop(alias)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            near = difflib.get_close_matches(key, [*known, *(_READ_ALIASES if kind is ReadSettings else ())], n=1)
            hint = text("config.did_you_mean", near=near[0]) if near else ""
            raise UsageError(text("config.unknown_setting", where=where, key=key) + hint)
        sub = _SUB.get((kind, key))
        if sub is not None:
            if not isinstance(value, Mapping):
                raise UsageError(text("config.not_a_table", where=f"{where} [{key}]"))
            values[key] = _from_mapping(sub, dict(value), f"{where} [{key}]")
        elif key == "table_settings":
            if not isinstance(value, Mapping):
                raise UsageError(text("config.not_a_table", where=f"{where} [{key}]"))
            values[key] = dict(value)
        else:
            if str(known[key].type) == "float" and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            values[key] = value
    try:
        return kind(**values)
    except (TypeError, ValueError) as exc:
        raise UsageError(text("config.bad_value", where=where, reason=exc)) from exc


_SUB: dict[tuple[type, str], type] = {(Settings, "read"): ReadSettings, (Settings, "match"): MatchSettings,
                                      (Settings, "compare"): CompareSettings, (Settings, "draft"): DraftSettings,
                                      (ReadSettings, "limits"): Limits, (ReadSettings, "pdf"): PdfSettings,
                                      (ReadSettings, "structure"): StructureSettings}


def settings_fields(kind: type = Settings, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted key, default) of every leaf setting, e.g. ('match.name', 1.0): what plandraft.toml
    documents."""
    out: list[tuple[str, Any]] = []
    default = kind()
    for f in fields(kind):
        sub = _SUB.get((kind, f.name))
        if sub is not None:
            out += settings_fields(sub, f"{prefix}{f.name}.")
        else:
            out.append((f"{prefix}{f.name}", getattr(default, f.name)))
    return out


# -- the run's files ---------------------------------------------------------------------------

CONFIG_NAME = "plandraft.toml"
CORRECTIONS_NAME = "corrections.tsv"
EDITS_NAME = "edits.tsv"
_OUTLINE_HINTS = ("構成", "outline", "骨子")
_FILE_KEYS = ("outline", "plan", "others", "corrections", "year", "city", "reference", "progress")
REFERENCE_MODES = ("auto", "always", "none")


@dataclass(frozen=True)
class RunConfig:
    """What one job reads and decides before reading anything: the files, the corrections file, the
    new plan's year (None: the plan's year + 1) and the settings. Made by load() from a folder's
    plandraft.toml (`plandraft run`, the web page) or by for_files() from command-line paths, with
    the same defaults, so every command drafts the same from the same inputs."""

    folder: Path
    outline: Path
    plan: Path
    documents: tuple[Path, ...]  # our plan files (the plan among them)
    others: tuple[Path, ...] = ()
    corrections: Path | None = None
    year: int | None = None
    city: str | None = None  # our municipality when the plan does not print it
    # The built-in reference measures of other municipalities: auto, when no other cities' plans are
    # given; always, beside them; none, never.
    reference: str = "auto"
    edits: Path | None = None  # the planner's wording of items (edits.tsv, written by the web page)
    settings: Settings = field(default_factory=Settings)
    warnings: tuple[str, ...] = ()
    # last year's filled 進行管理シート (its results shape the draft): one, or a copy per 担当課
    progress: tuple[Path, ...] = ()

    def with_progress(self, progress: Path | str | Sequence[Path | str]) -> RunConfig:
        """This config with last year's filled sheets given (a folder: the workbooks in it), which are
        then neither plans of ours nor other cities' to read."""
        sheets = _paths(progress)
        gone = {p.resolve() for p in sheets}
        documents = tuple(d for d in self.documents if d.resolve() not in gone)
        plan = self.plan if self.plan.resolve() not in gone else (documents[0] if documents else self.plan)
        return replace(self, progress=sheets, documents=documents, plan=plan,
                       others=tuple(o for o in self.others if o.resolve() not in gone))

    @classmethod
    def for_files(cls, outline: Path | str, plan: Path | str | None = None, others: Sequence[Path | str] = (), *,
                  corrections: Path | str | None = None, year: int | None = None, city: str | None = None,
                  reference: str = "auto", settings: Settings | None = None,
                  progress: Path | str | Sequence[Path | str] | None = None) -> RunConfig:
        """The config of a command given its files: corrections default to corrections.tsv beside
        the outline (where plandraft.toml keeps them too)."""
        outline = Path(outline)
        plan_path = Path(plan) if plan is not None else outline
        return cls(folder=outline.parent, outline=outline, plan=plan_path,
                   documents=(plan_path,) if plan is not None else (), others=tuple(expand_paths(others)),
                   corrections=Path(corrections) if corrections else default_corrections(outline.parent),
                   year=year, city=city, reference=reference, edits=default_edits(outline.parent),
                   settings=Settings.resolve(settings)).with_progress(progress or ())


def default_corrections(folder: Path) -> Path | None:
    """folder/corrections.tsv if there is one: where a planner's corrections live by default."""
    p = folder / CORRECTIONS_NAME
    return p if p.is_file() else None


def default_edits(folder: Path) -> Path | None:
    """folder/edits.tsv if there is one: the planner's own wording of items (名称, 内容)."""
    p = folder / EDITS_NAME
    return p if p.is_file() else None


# What a folder of filled sheets is read for (plandraft's own .xlsx; another office's workbook or CSV).
PROGRESS_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def is_progress_sheet(path: Path | str) -> bool:
    """Whether a file is, by its name, a filled 進行管理シート (last year's results, never a plan to
    read): its name says 進行管理 and it is a workbook or a CSV."""
    name = Path(path).name
    return "進行管理" in name and Path(name).suffix.lower() in PROGRESS_SUFFIXES


def _paths(value: Path | str | Sequence[Path | str] | None) -> tuple[Path, ...]:
    """One path or several (or none) as a tuple of paths, a folder as the workbooks in it, each file
    once: the 進行管理シート copies."""
    if not value:
        return ()
    given = [Path(value)] if isinstance(value, (str, Path)) else [Path(v) for v in value]
    out: dict[Path, Path] = {}
    for p in given:
        for f in (sorted((f for f in expand_paths([p]) if f.suffix.lower() in PROGRESS_SUFFIXES), key=lambda f: f.name)
                  if p.is_dir() else [p]):
            out.setdefault(f.resolve(), f)
    return tuple(out.values())


def _guess_outline(files: list[Path]) -> Path | None:
    return next((f for f in files if any(h in f.name.lower() for h in _OUTLINE_HINTS)), None)


def load(folder: Path | str) -> RunConfig:
    """Settings for a run on folder: from folder/plandraft.toml if present, else guessed from file
    names (the outline's name contains 構成/outline). Raises UsageError for missing or bad settings;
    unknown keys are warnings (RunConfig.warnings) naming the nearest known key."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(text("config.no_folder", folder=folder))
    cfg_path = folder / CONFIG_NAME
    raw: dict[str, Any] = {}
    if cfg_path.is_file():
        try:
            # Notepad writes a BOM, and older Notepad saves as ANSI (CP932)
            raw = tomllib.loads(decode(cfg_path.read_bytes()))
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(text("config.bad_toml", path=cfg_path, reason=exc)) from exc
        except InputError as exc:
            raise UsageError(text("config.bad_toml", path=cfg_path, reason=exc.reason)) from exc
    files = [f for f in expand_paths([folder]) if f.suffix.lower() in SUFFIXES]
    warnings = []
    for key in raw:
        if key not in _FILE_KEYS and key not in SECTIONS:
            near = difflib.get_close_matches(key, [*_FILE_KEYS, *SECTIONS], n=1)
            warnings.append(text("config.unknown_key", path=cfg_path, key=key)
                            + (text("config.did_you_mean", near=near[0]) if near else ""))

    def inside(value: object, key: str) -> Path:
        if not isinstance(value, str):
            raise UsageError(text("config.not_a_name", path=cfg_path, key=key))
        p = folder / value
        if not p.resolve().is_relative_to(folder.resolve()):
            raise UsageError(text("config.outside", path=cfg_path, key=key, value=value, folder=folder))
        if not p.exists():
            raise UsageError(text("config.not_found", path=cfg_path, key=key, file=p))
        return p

    def path_of(key: str) -> Path | None:
        value = raw.get(key)
        return None if value is None else inside(value, key)

    outline = path_of("outline") or _guess_outline(files)
    if outline is None:
        raise UsageError(text("config.no_outline", folder=folder, name=CONFIG_NAME))
    others_raw = raw.get("others", [])
    if not isinstance(others_raw, list):
        raise UsageError(text("config.others_list", path=cfg_path))
    others = tuple(expand_paths(inside(o, "others") for o in others_raw))
    corrections = path_of("corrections") if "corrections" in raw else default_corrections(folder)
    # The filled sheets named 進行管理シート in the folder (one, or the copies the 担当課 sent back) are
    # last year's results unless plandraft.toml names them (progress = "…" or ["…", "…"]).
    progress_raw = raw.get("progress")
    if progress_raw is None:
        progress = tuple(sorted((f for f in files if is_progress_sheet(f)), key=lambda f: f.name))
    else:
        progress = _paths([inside(p, "progress") for p in (progress_raw if isinstance(progress_raw, list) else [progress_raw])])
    # The filled 進行管理シート are last year's results, not plans to read.
    other_set = {o.resolve() for o in others} | {p.resolve() for p in progress}
    documents = tuple(f for f in files if f.resolve() != outline.resolve() and f.resolve() not in other_set)
    plan = path_of("plan") or (documents[0] if documents else None)
    if plan is None:
        raise UsageError(text("config.no_plan", folder=folder, name=CONFIG_NAME))
    year = None
    if raw.get("year") is not None:
        try:
            year = parse_year_arg(str(raw["year"]))
        except ValueError as exc:
            raise UsageError(text("config.bad_value", where=cfg_path, reason=exc)) from exc
    city = raw.get("city")
    if city is not None and not isinstance(city, str):
        raise UsageError(text("config.city", path=cfg_path))
    reference = raw.get("reference", "auto")
    if reference not in REFERENCE_MODES:
        raise UsageError(text("config.reference", path=cfg_path, modes=", ".join(REFERENCE_MODES)))
    settings = Settings.resolve({k: v for k, v in raw.items() if k in SECTIONS}, where=str(cfg_path))
    return RunConfig(folder=folder, outline=outline, plan=plan, documents=documents, others=others,
                     corrections=corrections, year=year, city=city, reference=str(reference),
                     edits=default_edits(folder), settings=settings,
                     warnings=tuple(warnings), progress=progress)
