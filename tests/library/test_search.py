"""Search of the library: Japanese queries ranked, queries that only match after normalization,
filters, and the `plandraft search` / `plandraft library` commands through main([...])."""
from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest
from comparekit import MINAMIKAWA, WAKABA, KeywordMatcher
from conftest import ROOT

from pipeline import library as library_db
from pipeline.cli import main
from pipeline.ingest import ingest_file
from pipeline.job import add_outline_to_library
from pipeline.outline import read_outline


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """対馬市's plan, the two sample towns and the outline's examples, pillars by keyword."""
    root = ROOT
    path = tmp_path_factory.mktemp("lib") / "library.sqlite"
    outline_path = root / "inputs" / "outline_計画の構成案.txt"
    outline = read_outline(outline_path)
    matcher = KeywordMatcher(outline)
    conn = library_db.open_library(path)
    add_outline_to_library(conn, dataclasses.replace(outline, sha256="o" * 64), matcher)
    for p in (root / "inputs" / "tsushima_h21_action_plan.txt", WAKABA, MINAMIKAWA):
        doc = ingest_file(p, use_cache=False)
        library_db.add_document(conn, doc, matcher.match_items(doc.items), outline_sha256="o" * 64)
    conn.close()
    return path


@pytest.fixture()
def conn(library: Path) -> sqlite3.Connection:
    return library_db.open_library(library)


def names(hits: list[library_db.Hit]) -> list[str]:
    return [h.stored.item.name for h in hits]


@pytest.mark.parametrize(
    ("query", "first", "city"),
    [
        ("出前講座", "市民協働出前講座の実施", "安城市"),  # the outline's example
        ("出前 講座", "市民協働出前講座の実施", "安城市"),
        ("ﾎｰﾑﾍﾟｰｼﾞ", "ホームページの充実", "南川町"),  # half-width katakana
        ("ＳＮＳ", "SNSによる情報発信", "南川町"),  # full-width letters
        ("街づくり コーディネーター", "まちづくりコーディネーター", "横浜市"),  # 街づくり = まちづくり only as 町作り
        ("ｺﾐｭﾆﾃｨｰサロン", "コミュニティサロンの設置", "対馬市"),  # コミュニティー is コミュニティ's normalized form
        ("補助金", "市民活動補助金の交付", "南川町"),
    ],
)
def test_japanese_queries_rank_the_measure_first(conn: sqlite3.Connection, query: str, first: str, city: str) -> None:
    _, hits = library_db.search(conn, query)
    assert hits and hits[0].stored.item.name == first and hits[0].stored.city == city
    assert hits[0].how == "all"
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]) if a.how == b.how)


def test_the_outlines_example_is_found_under_its_city(conn: sqlite3.Connection) -> None:
    _, hits = library_db.search(conn, "出前講座")
    # items with both words in the 項目 before those with them only in the 内容
    assert names(hits)[:2] == ["市民協働出前講座の実施", "協働出前講座の開催"]
    assert "市民団体を対象とした講座の開催" not in names(hits[:3])
    _, hits = library_db.search(conn, "出前講座", city="安城市")
    assert names(hits) == ["市民協働出前講座の実施"]
    assert hits[0].stored.kind == "outline" and hits[0].stored.pillar == 1


def test_a_query_matching_only_after_normalization(conn: sqlite3.Connection) -> None:
    # No item is written 街づくり: the item says まちづくり, Sudachi folds both to 町作り.
    rows = conn.execute("SELECT name FROM items WHERE name LIKE '%街づくり%' OR content LIKE '%街づくり%'").fetchall()
    assert rows == []
    terms, hits = library_db.search(conn, "街づくり", city="横浜")
    assert terms == ["町作り"] and names(hits) == ["まちづくりコーディネーター"]


def test_a_word_prefix_matches_a_longer_word(conn: sqlite3.Connection) -> None:
    _, hits = library_db.search(conn, "研修", city="対馬市")
    assert {"職員研修の実施", "学習会・研修会・ワークショップ等"} <= set(names(hits))


def test_filters_and_partial_matches(conn: sqlite3.Connection) -> None:
    _, hits = library_db.search(conn, "補助金", pillar=6)
    assert hits and all(h.stored.pillar == 6 for h in hits)
    assert library_db.search(conn, "補助金", pillar=9)[1] == []
    _, hits = library_db.search(conn, "ボランティア ポイント 宇宙", limit=5)
    assert hits and all(h.how == "some" for h in hits)  # no item has all three words
    assert {"ボランティアポイント制度", "ボランティアポイント事業"} <= set(names(hits[:2]))
    assert library_db.search(conn, "の、を") == ([], [])


def test_search_cli_text_and_json(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "出前講座", "--library", str(library)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "  1. 市民協働出前講座の実施  [安城市 柱1]"
    assert "  2. 協働出前講座の開催  [若葉町 令和5年度 柱1]" in out.splitlines()
    assert main(["search", "出前講座", "--city", "安城市", "--json", "--library", str(library)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["terms"] == ["出前", "講座"]
    (r,) = data["results"]
    assert (r["city"], r["item"]["name"], r["kind"]) == ("安城市", "市民協働出前講座の実施", "outline")
    assert r["source"].startswith("outline_計画の構成案.txt")


def test_search_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "出前講座", "--library", str(tmp_path / "none.sqlite")]) == 2
    assert "no library at" in capsys.readouterr().err
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not sqlite" * 200)
    assert main(["search", "出前講座", "--library", str(bad)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{bad}: not a plandraft library")
    assert main(["search", "--library", str(bad)]) == 2  # no query


def test_library_cli_add_list_remove(tmp_path: Path, outline_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(tmp_path / "lib.sqlite")
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"")
    assert main(["library", "add", str(WAKABA), str(broken), "--outline", str(outline_txt), "--library", lib]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{broken}: empty file")
    assert main(["library", "add", str(WAKABA), str(MINAMIKAWA), "--library", lib, "--json"]) == 0  # outline remembered
    added = json.loads(capsys.readouterr().out)
    assert [a["kind"] for a in added["added"]] == ["outline", "plan", "plan"]
    assert main(["library", "list", "--json", "--library", lib]) == 0
    data = json.loads(capsys.readouterr().out)
    by_city = {c["city"]: c["items"] for c in data["cities"]}
    assert by_city["若葉町"] == 8 and by_city["南川町"] == 7 and by_city["安城市"] == 3
    assert len(data["documents"]) == 3  # re-adding 若葉町 did not duplicate it
    conn = library_db.open_library(lib)
    assert conn.execute("SELECT count(*) FROM items WHERE pillar IS NULL").fetchone()[0] == 0
    conn.close()
    assert main(["library", "list", "--library", lib]) == 0
    assert "若葉町: 8 items in 1 document" in capsys.readouterr().out
    assert main(["library", "remove", "--city", "南川町", "--library", lib]) == 0
    assert main(["library", "remove", str(WAKABA), "--library", lib]) == 0
    assert main(["library", "remove", "nowhere.txt", "--library", lib]) == 1
    assert capsys.readouterr().err.strip() == "nowhere.txt: not in the library (plandraft library list shows what is)"
    assert main(["library", "remove", "--library", lib]) == 2
    assert main(["library", "list", "--library", str(tmp_path / "none.sqlite")]) == 2
    assert main(["library"]) == 2
