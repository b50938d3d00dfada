"""The library: every measure ever ingested, in one SQLite file, searchable over Sudachi-normalized tokens.

One row per document (keyed by content sha256, so a renamed or copied identical file is the same
document) and its paths; one row per item with its city, fiscal year, pillar match and provenance; an
FTS5 index fed with space-joined normalized tokens (FTS5's `ascii` tokenizer then treats each
Japanese token as one term). Every document is written in one transaction, so a run killed mid-write
leaves each document either fully in the library or not at all."""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import InputError
from .model import Document, FiscalYear, Item, Match, Source
from .text import tokenize
from .text.normalize import clean

DEFAULT_PATH = Path("outputs") / "library.sqlite"
SCHEMA_VERSION = 1
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
    body TEXT NOT NULL               -- normalized tokens of content and ■ measure
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


@dataclass(frozen=True)
class Hit:
    """A search result: the stored item, its rank (1 = best), its bm25 score (higher is better) and
    how it matched: 'all' the query's words (each maybe as the start of a longer word) or 'some'."""

    rank: int
    score: float
    how: str
    stored: StoredItem


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
# Opening


def open_library(path: Path | str, create: bool = True) -> sqlite3.Connection:
    """A connection to the library at path (created with its folder if create); raises InputError
    for a file that is not a plandraft library, FileNotFoundError if it is missing and not create."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise FileNotFoundError(str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            conn.close()
            raise InputError(f"library made by a newer plandraft (schema {version})", "update plandraft")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if version < SCHEMA_VERSION:
            conn.executescript(f"BEGIN IMMEDIATE;\n{_SCHEMA}\nPRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;")
        _check_tokenizer(conn)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"not a plandraft library ({exc})", "give another --library file") from exc
    return conn


def _tokenizer_key() -> str:
    return json.dumps(tokenize.info(), sort_keys=True)


def _check_tokenizer(conn: sqlite3.Connection) -> None:
    """Re-tokenize every item if the library was indexed with another Sudachi or dictionary, so
    queries and index agree."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'tokenizer'").fetchone()
    key = _tokenizer_key()
    if row is not None and row[0] == key:
        return
    if row is not None:
        reindex(conn)
    _set_meta(conn, "tokenizer", key)


def reindex(conn: sqlite3.Connection) -> int:
    """Re-tokenize every item (one transaction); returns how many."""
    rows = conn.execute("SELECT id, name, content, measure FROM items").fetchall()
    conn.execute("BEGIN IMMEDIATE")
    try:
        for r in rows:
            head = " ".join(index_terms(r["name"]))
            body = " ".join(index_terms("\n".join(t for t in (r["content"], r["measure"]) if t)))
            conn.execute("UPDATE items SET head = ?, body = ? WHERE id = ?", (head, body, r["id"]))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(rows)


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (key, value))


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    """A library setting (e.g. 'outline': the outline last used to match pillars)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Record a library setting (its own transaction)."""
    _set_meta(conn, key, value)


# ---------------------------------------------------------------------------------------------
# Writing


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_entries(
    conn: sqlite3.Connection,
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
    conn.execute("BEGIN IMMEDIATE")
    try:
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
            _drop_if_pathless(conn, int(previous[0]))
        for (other,) in conn.execute("SELECT path FROM paths WHERE document_id = ? AND path != ?",
                                     (doc_id, path)).fetchall():
            if not Path(other).exists():  # renamed: the old name is gone
                conn.execute("DELETE FROM paths WHERE path = ?", (other,))
        conn.executemany(
            "INSERT INTO items(document_id, seq, item_id, city, fiscal_year, policy, measure, name, content, "
            "departments, actor, tags, page, line, tbl, row, pillar, pillar_score, pillar_confidence, head, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id, seq, e.item.id, e.city, e.fiscal_year.year if e.fiscal_year else None,
                 e.item.policy, e.item.measure, e.item.name, e.item.content,
                 json.dumps(list(e.item.departments), ensure_ascii=False), e.item.actor,
                 json.dumps(list(e.item.tags), ensure_ascii=False),
                 e.item.source.page, e.item.source.line, e.item.source.table, e.item.source.row,
                 e.match.pillar if e.match else None, e.match.score if e.match else None,
                 e.match.confidence if e.match else None, head, body)
                for seq, (e, head, body) in enumerate(rows)
            ],
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return doc_id


