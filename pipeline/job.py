"""The one job: named stages in one loop (spaCy's Language.__call__ is the model), each taking the
job's State and handing back a new one, its output checked where it is made:

    outline → read → match → compare → draft → write

`plandraft run` runs them all; `draft`, `compare`, `match` and the web page run the ones they need,
through the same Pipeline, so the Matcher is built once per job, every item is matched once, and the
corrections file and the year are decided in one place (RunConfig, next_year)."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .compare.compare import (
    OUTLINE_EXAMPLES,
    Comparison,
    OtherItem,
    compare,
    others_from_document,
    others_from_outline,
    unknown_city_label,
)
from .draft import Draft, build_draft, output_paths, write_draft
from .errors import InputError, UsageError
from .files import display
from .ingest import ingest_paths, read_limited
from .library import Entry, Library
from .match.knowledge import load_knowledge
from .match.matcher import Matcher
from .messages import input_error, text
from .model import Document, IngestError, Match, Outline
from .output import Manifest, backup, dumps, metadata, write_atomic
from .progress import payloads as progress_payloads
from .progress import read_progress
from .progress.results import Progress as Results
from .reference import REFERENCE
from .settings import RunConfig, Settings
from .workers import READ_OUTLINE

STAGES = ("outline", "read", "match", "compare", "draft", "write")
COMPARE_OUTPUTS = ("comparison.xlsx", "heatmap.png", "comparison.docx")
JSON_OUTPUTS = ("outline.json", "items.json", "matches.json")
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class State:
    """What the job knows so far; each stage returns a new State (records are never changed)."""

    config: RunConfig
    outline: Outline | None = None
    documents: tuple[Document, ...] = ()  # every plan read, in the order given (ours, then others)
    errors: tuple[IngestError, ...] = ()
    plan: Document | None = None  # last year's plan, the one drafted from
    others: tuple[Document, ...] = ()  # other cities' plans
    reference: tuple[Document, ...] = ()  # the built-in reference measures (参考事例), one Document a source
    matcher: Matcher | None = None
    matches: Mapping[str, Match] = field(default_factory=dict)  # item id → match, plan and others
    comparison: Comparison | None = None
    draft: Draft | None = None
    outputs: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    progress: Results | None = None  # last year's results (config.progress, the filled 進行管理シート), linked to plan

    def matches_of(self, doc: Document) -> list[Match]:
        """The matches of doc's items, in order."""
        return [self.matches[i.id] for i in doc.items]

    @property
    def ours(self) -> tuple[Document, ...]:
        """Our own plans (every plan that is not another city's)."""
        others = {d.path for d in self.others}
        return tuple(d for d in self.documents if d.path not in others)


def next_year(plan: Document, year: int | None) -> int:
    """The new plan's fiscal year: year if given, else the plan's year + 1. UsageError when neither."""
    if year is not None:
        return year
    if plan.fiscal_year is None:
        raise UsageError(text("job.no_year", path=plan.path))
    return plan.fiscal_year.year + 1


def make_matcher(outline: Outline, corrections: str | Path | None = None, settings: Settings | None = None) -> Matcher:
    """The pillar matcher for outline with the shipped knowledge and the planner's corrections."""
    return Matcher(outline, knowledge=load_knowledge(corrections=corrections), settings=Settings.resolve(settings).match)


# The shipped reference measures matched for one outline and match settings, without the planner's
# corrections: the web page re-runs the match stage on every correction and every load, and of the
# 2,800 measures only those a correction names or pulls (Matcher.touched_by_corrections) can change.
_REFERENCE_MATCHES: dict[tuple[object, ...], tuple[dict[str, Match], dict[str, dict[str, float]]]] = {}


def _reference_key(state: State) -> tuple[object, ...] | None:
    """What the reference measures' matches depend on besides the corrections, or None when it
    cannot be told."""
    from .files import file_sha256
    from .match.model import DEFAULT_MODEL
    from .reference import DEFAULT_PATH

    outline = state.outline
    if outline is None or not outline.sha256:
        return None
    try:
        reference_sha = file_sha256(DEFAULT_PATH)
        model_sha = file_sha256(DEFAULT_MODEL) if Path(DEFAULT_MODEL).is_file() else ""
    except OSError:
        return None
    return (outline.sha256, reference_sha, model_sha, state.config.settings.match)


