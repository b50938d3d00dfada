"""The library: every measure ever ingested, in one SQLite file, searchable over Sudachi-normalized tokens.

One row per document (keyed by content sha256, so a renamed or copied identical file is the same
document) and its paths; one row per item with its city, fiscal year, pillar match and provenance; an
FTS5 index fed with space-joined normalized tokens (FTS5's `ascii` tokenizer then treats each
Japanese token as one term). `Library` is the one way in (sqlite-utils' `Database` is the model): a
context manager, and `with lib.atomic():` around every write, so a run killed mid-write leaves each
document either fully in the library or not at all."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import MISSING, asdict, dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path

from .errors import InputError, OutputError
from .messages import input_error
from .messages import text as msg_text
from .model import Document, FiscalYear, Item, Match, Source
from .text import tokenize
from .text.encoding import decode
from .text.normalize import clean, fiscal_year_label, parse_year_arg

DEFAULT_PATH = Path("outputs") / "library.sqlite"
SCHEMA_VERSION = 2  # 2: items.extra (the Item fields without a column of their own)
# PRAGMA application_id of a plandraft library ("PLDR"), so another application's SQLite file is
# told apart from ours (libraries made before it was set are known by their tables).
APPLICATION_ID = 0x504C4452
_OUR_TABLES = frozenset({"meta", "documents", "paths", "items", "items_fts"})
# Parts of speech left out of the index and of queries: particles, auxiliaries, punctuation.
_SKIP_POS = frozenset({"助詞", "助動詞", "補助記号", "記号", "空白"})
# bm25 weights of the FTS columns head, body, city, pillar: a hit in the 項目 (name) counts three
# times one in 内容/■; the city and pillar columns only filter.
_WEIGHTS = (3.0, 1.0, 0.0, 0.0)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,              -- the path it was last added from
    kind TEXT NOT NULL,              -- 'plan' or 'outline' (the outline's example projects)
    title TEXT NOT NULL DEFAULT '',
    city TEXT,
    fiscal_year INTEGER,
    fiscal_label TEXT,
    format TEXT NOT NULL DEFAULT '',
    outline_sha256 TEXT,             -- the outline its items' pillars were matched against
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS paths (
    path TEXT PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    city TEXT,
    fiscal_year INTEGER,
    policy TEXT NOT NULL,
    measure TEXT NOT NULL,
    name TEXT NOT NULL,
    content TEXT NOT NULL,
    departments TEXT NOT NULL,       -- JSON list
    actor TEXT,
    tags TEXT NOT NULL,              -- JSON list
    page INTEGER, line INTEGER, tbl INTEGER, row INTEGER,
    pillar INTEGER,
    pillar_score REAL,
    pillar_confidence REAL,
    head TEXT NOT NULL,              -- normalized tokens of the name
    body TEXT NOT NULL,              -- normalized tokens of content and ■ measure
    extra TEXT NOT NULL DEFAULT '{}' -- JSON: the other Item fields (headings path, number, schedule…)
);
CREATE INDEX IF NOT EXISTS items_document ON items(document_id);
CREATE INDEX IF NOT EXISTS items_city ON items(city);
CREATE INDEX IF NOT EXISTS items_pillar ON items(pillar);
-- city and pillar are indexed too, so a filtered search is one FTS query (city:"安城市" AND …).
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
    head, body, city, pillar, content='items', content_rowid='id', tokenize='ascii', prefix='2 3'
);
CREATE TRIGGER IF NOT EXISTS items_ai AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, head, body, city, pillar) VALUES (new.id, new.head, new.body, new.city, new.pillar);
END;
CREATE TRIGGER IF NOT EXISTS items_ad AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, head, body, city, pillar)
    VALUES ('delete', old.id, old.head, old.body, old.city, old.pillar);
END;
CREATE TRIGGER IF NOT EXISTS items_au AFTER UPDATE OF head, body, city, pillar ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, head, body, city, pillar)
    VALUES ('delete', old.id, old.head, old.body, old.city, old.pillar);
    INSERT INTO items_fts(rowid, head, body, city, pillar) VALUES (new.id, new.head, new.body, new.city, new.pillar);
END;
"""


@dataclass(frozen=True)
class Entry:
    """One item on its way into the library, with what the library keeps beside it."""

    item: Item
    city: str | None
    fiscal_year: FiscalYear | None = None
    match: Match | None = None
    location: str = ""  # where in its source, as an exchange file wrote it when Source cannot say it (第2章)


@dataclass(frozen=True)
class StoredItem:
    """An item as the library holds it."""

    rowid: int
    item: Item
    city: str | None
    fiscal_year: int | None
    fiscal_label: str | None
    pillar: int | None
    pillar_score: float | None
    document_sha256: str
    document_path: str
    kind: str  # plan | outline
    outline_sha256: str | None  # the outline its pillar was matched against
    location: str = ""  # Entry.location: where in its source, when item.source cannot say it