def _drop_if_pathless(conn: sqlite3.Connection, doc_id: int) -> None:
    if conn.execute("SELECT 1 FROM paths WHERE document_id = ?", (doc_id,)).fetchone() is None:
        conn.execute("DELETE FROM items WHERE document_id = ?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def add_document(
    conn: sqlite3.Connection,
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
    return add_entries(conn, path=doc.path, sha256=doc.sha256, entries=entries, kind="plan", title=doc.title,
                       city=city, fiscal_year=doc.fiscal_year, fmt=doc.format,
                       outline_sha256=outline_sha256 if by_id else None)


def set_pillars(conn: sqlite3.Connection, matches: Mapping[int, Match], outline_sha256: str) -> None:
    """Record pillar matches for stored items (by rowid) made against the outline outline_sha256,
    in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("UPDATE items SET pillar = ?, pillar_score = ?, pillar_confidence = ? WHERE id = ?",
                         [(m.pillar, m.score, m.confidence, rowid) for rowid, m in matches.items()])
        doc_ids = {r[0] for r in conn.execute(
            f"SELECT DISTINCT document_id FROM items WHERE id IN ({','.join('?' * len(matches))})",
            list(matches)).fetchall()} if matches else set()
        conn.executemany("UPDATE documents SET outline_sha256 = ? WHERE id = ?",
                         [(outline_sha256, d) for d in doc_ids])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def remove(conn: sqlite3.Connection, *, path: str | None = None, sha256: str | None = None,
           city: str | None = None) -> tuple[int, int]:
    """Remove a document (by one of its paths or its sha256) or every item of a city (documents left
    with no items go too), in one transaction; returns how many documents and items were removed."""
    conn.execute("BEGIN IMMEDIATE")
    try:
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
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return docs, n


# ---------------------------------------------------------------------------------------------
# Reading

_ITEM_COLUMNS = (
    "items.id AS rowid, items.*, documents.sha256 AS doc_sha, documents.path AS doc_path, "
    "documents.kind AS doc_kind, documents.fiscal_label AS doc_label, documents.outline_sha256 AS doc_outline"
)


def _stored(r: sqlite3.Row) -> StoredItem:
    item = Item(
        id=r["item_id"], policy=r["policy"], measure=r["measure"], name=r["name"], content=r["content"],
        departments=tuple(json.loads(r["departments"])), actor=r["actor"], tags=tuple(json.loads(r["tags"])),
        source=Source(path=r["doc_path"], sha256=r["doc_sha"], page=r["page"], line=r["line"],
                      table=r["tbl"], row=r["row"]),
    )
    label = r["doc_label"] if r["fiscal_year"] is not None else None
    return StoredItem(rowid=r["rowid"], item=item, city=r["city"], fiscal_year=r["fiscal_year"], fiscal_label=label,
                      pillar=r["pillar"], pillar_score=r["pillar_score"], document_sha256=r["doc_sha"],
                      document_path=r["doc_path"], kind=r["doc_kind"], outline_sha256=r["doc_outline"])


def items(conn: sqlite3.Connection, *, city: str | None = None, exclude_sha256: Iterable[str] = ()) -> list[StoredItem]:
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
    rows = conn.execute(f"SELECT {_ITEM_COLUMNS} FROM items JOIN documents ON documents.id = items.document_id "
                        f"WHERE {' AND '.join(where)} ORDER BY documents.id, items.seq", args).fetchall()
    return [_stored(r) for r in rows]


def documents(conn: sqlite3.Connection) -> list[DocumentInfo]:
    """Every document in the library with its item counts, by city then path."""
    out = []
    for d in conn.execute("SELECT * FROM documents ORDER BY coalesce(city, ''), path").fetchall():
        per_city = conn.execute("SELECT city, count(*) FROM items WHERE document_id = ? GROUP BY city "
                                "ORDER BY count(*) DESC, city", (d["id"],)).fetchall()
        out.append(DocumentInfo(sha256=d["sha256"], path=d["path"], kind=d["kind"], title=d["title"], city=d["city"],
                                fiscal_label=d["fiscal_label"], items=sum(n for _, n in per_city),
                                cities=tuple((c, n) for c, n in per_city), outline_sha256=d["outline_sha256"],
                                added_at=d["added_at"]))
    return out


def cities(conn: sqlite3.Connection) -> list[tuple[str | None, int, int]]:
    """(city, documents, items) for every city in the library, most items first."""
    rows = conn.execute("SELECT city, count(DISTINCT document_id), count(*) FROM items GROUP BY city "
                        "ORDER BY count(*) DESC, city").fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def _fts_term(token: str, prefix: bool) -> str:
    quoted = '"' + token.replace('"', '""') + '"'
    return quoted + "*" if prefix and len(token) >= 2 else quoted  # 市* would find every 市民


_CITY_SUFFIXES = ("市", "町", "村", "区")


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    city: str | None = None,
    pillar: int | None = None,
    limit: int = 20,
) -> tuple[list[str], list[Hit]]:
    """The query's normalized tokens and the best-ranked items for it: items with every token first,
    then items with some of them (how = 'all' or 'some')."""
    terms = list(dict.fromkeys(index_terms(query)))
    if not terms or limit <= 0:
        return terms, []
    # One FTS query per phase: filters are terms of the city and pillar columns, so FTS5 intersects
    # short doclists instead of ranking every match and joining.
    filters = []
    if city:
        c = clean(city).strip()
        names = [c] + [c + s for s in _CITY_SUFFIXES if not c.endswith(_CITY_SUFFIXES)]
        filters.append("city : (" + " OR ".join(_fts_term(n, False) for n in names) + ")")
    if pillar is not None:
        filters.append(f'pillar : "{int(pillar)}"')
    rank = "bm25(items_fts, " + ", ".join(map(str, _WEIGHTS)) + ")"
    words = "{head body} : "
    # Every token as a word prefix (講座 finds 講座等), ranked by bm25; then, to fill the page, items
    # with only some of the tokens.
    phases = [("all", words + "(" + " AND ".join(_fts_term(t, True) for t in terms) + ")")]
    if len(terms) > 1:
        phases.append(("some", words + "(" + " OR ".join(_fts_term(t, True) for t in terms) + ")"))
    ranked: list[tuple[int, float, str]] = []
    seen: set[int] = set()
    for how, expr in phases:
        wanted = limit - len(ranked)
        if wanted <= 0:
            break
        expr = " AND ".join([f"({expr})", *filters])
        sql = f"SELECT rowid, {rank} AS score FROM items_fts WHERE items_fts MATCH ? ORDER BY score LIMIT ?"
        for rowid, score in conn.execute(sql, [expr, wanted + len(seen)]).fetchall():
            if rowid not in seen and len(ranked) < limit:
                seen.add(rowid)
                ranked.append((rowid, score, how))
    rows = {r["rowid"]: r for r in conn.execute(
        f"SELECT {_ITEM_COLUMNS} FROM items JOIN documents ON documents.id = items.document_id "
        f"WHERE items.id IN ({','.join('?' * len(ranked))})", [r for r, _, _ in ranked]).fetchall()}
    hits = [Hit(rank=n, score=round(-score, 4), how=how, stored=_stored(rows[rowid]))
            for n, (rowid, score, how) in enumerate(ranked, start=1)]
    return terms, hits


_WS = re.compile(r"\s+")


def snippet(text: str, width: int = 60) -> str:
    """text on one line, cut to width characters."""
    text = _WS.sub(" ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"
