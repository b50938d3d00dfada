"""The command line driven through main([...]): help, JSON shapes, exit codes, error lines."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import build_parser, main


def test_every_command_has_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = list(sub.choices)  # type: ignore[union-attr]
    assert {"ingest", "outline"} <= set(names)
    for name in names:
        assert main([name, "-h"]) == 0
        out = capsys.readouterr().out
        assert "usage: plandraft" in out and "example" in out, name


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["ingest"]) == 2
    assert main(["frobnicate"]) == 2


def test_ingest_json_shape(tsushima_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(tsushima_txt), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == []
    (doc,) = data["documents"]
    assert doc["city"] == "対馬市" and doc["fiscal_year"] == {"label": "平成21年度", "year": 2009}
    item = doc["items"][0]
    assert set(item) >= {"id", "policy", "measure", "name", "content", "departments", "actor", "tags", "source"}
    assert set(item["source"]) >= {"path", "page", "line", "table", "row"}
    assert item["actor"] == "both" and item["tags"] == ["随時"]
    assert data["metadata"]["tokenizer"]["split_mode"] == "C"


def test_ingest_bad_file_exit_1_with_one_line(tmp_path: Path, tsushima_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "空 ファイル.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out" / "items.json"
    assert main(["ingest", str(bad), str(tsushima_txt), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == f"{bad}: empty file (0 bytes) (check that the right file was given)"
    assert any(line.startswith("skipped 1 of 2 files: 空 ファイル.txt") for line in err)
    data = json.loads(out.read_text("utf-8"))
    assert len(data["documents"]) == 1 and data["errors"][0]["path"] == str(bad)


def test_ingest_folder_readable_listing(tmp_path: Path, tsushima_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plan.txt").write_bytes(tsushima_txt.read_bytes())
    (tmp_path / ".hidden.txt").write_text("x", "utf-8")
    (tmp_path / "notes.toml").write_text("x", "utf-8")  # not a document: one summary line, no error
    assert main(["ingest", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "対馬市 · 平成21年度 (FY2009) · 38 items" in out
    assert "◎ 自治会、地域で [随時] — 地域再生推進本部、関係各部" in out


def test_outline_json(outline_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outline", str(outline_txt), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["pillars"]) == 10
    assert set(data["pillars"][0]) >= {"number", "title", "description", "topics", "examples"}
    assert {"text": "市民活動補助事業", "city": "安城市"} in data["model_projects"]


def test_outline_unreadable_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("メモ\n", "utf-8")
    assert main(["outline", str(path)]) == 1
    assert capsys.readouterr().err.startswith(f"{path}: no policy pillars")


def test_outline_missing_file_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outline", "no/such/outline.txt"]) == 2
    assert "not found" in capsys.readouterr().err


def test_workers_give_the_same_result_in_order(tmp_path: Path, tsushima_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for n in range(4):
        text = tsushima_txt.read_text("utf-8").replace("対馬市", ["小牧市", "西尾市", "安城市", "尾道市"][n])
        (tmp_path / f"plan{n}.txt").write_text(text, "utf-8")
    (tmp_path / "plan9.txt").write_bytes(b"\xff\xfe\x00")  # odd UTF-16 length: unreadable
    outputs = []
    for workers in ("1", "2"):
        assert main(["ingest", str(tmp_path), "--json", "--no-cache", "--workers", workers]) == 1
        data = json.loads(capsys.readouterr().out)
        outputs.append(([d["city"] for d in data["documents"]], [e["path"] for e in data["errors"]]))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == ["小牧市", "西尾市", "安城市", "尾道市"]


def test_workers_must_be_positive(capsys: pytest.CaptureFixture[str], tsushima_txt: Path) -> None:
    assert main(["ingest", str(tsushima_txt), "--workers", "0"]) == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_ingest_keeps_documents_in_the_library(tmp_path: Path, tsushima_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = tmp_path / "lib" / "library.sqlite"
    for _ in range(2):  # re-ingesting the same file updates, never duplicates
        assert main(["ingest", str(tsushima_txt), "--json", "--library", str(library)]) == 0
    capsys.readouterr()
    assert main(["library", "list", "--library", str(library), "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["cities"] == [{"city": "対馬市", "documents": 1, "items": 38}]
    assert main(["search", "標語", "--library", str(library), "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["results"]
    assert len(hits) == 1 and "標語" in json.dumps(hits[0], ensure_ascii=False)
