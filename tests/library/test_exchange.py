"""`plandraft library import/export`: CSV and JSON keep city, source and pillar; duplicates across
plans are merged; no exported cell runs as a formula; bad rows are one line each."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from comparekit import MINAMIKAWA, WAKABA

from pipeline.cli import main
from pipeline.library import Library


def test_export_then_import_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(tmp_path / "a.sqlite")
    assert main(["library", "add", str(WAKABA), str(MINAMIKAWA), "--library", lib]) == 0
    capsys.readouterr()
    for fmt in ("csv", "json"):
        out = tmp_path / f"shared.{fmt}"
        assert main(["library", "export", str(out), "--library", lib, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["measures"] == 15
        other = str(tmp_path / f"b_{fmt}.sqlite")
        assert main(["library", "import", str(out), "--library", other, "--json"]) == 0
        summary = json.loads(capsys.readouterr().out)
        assert (summary["added"], summary["merged"], summary["errors"]) == (15, 0, [])
        assert main(["library", "import", str(out), "--library", other, "--json"]) == 0  # again: nothing new
        assert json.loads(capsys.readouterr().out)["merged"] == 15
        with Library(other) as b:
            stored = b.items()
            assert len(stored) == 15 and {s.city for s in stored} == {"若葉町", "南川町"}
            assert {s.item.source.path for s in stored} == {str(WAKABA), str(MINAMIKAWA)}
            assert b.search("出前講座")[1][0].stored.item.name == "協働出前講座の開催"
    assert main(["library", "export", str(tmp_path / "shared.csv"), "--library", lib]) == 2  # exists
    assert "--force" in capsys.readouterr().err


def test_import_merges_duplicates_and_reports_bad_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "県内.csv"
    src.write_text("city,measure,pillar,source_url,department\n"
                   "甲市,協働事業提案制度,7,https://example.jp/a,協働課\n"
                   "甲市,協働事業 提案制度,7,https://example.jp/b,\n"  # the same measure in another plan
                   "乙町,協働事業提案制度,7,https://example.jp/c,\n"  # another city: kept
                   ",市民講座,1,https://example.jp/d,\n"
                   "丙村,市民講座,1,,\n", "utf-8-sig")
    lib = str(tmp_path / "lib.sqlite")
    assert main(["library", "import", str(src), "--library", lib]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert err == [f"{src}: line 5: no city (every measure names its municipality)",
                   f"{src}: line 6: no source for 市民講座 (give the source_url or source_title it comes from)"]
    assert "2 measures added, 1 already in the library, 2 rows skipped" in captured.out
    with Library(lib) as opened:
        stored = opened.items()
    assert sorted((s.city, s.pillar, s.item.source.path) for s in stored) == [
        ("乙町", 7, "https://example.jp/c"), ("甲市", 7, "https://example.jp/a")]


def test_exported_cells_never_run_as_formulas(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps([{"city": "甲市", "measure": "=HYPERLINK(\"http://x\")", "source_url": "@x"}]), "utf-8")
    lib = str(tmp_path / "lib.sqlite")
    assert main(["library", "import", str(src), "--library", lib]) == 0
    out = tmp_path / "out.csv"
    assert main(["library", "export", str(out), "--library", lib]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Japanese
    with out.open(encoding="utf-8-sig", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["measure"] == "'=HYPERLINK(\"http://x\")" and row["source_url"] == "'@x"
    again = str(tmp_path / "again.sqlite")
    assert main(["library", "import", str(out), "--library", again]) == 0
    with Library(again) as opened:
        assert opened.items()[0].item.name == "=HYPERLINK(\"http://x\")"  # the quote is undone on import


def test_import_and_export_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(tmp_path / "lib.sqlite")
    assert main(["library", "import", str(tmp_path / "none.csv"), "--library", lib]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    assert main(["library", "import", str(bad), "--library", lib]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and err[1].startswith(f"{bad}: not JSON")
    assert main(["library", "export", str(tmp_path / "x.xlsx"), "--library", lib]) == 2
    assert main(["library", "import", "-h"]) == 0 and "example" in capsys.readouterr().out
