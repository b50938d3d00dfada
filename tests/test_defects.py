"""Defects found under real and hostile use (issue 14), each with the test that failed before its fix."""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.files import display

POSIX_BYTES = sys.platform != "win32"  # names that are not valid Unicode exist only on byte-named file systems
SJIS_NAME = b"\x8cv\x89\xe6.txt"  # 計画.txt in Shift_JIS, as unzipping a Windows zip leaves it on Linux


def _sjis(folder: Path, raw: bytes = SJIS_NAME) -> Path:
    return folder / os.fsdecode(raw)


# -- item 3: a file name that is not valid UTF-8 ---------------------------------------------------

@pytest.mark.parametrize(("raw", "shown"), [
    (b"\x8cv\x89\xe6.txt", "計画.txt"),  # Shift_JIS: decoded as cp932
    (b"\xff\xfe.txt", "\\xff\\xfe.txt"),  # no encoding: each byte as \xNN
    (b"\xe8\xa8\x88.txt", "計.txt"),  # valid UTF-8: unchanged
])
@pytest.mark.skipif(not POSIX_BYTES, reason="Windows names are always Unicode")
def test_display_makes_a_non_unicode_name_readable(raw: bytes, shown: str) -> None:
    name = display(os.fsdecode(b"dir/" + raw))
    assert name == "dir/" + shown
    name.encode("utf-8")  # writable anywhere
    assert display(name) == name


@pytest.mark.skipif(not POSIX_BYTES, reason="Windows names are always Unicode")
@pytest.mark.parametrize("no_cache", [False, True])
def test_ingest_reads_a_shift_jis_named_file(tmp_path: Path, tsushima_txt: Path, no_cache: bool,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(tsushima_txt, _sjis(tmp_path))
    (tmp_path / os.fsdecode(b"\xff.jtd")).write_bytes(b"x")  # refused, and named readably
    argv = ["ingest", str(tmp_path), "--json"] + (["--no-cache"] if no_cache else [])
    assert main(argv) == 1
    out, err = capsys.readouterr()
    out.encode("utf-8"), err.encode("utf-8")  # no surrogate reached the JSON or stderr
    result = json.loads(out)
    doc, = result["documents"]
    assert doc["path"].endswith("計画.txt") and len(doc["items"]) == 38
    assert {i["source"]["path"] for i in doc["items"]} == {doc["path"]}
    assert result["errors"][0]["path"].endswith("\\xff.jtd") and "\\xff.jtd" in err
    if not no_cache:  # the cache entry was written; a second run reads it under the same readable name
        assert main(argv) == 1
        assert json.loads(capsys.readouterr().out)["documents"][0]["path"] == doc["path"]


@pytest.mark.skipif(not POSIX_BYTES, reason="Windows names are always Unicode")
def test_run_drafts_from_a_shift_jis_named_plan(tmp_path: Path, tsushima_txt: Path, outline_txt: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(outline_txt, folder / "outline.txt")
    shutil.copy(tsushima_txt, _sjis(folder))
    out = tmp_path / "out"
    assert main(["run", str(folder), "-o", str(out), "--no-cache"]) == 0
    shown = "".join(capsys.readouterr())  # 'read …' and 'drafted … from …'
    shown.encode("utf-8")
    assert "計画.txt" in shown
    matches = json.loads((out / "matches.json").read_text("utf-8"))
    assert matches["plan"].endswith("計画.txt")
    from docx import Document as open_docx

    assert open_docx(str(out / "平成22年度_市民協働推進アクションプラン_案.docx")).paragraphs