def _reference_matches(state: State, matcher: Matcher, key: tuple[object, ...] | None) -> dict[str, Match]:
    """The matches of the reference measures: those the corrections do not touch kept from the last
    job with the same key, the rest matched now."""
    items = [i for d in state.reference for i in d.items]
    kept, vectors = _REFERENCE_MATCHES.get(key, ({}, {})) if key else ({}, {})
    if not vectors and (matcher.corrections or matcher.examples):
        vectors = {i.id: matcher.learned_vector(i) for i in items}
    touched = {i.id for i in items if matcher.touched_by_corrections(i, vectors.get(i.id))}
    todo = [i for i in items if i.id in touched or i.id not in kept]
    found = {m.item_id: m for m in matcher.match_items(todo)}
    if key:
        if key not in _REFERENCE_MATCHES:
            _REFERENCE_MATCHES.clear()  # one outline at a time is what a job needs
            _REFERENCE_MATCHES[key] = ({}, vectors)
        _REFERENCE_MATCHES[key][0].update((k, m) for k, m in found.items() if k not in touched)
        _REFERENCE_MATCHES[key][1].update(vectors)
    return {i.id: found[i.id] if i.id in found else kept[i.id] for i in items}


def consistency(docs: Sequence[Document]) -> list[str]:
    """Warnings where copies of one plan (same city and year, other formats) disagree on their items."""
    groups: dict[tuple[str | None, int | None], list[Document]] = {}
    for d in docs:
        groups.setdefault((d.city, d.fiscal_year.year if d.fiscal_year else None), []).append(d)
    warnings = []
    for group in groups.values():
        base = group[0]
        key = [(i.name, i.content, i.departments) for i in base.items]
        for other in group[1:]:
            if [(i.name, i.content, i.departments) for i in other.items] != key:
                warnings.append(text("job.copies_differ", path=other.path, base=base.path, count=len(other.items),
                                     base_count=len(base.items)))
    return warnings


# -- the library -----------------------------------------------------------------------------------

def add_outline_to_library(lib: Library, outline: Outline, matcher: Matcher) -> int:
    """The outline's example projects into the library under their cities (model projects matched
    to a pillar by matcher); returns how many."""
    others = others_from_outline(outline, outline.sha256)
    unknown = [o.item for o in others if o.pillar is None]
    found = {m.item_id: m for m in matcher.match_items(unknown)} if unknown else {}
    entries = []
    for o in others:
        match = (Match(o.item.id, o.item.name, o.pillar, 1.0, 1.0, ((o.pillar, 1.0),)) if o.pillar is not None
                 else found.get(o.item.id))
        entries.append(Entry(o.item, None if o.city == OUTLINE_EXAMPLES else o.city, None, match))
    lib.add_entries(path=outline.path, sha256=outline.sha256, entries=entries, kind="outline",
                    title=outline.title, fmt=Path(outline.path).suffix.lstrip("."), outline_sha256=outline.sha256)
    return len(entries)


def others_via_library(path: Path | str, state: State) -> list[OtherItem]:
    """Add the outline, our plan and the others to the library at path (with the matches the job
    made), match whatever it holds that has no pillar for this outline, and return every other
    city's measure in it."""
    outline, plan, matcher = state.outline, state.plan, state.matcher
    assert outline is not None and plan is not None and matcher is not None
    with Library(path) as lib:
        with lib.atomic():
            add_outline_to_library(lib, outline, matcher)
            lib.set_meta("outline", outline.path)
        lib.add_document(plan, state.matches_of(plan), city=state.config.city, outline_sha256=outline.sha256)
        for doc in state.others:
            lib.add_document(doc, state.matches_of(doc), outline_sha256=outline.sha256)
        stored = lib.items(exclude_sha256=[plan.sha256])
        stale = [s for s in stored if s.outline_sha256 != outline.sha256 or s.pillar is None]
        if stale:
            found = matcher.match_items([replace(s.item, id=str(s.rowid)) for s in stale])
            lib.set_pillars({int(m.item_id): m for m in found}, outline.sha256)
            stored = lib.items(exclude_sha256=[plan.sha256])
    out = []
    for s in stored:
        city = s.city or (OUTLINE_EXAMPLES if s.kind == "outline" else unknown_city_label(s.document_path))
        out.append(OtherItem(item=s.item, city=city, fiscal_year=s.fiscal_year, pillar=s.pillar))
    return out


