"""Bad input files each give one IngestError naming the reason, and do not stop the good files of
the same batch from being read."""
from __future__ import annotations

import json
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from conftest import INPUTS
from docmaker import (
    Para,
    Plan,
    patch_docx,
    write_docx,
    write_encrypted_pdf,
    write_image_only_pdf,
    write_xxe_docx,
    write_zip_bomb,
)

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.ingest import convert, ingest_file, ingest_paths, ocr

SAMPLE = INPUTS / "tsushima_h21_action_plan"


@pytest.fixture(scope="session")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~1 MB on disk, 1 GiB of zeros inflated."""
    return write_zip_bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx")


def _bad_files(folder: Path, zip_bomb: Path) -> dict[str, str]:
    """Writes the bad files into folder; file name → what its error must say."""
    secret = folder / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    write_encrypted_pdf(folder / "encrypted.pdf")
    write_image_only_pdf(folder / "scanned.pdf")
    pdf = Path(f"{SAMPLE}.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (folder / "not-a-pdf.pdf").write_text("平成21年度 アクションプラン\n", encoding="utf-8")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "empty.docx").write_bytes(b"")
    (folder / "text.docx").write_text("平成21年度 アクションプラン\n", encoding="utf-8")
    with zipfile.ZipFile(folder / "no-document.docx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    template = write_docx(Plan((Para("表題"),)), folder / "template.docx")
    types = zipfile.ZipFile(template).read("[Content_Types].xml").replace(
        b"document.main+xml", b"template.main+xml"
    )
    patch_docx(template, {"[Content_Types].xml": types})
    shutil.copy(zip_bomb, folder / "bomb.docx")
    shutil.copy(zip_bomb, folder / "bomb.xlsx")
    write_xxe_docx(folder / "xxe.docx", secret)
    (folder / "text.xlsx").write_text("項目,内容\n", encoding="utf-8")
    with zipfile.ZipFile(folder / "broken.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook><sheets>")
    (folder / "plan.odt").write_bytes(b"PK\x03\x04")
    (folder / "plan.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return {
        "encrypted.pdf": "encrypted PDF (remove the password and retry)",
        "scanned.pdf": "PDF has no text layer (scanned?)",  # and OCR read no text on it / Tesseract missing
        "truncated.pdf": "corrupt or truncated PDF",
        "not-a-pdf.pdf": "not a PDF (no %PDF header)",
        "empty.pdf": "empty file (0 bytes)",
        "empty.docx": "empty file (0 bytes)",
        "text.docx": "not a valid .docx (not a zip file)",
        "no-document.docx": "corrupt .docx (no word/document.xml in the archive)",
        "template.docx": "not a Word document (.docx)",
        "bomb.docx": "refused: archive would inflate to 1024 MB (zip bomb?)",
        "bomb.xlsx": "refused: archive would inflate to 1024 MB (zip bomb?)",
        "xxe.docx": "refused: word/document.xml declares a DOCTYPE",
        "text.xlsx": "not a valid .xlsx (not a zip file)",
        "broken.xlsx": "corrupt or unsupported .xlsx",
        "plan.odt": "LibreOffice",  # could not convert it / is not installed
        "plan.doc": "LibreOffice",
    }


def test_bad_files_fail_one_by_one_and_good_files_are_read(tmp_path: Path, zip_bomb: Path) -> None:
    bad = _bad_files(tmp_path, zip_bomb)
    good = [Path(f"{SAMPLE}{suffix}") for suffix in (".txt", ".pdf", ".docx")]
    paths = [good[0], *(tmp_path / name for name in bad), good[1], good[2]]
    reported: list[Path] = []
    docs, errors = ingest_paths(paths, use_cache=False, on_error=lambda p, e: reported.append(p))
    assert [d.path for d in docs] == [str(p) for p in good]
    assert all(len(d.items) == 38 for d in docs)
    by_name = {Path(e.path).name: e.reason for e in errors}
    assert len(errors) == len(bad) == len(by_name)
    for name, expected in bad.items():
        assert expected in by_name[name], name
    assert [p.name for p in reported] == list(bad)
    assert not any("TOP-SECRET-VALUE" in e.reason for e in errors)


def test_in_japanese_every_bad_file_is_said_in_japanese(tmp_path: Path, zip_bomb: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A planner's console is Japanese: no reason (nor what to do) comes out in English, however the
    file is broken (a password, a cut-off PDF, a folder with nothing to read)."""
    monkeypatch.setenv("PLANDRAFT_LANG", "ja")
    bad = _bad_files(tmp_path, zip_bomb)
    (tmp_path / "空の フォルダ").mkdir()
    (tmp_path / "空の フォルダ" / "メモ.tmp").write_text("x", encoding="utf-8")
    _, errors = ingest_paths([*(tmp_path / name for name in bad), tmp_path / "空の フォルダ"], use_cache=False)
    assert len(errors) == len(bad) + 1
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    for e in errors:
        assert japanese.search(e.reason), f"{e.path}: {e.reason}"
        assert not re.search(r"\b(?:PDF has|corrupt or|encrypted PDF|no document|not a|remove the|get a complete)\b",
                             e.reason), f"{e.path}: {e.reason}"