@dataclass(frozen=True)
class Hit:
    """A search result: the stored item, its rank (1 = best), its bm25 score (higher is better) and
    how it matched: 'all' the query's words (each maybe as the start of a longer word) or 'some'."""

    rank: int
    score: float
    how: str
    stored: StoredItem
    copies: tuple[str, ...] = ()  # the same measure in other files (the .docx of a .pdf): their sources


@dataclass(frozen=True)
class DocumentInfo:
    sha256: str
    path: str
    kind: str
    title: str
    city: str | None
    fiscal_label: str | None
    items: int
    cities: tuple[tuple[str | None, int], ...]  # per city (an outline has several): item count
    outline_sha256: str | None
    added_at: str


# ---------------------------------------------------------------------------------------------
# Tokens


def index_terms(text: str) -> list[str]:
    """The normalized tokens of text that the index holds and queries use: Sudachi's normalized forms
    (表記ゆれ folded), ASCII lower-cased, without particles, auxiliaries and punctuation."""
    text = clean(text)
    if not text:
        return []
    return [t.normalized.lower() for t in tokenize.tokenize(text) if t.pos[0] not in _SKIP_POS and t.normalized.strip()]


def _head_body(item: Item) -> tuple[str, str]:
    head = " ".join(index_terms(item.name))
    body = " ".join(index_terms("\n".join(t for t in (item.content, item.measure) if t)))
    return head, body


# ---------------------------------------------------------------------------------------------
# Errors

# SQLite result codes that mean the library file cannot be written (not that it is not a library).
# Their messages: the codes in pipeline/messages.py (reason `code`, what to do `code.hint`).
_WRITE_FAILURES = {
    "SQLITE_FULL": "library.disk_full",
    "SQLITE_READONLY": "library.read_only",
    "SQLITE_IOERR": "library.io_error",
    "SQLITE_CANTOPEN": "library.cannot_open",
}


class LibraryWriteError(OutputError, sqlite3.OperationalError):
    """The library file could not be written (disk full, read-only): exit code 4 on the command line.
    Also an sqlite3.Error, so callers that treat the library as optional (the web page) still catch it."""