# -- the stages --------------------------------------------------------------------------------------

@dataclass
class Pipeline:
    """Runs stages of the job over a RunConfig. Options that are about this run, not the plan's
    settings, live here: where outputs go, the library, the cache, workers, callbacks."""

    out_dir: Path | None = None
    library: Path | None = None  # the library the comparison adds to and reads from (None: no library)
    use_cache: bool = True
    workers: int | None = None
    force: bool = False  # replace existing outputs (a planner-edited one is backed up first)
    manifest: bool = False  # tell plandraft's own unedited outputs (replaced silently) from edited ones
    outputs: tuple[str, ...] = ("draft", "comparison")  # what the write stage writes ("json" too for run)
    template: Path | None = None  # the draft's Word template (default: templates/draft.docx)
    on_error: Callable[[Path, InputError], None] | None = None
    progress: Callable[[int, int, Path], None] | None = None
    # How the match stage builds its Matcher (default: make_matcher; `plandraft match` passes its options).
    matcher_factory: Callable[[Outline, RunConfig], Matcher] | None = None

    def __call__(self, config: RunConfig | State, stages: Sequence[str] = STAGES) -> State:
        """The State after running stages (in the flow's order) from config or an earlier State."""
        state = config if isinstance(config, State) else State(config=config)
        unknown = [s for s in stages if s not in STAGES]
        if unknown:
            raise ValueError(f"unknown stage {unknown[0]!r} (stages: {', '.join(STAGES)})")
        for name in STAGES:
            if name not in stages:
                continue
            method, product = _STAGES[name]
            result = getattr(self, method)(state)
            if not isinstance(result, State) or (product and getattr(result, product) is None):
                # A stage that hands back the wrong thing is caught here, not three stages later.
                raise TypeError(f"stage {name!r} did not produce {product or 'a State'}")
            state = result
        return state

    # Each stage: (Pipeline, State) → State.

    def read_outline(self, state: State) -> State:
        # In a limited worker like any plan: an inflation-bomb outline is refused, not read for minutes.
        try:
            outline = read_limited(state.config.outline, READ_OUTLINE, state.config.settings.read)
        except InputError as exc:
            raise exc.at(state.config.outline) from None
        return replace(state, outline=outline)

    def read(self, state: State) -> State:
        cfg = state.config
        others = set(cfg.others)
        files = [*dict.fromkeys([*cfg.documents, *cfg.others])]
        docs, errors = ingest_paths(files, use_cache=self.use_cache, on_error=self.on_error, progress=self.progress,
                                    workers=self.workers, limits=cfg.settings.read.limits, settings=cfg.settings.read)
        if cfg.edits is not None:  # the planner's wording of items, from the web page
            from .edits import apply_edits, read_edits

            edits = read_edits(cfg.edits)
            docs = [apply_edits(d, edits) for d in docs]
        # Documents are named by files.display (a name that is not valid Unicode made readable)
        others = {Path(display(p)) for p in others}
        plan = next((d for d in docs if Path(d.path) == Path(display(cfg.plan))), None)
        other_docs = tuple(d for d in docs if Path(d.path) in others)
        ours = [d for d in docs if Path(d.path) not in others]
        # Another city's plan put beside ours (in inputs/, not listed as others) is compared as one, and
        # said: read as ours it was compared with nothing and could pass for a copy of our plan.
        our_city = cfg.city or (plan.city if plan is not None else None)
        strangers = [d for d in ours if d is not plan and d.plan_like and d.city and our_city and d.city != our_city]
        if strangers:
            other_docs += tuple(strangers)
            ours = [d for d in ours if d not in strangers]
        city_notes = [text("job.other_city_plan", path=d.path, city=d.city, ours=our_city) for d in strangers]
        # A document that is no plan (a budget book) is read but gives no measures: said, as ingest says it.
        city_notes += [text("ingest.not_plan", path=d.path, why="; ".join(d.warnings) or text("ingest.no_measures"))
                       for d in docs if not d.plan_like]
        # A workbook read as a plan says what of it was not read (notes sheets, formulas with no result).
        city_notes += [f"{d.path}: {w}" for d in docs if d.plan_like and d.format in ("xlsx", "xlsm") for w in d.warnings]
        mode = cfg.reference
        reference: tuple[Document, ...] = ()
        if mode == "always" or (mode == "auto" and not other_docs):  # (auto: only when no other city's plan is read)
            from .reference import load_reference, reference_documents

            reference = tuple(reference_documents(load_reference()))
        progress, warnings = None, [*city_notes, *consistency(ours)]
        if cfg.progress and plan is not None:
            skipped: list[tuple[Path, InputError]] = []
            try:  # a sheet that cannot be read is skipped, the others are used
                progress = read_progress(cfg.progress, plan, on_error=lambda p, e: skipped.append((p, e)))
                warnings += progress.warnings()
            except InputError as exc:  # none could be: the draft is still made, without last year's results
                skipped = skipped or [(cfg.progress[0], exc)]
            for path, why in skipped:
                if self.on_error is not None:
                    self.on_error(path, why)
                errors = [*errors, IngestError(str(path), why.full_reason())]
        return replace(state, documents=tuple(docs), errors=tuple(errors), plan=plan, others=other_docs,
                       reference=reference, progress=progress, warnings=(*state.warnings, *warnings))

    def match(self, state: State) -> State:
        if state.outline is None:
            raise ValueError("the match stage needs the outline stage first")
        matcher = (self.matcher_factory(state.outline, state.config) if self.matcher_factory is not None
                   else make_matcher(state.outline, state.config.corrections, state.config.settings))
        docs = [d for d in (state.plan, *state.others) if d is not None]
        limit = state.config.settings.match.max_chars
        items, warnings = [], []
        for doc in docs:
            for item in doc.items:
                fields = {f: getattr(item, f) for f in ("name", "content", "measure", "policy")}
                long = {f: t for f, t in fields.items() if len(t) > limit}
                if long:
                    warnings.append(text("job.long_text", where=item.source.label(), fields="、".join(long), limit=limit))
                    item = replace(item, **{f: t[:limit] for f, t in long.items()})
                items.append(item)
        matches = {m.item_id: m for m in matcher.match_items(items)}
        if state.reference:
            key = _reference_key(state) if self.matcher_factory is None else None
            matches.update(_reference_matches(state, matcher, key))
        warnings += [text("job.unknown_pillar", origin=c.origin, pillar=c.pillar, item=c.item)
                     for c in matcher.unresolved_corrections]
        return replace(state, matcher=matcher, matches=matches, warnings=(*state.warnings, *warnings))

    def compare(self, state: State) -> State:
        plan, outline, matcher = _require_plan(state), state.outline, state.matcher
        assert outline is not None and matcher is not None
        if self.library is None:
            items = others_from_outline(outline, outline.sha256)
            for doc in state.others:
                items += [replace(o, pillar=m.pillar) for o, m in zip(others_from_document(doc), state.matches_of(doc))]
        else:
            items = others_via_library(self.library, state)
        items += _closest_reference(state, state.config.settings.compare.reference_per_pillar)
        result = compare(outline, plan.items, items, matcher, our_city=state.config.city or plan.city or "当市",
                         our_matches=state.matches_of(plan), settings=state.config.settings.compare)
        return replace(state, comparison=result)

    def draft(self, state: State) -> State:
        plan, outline = _require_plan(state), state.outline
        assert outline is not None
        year = next_year(plan, state.config.year)
        others = (*state.others, *state.reference)
        matches = [m for d in (plan, *others) for m in state.matches_of(d)]
        results = state.progress.results if state.progress is not None else None
        added = state.progress.unlinked if state.progress is not None else ()
        return replace(state, draft=build_draft(outline, plan, matches, others, year, state.config.settings.draft,
                                                results=results, added=added))

    def write(self, state: State) -> State:
        if self.out_dir is None:
            raise ValueError("the write stage needs an output folder")
        out = self.out_dir
        manifest = Manifest(out) if self.manifest else None
        unchanged = manifest.unchanged if manifest else None
        planned: list[Path] = []
        if state.draft is not None and "draft" in self.outputs:
            planned += output_paths(state.draft, out)
        if state.comparison is not None and "comparison" in self.outputs:
            planned += [out / name for name in COMPARE_OUTPUTS]
        existing = [p for p in planned if p.exists()]
        if existing and not self.force:
            raise UsageError(text("job.exists", path=existing[0]))
        written: list[Path] = []
        kept_before = set(out.glob("*.bak"))
        if state.draft is not None and "draft" in self.outputs:
            assert state.outline is not None
            written += write_draft(state.draft, state.outline, out, template=self.template, force=True,
                                   unchanged=unchanged)
        if state.draft is not None and "progress" in self.outputs:
            assert state.outline is not None
            payloads = progress_payloads(state.draft, state.outline, state.plan, state.matches, state.progress,
                                         f"plandraft: {state.plan.path if state.plan else ''}")
            for name, data in payloads.items():
                target = out / name
                if target.exists() and not (unchanged and unchanged(target)):
                    backup(target)  # a sheet the 担当課 filled in is never lost
                written.append(write_atomic(target, data))
        if state.comparison is not None and "comparison" in self.outputs:
            assert state.plan is not None and state.outline is not None
            written += write_comparison(state.comparison, out, f"plandraft compare: {state.plan.path} × "
                                        f"{state.outline.path}", unchanged)
        if manifest is not None:
            manifest.record(written)
        if "json" in self.outputs:
            written += write_json(state, out)
        # An output someone had edited was kept before it was replaced: say where, once each.
        kept = [text("job.kept_backup", path=str(b)) for b in sorted(set(out.glob("*.bak")) - kept_before)]
        return replace(state, outputs=(*state.outputs, *written), warnings=(*state.warnings, *kept))


