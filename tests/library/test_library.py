"""The library: round trip, idempotent re-ingest (same file, renamed file, edited file), removal,
a kill mid-write, unreadable files and re-indexing after a tokenizer change."""
from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from comparekit import MINAMIKAWA, WAKABA, KeywordMatcher
from conftest import ROOT

from pipeline import library
from pipeline.errors import InputError
from pipeline.ingest import ingest_file
from pipeline.outline import read_outline


def count(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_round_trip_keeps_items_city_year_pillar_and_source(tmp_path: Path, tsushima_txt: Path,
                                                           outline_txt: Path) -> None:
    doc = ingest_file(tsushima_txt)
    matches = KeywordMatcher(read_outline(outline_txt)).match_items(doc.items)
    conn = library.open_library(tmp_path / "lib.sqlite")
    library.add_document(conn, doc, matches, outline_sha256="o" * 64)
    stored = library.items(conn)
    assert [s.item for s in stored] == list(doc.items)  # every field, source included
    assert {s.city for s in stored} == {"対馬市"}
    assert {(s.fiscal_year, s.fiscal_label) for s in stored} == {(2009, "平成21年度")}
    assert [s.pillar for s in stored] == [m.pillar for m in matches]
    assert {s.outline_sha256 for s in stored} == {"o" * 64}
    (info,) = library.documents(conn)
    assert (info.city, info.items, info.kind, info.sha256) == ("対馬市", 38, "plan", doc.sha256)
    assert library.cities(conn) == [("対馬市", 1, 38)]


def test_re_adding_the_same_file_updates_never_duplicates(tmp_path: Path) -> None:
    conn = library.open_library(tmp_path / "lib.sqlite")
    doc = ingest_file(WAKABA)
    first = library.add_document(conn, doc)
    second = library.add_document(conn, doc, city="若葉町")
    assert first == second
    assert (count(conn, "documents"), count(conn, "items")) == (1, len(doc.items))
    assert library.search(conn, "出前講座")[1][0].stored.item.name == "協働出前講座の開催"
    assert conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH '出前'").fetchone()[0] == 1


def test_a_renamed_identical_file_is_the_same_document(tmp_path: Path) -> None:
    conn = library.open_library(tmp_path / "lib.sqlite")
    old = tmp_path / "plan.txt"
    shutil.copy(WAKABA, old)
    library.add_document(conn, ingest_file(old))
    new = old.rename(tmp_path / "若葉町_令和5年度.txt")
    library.add_document(conn, ingest_file(new))
    (info,) = library.documents(conn)
    assert info.path == str(new) and info.items == 8
    assert [r[0] for r in conn.execute("SELECT path FROM paths")] == [str(new)]  # the old name is forgotten
    # a copy beside the original is still one document, known by both names
    copy = tmp_path / "copy.txt"
    shutil.copy(new, copy)
    library.add_document(conn, ingest_file(copy))
    assert count(conn, "documents") == 1 and count(conn, "items") == 8 and count(conn, "paths") == 2


def test_an_edited_file_replaces_its_old_content(tmp_path: Path) -> None:
    conn = library.open_library(tmp_path / "lib.sqlite")
    path = tmp_path / "plan.txt"
    shutil.copy(WAKABA, path)
    library.add_document(conn, ingest_file(path))
    text = path.read_text("utf-8").replace("● 協働事業の評価\t協働事業を町民と町の双方で評価し、次年度の改善につなげます。\t協働推進課\n", "")
    path.write_text(text, "utf-8")
    library.add_document(conn, ingest_file(path))
    assert count(conn, "documents") == 1 and count(conn, "items") == 7
    assert library.search(conn, "評価")[1] == []


def test_remove_by_path_by_same_content_and_by_city(tmp_path: Path) -> None:
    conn = library.open_library(tmp_path / "lib.sqlite")
    library.add_document(conn, ingest_file(WAKABA))
    library.add_document(conn, ingest_file(MINAMIKAWA))
    assert library.remove(conn, path=str(WAKABA)) == (1, 8)
    assert library.remove(conn, path="nowhere.txt") == (0, 0)
    assert library.remove(conn, city="南川町") == (1, 7)
    assert (count(conn, "documents"), count(conn, "items"), count(conn, "paths")) == (0, 0, 0)
    assert library.search(conn, "補助金")[1] == []


def test_not_a_library_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "lib.sqlite"
    bad.write_text("これはデータベースではありません" * 100, "utf-8")
    with pytest.raises(InputError, match="not a plandraft library"):
        library.open_library(bad)
    with pytest.raises(FileNotFoundError):
        library.open_library(tmp_path / "missing.sqlite", create=False)


def test_a_tokenizer_change_reindexes(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    conn = library.open_library(path)
    library.add_document(conn, ingest_file(WAKABA))
    conn.execute("UPDATE items SET head = '', body = ''")  # as if tokenized by another dictionary
    library.set_meta(conn, "tokenizer", '{"dictionary": "older"}')
    conn.close()
    conn = library.open_library(path)
    assert library.search(conn, "出前講座")[1][0].stored.item.name == "協働出前講座の開催"


WRITER = textwrap.dedent("""
    import sys
    from pipeline import library
    from pipeline.model import Item, Source
    conn = library.open_library(sys.argv[1])
    for d in range(100000):
        sha = f"{d:064x}"
        items = [Item(id=f"{d}-{k}", policy="", measure="", name=f"協働事業{k}の実施", content="出前講座を開催します。" * 5,
                      departments=(), actor=None, tags=(), source=Source("x.txt", sha, row=k)) for k in range(200)]
        library.add_entries(conn, path=f"doc{d}.txt", sha256=sha, entries=[library.Entry(i, "甲市") for i in items])
        print(d, flush=True)
""")


def test_a_kill_mid_write_leaves_whole_documents(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait for two commits, then kill during a later one
        if proc.stdout.readline().strip() == "1":
            break
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = library.open_library(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")
    per_doc = [r[0] for r in conn.execute("SELECT count(items.id) FROM documents LEFT JOIN items "
                                          "ON items.document_id = documents.id GROUP BY documents.id")]
    assert len(per_doc) >= 2 and set(per_doc) == {200}