def _write_error(path: object, exc: sqlite3.Error) -> LibraryWriteError | None:
    """exc as one line naming the file and SQLite's own reason, if it is a failure to write."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    for prefix, code in _WRITE_FAILURES.items():
        if name.startswith(prefix):
            error = input_error(code)
            return LibraryWriteError(path, f"{error.reason} ({exc})", error.hint)
    return None


def _not_a_library(path: object, why: str) -> InputError:
    return input_error("library.not_a_library", why=why, path=str(path))


# ---------------------------------------------------------------------------------------------
# The library


class Library:
    """The library at path, created with its folder unless create is False (FileNotFoundError then
    if it is missing). InputError for a file that is not a plandraft library (another application's
    SQLite file is refused and left unchanged); LibraryWriteError if it cannot be written.

        with Library(path) as lib:
            with lib.atomic():
                lib.add_document(doc, matches)
    """

    DEFAULT_PATH = DEFAULT_PATH

    def __init__(self, path: Path | str, create: bool = True) -> None:
        self.path = Path(path)
        memory = str(path) == ":memory:"
        if not memory and not self.path.exists():
            if not create:
                raise FileNotFoundError(str(path))
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._depth = 0  # atomic() blocks open (1 = the outer transaction)
        try:
            self.conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        except sqlite3.Error as exc:  # a read-only folder: SQLITE_CANTOPEN, one line and exit code 4
            raise (_write_error(self.path, exc) or exc) from exc
        self.conn.row_factory = sqlite3.Row
        try:
            self._prepare(memory)
        except BaseException:
            self.conn.close()
            raise

    def _prepare(self, memory: bool) -> None:
        conn = self.conn
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                                  "AND name NOT LIKE 'sqlite_%'")}
        except sqlite3.DatabaseError as exc:
            raise _not_a_library(self.path, str(exc)) from exc
        # Decide before anything is written: WAL mode alone would change another application's file.
        if app_id not in (0, APPLICATION_ID) or (tables and (version == 0 or not tables >= _OUR_TABLES)):
            raise _not_a_library(self.path, msg_text("library.other_app"))
        if version > SCHEMA_VERSION:
            raise input_error("library.newer", version=version, path=str(self.path))
        try:
            if not memory:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if version < SCHEMA_VERSION:
                with self.atomic():
                    if version == 1:
                        conn.execute("ALTER TABLE items ADD COLUMN extra TEXT NOT NULL DEFAULT '{}'")
                    for statement in _statements(_SCHEMA):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self._check_tokenizer()
        except LibraryWriteError:
            raise
        except sqlite3.DatabaseError as exc:
            raise _write_error(self.path, exc) or _not_a_library(self.path, str(exc)) from exc

    # -- the context managers ------------------------------------------------------------------

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def atomic(self) -> Iterator[Library]:
        """One transaction around the block: committed when it ends, rolled back if it raises. A
        nested atomic() joins the outer transaction (a savepoint: only its own writes are undone if
        it raises). A write the disk refuses raises LibraryWriteError with SQLite's own reason."""
        if self._depth:
            name = f"atomic_{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            error = _write_error(self.path, exc)
            if error is None:
                raise
            raise error from exc
        self._depth = 1
        try:
            yield self
            self.conn.execute("COMMIT")
        except BaseException as exc:
            # SQLite may have rolled back already (disk full): rolling back again would hide its
            # reason behind "cannot rollback - no transaction is active".
            if self.conn.in_transaction:
                with suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and not isinstance(exc, LibraryWriteError):
                error = _write_error(self.path, exc)
                if error is not None:
                    raise error from exc
            raise
        finally:
            self._depth = 0

    # -- settings ------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """A library setting (e.g. 'outline': the outline last used to match pillars)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Record a library setting."""
        with self.atomic():
            self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def _check_tokenizer(self) -> None:
        """Re-tokenize every item if the library was indexed with another Sudachi or dictionary, so
        queries and index agree."""
        key = _tokenizer_key()
        known = self.get_meta("tokenizer")
        if known == key:
            return
        with self.atomic():
            if known is not None:
                self.reindex()
            self.set_meta("tokenizer", key)

    def reindex(self) -> int:
        """Re-tokenize every item (one transaction); returns how many."""
        rows = self.conn.execute("SELECT id, name, content, measure FROM items").fetchall()
        with self.atomic():
            for r in rows:
                head = " ".join(index_terms(r["name"]))
                body = " ".join(index_terms("\n".join(t for t in (r["content"], r["measure"]) if t)))
                self.conn.execute("UPDATE items SET head = ?, body = ? WHERE id = ?", (head, body, r["id"]))
        return len(rows)

    # -- writing -------------------------------------------------------------------------------

    def add_entries(
        self,
        *,
        path: str,
        sha256: str,
        entries: Sequence[Entry],
        kind: str = "plan",
        title: str = "",
        city: str | None = None,
        fiscal_year: FiscalYear | None = None,
        fmt: str = "",
        outline_sha256: str | None = None,
    ) -> int:
        """Put one document's items into the library in one transaction, replacing what an earlier add
        of the same content (any path) or of the same path (older content) left; returns the document id.

        A document is its content: adding a renamed or copied identical file updates the one document
        (and forgets paths of it that no longer exist). Adding changed content at a known path moves the
        path to the new content and drops the old content if no other path has it."""
        if not sha256:
            raise ValueError("a document needs its sha256")
        rows = [(e, *_head_body(e.item)) for e in entries]  # tokenize before the transaction is opened
        conn = self.conn
        with self.atomic():
            found = conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
            values = (path, kind, title, city, fiscal_year.year if fiscal_year else None,
                      fiscal_year.label if fiscal_year else None, fmt, outline_sha256, _now())
            if found:
                doc_id = int(found[0])
                conn.execute("UPDATE documents SET path = ?, kind = ?, title = ?, city = ?, fiscal_year = ?, "
                             "fiscal_label = ?, format = ?, outline_sha256 = ?, added_at = ? WHERE id = ?",
                             (*values, doc_id))
                conn.execute("DELETE FROM items WHERE document_id = ?", (doc_id,))
            else:
                cur = conn.execute("INSERT INTO documents(path, kind, title, city, fiscal_year, fiscal_label, format, "
                                   "outline_sha256, added_at, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   (*values, sha256))
                doc_id = int(cur.lastrowid or 0)
            previous = conn.execute("SELECT document_id FROM paths WHERE path = ?", (path,)).fetchone()
            conn.execute("INSERT INTO paths(path, document_id) VALUES (?, ?) "
                         "ON CONFLICT(path) DO UPDATE SET document_id = excluded.document_id", (path, doc_id))
            if previous and previous[0] != doc_id:
                self._drop_if_pathless(int(previous[0]))
            for (other,) in conn.execute("SELECT path FROM paths WHERE document_id = ? AND path != ?",
                                         (doc_id, path)).fetchall():
                if not Path(other).exists():  # renamed: the old name is gone
                    conn.execute("DELETE FROM paths WHERE path = ?", (other,))
            conn.executemany(
                "INSERT INTO items(document_id, seq, item_id, city, fiscal_year, policy, measure, name, content, "
                "departments, actor, tags, page, line, tbl, row, pillar, pillar_score, pillar_confidence, head, body, "
                "extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (doc_id, seq, e.item.id, e.city, e.fiscal_year.year if e.fiscal_year else None,
                     e.item.policy, e.item.measure, e.item.name, e.item.content,
                     json.dumps(list(e.item.departments), ensure_ascii=False), e.item.actor,
                     json.dumps(list(e.item.tags), ensure_ascii=False),
                     e.item.source.page, e.item.source.line, e.item.source.table, e.item.source.row,
                     e.match.pillar if e.match else None, e.match.score if e.match else None,
                     e.match.confidence if e.match else None, head, body, _extra(e.item, e.location))
                    for seq, (e, head, body) in enumerate(rows)
                ],
            )
        return doc_id

    def _drop_if_pathless(self, doc_id: int) -> None:
        if self.conn.execute("SELECT 1 FROM paths WHERE document_id = ?", (doc_id,)).fetchone() is None:
            self.conn.execute("DELETE FROM items WHERE document_id = ?", (doc_id,))
            self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def add_document(
        self,
        doc: Document,
        matches: Iterable[Match] = (),
        city: str | None = None,
        outline_sha256: str | None = None,
    ) -> int:
        """Put a plan Document into the library (city overrides the one read from it; matches give the
        items' pillars, against the outline whose sha256 is outline_sha256); returns the document id."""
        by_id: Mapping[str, Match] = {m.item_id: m for m in matches}
        city = city or doc.city
        entries = [Entry(i, city, doc.fiscal_year, by_id.get(i.id)) for i in doc.items]
        return self.add_entries(path=doc.path, sha256=doc.sha256, entries=entries, kind="plan", title=doc.title,
                                city=city, fiscal_year=doc.fiscal_year, fmt=doc.format,
                                outline_sha256=outline_sha256 if by_id else None)

    def set_pillars(self, matches_by_rowid: Mapping[int, Match], outline_sha256: str) -> None:
        """Record pillar matches for stored items (by rowid) made against the outline outline_sha256,
        in one transaction."""
        conn = self.conn
        with self.atomic():
            conn.executemany("UPDATE items SET pillar = ?, pillar_score = ?, pillar_confidence = ? WHERE id = ?",
                             [(m.pillar, m.score, m.confidence, rowid) for rowid, m in matches_by_rowid.items()])
            doc_ids = {r[0] for r in conn.execute(
                f"SELECT DISTINCT document_id FROM items WHERE id IN ({','.join('?' * len(matches_by_rowid))})",
                list(matches_by_rowid)).fetchall()} if matches_by_rowid else set()
            conn.executemany("UPDATE documents SET outline_sha256 = ? WHERE id = ?",
                             [(outline_sha256, d) for d in doc_ids])

    def remove(self, *, path: str | None = None, sha256: str | None = None,
               city: str | None = None) -> tuple[int, int]:
        """Remove a document (by one of its paths or its sha256) or every item of a city (documents left
        with no items go too), in one transaction; returns how many documents and items were removed."""
        conn = self.conn
        with self.atomic():
            before = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            if city is not None:
                n = conn.execute("DELETE FROM items WHERE city = ?", (city,)).rowcount
                conn.execute("DELETE FROM documents WHERE id NOT IN (SELECT DISTINCT document_id FROM items)")
            else:
                ids = set()
                if path is not None:
                    ids |= {r[0] for r in conn.execute("SELECT document_id FROM paths WHERE path = ?", (path,))}
                    ids |= {r[0] for r in conn.execute("SELECT id FROM documents WHERE path = ?", (path,))}
                if sha256 is not None:
                    ids |= {r[0] for r in conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,))}
                n = 0
                for doc_id in ids:
                    n += conn.execute("DELETE FROM items WHERE document_id = ?", (doc_id,)).rowcount
                    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            conn.execute("DELETE FROM paths WHERE document_id NOT IN (SELECT id FROM documents)")
            docs = before - conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        return docs, n

    # -- reading -------------------------------------------------------------------------------

    def count(self) -> int:
        """How many items the library holds."""
        return int(self.conn.execute("SELECT count(*) FROM items").fetchone()[0])

    def items(self, city: str | None = None, exclude_sha256: Iterable[str] = ()) -> list[StoredItem]:
        """Every stored item (of city, if given), in document and reading order, leaving out documents
        whose sha256 is in exclude_sha256."""
        where, args = ["1"], []
        if city is not None:
            where.append("items.city = ?")
            args.append(city)
        excluded = list(exclude_sha256)
        if excluded:
            where.append(f"documents.sha256 NOT IN ({','.join('?' * len(excluded))})")
            args.extend(excluded)
        rows = self.conn.execute(f"SELECT {_ITEM_COLUMNS} FROM items JOIN documents ON documents.id = "
                                 f"items.document_id WHERE {' AND '.join(where)} ORDER BY documents.id, items.seq",
                                 args).fetchall()
        return [_stored(r) for r in rows]

    def documents(self) -> list[DocumentInfo]:
        """Every document in the library with its item counts, by city then path."""
        out = []
        for d in self.conn.execute("SELECT * FROM documents ORDER BY coalesce(city, ''), path").fetchall():
            per_city = self.conn.execute("SELECT city, count(*) FROM items WHERE document_id = ? GROUP BY city "
                                         "ORDER BY count(*) DESC, city", (d["id"],)).fetchall()
            out.append(DocumentInfo(sha256=d["sha256"], path=d["path"], kind=d["kind"], title=d["title"],
                                    city=d["city"], fiscal_label=d["fiscal_label"], items=sum(n for _, n in per_city),
                                    cities=tuple((c, n) for c, n in per_city), outline_sha256=d["outline_sha256"],
                                    added_at=d["added_at"]))
        return out

    def cities(self) -> list[tuple[str | None, int, int]]:
        """(city, documents, items) for every city in the library, most items first."""
        rows = self.conn.execute("SELECT city, count(DISTINCT document_id), count(*) FROM items GROUP BY city "
                                 "ORDER BY count(*) DESC, city").fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def search(self, query: str, city: str | None = None, pillar: int | None = None,
               limit: int = 50) -> tuple[list[str], list[Hit]]:
        """The query's normalized tokens and the best-ranked items for it: items with every token first,
        then items with some of them (how = 'all' or 'some'). The same measure in several files of one
        plan (its .pdf and its .docx) is one hit, the other files in its copies."""
        terms, phases = self._phases(query, city, pillar)
        if not phases or limit <= 0:
            return terms, []
        ranked: list[tuple[int, float, str]] = []
        seen: set[int] = set()
        kept: dict[tuple[object, ...], int] = {}  # measure key: index in ranked
        copies: dict[int, list[int]] = {}
        sql = f"SELECT rowid, {_RANK} AS score FROM items_fts WHERE items_fts MATCH ? ORDER BY score LIMIT ?"
        for how, expr in phases:
            fetch = limit - len(ranked) + len(seen)
            while len(ranked) < limit:
                rows = self.conn.execute(sql, [expr, fetch]).fetchall()
                new = [(rowid, score) for rowid, score in rows if rowid not in seen]
                keys = self._keys([rowid for rowid, _ in new])
                for rowid, score in new:
                    seen.add(rowid)
                    key = keys[rowid]
                    if key in kept:
                        copies.setdefault(ranked[kept[key]][0], []).append(rowid)
                    elif len(ranked) < limit:
                        kept[key] = len(ranked)
                        ranked.append((rowid, score, how))
                if len(rows) < fetch:  # every match of this phase seen
                    break
                fetch *= 2
        wanted = [r for r, _, _ in ranked] + [c for cs in copies.values() for c in cs]
        rows_by_id = {r["rowid"]: r for r in self.conn.execute(
            f"SELECT {_ITEM_COLUMNS} FROM items JOIN documents ON documents.id = items.document_id "
            f"WHERE items.id IN ({','.join('?' * len(wanted))})", wanted).fetchall()}
        hits = []
        for n, (rowid, score, how) in enumerate(ranked, start=1):
            also = tuple(dict.fromkeys(_stored(rows_by_id[c]).item.source.label() for c in copies.get(rowid, [])))
            hits.append(Hit(rank=n, score=round(-score, 4), how=how, stored=_stored(rows_by_id[rowid]), copies=also))
        return terms, hits

    def count_matches(self, query: str, city: str | None = None, pillar: int | None = None) -> int:
        """How many measures search() could list for query with no limit: copies counted once, up to
        _EXACT_COUNT matching items (beyond, every matching item)."""
        _, phases = self._phases(query, city, pillar)
        if not phases:
            return 0
        expr = phases[-1][1]  # the widest phase: some of the words
        found = int(self.conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", [expr]).fetchone()[0])
        if found > _EXACT_COUNT:
            return found  # copies are few beside so many; telling them apart would take seconds
        row = self.conn.execute(
            f"SELECT count(*) FROM (SELECT DISTINCT {_KEY_COLUMNS} FROM items "
            "WHERE items.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?))", [expr]).fetchone()
        return int(row[0])

    def _phases(self, query: str, city: str | None, pillar: int | None) -> tuple[list[str], list[tuple[str, str]]]:
        """The query's terms and the FTS expressions of each phase ('all' the words, then 'some')."""
        terms = [t for t in dict.fromkeys(index_terms(query)) if _printable(t)]
        if not terms:
            return terms, []
        # One FTS query per phase: filters are terms of the city and pillar columns, so FTS5 intersects
        # short doclists instead of ranking every match and joining.
        filters = []
        c = _printable(clean(city or "")).strip()
        if c:
            names = [c] + [c + s for s in _CITY_SUFFIXES if not c.endswith(_CITY_SUFFIXES)]
            filters.append("city : (" + " OR ".join(_fts_term(n, False) for n in names) + ")")
        if pillar is not None:
            filters.append(f'pillar : "{int(pillar)}"')
        words = "{head body} : "
        # Every token as a word prefix (講座 finds 講座等), ranked by bm25; then, to fill the page, items
        # with only some of the tokens.
        phases = [("all", words + "(" + " AND ".join(_fts_term(t, True) for t in terms) + ")")]
        if len(terms) > 1:
            phases.append(("some", words + "(" + " OR ".join(_fts_term(t, True) for t in terms) + ")"))
        return terms, [(how, " AND ".join([f"({expr})", *filters])) for how, expr in phases]

    def _keys(self, rowids: list[int]) -> dict[int, tuple[object, ...]]:
        """The measure key of each item (see _KEY_COLUMNS)."""
        if not rowids:
            return {}
        rows = self.conn.execute(f"SELECT items.id, {_KEY_COLUMNS} FROM items "
                                 f"WHERE items.id IN ({','.join('?' * len(rowids))})", rowids).fetchall()
        return {r[0]: tuple(r[1:]) for r in rows}


_EXACT_COUNT = 5000
_RANK = "bm25(items_fts, " + ", ".join(map(str, _WEIGHTS)) + ")"
# What makes two stored items one measure: the same city and year and the same normalized name and
# text, which the .pdf and the .docx of one plan share (whitespace and 表記ゆれ are folded).
_KEY_COLUMNS = "items.city, items.fiscal_year, items.head, items.body"


def _statements(script: str) -> list[str]:
    """The statements of a schema script (triggers kept whole), for execution inside atomic()."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return [s for s in out if s]


def _tokenizer_key() -> str:
    return json.dumps(tokenize.info(), sort_keys=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    """text without control characters (a NUL would end an FTS5 string early)."""
    return _CONTROL.sub("", text)


# ---------------------------------------------------------------------------------------------
# Rows

_ITEM_COLUMNS = (
    "items.id AS rowid, items.*, documents.sha256 AS doc_sha, documents.path AS doc_path, "
    "documents.kind AS doc_kind, documents.fiscal_label AS doc_label, documents.outline_sha256 AS doc_outline"
)


_COLUMN_FIELDS = frozenset({"id", "policy", "measure", "name", "content", "departments", "actor", "tags", "source"})
_EXTRA_FIELDS = {f.name: f for f in fields(Item) if f.name not in _COLUMN_FIELDS}


# The key of Entry.location in items.extra: no Item field has it, so _unextra leaves it to _stored.
_LOCATION_KEY = "source_location"


def _extra(item: Item, location: str = "") -> str:
    """The Item fields without a column of their own (only those that differ from their default) and
    the entry's location (if any), as JSON."""
    out: dict[str, object] = {}
    for name, f in _EXTRA_FIELDS.items():
        value = getattr(item, name)
        default = f.default_factory() if f.default_factory is not MISSING else f.default
        if value != default:
            out[name] = value
    if location:
        out[_LOCATION_KEY] = location
    return json.dumps(out, ensure_ascii=False) if out else "{}"


def _unextra(data: Mapping[str, object]) -> dict[str, object]:
    """_extra read back (as parsed JSON) into Item fields: lists as the tuples the Item holds; fields
    this plandraft does not know, and the location, are left out."""
    out: dict[str, object] = {}
    for name, value in data.items():
        f = _EXTRA_FIELDS.get(name)
        if f is not None:
            default = f.default_factory() if f.default_factory is not MISSING else f.default
            out[name] = tuple(value) if isinstance(value, list) and isinstance(default, tuple) else value
    return out


def _stored(r: sqlite3.Row) -> StoredItem:
    extra = json.loads(r["extra"] or "{}")
    item = Item(
        id=r["item_id"], policy=r["policy"], measure=r["measure"], name=r["name"], content=r["content"],
        departments=tuple(json.loads(r["departments"])), actor=r["actor"], tags=tuple(json.loads(r["tags"])),
        source=Source(path=r["doc_path"], sha256=r["doc_sha"], page=r["page"], line=r["line"],
                      table=r["tbl"], row=r["row"]),
        **_unextra(extra),  # type: ignore[arg-type]
    )
    label = r["doc_label"] if r["fiscal_year"] is not None else None
    return StoredItem(rowid=r["rowid"], item=item, city=r["city"], fiscal_year=r["fiscal_year"], fiscal_label=label,
                      pillar=r["pillar"], pillar_score=r["pillar_score"], document_sha256=r["doc_sha"],
                      document_path=r["doc_path"], kind=r["doc_kind"], outline_sha256=r["doc_outline"],
                      location=str(extra.get(_LOCATION_KEY) or ""))


def _fts_term(token: str, prefix: bool) -> str:
    token = _printable(token)
    quoted = '"' + token.replace('"', '""') + '"'
    return quoted + "*" if prefix and len(token) >= 2 else quoted  # 市* would find every 市民


_CITY_SUFFIXES = ("市", "町", "村", "区")


_WS = re.compile(r"\s+")


def snippet(text: str, width: int = 60) -> str:
    """text on one line, cut to width characters."""
    text = _WS.sub(" ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Exchange files: CSV or JSON a prefecture or a group of cities shares (plandraft library import/export)

EXCHANGE_COLUMNS = ("city", "measure", "content", "department", "pillar", "fiscal_year", "source_title",
                    "source_url", "source_location", "also_in")
# Column names other files use for ours (the reference file's measures.tsv among them).
_ALIASES = {"name": "measure", "項目": "measure", "内容": "content", "departments": "department",
            "source_year": "fiscal_year", "year": "fiscal_year", "source": "source_url", "url": "source_url",
            "title": "source_title", "市町村": "city"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExchangeRow:
    """One measure of an exchange file: every field but the fiscal year (the Western year it starts
    in) and pillar as text."""

    city: str
    measure: str
    content: str = ""
    department: str = ""
    pillar: int | None = None
    fiscal_year: int | None = None
    source_title: str = ""
    source_url: str = ""
    source_location: str = ""
    also_in: str = ""  # other sources of the same measure, merged into this row


_SHAPE = '{"entries": [...]}'  # the other shape of an exchange .json: an object around the list


def read_exchange(path: Path | str, on_error: Callable[[InputError], None]) -> list[ExchangeRow]:
    """The rows of a .csv, .tsv or .json exchange file; a bad row goes to on_error (one line naming
    the file and the row) and is left out. InputError if the file cannot be read at all."""
    path = Path(path)
    fmt = path.suffix.lower()
    if fmt not in (".csv", ".tsv", ".json"):
        raise input_error("exchange.bad_type", suffix=fmt or "(none)", path=str(path))
    try:
        text = decode(path.read_bytes())  # UTF-8, or as Excel saves a CSV (CP932) or text (UTF-16)
    except OSError as exc:
        raise input_error("exchange.unreadable", reason=exc, path=str(path)) from exc
    except InputError as exc:
        raise input_error("exchange.unreadable", reason=exc.reason, path=str(path)) from exc
    records: list[tuple[str, dict[str, object]]] = []
    if fmt == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise input_error("exchange.not_json", reason=exc, shape=_SHAPE, path=str(path)) from exc
        if isinstance(data, dict):
            data = data.get("entries")
        if not isinstance(data, list):
            raise input_error("exchange.no_list", shape=_SHAPE, path=str(path))
        records = [(msg_text("exchange.entry", number=n), r if isinstance(r, dict) else {})
                   for n, r in enumerate(data, start=1)]
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t" if fmt == ".tsv" else ",")
        records = [(msg_text("exchange.line", number=reader.line_num), dict(r)) for r in reader]
    out = []
    for where, record in records:
        row = {_ALIASES.get(str(k).strip(), str(k).strip()): _unguard(v) for k, v in record.items() if k is not None}
        try:
            out.append(_exchange_row(row))
        except InputError as exc:
            on_error(InputError(f"{where}: {exc.reason}", exc.hint, path=str(path)))
    return out


def _unguard(value: object) -> str:
    """A cell as text, without the quote export put before a leading = + - @."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "、".join(map(str, value))
    text = str(value).strip()
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def _guard(text: str) -> str:
    """A cell a spreadsheet will not run: a leading = + - @ gets a quote (undone by import)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _exchange_row(row: dict[str, str]) -> ExchangeRow:
    """One row of an exchange file as an ExchangeRow; InputError (no file named) if it is not one."""
    if not row.get("city"):
        raise input_error("exchange.no_city")
    if not row.get("measure"):
        raise input_error("exchange.no_measure")
    if not row.get("source_url") and not row.get("source_title"):
        raise input_error("exchange.no_source", measure=row["measure"])
    value = row.get("pillar", "")
    try:
        pillar = int(value) if value else None
    except ValueError:
        raise input_error("exchange.not_number", column="pillar", value=repr(value)) from None
    value = row.get("fiscal_year", "")
    try:
        # as a planner types it in Excel: 令和6年度, 平成31年度, R6 (or r6), 2024年度, 2024
        fiscal_year = parse_year_arg(value.upper()) if value else None
    except ValueError as exc:
        raise InputError(str(exc)) from None  # the message gives examples of what is read
    return ExchangeRow(city=row["city"], measure=row["measure"], content=row.get("content", ""),
                       department=row.get("department", ""), pillar=pillar or None,
                       fiscal_year=fiscal_year, source_title=row.get("source_title", ""),
                       source_url=row.get("source_url", ""), source_location=row.get("source_location", ""),
                       also_in=row.get("also_in", ""))


def write_exchange(path: Path | str, rows: Sequence[ExchangeRow]) -> None:
    """rows to a .csv (UTF-8 with BOM, so Excel reads the Japanese; no cell a formula) or .json file,
    written atomically."""
    from .output import dumps, write_atomic

    path = Path(path)
    if path.suffix.lower() == ".json":
        write_atomic(path, dumps({"entries": [asdict(r) for r in rows]}))
        return
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXCHANGE_COLUMNS)
    for r in rows:
        writer.writerow([_guard("" if v is None else str(v)) for v in (getattr(r, c) for c in EXCHANGE_COLUMNS)])
    write_atomic(path, "\ufeff" + buffer.getvalue())


def _measure_key(city: str | None, name: str) -> tuple[str | None, str]:
    """A measure across plans: its city and normalized name (表記ゆれ, width and spacing folded)."""
    return city, " ".join(index_terms(name)) or clean(name)


def export_rows(lib: Library) -> list[ExchangeRow]:
    """Every measure of the library with its city, source and pillar; the same measure in several
    plans (same city and normalized name) is one row, the other sources in also_in."""
    titles = {d.sha256: d.title for d in lib.documents()}
    rows: dict[tuple[str | None, str], ExchangeRow] = {}
    for s in lib.items():
        if not s.city:
            continue  # the outline's examples that name no city: no municipality to credit
        source = s.item.source.path
        title = titles.get(s.document_sha256, "")
        # An imported row that gave only its title is filed under the title: it has no URL to export.
        url = "" if s.kind == "import" and source == title else source
        row = ExchangeRow(city=s.city, measure=s.item.name, content=s.item.content,
                          department="、".join(s.item.departments), pillar=s.pillar, fiscal_year=s.fiscal_year,
                          source_title=title, source_url=url,
                          source_location=s.item.source.label(with_file=False) or s.location)
        key = _measure_key(s.city, s.item.name)
        if key in rows:
            first = rows[key]
            others = [x for x in first.also_in.split(" | ") if x]
            if source != (first.source_url or first.source_title) and source not in others:
                rows[key] = replace(first, also_in=" | ".join([*others, source]))
        else:
            rows[key] = row
    return list(rows.values())


def import_rows(lib: Library, rows: Sequence[ExchangeRow]) -> tuple[int, int]:
    """Add exchange rows to the library, one document per source; a measure the library already has
    (same city and normalized name, from any plan) or that repeats in rows is merged, not added.
    Importing the same file again changes nothing. Returns (added, merged)."""
    have = {_measure_key(s.city, s.item.name) for s in lib.items()}
    by_source: dict[str, list[ExchangeRow]] = {}
    merged = 0
    for r in rows:
        key = _measure_key(r.city, r.measure)
        if key in have:
            merged += 1
            continue
        have.add(key)
        by_source.setdefault(r.source_url or r.source_title, []).append(r)
    added = 0
    with lib.atomic():
        for source, group in by_source.items():
            sha = hashlib.sha256(f"plandraft import\0{source}".encode()).hexdigest()
            old = [s for s in lib.items() if s.document_sha256 == sha]  # earlier imports from this source
            entries = [Entry(s.item, s.city, _year(s.fiscal_year), _pillar_match(s.item, s.pillar), s.location)
                       for s in old]
            for k, r in enumerate(group, start=len(old)):
                at, location = _source_at(source, sha, r.source_location)
                item = Item(id=f"{sha[:8]}-{k:04d}", policy="", measure="", name=r.measure, content=r.content,
                            departments=tuple(d.strip() for d in re.split(r"[、,]", r.department) if d.strip()),
                            actor=None, tags=(), source=at)
                entries.append(Entry(item, r.city, _year(r.fiscal_year), _pillar_match(item, r.pillar), location))
            cities = {e.city for e in entries}
            years = {r.fiscal_year for r in group}
            lib.add_entries(path=source, sha256=sha, entries=entries, kind="import", title=group[0].source_title,
                            city=cities.pop() if len(cities) == 1 else None,
                            fiscal_year=_year(years.pop()) if len(years) == 1 else None, fmt="import")
            added += len(group)
    return added, merged


_LOCATION_PART = re.compile(r"p\.(?P<page>\d+)|表(?P<table>\d+)|行(?P<row>\d+)|(?P<line>\d+)行目")


def _source_at(path: str, sha256: str, location: str) -> tuple[Source, str]:
    """The Source of an imported row and what of its source_location it cannot hold: a location as
    Source.label writes one (p.3, 表1 行3, 12行目) goes into its page, table, row and line, so it reads
    back the same; any other (第2章, 別冊 p.3) is returned whole, to be kept as text."""
    place: dict[str, int] = {}
    for part in location.split():
        m = _LOCATION_PART.fullmatch(part)
        if m is None:
            break
        place.update({k: int(v) for k, v in m.groupdict().items() if v is not None})
    else:
        at = Source(path=path, sha256=sha256, **place)
        if at.label(with_file=False) == location:
            return at, ""
    return Source(path=path, sha256=sha256), location


def _year(year: int | None) -> FiscalYear | None:
    return FiscalYear(fiscal_year_label(year), year) if year else None


def _pillar_match(item: Item, pillar: int | None) -> Match | None:
    """The pillar an exchange file gives: kept until the library is matched against another outline."""
    return Match(item.id, item.name, pillar, 1.0, 1.0, ((pillar, 1.0),)) if pillar else None
