"""Hypothesis fuzzing of what reads raw bytes: the text reader's decoding and the .docx/.xlsx package
checks and readers. Whatever the bytes, the answer is text, blocks or an InputError, never a crash."""
from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pytest
from conftest import INPUTS
from docmaker import plan_from_text, write_progress_xlsx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest import docx as docx_reader
from pipeline.ingest import xlsx as xlsx_reader
from pipeline.ingest.docx import check_package
from pipeline.ingest.text import read as read_text
from pipeline.text.encoding import decode

pytestmark = pytest.mark.slow  # fuzzing: hundreds of examples

BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]
JAPANESE = "平成21年度 市民協働推進アクションプラン ■ ★●◎ 項目 内容 関係部署 ～〜ｶﾀｶﾅ①"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(BOMS), st.binary(max_size=200))
@example(b"\xff\xfe", b"\x00")  # odd UTF-16 length
@example(b"", "表".encode("cp932")[:1])  # half a Shift_JIS character
def test_decode_gives_text_or_an_input_error(bom: bytes, data: bytes) -> None:
    try:
        text = decode(bom + data)
    except InputError as exc:
        assert "UTF" in exc.reason or "encoding" in exc.reason
    else:
        assert isinstance(text, str)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(JAPANESE + "abc\t\n|"), max_size=80),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp932"]))
def test_decode_round_trips_japanese_text(text: str, encoding: str) -> None:
    if encoding == "cp932":
        text = text.replace("〜", "～")  # CP932 has one of the two (WAVE DASH is written as FULLWIDTH TILDE)
    data = text.encode(encoding)
    if encoding == "cp932":
        try:
            data.decode("utf-8")
            return  # also valid UTF-8 (e.g. ASCII only): read as UTF-8, which is the same text or ambiguous
        except UnicodeDecodeError:
            pass
    assert decode(data) == text


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
@example(b"\x01\n\t")  # a line of a tab alone: a row of blank cells, which gave a block with no text
def test_text_reader_never_crashes(data: bytes) -> None:
    try:
        blocks, _ = read_text(Path("fuzz.txt"), "0" * 64, data)
    except InputError:
        return
    assert all(b.text.strip() for b in blocks)


member = st.tuples(
    st.sampled_from(["[Content_Types].xml", "word/document.xml", "xl/workbook.xml", "word/_rels/document.xml.rels",
                     "docProps/core.xml", "../../etc/passwd", "word/media/image1.png", "x" * 300]),
    st.one_of(st.binary(max_size=64), st.sampled_from([
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
        "\ufeff<?xml version='1.0' encoding='utf-16'?><!DOCTYPE x><x/>".encode("utf-16"),
        b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'/>",
    ])),
    st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)


def _zip(members: list[tuple[str, bytes, int]]) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as z:
        warnings.simplefilter("ignore")  # duplicate member names are part of the fuzzing
        for name, data, compression in members:
            z.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buf.getvalue()


@settings(max_examples=300, deadline=None)
@given(st.lists(member, max_size=6), st.sampled_from(["docx", "xlsx"]), st.integers(0, 400), st.binary(max_size=8))
def test_package_check_accepts_or_refuses_any_zip(members: list[tuple[str, bytes, int]], kind: str, cut: int,
                                                  noise: bytes) -> None:
    """Any zip (whole, cut short or with bytes overwritten) is accepted or refused with an InputError;
    a DOCTYPE anywhere in its XML is always refused."""
    data = _zip(members)
    variants = [data, data[:cut], data[:cut] + noise + data[cut + len(noise):]]
    for variant in variants:
        try:
            check_package(variant, kind)
        except InputError as exc:
            assert exc.reason
        else:
            assert variant is not data or not any(
                name.endswith(".xml") and b"doctype" in body.lower().replace(b"\0", b"") for name, body, _ in members
            )


@pytest.fixture(scope="session")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("office")
    xlsx = write_progress_xlsx(plan_from_text(INPUTS / "tsushima_h21_action_plan.txt"), folder / "progress.xlsx")
    return {"docx": (INPUTS / "tsushima_h21_action_plan.docx").read_bytes(), "xlsx": xlsx.read_bytes()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["docx", "xlsx"]), st.data())
def test_damaged_office_files_read_or_fail_with_an_input_error(office_files: dict[str, bytes], kind: str,
                                                              data: st.DataObject) -> None:
    """A real .docx/.xlsx with a stretch of its bytes overwritten: read, or an InputError."""
    original = office_files[kind]
    at = data.draw(st.integers(0, len(original) - 1))
    noise = data.draw(st.binary(min_size=1, max_size=16))
    damaged = original[:at] + noise + original[at + len(noise):]
    reader = docx_reader.read if kind == "docx" else xlsx_reader.read
    try:
        blocks, _ = reader(Path(f"fuzz.{kind}"), "0" * 64, damaged)
    except InputError:
        return
    assert isinstance(blocks, list)
