"""`plandraft library import` then `export` gives back what the file said: the source location, a
source given only by its title, a fiscal year as Excel users type it (令和6年度, R6) and departments."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.library import Library

HEADER = "city,measure,content,department,pillar,fiscal_year,source_title,source_url,source_location\n"


def _import(tmp_path: Path, name: str, text: str, lib: str) -> int:
    src = tmp_path / name
    src.write_text(text, "utf-8-sig")  # as Excel saves 「CSV UTF-8」
    return main(["library", "import", str(src), "--library", lib])


def _export_csv(tmp_path: Path, lib: str, name: str = "out.csv") -> dict[str, dict[str, str]]:
    out = tmp_path / name
    assert main(["library", "export", str(out), "--library", lib]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        return {r["measure"]: r for r in csv.DictReader(f)}


def test_source_location_survives_import_then_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(tmp_path / "lib.sqlite")
    assert _import(tmp_path, "県内.csv", HEADER
                   + "岡崎市,協働講座の開催,,,,2023,協働推進アクションプラン,../cmp/okazaki.csv,表1 行3\n"
                   + "安城市,出前講座,,,,2024,安城市 協働アクションプラン,https://example.jp/a,p.3\n"
                   + "対馬市,広報紙の利用,,,,2009,推進指針,../inputs/tsushima.txt,12行目\n"
                   + "豊田市,協働フォーラム,,,,2024,豊田市 協働計画,https://example.jp/t,第2章 (別冊 p.4)\n",
                   lib) == 0
    with Library(lib) as opened:
        at = {s.item.name: s.item.source for s in opened.items()}
    # a location as plandraft writes one is the item's own page, table and row (search shows it)
    assert (at["協働講座の開催"].table, at["協働講座の開催"].row) == (1, 3)
    assert at["出前講座"].page == 3 and at["広報紙の利用"].line == 12
    expected = {"協働講座の開催": "表1 行3", "出前講座": "p.3", "広報紙の利用": "12行目",
                "協働フォーラム": "第2章 (別冊 p.4)"}
    rows = _export_csv(tmp_path, lib)
    assert {m: r["source_location"] for m, r in rows.items()} == expected
    out = tmp_path / "out.json"
    assert main(["library", "export", str(out), "--library", lib]) == 0
    entries = json.loads(out.read_text("utf-8"))["entries"]
    assert {e["measure"]: e["source_location"] for e in entries} == expected
    again = str(tmp_path / "again.sqlite")  # and through a second library, from the JSON
    assert main(["library", "import", str(out), "--library", again]) == 0
    assert {m: r["source_location"] for m, r in _export_csv(tmp_path, again, "again.csv").items()} == expected


def test_row_with_only_a_title_is_exported_without_a_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(tmp_path / "lib.sqlite")
    assert _import(tmp_path, "県内.csv", HEADER
                   + "髙島市,出前講座,,総務課,,,出典あり,,\n"
                   + "安城市,協働講座,,,,,安城市 協働アクションプラン,https://example.jp/a,\n", lib) == 0
    rows = _export_csv(tmp_path, lib)
    assert (rows["出前講座"]["source_title"], rows["出前講座"]["source_url"]) == ("出典あり", "")
    assert (rows["協働講座"]["source_title"], rows["協働講座"]["source_url"]) == (
        "安城市 協働アクションプラン", "https://example.jp/a")
    capsys.readouterr()
    out = tmp_path / "out.csv"  # importing the export again finds the same measures
    assert main(["library", "import", str(out), "--library", lib, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["added"], summary["merged"], summary["items"]) == (0, 2, 2)


def test_fiscal_year_as_excel_users_type_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    typed = {"講座A": ("令和6年度", 2024), "講座B": ("平成31年度", 2019), "講座C": ("R6", 2024),
             "講座D": ("2024年度", 2024), "講座E": ("2024", 2024), "講座F": ("令和元年度", 2019),
             "講座G": ("Ｈ２２", 2010), "講座H": ("r6", 2024)}
    lib = str(tmp_path / "lib.sqlite")
    lines = [f"豊田市,{m},,,,{value},豊田市 協働計画,https://example.jp/{m},\n" for m, (value, _) in typed.items()]
    assert _import(tmp_path, "県内.csv", HEADER + "".join(lines), lib) == 0
    assert "rows skipped" not in capsys.readouterr().out
    with Library(lib) as opened:
        stored = {s.item.name: s for s in opened.items()}
        labels = {d.path: d.fiscal_label for d in opened.documents()}
    assert {m: s.fiscal_year for m, s in stored.items()} == {m: year for m, (_, year) in typed.items()}
    assert labels["https://example.jp/講座B"] == "令和元年度"  # 平成31年度 is FY2019, 令和 from May
    rows = _export_csv(tmp_path, lib)
    assert {m: r["fiscal_year"] for m, r in rows.items()} == {m: str(year) for m, (_, year) in typed.items()}


def test_a_fiscal_year_that_is_not_one_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "県内.csv"
    lib = str(tmp_path / "lib.sqlite")
    assert _import(tmp_path, "県内.csv", HEADER
                   + "豊田市,講座A,,,,来年度,豊田市 協働計画,https://example.jp/t,\n"
                   + "豊田市,講座B,,,,令和6年度,豊田市 協働計画,https://example.jp/t,\n", lib) == 1
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        f"{src}: line 2: not a fiscal year: '来年度' (use e.g. 平成22年度 or 2010)"]
    assert "1 measures added, 0 already in the library, 1 rows skipped" in captured.out
    with Library(lib) as opened:
        assert [(s.item.name, s.fiscal_year) for s in opened.items()] == [("講座B", 2024)]


def test_departments_come_back_without_the_space_after_a_comma(tmp_path: Path) -> None:
    lib = str(tmp_path / "lib.sqlite")
    assert _import(tmp_path, "県内.csv", HEADER
                   + '安城市,出前講座,,"市民協働課, 生涯学習課",,,安城市 協働計画,https://example.jp/a,\n', lib) == 0
    with Library(lib) as opened:
        assert opened.items()[0].item.departments == ("市民協働課", "生涯学習課")
    assert _export_csv(tmp_path, lib)["出前講座"]["department"] == "市民協働課、生涯学習課"
