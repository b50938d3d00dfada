"""The library: round trip, idempotent re-ingest (same file, renamed file, edited file), removal,
atomic() (nested, rolled back), a kill mid-write, a full disk, unreadable and foreign files, and
re-indexing after a tokenizer change."""
from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from comparekit import MINAMIKAWA, WAKABA, KeywordMatcher
from conftest import ROOT

from pipeline import library
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.ingest import ingest_file
from pipeline.library import Entry, Library, LibraryWriteError
from pipeline.model import Item, Source
from pipeline.outline import read_outline


def count(lib: Library, table: str) -> int:
    return int(lib.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture()
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "lib.sqlite") as lib:
        yield lib


def items(n: int, sha: str = "a" * 64, text: str = "出前講座を開催します。") -> list[Entry]:
    return [Entry(Item(id=f"{sha[:4]}-{k}", policy="", measure="", name=f"協働事業{k}の実施", content=text,
                       departments=(), actor=None, tags=(), source=Source("x.txt", sha, row=k)), "甲市")
            for k in range(n)]


def test_round_trip_keeps_items_city_year_pillar_and_source(lib: Library, tsushima_txt: Path,
                                                           outline_txt: Path) -> None:
    doc = ingest_file(tsushima_txt)
    matches = KeywordMatcher(read_outline(outline_txt)).match_items(doc.items)
    with lib.atomic():
        lib.add_document(doc, matches, outline_sha256="o" * 64)
    stored = lib.items()
    assert [s.item for s in stored] == list(doc.items)  # every field, source included
    assert {s.city for s in stored} == {"対馬市"}
    assert {(s.fiscal_year, s.fiscal_label) for s in stored} == {(2009, "平成21年度")}
    assert [s.pillar for s in stored] == [m.pillar for m in matches]
    assert {s.outline_sha256 for s in stored} == {"o" * 64}
    (info,) = lib.documents()
    assert (info.city, info.items, info.kind, info.sha256) == ("対馬市", 38, "plan", doc.sha256)
    assert lib.cities() == [("対馬市", 1, 38)]
    assert lib.items(exclude_sha256=[doc.sha256]) == [] and len(lib.items(city="対馬市")) == 38


def test_re_adding_the_same_file_updates_never_duplicates(lib: Library) -> None:
    doc = ingest_file(WAKABA)
    first = lib.add_document(doc)
    second = lib.add_document(doc, city="若葉町")
    assert first == second
    assert (count(lib, "documents"), count(lib, "items")) == (1, len(doc.items))
    assert lib.search("出前講座")[1][0].stored.item.name == "協働出前講座の開催"
    assert lib.conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH '出前'").fetchone()[0] == 1


def test_a_renamed_identical_file_is_the_same_document(lib: Library, tmp_path: Path) -> None:
    old = tmp_path / "plan.txt"
    shutil.copy(WAKABA, old)
    lib.add_document(ingest_file(old))
    new = old.rename(tmp_path / "若葉町_令和5年度.txt")
    lib.add_document(ingest_file(new))
    (info,) = lib.documents()
    assert info.path == str(new) and info.items == 8
    assert [r[0] for r in lib.conn.execute("SELECT path FROM paths")] == [str(new)]  # the old name is forgotten
    # a copy beside the original is still one document, known by both names
    copy = tmp_path / "copy.txt"
    shutil.copy(new, copy)
    lib.add_document(ingest_file(copy))
    assert count(lib, "documents") == 1 and count(lib, "items") == 8 and count(lib, "paths") == 2


