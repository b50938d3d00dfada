"""Search of the library: Japanese queries ranked, queries that only match after normalization,
filters, and the `plandraft search` / `plandraft library` commands through main([...])."""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from comparekit import MINAMIKAWA, WAKABA, KeywordMatcher
from conftest import ROOT

from pipeline.cli import main
from pipeline.ingest import ingest_file
from pipeline.job import add_outline_to_library
from pipeline.library import Hit, Library
from pipeline.outline import read_outline


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """対馬市's plan, the two sample towns and the outline's examples, pillars by keyword."""
    root = ROOT
    path = tmp_path_factory.mktemp("lib") / "library.sqlite"
    outline_path = root / "inputs" / "outline_計画の構成案.txt"
    outline = read_outline(outline_path)
    matcher = KeywordMatcher(outline)
    with Library(path) as lib:
        add_outline_to_library(lib, dataclasses.replace(outline, sha256="o" * 64), matcher)
        for p in (root / "inputs" / "tsushima_h21_action_plan.txt", WAKABA, MINAMIKAWA):
            doc = ingest_file(p, use_cache=False)
            with lib.atomic():
                lib.add_document(doc, matcher.match_items(doc.items), outline_sha256="o" * 64)
    return path


@pytest.fixture()
def lib(library: Path) -> Iterator[Library]:
    with Library(library) as lib:
        yield lib


def names(hits: list[Hit]) -> list[str]:
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
def test_japanese_queries_rank_the_measure_first(lib: Library, query: str, first: str, city: str) -> None:
    _, hits = lib.search(query)
    assert hits and hits[0].stored.item.name == first and hits[0].stored.city == city
    assert hits[0].how == "all"
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]) if a.how == b.how)


def test_the_outlines_example_is_found_under_its_city(lib: Library) -> None:
    _, hits = lib.search("出前講座")
    # items with both words in the 項目 before those with them only in the 内容
    assert names(hits)[:2] == ["市民協働出前講座の実施", "協働出前講座の開催"]
    assert "市民団体を対象とした講座の開催" not in names(hits[:3])
    _, hits = lib.search("出前講座", city="安城市")
    assert names(hits) == ["市民協働出前講座の実施"]
    assert hits[0].stored.kind == "outline" and hits[0].stored.pillar == 1


def test_a_query_matching_only_after_normalization(lib: Library) -> None:
    # No item is written 街づくり: the item says まちづくり, Sudachi folds both to 町作り.
    rows = lib.conn.execute("SELECT name FROM items WHERE name LIKE '%街づくり%' OR content LIKE '%街づくり%'").fetchall()
    assert rows == []
    terms, hits = lib.search("街づくり", city="横浜")
    assert terms == ["町作り"] and names(hits) == ["まちづくりコーディネーター"]


def test_a_word_prefix_matches_a_longer_word(lib: Library) -> None:
    _, hits = lib.search("研修", city="対馬市")
    assert {"職員研修の実施", "学習会・研修会・ワークショップ等"} <= set(names(hits))


def test_filters_and_partial_matches(lib: Library) -> None:
    _, hits = lib.search("補助金", pillar=6)
    assert hits and all(h.stored.pillar == 6 for h in hits)
    assert lib.search("補助金", pillar=9)[1] == []
    _, hits = lib.search("ボランティア ポイント 宇宙", limit=5)
    assert hits and all(h.how == "some" for h in hits)  # no item has all three words
    assert {"ボランティアポイント制度", "ボランティアポイント事業"} <= set(names(hits[:2]))
    assert lib.search("の、を") == ([], [])


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
    with Library(lib) as opened:
        assert opened.conn.execute("SELECT count(*) FROM items WHERE pillar IS NULL").fetchone()[0] == 0
    assert main(["library", "list", "--library", lib]) == 0
    assert "若葉町: 8 items in 1 document" in capsys.readouterr().out
    assert main(["library", "remove", "--city", "南川町", "--library", lib]) == 0
    assert main(["library", "remove", str(WAKABA), "--library", lib]) == 0
    assert main(["library", "remove", "nowhere.txt", "--library", lib]) == 1
    assert capsys.readouterr().err.strip() == "nowhere.txt: not in the library (plandraft library list shows what is)"
    assert main(["library", "remove", "--library", lib]) == 2
    assert main(["library", "list", "--library", str(tmp_path / "none.sqlite")]) == 2
    assert main(["library"]) == 2


@pytest.mark.parametrize("city", ["安城\x00市", "\x00", "安城\x1b[31m"])
def test_a_control_character_in_the_city_filter_is_no_sqlite_error(lib: Library, city: str) -> None:
    _, hits = lib.search("出前講座", city=city)
    assert all(h.stored.city == "安城市" for h in hits) if city != "\x00" else hits
    assert lib.search("出前\x00講座")[1]


def test_search_cli_says_when_it_stopped_at_the_limit(library: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDRAFT_LANG", "ja")  # the planner's language; English says "showing 3 of N"
    assert main(["search", "協働", "-n", "3", "--library", str(library)]) == 0
    captured = capsys.readouterr()
    with Library(library) as lib:
        total = lib.count_matches("協働")
    assert total > 3
    assert f"3 件まで表示（全 {total} 件）" in captured.err
    assert main(["search", "協働", "-n", "3", "--json", "--library", str(library)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], data["truncated"], len(data["results"])) == (total, True, 3)
    assert main(["search", "出前講座", "--city", "安城市", "--library", str(library)]) == 0
    assert "件まで表示" not in capsys.readouterr().err  # everything was shown


def test_the_pdf_and_docx_of_one_plan_are_one_hit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lib.sqlite"
    with Library(path) as lib:
        for ext in ("pdf", "docx"):
            lib.add_document(ingest_file(ROOT / "inputs" / f"tsushima_h21_action_plan.{ext}"))
        _, hits = lib.search("研修")
        assert names(hits).count("職員研修の実施") == 1
        assert len(names(hits)) == len(set(names(hits))) == lib.count_matches("研修")
        first = hits[0]
        assert first.copies and first.copies[0].startswith("tsushima_h21_action_plan.")
    assert main(["search", "職員研修", "--library", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("職員研修の実施") == 1 and "同じ施策: tsushima_h21_action_plan." in out


def test_search_reference_names_city_and_source(tmp_path: Path, library: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "協働事業提案制度", "--reference", "--json", "--library", str(library)]) == 0
    data = json.loads(capsys.readouterr().out)
    refs = data["reference"]["results"]
    assert refs and all(r["city"] and r["source_url"] and r["reference"] for r in refs)
    assert refs[0]["cite"].startswith(f"参考事例：{refs[0]['city']}（")
    # no library yet: the reference measures alone
    assert main(["search", "出前講座", "--reference", "--library", str(tmp_path / "none.sqlite")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("参考事例（") and "参考事例：" in out and "https://" in out
