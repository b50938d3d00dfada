"""The web page's project: the files of one project folder (inputs/ as the CLI reads them, uploads/
added on the page), what the pipeline made of them, and the actions the page offers. Every action
calls the same pipeline functions as the CLI; this module only keeps their results between requests.

Layout of a project folder DIR (the CLI's, plus uploads/):
    DIR/inputs/plandraft.toml  inputs/corrections.tsv  inputs/*   (what `plandraft run inputs` reads)
    DIR/inputs/edits.tsv                                          (名称 and 内容 edited on the page)
    DIR/uploads/outline/  uploads/plan/  uploads/others/         (files added on the page, by role;
    DIR/uploads/progress/                                          last year's filled 進行管理シート)
    DIR/uploads/selection.json                                    (which outline and plan are used)
    DIR/outputs/                                                  (draft, comparison, library.sqlite)
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import library, settings
from ..draft import output_paths
from ..edits import EDITS_NAME, Edit, apply_edits, read_edits, write_edits
from ..errors import InputError, UsageError
from ..files import expand_paths, file_sha256
from ..job import COMPARE_OUTPUTS, Pipeline, State, next_year
from ..match.knowledge import Correction, remove_correction, write_correction
from ..messages import text
from ..model import Document, Item, Match, Outline
from ..output import backup, write_atomic
from . import uploads

ROLES = ("outline", "plan", "others", "progress")
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class DocFile:
    """A document of the project: id is what the page uses to name it (never a path)."""

    id: str
    path: Path
    role: str  # outline | plan (our city's plans) | others (other cities' plans) | progress (last year's results)
    origin: str  # inputs (plandraft.toml) | uploads (added on the page)

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class ReviewRow:
    """One line of the review table: an item, whose document it is, its city and its match."""

    doc_id: str
    item: Item
    city: str
    match: Match
    ours: bool  # an item of the plan being drafted (not another city's)
    edited: bool = False  # its 名称 or 内容 is the planner's (inputs/edits.tsv)

    @property
    def key(self) -> str:
        return f"{self.doc_id}:{self.item.id}"


class StaleForm(Exception):
    """A form made from an older state of the page (another tab or window changed the item since):
    row is the item as it is now."""

    def __init__(self, row: ReviewRow) -> None:
        super().__init__(row.key)
        self.row = row


@dataclass(frozen=True)
class Snapshot:
    """What the page shows, made whole by one load and replaced whole (never changed in place), so a
    request always reads one consistent state while a job prepares the next."""

    revision: int = 0
    loaded: bool = False
    files: tuple[DocFile, ...] = ()
    outline_id: str | None = None
    plan_id: str | None = None
    outline: Outline | None = None
    outline_error: str = ""
    documents: Mapping[str, Document] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)  # doc id → why it could not be read
    config_error: str = ""
    notices: tuple[str, ...] = ()  # about files the page read: last year's sheets (unreadable, disagreeing), edits.tsv
    rows: tuple[ReviewRow, ...] = ()
    corrections_path: Path | None = None
    corrections_error: str = ""
    year: int | None = None
    state: State | None = None  # the job's state for the chosen outline and plan (read and matched)
    read: State | None = None  # the read stage's state, before the planner's edits
    edits: Mapping[tuple[str, str], Edit] = field(default_factory=dict)

    def file(self, doc_id: str) -> DocFile | None:
        return next((f for f in self.files if f.id == doc_id), None)

    @property
    def plan(self) -> Document | None:
        return self.documents.get(self.plan_id or "")

    def others(self) -> list[Document]:
        return [self.documents[f.id] for f in self.files if f.role == "others" and f.id in self.documents]

    def row(self, doc_id: str, item_id: str) -> ReviewRow | None:
        return next((r for r in self.rows if r.doc_id == doc_id and r.item.id == item_id), None)

    def doc_of_sha(self, sha256: str) -> str | None:
        """The id of the project's document with this content, if one is loaded."""
        return next((k for k, d in self.documents.items() if d.sha256 == sha256), None)

    def cities(self) -> list[str]:
        return list(dict.fromkeys(r.city for r in self.rows))

    def next_year(self) -> int | None:
        """The year the draft will be made for (plandraft.toml's, else the plan's + 1), or None."""
        if self.plan is None:
            return self.year
        try:
            return next_year(self.plan, self.year)
        except UsageError:
            return None