def test_an_edited_file_replaces_its_old_content(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    shutil.copy(WAKABA, path)
    lib.add_document(ingest_file(path))
    text = path.read_text("utf-8").replace("● 協働事業の評価\t協働事業を町民と町の双方で評価し、次年度の改善につなげます。\t協働推進課\n", "")
    path.write_text(text, "utf-8")
    lib.add_document(ingest_file(path))
    assert count(lib, "documents") == 1 and count(lib, "items") == 7
    assert lib.search("評価")[1] == []


def test_remove_by_path_by_same_content_and_by_city(lib: Library) -> None:
    lib.add_document(ingest_file(WAKABA))
    lib.add_document(ingest_file(MINAMIKAWA))
    assert lib.remove(path=str(WAKABA)) == (1, 8)
    assert lib.remove(path="nowhere.txt") == (0, 0)
    assert lib.remove(city="南川町") == (1, 7)
    assert (count(lib, "documents"), count(lib, "items"), count(lib, "paths")) == (0, 0, 0)
    assert lib.search("補助金")[1] == []


def test_atomic_commits_rolls_back_and_nests(lib: Library) -> None:
    with pytest.raises(RuntimeError), lib.atomic():
        lib.add_entries(path="a.txt", sha256="a" * 64, entries=items(3))
        raise RuntimeError("stop")
    assert count(lib, "items") == 0 and not lib.conn.in_transaction
    with lib.atomic():
        lib.add_entries(path="a.txt", sha256="a" * 64, entries=items(3))
        with pytest.raises(RuntimeError), lib.atomic():  # only the inner block's writes are undone
            lib.add_entries(path="b.txt", sha256="b" * 64, entries=items(2, "b" * 64))
            raise RuntimeError("stop")
        lib.set_meta("outline", "x.txt")
        assert lib.conn.in_transaction  # nothing is committed before the outer block ends
    assert (count(lib, "documents"), count(lib, "items"), lib.get_meta("outline")) == (1, 3, "x.txt")
    with pytest.raises(RuntimeError), lib.atomic():
        with lib.atomic():
            lib.remove(city="甲市")
        raise RuntimeError("the outer block fails")
    assert count(lib, "items") == 3  # the inner block joined the outer transaction, which rolled back


def test_no_hand_written_transactions_outside_atomic() -> None:
    source = (ROOT / "pipeline" / "library.py").read_text("utf-8")
    body = source.split("def atomic(", 1)[1].split("# -- settings", 1)[0]
    for statement in ("BEGIN", "COMMIT", "ROLLBACK"):
        assert source.count(f'"{statement}') == body.count(f'"{statement}'), statement


def test_a_full_disk_says_so_not_cannot_rollback(lib: Library) -> None:
    lib.add_entries(path="a.txt", sha256="a" * 64, entries=items(2))
    pages = lib.conn.execute("PRAGMA page_count").fetchone()[0]
    lib.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite's own SQLITE_FULL, as on a full disk
    with pytest.raises(LibraryWriteError) as caught:
        lib.add_entries(path="b.txt", sha256="b" * 64, entries=items(300, "b" * 64, "出前講座を開催します。" * 40))
    line = str(caught.value)
    assert "\n" not in line and line.startswith(f"{lib.path}: the disk is full")
    assert "database or disk is full" in line and "cannot rollback" not in line
    assert isinstance(caught.value, sqlite3.Error)  # the web page's `except sqlite3.Error` still holds
    assert (count(lib, "documents"), count(lib, "items")) == (1, 2)  # the first document is whole
    lib.conn.execute(f"PRAGMA max_page_count = {1 << 30}")
    lib.add_entries(path="b.txt", sha256="b" * 64, entries=items(3, "b" * 64))  # and the library still works
    assert count(lib, "items") == 5


def test_not_a_library_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "lib.sqlite"
    bad.write_text("これはデータベースではありません" * 100, "utf-8")
    with pytest.raises(InputError, match="not a plandraft library") as caught:
        Library(bad)
    assert caught.value.path == str(bad)
    with pytest.raises(FileNotFoundError):
        Library(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()


def test_another_applications_sqlite_file_is_refused_and_left_unchanged(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "places.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE bookmarks (url TEXT)")
    conn.execute("INSERT INTO bookmarks VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(InputError, match="another application") as caught:
        Library(other)
    assert caught.value.path == str(other)
    assert other.read_bytes() == before and not Path(f"{other}-wal").exists()
    assert main(["library", "add", str(WAKABA), "--library", str(other)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{other}: not a plandraft library (an SQLite file of another")
    assert other.read_bytes() == before
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()  # an empty SQLite file (0 bytes) becomes a library
    with Library(empty) as lib:
        assert lib.count() == 0


def test_a_tokenizer_change_reindexes(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    with Library(path) as lib:
        lib.add_document(ingest_file(WAKABA))
        lib.conn.execute("UPDATE items SET head = '', body = ''")  # as if tokenized by another dictionary
        lib.set_meta("tokenizer", '{"dictionary": "older"}')
    with Library(path) as lib:
        assert lib.search("出前講座")[1][0].stored.item.name == "協働出前講座の開催"


WRITER = textwrap.dedent("""
    import sys
    from pipeline.library import Entry, Library
    from pipeline.model import Item, Source
    lib = Library(sys.argv[1])
    for d in range(100000):
        sha = f"{d:064x}"
        items = [Item(id=f"{d}-{k}", policy="", measure="", name=f"協働事業{k}の実施", content="出前講座を開催します。" * 5,
                      departments=(), actor=None, tags=(), source=Source("x.txt", sha, row=k)) for k in range(200)]
        with lib.atomic():
            lib.add_entries(path=f"doc{d}.txt", sha256=sha, entries=[Entry(i, "甲市") for i in items])
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
    with Library(path) as lib:
        assert lib.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        lib.conn.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")
        per_doc = [r[0] for r in lib.conn.execute("SELECT count(items.id) FROM documents LEFT JOIN items "
                                                  "ON items.document_id = documents.id GROUP BY documents.id")]
    assert len(per_doc) >= 2 and set(per_doc) == {200}


def test_a_library_of_schema_1_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    with Library(path) as lib:
        lib.add_document(ingest_file(WAKABA))
        lib.conn.execute("ALTER TABLE items DROP COLUMN extra")  # as plandraft wrote it before items.extra
        lib.conn.execute("PRAGMA user_version = 1")
    with Library(path) as lib:
        assert lib.count() == 8 and lib.conn.execute("PRAGMA user_version").fetchone()[0] == library.SCHEMA_VERSION
        lib.add_document(ingest_file(MINAMIKAWA))
        assert [s.item for s in lib.items(city="南川町")] == list(ingest_file(MINAMIKAWA).items)
