"""Old Office and ODF formats (.doc .rtf .odt .xls .ods) read through LibreOffice, and .csv as a table:
real-layout plans saved in those formats by LibreOffice give the same measures as their .docx/.xlsx
originals, with provenance naming the converted-from file."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import FIXTURES, INPUTS

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.ingest import convert, ingest_file, ingest_paths
from pipeline.model import Document

needs_soffice = pytest.mark.skipif(convert.soffice() is None,
                                   reason="LibreOffice (soffice) is not installed: `make test` installs it")

LAYOUTS = FIXTURES / "layouts"
WORD_ORIGINALS = [INPUTS / "tsushima_h21_action_plan.docx", LAYOUTS / "matrix" / "nagahama_r2_chiiki_zukuri.docx",
                  LAYOUTS / "bullets" / "fuchu_kyodo_jireishu.docx"]
# Not shuyo-jigyo/fuchu_kyodo_teian_jigyo.docx: LibreOffice 7.4's own .doc copy of it has its one table
# flattened into a paragraph (its .rtf and .odt copies read the same as the original).
EXCEL_ORIGINALS = [LAYOUTS / "shinko-kanri" / "fuchu_h27_shinko_kanri.xlsx",
                   LAYOUTS / "torikumi-sheet" / "misato_r4_jimujigyo_hyoka.xlsx"]


def _measures(doc: Document) -> list[tuple[object, ...]]:
    return [(i.policy, i.measure, i.name, i.content, i.departments, i.actor, i.tags) for i in doc.items]


def _save_as(files: list[Path], target: str, folder: Path) -> list[Path]:
    """files saved by LibreOffice as target (doc, rtf, odt, xls, ods) in folder: one soffice run."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([convert.soffice() or "soffice", f"-env:UserInstallation={Path(profile).as_uri()}",
                        "--headless", "--norestore", "--convert-to", target, "--outdir", str(folder),
                        *map(str, files)], check=True, capture_output=True, timeout=240)
    out = [folder / f"{f.stem}.{target}" for f in files]
    assert all(p.is_file() for p in out), list(folder.iterdir())
    return out


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, list[Path]]:
    """Each original with its copies in the old and open formats (made by LibreOffice)."""
    if convert.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: `make test` installs it")
    folder = tmp_path_factory.mktemp("copies")
    made: dict[Path, list[Path]] = {f: [] for f in WORD_ORIGINALS + EXCEL_ORIGINALS}
    for target in ("doc", "rtf", "odt"):
        for original, copy in zip(WORD_ORIGINALS, _save_as(WORD_ORIGINALS, target, folder)):
            made[original].append(copy)
    for target in ("xls", "ods"):
        for original, copy in zip(EXCEL_ORIGINALS, _save_as(EXCEL_ORIGINALS, target, folder)):
            made[original].append(copy)
    return made


@pytest.mark.slow
@needs_soffice
def test_old_and_open_formats_give_the_measures_of_the_original(copies: dict[Path, list[Path]]) -> None:
    files = [c for cs in copies.values() for c in cs]
    docs, errors = ingest_paths(files, use_cache=False, workers=2)
    assert errors == []
    by_path = {Path(d.path): d for d in docs}
    for original, converted in copies.items():
        want = ingest_file(original, use_cache=False)
        assert want.items, original
        for copy in converted:
            got = by_path[copy]
            assert _measures(got) == _measures(want), copy.name
            assert (got.city, got.fiscal_year) == (want.city, want.fiscal_year), copy.name
            assert got.format == copy.suffix.lstrip(".")
            # Provenance names the file given, not the temporary conversion.
            assert {i.source.path for i in got.items} == {str(copy)}
            assert {i.source.sha256 for i in got.items} == {got.sha256}


@needs_soffice
def test_a_doc_is_read_from_a_folder_and_named_in_the_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder holding only a .doc used to give exit 0 and documents: [] (skipped without a word)."""
    folder = tmp_path / "古い計画 2009"  # a space and Japanese in the path
    folder.mkdir()
    _save_as([INPUTS / "tsushima_h21_action_plan.docx"], "doc", folder)
    assert main(["ingest", str(folder), "--json", "--no-cache"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["errors"] == []
    [doc] = out["documents"]
    assert doc["path"].endswith("tsushima_h21_action_plan.doc") and doc["format"] == "doc"
    assert len(doc["items"]) == 38 and doc["city"] == "対馬市"


@needs_soffice
def test_a_damaged_doc_is_one_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "壊れた.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2048))
    good = tmp_path / "plan.docx"
    shutil.copy(INPUTS / "tsushima_h21_action_plan.docx", good)
    docs, errors = ingest_paths([bad, good], use_cache=False)
    assert [Path(d.path).name for d in docs] == ["plan.docx"]
    [error] = errors
    assert error.path == str(bad) and "\n" not in error.reason
    assert ".docx" in error.reason  # what to do: save it as .docx


def test_without_libreoffice_a_doc_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDRAFT_SOFFICE", str(tmp_path / "no-such-soffice"))
    doc = tmp_path / "plan.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    xls = tmp_path / "sheet.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    docs, errors = ingest_paths([doc, xls], use_cache=False)
    assert docs == []
    assert [e.path for e in errors] == [str(doc), str(xls)]
    assert "LibreOffice" in errors[0].reason and "apt-get install" in errors[0].reason
    assert "save it as .docx" in errors[0].reason and "save it as .xlsx" in errors[1].reason


@needs_soffice
def test_a_conversion_that_takes_too_long_is_stopped(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="longer than"):
        convert.convert(b"{\\rtf1 " + b"x" * 10 + b"}", ".rtf", "docx", seconds=0.01)


def test_xlsm_is_read_as_a_workbook(tmp_path: Path) -> None:
    original = EXCEL_ORIGINALS[0]
    xlsm = tmp_path / "progress.xlsm"
    shutil.copy(original, xlsm)
    got, want = ingest_file(xlsm, use_cache=False), ingest_file(original, use_cache=False)
    assert got.items and _measures(got) == _measures(want)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_csv_is_read_as_a_table(tmp_path: Path, encoding: str) -> None:
    """A .csv as Excel writes it (Shift_JIS, or UTF-8 with BOM), a table with a header row."""
    rows = [
        "平成21年度 対馬市 市民協働推進アクションプラン",
        "施策1 協働(共働)の意識を高める",
        "■多様な機会を通して協働(共働)の啓発に努めます",
        "区分,項目,内容,関係部署",
        '◎,自治会、地域で,"自治会等への出前による協働についての説明会を開催します。(随時)",地域再生推進本部',
        "●,ホームページの利用,市民協働推進指針のホームページへの掲載を行います。,地域再生推進本部",
    ]
    path = tmp_path / "plan.csv"
    path.write_bytes("\r\n".join(rows).encode(encoding))
    doc = ingest_file(path, use_cache=False)
    assert [i.name for i in doc.items] == ["自治会、地域で", "ホームページの利用"]
    assert doc.items[0].actor == "both" and doc.items[0].departments == ("地域再生推進本部",)
    assert doc.items[0].source.table == 1 and doc.items[0].source.row == 5
    assert doc.city == "対馬市" and doc.fiscal_year is not None and doc.fiscal_year.year == 2009