def city_label(doc: Document) -> str:
    """The column/city name of a plan (its file when it names no city), as compare labels it."""
    from ..compare.compare import unknown_city_label

    return doc.city or unknown_city_label(doc.path)


def _edited(snap: Snapshot, edits: Mapping[tuple[str, str], Edit]) -> Snapshot:
    """snap with the planner's edits applied to the documents as read (snap.read), in its documents
    and in the job's state the matching and the draft use."""
    read, state = snap.read, snap.state
    if read is None or state is None:
        return replace(snap, edits=edits)
    by_path = {d.path: apply_edits(d, edits) for d in read.documents}
    documents = {k: by_path.get(d.path, d) for k, d in snap.documents.items()}
    state = replace(state, documents=tuple(by_path.get(d.path, d) for d in state.documents),
                    plan=by_path.get(state.plan.path, state.plan) if state.plan else None,
                    others=tuple(by_path.get(d.path, d) for d in state.others))
    return replace(snap, documents=documents, state=state, edits=edits)


class Project:
    """One project folder and its current Snapshot. Actions that change files hold a lock, so two
    requests never write corrections.tsv or the uploads folder at once."""

    def __init__(self, root: Path | str, workers: int | None = 1) -> None:
        self.root = Path(root).resolve()
        self.inputs = self.root / "inputs"
        self.uploads = self.root / "uploads"
        self.outputs = self.root / "outputs"
        self.library_path = self.outputs / "library.sqlite"
        self.workers = workers
        self.lock = threading.RLock()
        self.snapshot = Snapshot()
        self._comparison: tuple[int, Any] | None = None
        self._backed_up: set[Path] = set()
        self.library_error = ""

    # -- files ---------------------------------------------------------------------------------

    def doc_id(self, path: Path) -> str:
        rel = path.resolve().relative_to(self.root).as_posix() if path.resolve().is_relative_to(self.root) else str(path)
        return "d" + hashlib.sha1(rel.encode("utf-8")).hexdigest()[:10]

    def _selection_path(self) -> Path:
        return self.uploads / "selection.json"

    def _read_selection(self) -> dict[str, str]:
        try:
            raw = json.loads(self._selection_path().read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return {k: v for k, v in raw.items() if k in ("outline", "plan") and isinstance(v, str)} if isinstance(raw, dict) else {}

    def scan(self) -> tuple[list[DocFile], str | None, str | None, settings.RunConfig | None, str]:
        """The project's files with their roles, the selected outline and plan ids, the inputs'
        settings (None if inputs/ has none) and the settings' error to show ('' if none)."""
        files: list[DocFile] = []
        cfg: settings.RunConfig | None = None
        error = ""
        if self.inputs.is_dir():
            try:
                cfg = settings.load(self.inputs)
            except UsageError as exc:
                if (self.inputs / settings.CONFIG_NAME).is_file():
                    error = str(exc)
        if cfg is not None:
            files += [DocFile(self.doc_id(cfg.outline), cfg.outline.resolve(), "outline", "inputs")]
            files += [DocFile(self.doc_id(p), p.resolve(), "plan", "inputs") for p in cfg.documents]
            files += [DocFile(self.doc_id(p), p.resolve(), "others", "inputs") for p in cfg.others]
            files += [DocFile(self.doc_id(p), p.resolve(), "progress", "inputs") for p in cfg.progress]
        for role in ROLES:
            folder = self.uploads / role
            if folder.is_dir():
                files += [DocFile(self.doc_id(p), p.resolve(), role, "uploads") for p in expand_paths([folder])]
        seen: set[str] = set()
        unique = [f for f in files if not (f.id in seen or seen.add(f.id))]  # type: ignore[func-returns-value]

        chosen = self._read_selection()

        def pick(role: str, default: Path | None) -> str | None:
            ids = [f.id for f in unique if f.role == role]
            wanted = chosen.get(role)
            if wanted and self.doc_id(self.root / wanted) in ids:
                return self.doc_id(self.root / wanted)
            if default is not None and self.doc_id(default) in ids:
                return self.doc_id(default)
            return ids[0] if ids else None

        outline_id = pick("outline", cfg.outline if cfg else None)
        plan_id = pick("plan", cfg.plan if cfg else None)
        return unique, outline_id, plan_id, cfg, error

    # -- loading -------------------------------------------------------------------------------

    def _config(self, files: Sequence[DocFile], outline_id: str | None, plan_id: str | None,
                cfg: settings.RunConfig | None) -> settings.RunConfig | None:
        """The job's inputs as `plandraft run inputs` would take them, with the page's choices: the
        chosen outline and plan, every plan of ours and every other city's plan; corrections, year,
        city, the reference measures' mode and last year's filled 進行管理シート from inputs/plandraft.toml
        (corrections.tsv beside it and the 進行管理 files in inputs/ by default)."""
        outline = next((f for f in files if f.id == outline_id), None)
        if outline is None:
            return None
        plan = next((f for f in files if f.id == plan_id), None)
        ours = tuple(f.path for f in files if f.role == "plan")
        others = tuple(f.path for f in files if f.role == "others")
        progress = tuple(f.path for f in files if f.role == "progress")  # inputs/' and the uploaded ones
        corrections = cfg.corrections if cfg and cfg.corrections else self.inputs / settings.CORRECTIONS_NAME
        return settings.RunConfig(
            folder=self.inputs, outline=outline.path, plan=plan.path if plan else outline.path, documents=ours,
            others=others, corrections=corrections.resolve(), year=cfg.year if cfg else None,
            city=cfg.city if cfg else None, reference=cfg.reference if cfg else "auto",
            settings=cfg.settings if cfg else settings.Settings(), progress=progress)

    def _pipeline(self, **options: Any) -> Pipeline:
        return Pipeline(out_dir=self.outputs, library=self.library_path, workers=self.workers, force=True,
                        manifest=True, outputs=("draft", "comparison", "progress"), **options)

    def load(self, progress: Progress | None = None) -> Snapshot:
        """Read every file, the outline and the corrections, match the plan's and other cities'
        items, add them to the library, and make the result the current snapshot."""
        report = progress or (lambda n, total, message: None)
        files, outline_id, plan_id, cfg, config_error = self.scan()
        plans = [f for f in files if f.role not in ("outline", "progress")]
        report(0, len(plans) + 2, text("web.reading"))
        by_path = {f.path: f for f in plans}
        job = self._pipeline(progress=lambda n, total, path: report(n, total + 2, text("web.reading_file", name=Path(path).name)))
        config = self._config(files, outline_id, plan_id, cfg)
        read_config = config or settings.RunConfig(folder=self.inputs, outline=self.inputs, plan=self.inputs,
                                                   documents=tuple(f.path for f in plans))
        state = read_state = job(read_config, ("read",))
        documents = {by_path[Path(d.path).resolve()].id: d for d in state.documents}
        # Last year's filled sheets are no documents of the page: what went wrong with them, and what
        # they say (copies that disagree), is said above every page.
        error_of: dict[str, str] = {}
        notices: list[str] = []
        for e in state.errors:
            f = by_path.get(Path(e.path).resolve())
            if f is not None:
                error_of[f.id] = e.reason
            else:
                notices.append(f"{Path(e.path).name}: {e.reason}")
        if state.progress is not None:
            notices += state.progress.warnings()

        outline_error = ""
        if config is not None:
            try:
                state = job(state, ("outline",))
            except InputError as exc:
                outline_error = exc.full_reason()
                error_of[outline_id or ""] = outline_error
        corrections_path = read_config.corrections or (self.inputs / settings.CORRECTIONS_NAME).resolve()
        snapshot = Snapshot(loaded=True, files=tuple(files), outline_id=outline_id, plan_id=plan_id,
                            outline=state.outline, outline_error=outline_error, documents=documents, errors=error_of,
                            config_error=config_error, notices=tuple(notices), corrections_path=corrections_path,
                            year=cfg.year if cfg else None, state=state, read=read_state)
        report(len(plans) + 1, len(plans) + 2, text("web.matching"))
        with self.lock:
            try:
                edits = read_edits(self.edits_path)
            except InputError as exc:  # the page still loads, without them; writing them is refused too
                edits = {}
                snapshot = replace(snapshot, notices=(*snapshot.notices, exc.line(self.edits_path.name)))
            snapshot = self._matched(_edited(snapshot, edits))
            self.snapshot = replace(snapshot, revision=self.snapshot.revision + 1)
        report(len(plans) + 2, len(plans) + 2, text("web.comparing"))
        snap = self.snapshot
        if snap.plan is not None and snap.outline is not None:
            try:
                self._comparison = (snap.revision, self._compare(snap))
                self.library_error = ""
            except (InputError, sqlite3.Error, OSError) as exc:
                # The library is a help, not the job: the page says it could not be updated.
                self.library_error = str(exc)
        return snap

    def _matched(self, snap: Snapshot) -> Snapshot:
        """snap with the review rows: the plan's items and other cities', matched once (the match
        stage of the job) with the corrections."""
        state = snap.state
        if snap.outline is None or state is None:
            return replace(snap, rows=())
        job = self._pipeline()
        path = snap.corrections_path  # written by correct(), so it may exist now when it did not at load
        state = replace(state, config=replace(state.config, corrections=path if path and path.is_file() else None))
        try:
            state = job(state, ("match",))
            snap = replace(snap, corrections_error="")
        except InputError as exc:
            # A corrections file that cannot be read: match without it and say so.
            state = job(replace(state, config=replace(state.config, corrections=None)), ("match",))
            snap = replace(snap, corrections_error=exc.full_reason())
        chosen: list[tuple[str, Document]] = []
        if snap.plan is not None and snap.plan_id is not None:
            chosen.append((snap.plan_id, snap.plan))
        chosen += [(f.id, snap.documents[f.id]) for f in snap.files if f.role == "others" and f.id in snap.documents]
        rows = [ReviewRow(doc_id, item, city_label(doc), state.matches[item.id], doc_id == snap.plan_id,
                    (doc.sha256, item.id) in snap.edits)
                for doc_id, doc in chosen for item in doc.items]
        return replace(snap, rows=tuple(rows), state=state)

    def _compare(self, snap: Snapshot) -> Any:
        """The comparison as `plandraft run` makes it (the compare stage of the same job), for snap."""
        if snap.plan is None or snap.outline is None or snap.state is None or snap.state.matcher is None:
            raise UsageError(text("web.compare_needs"))
        return self._pipeline()(snap.state, ("compare",)).comparison

    # -- actions -------------------------------------------------------------------------------

    @property
    def edits_path(self) -> Path:
        return self.inputs / EDITS_NAME

    def _backup_once(self, path: Path) -> None:
        """Keep the planner's file as it was before this session's first change of it."""
        if path.is_file() and path not in self._backed_up:
            backup(path)
            self._backed_up.add(path)

    def _row_for_change(self, doc_id: str, item_id: str, revision: int | None,
                        unchanged: Callable[[ReviewRow], bool]) -> tuple[Snapshot, ReviewRow]:
        """The snapshot and the row a form names; KeyError for an unknown one, StaleForm when the form
        was made from an older revision and the row has changed since (unchanged(row) is False)."""
        snap = self.snapshot
        row = snap.row(doc_id, item_id)
        if row is None or snap.outline is None or snap.corrections_path is None:
            raise KeyError(f"{doc_id}:{item_id}")
        if revision is not None and revision != snap.revision and not unchanged(row):
            raise StaleForm(row)
        return snap, row

    def _rematched(self, snap: Snapshot, key: str) -> tuple[ReviewRow, list[ReviewRow]]:
        """Match snap again and make it current; the item key's new row and the rows it moved."""
        new = self._matched(snap)
        self.snapshot = replace(new, revision=self.snapshot.revision + 1)
        before = {r.key: r.match.pillar for r in snap.rows}
        changed = [r for r in self.snapshot.rows if r.key != key and before.get(r.key) != r.match.pillar]
        doc_id, item_id = key.split(":", 1)
        updated = self.snapshot.row(doc_id, item_id)
        assert updated is not None
        return updated, changed

    def correct(self, doc_id: str, item_id: str, pillar: int, revision: int | None = None,
                shown: int | None = None) -> tuple[ReviewRow, list[ReviewRow]]:
        """Record that the item belongs to pillar in corrections.tsv and match again; returns the
        item's new row and the other rows whose pillar changed with it (corrections teach the matcher).
        KeyError for an unknown item or pillar; StaleForm when revision (the page's when the form was
        made) is not the current one and the item's pillar is no longer shown (the one the form showed)."""
        with self.lock:
            snap, row = self._row_for_change(doc_id, item_id, revision,
                                             lambda r: shown is None or r.match.pillar == shown)
            assert snap.outline is not None and snap.corrections_path is not None
            target = snap.outline.pillar(pillar)  # KeyError for a pillar the outline has not
            path = snap.corrections_path
            self._backup_once(path)
            item = row.item
            write_correction(path, Correction(item=item.name, pillar=str(target.number), title=target.title,
                                              text=item.content, measure=item.measure, policy=item.policy))
            return self._rematched(snap, row.key)

    def uncorrect(self, doc_id: str, item_id: str, revision: int | None = None) -> tuple[ReviewRow, list[ReviewRow]]:
        """Take the item's correction out of corrections.tsv ("自動に戻す") and match again; as
        correct(). KeyError for an unknown item or one that has no correction."""
        with self.lock:
            snap, row = self._row_for_change(doc_id, item_id, revision, lambda r: r.match.corrected)
            assert snap.corrections_path is not None
            path = snap.corrections_path
            self._backup_once(path)
            if not remove_correction(path, row.item.name, row.item.policy):
                raise KeyError(f"{doc_id}:{item_id}")
            return self._rematched(snap, row.key)

    def original(self, doc_id: str, item_id: str) -> Item | None:
        """The item as read from its file (before the planner's edits)."""
        snap = self.snapshot
        doc = snap.documents.get(doc_id)
        read = snap.read
        if doc is None or read is None:
            return None
        base = next((d for d in read.documents if d.path == doc.path), None)
        return next((i for i in base.items if i.id == item_id), None) if base else None

    def edit(self, doc_id: str, item_id: str, name: str, content: str, revision: int | None = None,
             shown: tuple[str, str] | None = None) -> tuple[ReviewRow, list[ReviewRow]]:
        """Use the planner's 名称 and 内容 for the item (written to inputs/edits.tsv, backed up like
        corrections.tsv; the file's own wording again when they are the file's), match again; as
        correct(). KeyError for an unknown item, ValueError for an empty name, StaleForm when the item's
        wording changed since the form (shown: its name and content then) was made."""
        name, content = " ".join(name.split()), " ".join(content.split())
        if not name:
            raise ValueError("name")
        with self.lock:
            snap, row = self._row_for_change(
                doc_id, item_id, revision, lambda r: shown is None or (r.item.name, r.item.content) == shown)
            original = self.original(doc_id, item_id)
            doc = snap.documents[doc_id]
            if original is None:
                raise KeyError(f"{doc_id}:{item_id}")
            edits = dict(read_edits(self.edits_path))
            key = (doc.sha256, item_id)
            if (name, content) == (original.name, original.content):
                edits.pop(key, None)
            else:
                edits[key] = Edit(sha256=doc.sha256, item=item_id, original=original.name, name=name, content=content,
                                  file=Path(doc.path).name)
            self._backup_once(self.edits_path)
            write_edits(self.edits_path, edits.values())
            return self._rematched(_edited(snap, edits), row.key)

    def select(self, outline_id: str | None = None, plan_id: str | None = None) -> None:
        """Use this outline and/or plan (ids of the project's files); KeyError for another id. Takes
        effect with the next load."""
        with self.lock:
            files = {f.id: f for f in self.scan()[0]}
            chosen = self._read_selection()
            for role, doc_id in (("outline", outline_id), ("plan", plan_id)):
                if doc_id is None:
                    continue
                f = files.get(doc_id)
                if f is None or f.role != role:
                    raise KeyError(doc_id)
                chosen[role] = f.path.relative_to(self.root).as_posix()
            write_atomic(self._selection_path(), json.dumps(chosen, ensure_ascii=False, indent=1))

    def add_upload(self, role: str, filename: str, data: bytes) -> tuple[DocFile, bool]:
        """Store an uploaded file under uploads/ROLE with a safe name; returns it and whether it is
        new. A file whose content the project has already (under any name, in any role, in inputs/ or
        uploads/) is not stored again: the one there is returned, not new. ValueError for an
        unsupported role or file type. A new outline or plan becomes the one used."""
        if role not in ROLES:
            raise ValueError(f"unknown role: {role}")
        name = uploads.safe_filename(filename)
        if not uploads.supported(name):
            raise ValueError(name)
        if role == "plan" and settings.is_progress_sheet(name):
            role = "progress"  # the filled 進行管理シート given as our plan: last year's results, as run reads it
        sha = hashlib.sha256(data).hexdigest()
        with self.lock:
            for existing in self.scan()[0]:
                try:
                    same = existing.path.stat().st_size == len(data) and file_sha256(existing.path) == sha
                except OSError:
                    continue
                if same:
                    return existing, False
            path, new = uploads.store(self.uploads / role, name, data)
            f = DocFile(self.doc_id(path), path.resolve(), role, "uploads")
            if role in ("outline", "plan"):
                self.select(**{f"{role}_id": f.id})
        return f, new

    def remove_upload(self, doc_id: str) -> DocFile:
        """Move an uploaded file out of use (to uploads/.removed/, so it can be got back); KeyError
        for an unknown id or a file of inputs/ (which plandraft.toml names)."""
        with self.lock:
            f = next((x for x in self.scan()[0] if x.id == doc_id), None)
            if f is None or f.origin != "uploads":
                raise KeyError(doc_id)
            trash = self.uploads / ".removed"
            trash.mkdir(parents=True, exist_ok=True)
            target, n = trash / f.name, 2
            while target.exists():
                target = trash / f"{f.path.stem} ({n}){f.path.suffix}"
                n += 1
            sha = hashlib.sha256(f.path.read_bytes()).hexdigest()
            shutil.move(str(f.path), str(target))
            still = [x for x in self.scan()[0] if x.role != "outline"
                     and hashlib.sha256(x.path.read_bytes()).hexdigest() == sha]
            if not still and self.library_path.is_file():
                # Out of the comparison too (which takes every city in the library).
                with library.Library(self.library_path) as lib:
                    lib.remove(sha256=sha)
        return f

    def set_role(self, doc_id: str, role: str) -> DocFile:
        """Move an uploaded file to another role's folder; KeyError/ValueError for a bad id or role."""
        if role not in ROLES:
            raise ValueError(role)
        with self.lock:
            f = next((x for x in self.scan()[0] if x.id == doc_id), None)
            if f is None or f.origin != "uploads":
                raise KeyError(doc_id)
            if f.role == role:
                return f
            path, _ = uploads.store(self.uploads / role, f.name, f.path.read_bytes())
            f.path.unlink()
        return DocFile(self.doc_id(path), path.resolve(), role, "uploads")

    # -- comparison, outputs, search -----------------------------------------------------------

    def cached_comparison(self) -> Any:
        """The comparison made for the current snapshot, or None if it is not made yet."""
        kept = self._comparison
        return kept[1] if kept is not None and kept[0] == self.snapshot.revision else None

    def comparison(self) -> Any:
        """The comparison (pipeline.compare.compare.Comparison) for the current snapshot, made once per
        change. UsageError when there is no outline or plan yet."""
        snap = self.snapshot
        kept = self._comparison
        if kept is not None and kept[0] == snap.revision:
            return kept[1]
        result = self._compare(snap)
        self._comparison = (snap.revision, result)
        return result

    def generate(self, year: int | None = None, progress: Progress | None = None) -> dict[str, Path]:
        """Write next year's draft, its 新旧対照表 and the comparison (xlsx, docx, heatmap) to outputs/
        as `plandraft run` does (the compare, draft and write stages of the same job, on the items as
        read and matched for the page); returns them by download key. Files plandraft wrote and nobody
        edited are replaced; an edited one is kept as a .bak first. UsageError if there is nothing to draft."""
        report = progress or (lambda n, total, message: None)
        snap = self.snapshot
        plan, outline, state = snap.plan, snap.outline, snap.state
        if outline is None or plan is None or state is None or state.matcher is None:
            raise UsageError(text("web.inputs_missing"))
        if year is not None:
            state = replace(state, config=replace(state.config, year=year))
        if state.config.year is None and plan.fiscal_year is None:
            raise UsageError(text("web.no_year", name=Path(plan.path).name))
        report(0, 2, text("web.drafting"))
        with self.lock:
            job = self._pipeline()
            state = job(state, ("compare", "draft"))
            report(1, 2, text("web.comparison_table"))
            state = job(state, ("write",))
        report(2, 2, text("web.done"))
        assert state.draft is not None
        draft, changes = output_paths(state.draft, self.outputs)
        sheet = next((p for p in state.outputs if p.name.endswith("_進行管理シート.xlsx")), None)
        return {"draft": draft, "changes": changes, **({"progress": sheet} if sheet else {}),
                **{p.name: p for p in state.outputs if p.name in COMPARE_OUTPUTS}}

    def outputs_present(self) -> dict[str, Path]:
        """The downloadable outputs in outputs/ now, by key (newest draft of any year)."""
        found: dict[str, Path] = {}
        if not self.outputs.is_dir():
            return found
        for key, pattern in (("draft", "*_市民協働推進アクションプラン_案.docx"),
                             ("changes", "*_市民協働推進アクションプラン_新旧対照表.docx"),
                             ("progress", "*_進行管理シート.xlsx")):
            paths = sorted(self.outputs.glob(pattern), key=lambda p: p.stat().st_mtime)
            if paths:
                found[key] = paths[-1]
        for name in COMPARE_OUTPUTS:
            if (self.outputs / name).is_file():
                found[name] = self.outputs / name
        return found

    def search(self, query: str, city: str | None = None, pillar: int | None = None,
               limit: int = 50) -> tuple[list[str], Sequence[Any], int]:
        """Search the project's library (as `plandraft search`): the query's terms, the hits (copies
        of one measure in the .pdf and .docx of a plan are one hit) and how many there are in all
        (more than len(hits) when the search stopped at limit)."""
        if not self.library_path.is_file():
            return [], [], 0
        with library.Library(self.library_path, create=False) as lib:
            terms, hits = lib.search(query, city=city or None, pillar=pillar, limit=limit)
            total = lib.count_matches(query, city=city or None, pillar=pillar) if len(hits) >= limit else len(hits)
        return terms, hits, max(total, len(hits))

    def search_reference(self, query: str, limit: int = 50) -> tuple[Sequence[Any], dict[str, Any]]:
        """The built-in reference measures (参考事例) for query, and each hit's citation by item id."""
        from ..reference import reference_library

        lib, cites = reference_library()
        with lib:
            _, hits = lib.search(query, limit=limit)
        return hits, cites

    def library_cities(self) -> list[tuple[str | None, int, int]]:
        if not self.library_path.is_file():
            return []
        with library.Library(self.library_path, create=False) as lib:
            return lib.cities()

    # -- where an item came from ------------------------------------------------------------------

    def source(self, doc_id: str, item_id: str) -> dict[str, Any]:
        """Where the item is in its file, to show beside it: {"kind": "pdf", "page": n} (the page is
        pdf_page_png), {"kind": "table", "rows": [header cells, the item's cells]} for a .docx table
        row, {"kind": "lines", "lines": [(number, text, is_item)]} for text; {"kind": ""} otherwise.
        KeyError for an unknown item."""
        row = self.snapshot.row(doc_id, item_id)
        doc = self.snapshot.documents.get(doc_id)
        if row is None or doc is None:
            raise KeyError(f"{doc_id}:{item_id}")
        src, path = row.item.source, Path(doc.path)
        suffix = path.suffix.lower()
        if suffix == ".pdf" and src.page:
            return {"kind": "pdf", "page": src.page}
        if suffix == ".docx" and src.table and src.row:
            from .sources import docx_table_row

            rows = docx_table_row(path, src.table, src.row)
            return {"kind": "table", "rows": rows} if rows else {"kind": ""}
        if suffix in (".txt", ".md") and src.line:
            from .sources import text_lines

            return {"kind": "lines", "lines": text_lines(path, src.line)}
        return {"kind": ""}

    def pdf_page_png(self, doc_id: str, page: int) -> bytes:
        """Page page (1-based) of the project's PDF doc_id as a PNG; KeyError for another document or
        page, ValueError when it cannot be drawn."""
        f = self.snapshot.file(doc_id)
        doc = self.snapshot.documents.get(doc_id)
        if f is None or doc is None or f.path.suffix.lower() != ".pdf" or page < 1 or (doc.pages and page > doc.pages):
            raise KeyError(f"{doc_id}:{page}")
        from .sources import pdf_page_png

        return pdf_page_png(f.path, page, doc.sha256)