def test_zip_bomb_is_refused_before_inflating(zip_bomb: Path) -> None:
    assert zip_bomb.stat().st_size < 5 * 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(InputError, match="zip bomb"):
        ingest_file(zip_bomb, use_cache=False)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_office_file_with_password_is_named(tmp_path: Path, suffix: str) -> None:
    """A password-protected .docx/.xlsx is an OLE2 container, not a zip."""
    path = tmp_path / f"locked{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(InputError, match="encrypted or pre-2007 Office file"):
        ingest_file(path, use_cache=False)


def test_pdf_errors_never_escape_as_tracebacks(tmp_path: Path) -> None:
    """Damaged bytes in every part of a PDF give an InputError, not a pdfminer exception."""
    pdf = Path(f"{SAMPLE}.pdf").read_bytes()
    for n, cut in enumerate(range(400, len(pdf) - 400, len(pdf) // 12)):
        damaged = pdf[:cut] + b"\x00garbage(" * 40 + pdf[cut + 360 :]
        path = tmp_path / f"damaged{n}.pdf"
        path.write_bytes(damaged)
        try:  # a damaged PDF is either still read (items with their source) or refused in one line
            doc = ingest_file(path, use_cache=False)
        except InputError as exc:
            assert exc.reason and "\n" not in exc.line(path), exc.line(path)
        except Exception as exc:  # noqa: BLE001 - what this test exists to catch
            raise AssertionError(f"cut at {cut}: {type(exc).__name__} escaped: {exc}") from exc
        else:
            assert all(i.source.path == str(path) and i.source.page for i in doc.items)


def test_cli_reports_each_bad_file_in_one_line_and_reads_the_rest(
    tmp_path: Path, zip_bomb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The planner's view of a mixed folder: one stderr line per bad file (its path and the reason),
    an `errors` entry each, every good file read (names with spaces and Japanese, CP932 text), exit 1."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    folder = tmp_path / "計画 フォルダ"
    folder.mkdir()
    pdf = Path(f"{SAMPLE}.pdf").read_bytes()
    why = ocr.available() or ""
    bad = {
        write_encrypted_pdf(folder / "暗号化 計画.pdf"): "encrypted PDF (remove the password and retry)",
        write_image_only_pdf(folder / "スキャン 画像.pdf"): "PDF has no text layer (scanned?), and " + (
            "OCR read no text on it" if ocr.available() is None else f"{why[0].lower()}{why[1:]}"),
        folder / "truncated.pdf": "corrupt or truncated PDF (no end-of-file marker) (get a complete copy)",
        folder / "zero bytes.txt": "empty file (0 bytes) (check that the right file was given)",
        folder / "本文 テキスト.docx": "not a valid .docx (not a zip file) (open it and save it as .docx)",
        folder / "bomb.docx": "refused: archive would inflate to 1024 MB (zip bomb?) (check where the file came from)",
        write_xxe_docx(folder / "外部 実体.docx", secret): "refused: word/document.xml declares a DOCTYPE",
        folder / "計画.odt": ("LibreOffice could not convert this .odt file" if convert.soffice()
                              else "reading '.odt' files needs LibreOffice, which is not installed"),
    }
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (folder / "zero bytes.txt").write_bytes(b"")
    (folder / "本文 テキスト.docx").write_text("平成21年度 アクションプラン\n", encoding="utf-8")
    shutil.copy(zip_bomb, folder / "bomb.docx")
    (folder / "計画.odt").write_bytes(b"PK\x03\x04")
    good = [folder / "対馬市 計画 2009.pdf", folder / "対馬市 計画 (Word).docx", folder / "対馬市 CP932.txt"]
    shutil.copy(f"{SAMPLE}.pdf", good[0])
    shutil.copy(f"{SAMPLE}.docx", good[1])
    good[2].write_bytes(Path(f"{SAMPLE}.txt").read_text("utf-8").encode("cp932"))
    paths = [good[0], *bad, good[1], good[2]]

    assert main(["ingest", *map(str, paths), "--json", "--no-cache"]) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    for path, reason in bad.items():
        mine = [line for line in lines if line.startswith(f"{path}: ")]
        assert len(mine) == 1 and reason in mine[0], (path, lines)
    assert lines[-1].startswith(f"skipped {len(bad)} of {len(paths)} files: ")
    assert len(lines) == len(bad) + 1  # nothing else: no tracebacks, no warnings
    data = json.loads(captured.out)
    assert [(e["path"], e["reason"][:40]) for e in data["errors"]] == [(str(p), r[:40]) for p, r in bad.items()]
    assert [d["path"] for d in data["documents"]] == [str(p) for p in good]
    assert all(len(d["items"]) == 38 and d["city"] == "対馬市" for d in data["documents"])
    assert "TOP-SECRET-VALUE" not in captured.out + captured.err


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_zip_of_a_newer_format_version_is_refused_plainly(tmp_path: Path, suffix: str) -> None:
    """zipfile raises NotImplementedError (not BadZipFile) for a version it cannot extract (found by fuzzing)."""
    data = bytearray((INPUTS / "tsushima_h21_action_plan.docx").read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 6 : central + 8] = (64).to_bytes(2, "little")  # version needed to extract: 6.4
    path = tmp_path / f"newer{suffix}"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"unsupported zip format: zip file version 6\.4"):
        ingest_file(path, use_cache=False)