# stage → (the Pipeline method that runs it, the State field it must fill; "" for none).
_STAGES: dict[str, tuple[str, str]] = {
    "outline": ("read_outline", "outline"),
    "read": ("read", ""),
    "match": ("match", "matcher"),
    "compare": ("compare", "comparison"),
    "draft": ("draft", "draft"),
    "write": ("write", ""),
}


def _closest_reference(state: State, per_pillar: int) -> list[OtherItem]:
    """The reference measures the comparison shows: per pillar the per_pillar matched to it most
    surely (those not needing review first), in the reference file's order."""
    found = [(replace(o, pillar=m.pillar, column=REFERENCE), m) for doc in state.reference
             for o, m in zip(others_from_document(doc, doc.city or REFERENCE), state.matches_of(doc))]
    by_pillar: dict[int, list[int]] = {}
    for n, (_, m) in enumerate(found):
        by_pillar.setdefault(m.pillar, []).append(n)
    kept = {n for ns in by_pillar.values()
            for n in sorted(ns, key=lambda n: (found[n][1].needs_review, -found[n][1].confidence))[:per_pillar]}
    return [other for n, (other, _) in enumerate(found) if n in kept]


def _require_plan(state: State) -> Document:
    if state.plan is None:
        raise input_error("job.plan_unreadable", path=str(state.config.plan))
    return state.plan


