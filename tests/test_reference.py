"""The built-in reference library: the shipped file's schema and sources, bad rows named one line
each, and the measures as Items marked 参考事例."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.reference import COLUMNS, DEFAULT_PATH, REFERENCE, load_reference, reference_items


def test_the_shipped_file_has_the_schema_and_every_entry_a_city_and_a_source() -> None:
    with DEFAULT_PATH.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert tuple(rows[0]) == COLUMNS
    assert all(len(r) == len(COLUMNS) for r in rows[1:] if any(r))
    measures = load_reference()  # raises on the first bad row
    assert len(measures) == len([r for r in rows[1:] if any(r)])
    assert all(m.city and (m.source_url or m.source_title) for m in measures)
    assert len({m.id for m in measures}) == len(measures)
    assert len({m.city for m in measures}) >= 40


def write(path: Path, *rows: str) -> Path:
    path.write_text("\t".join(COLUMNS) + "\n" + "".join(r + "\n" for r in rows), "utf-8")
    return path


GOOD = "a-001\t甲市\t乙県\t協働事業提案制度\t協働課\t7\t7\t提案制度\t\t提案制度｜甲市\thttps://example.jp/a\t2023\ttrain"


def test_each_bad_row_is_one_line_and_the_rest_are_read(tmp_path: Path) -> None:
    path = write(tmp_path / "measures.tsv", GOOD,
                 "a-002\t\t乙県\t市民講座\t\t1\t1\t\t\t講座\thttps://example.jp/b\t\ttrain",
                 "a-003\t甲市\t乙県\t市民講座\t\t1\t1\t\t\t\t\t\ttrain",
                 "a-004\t甲市\t乙県\t市民講座\t\t一\t1\t\t\t講座\thttps://example.jp/c\t\ttrain",
                 "a-001\t甲市\t乙県\t別の事業\t\t1\t1\t\t\t講座\thttps://example.jp/d\t\ttrain")
    errors: list[InputError] = []
    measures = load_reference(path, on_error=errors.append)
    assert [m.id for m in measures] == ["a-001"]
    lines = [e.line() for e in errors]
    assert all("\n" not in line and line.startswith(f"{path}: line ") for line in lines)
    assert [line.split(": ", 2)[1] for line in lines] == ["line 3", "line 4", "line 5", "line 6"]
    assert "no city" in lines[0] and "no source" in lines[1] and "pillar '一'" in lines[2] and "repeats" in lines[3]
    with pytest.raises(InputError, match="line 3: no city"):
        load_reference(path)


def test_a_file_without_a_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "measures.tsv"
    path.write_text("id\tcity\tmeasure\na\t甲市\t事業\n", "utf-8")
    with pytest.raises(InputError, match="no column prefecture"):
        load_reference(path)


def test_reference_items_are_marked_with_city_and_source(tmp_path: Path) -> None:
    path = write(tmp_path / "measures.tsv", GOOD, GOOD.replace("a-001", "a-002").replace("https://example.jp/a", ""))
    first, second = reference_items(load_reference(path), path)
    assert (first.item.name, first.city, first.pillar, first.fiscal_year) == ("協働事業提案制度", "甲市", 7, 2023)
    assert first.item.tags == (REFERENCE,) and first.item.departments == ("協働課",)
    assert first.item.source.path == "https://example.jp/a"
    assert first.cite == "参考事例：甲市（提案制度｜甲市 (2023年度) https://example.jp/a）"
    assert (second.item.source.path, second.item.source.line) == (str(path), 3)  # no URL: the file and its line