# -- writing ------------------------------------------------------------------------------------------

def write_comparison(result: Comparison, out: Path | str, provenance: str = "",
                     unchanged: Callable[[Path], bool] | None = None) -> list[Path]:
    """comparison.xlsx, heatmap.png and comparison.docx in out, written atomically; an earlier .xlsx
    or .docx is kept as a .bak unless unchanged(path) says it is plandraft's own unedited output."""
    from .compare.heatmap import render_heatmap
    from .compare.report import report_bytes, workbook_bytes

    png = render_heatmap(result)
    payloads = {"comparison.xlsx": workbook_bytes(result), "heatmap.png": png,
                "comparison.docx": report_bytes(result, png, provenance=provenance)}
    written = []
    for name in COMPARE_OUTPUTS:
        target = Path(out) / name
        if target.exists() and name != "heatmap.png" and not (unchanged and unchanged(target)):
            backup(target)
        written.append(write_atomic(target, payloads[name]))
    return written


def write_json(state: State, out: Path) -> list[Path]:
    """outline.json, items.json and matches.json: the job's results as data."""
    meta = metadata()
    plan = state.plan
    payloads = {
        "outline.json": {"outline": state.outline, "metadata": meta},
        "items.json": {"documents": state.documents, "errors": state.errors, "metadata": meta},
        "matches.json": {"plan": plan.path if plan else None, "matches": [
            {"item": item, "match": state.matches.get(item.id),
             "runner_up": state.matches[item.id].runner_up if item.id in state.matches else None}
            for item in (plan.items if plan else ())], "metadata": meta},
    }
    return [write_atomic(out / name, dumps(payloads[name])) for name in JSON_OUTPUTS]
