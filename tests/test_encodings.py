"""The files a planner edits are read as Excel and Notepad save them on Japanese Windows, not only in
UTF-8: 「テキスト (タブ区切り)」 and 「CSV」 are Shift_JIS (CP932), 「Unicode テキスト」 is UTF-16 with a BOM,
older Notepad's ANSI is CP932. A corrections file is written back in the encoding it came in, so Excel
opens it as before; a file in no such encoding is one line naming it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.edits import Edit, read_edits, write_edits
from pipeline.errors import InputError
from pipeline.library import Library
from pipeline.match.knowledge import Correction, read_corrections, remove_correction, write_correction
from pipeline.settings import load
from pipeline.text.encoding import detect

EXCEL = ["cp932", "utf-16", "utf-8-sig"]  # タブ区切り, Unicode テキスト, UTF-8 with BOM


def _classify(capsys: pytest.CaptureFixture[str], outline: Path, lines: Path, *extra: str) -> list[dict]:  # type: ignore[type-arg]
    assert main(["classify", "--outline", str(outline), "--json", *extra, str(lines)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("encoding", EXCEL)
def test_corrections_saved_from_excel_are_used(tmp_path: Path, outline_txt: Path, encoding: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    measures = tmp_path / "measures.txt"
    measures.write_text("職員研修の実施\n", "utf-8")
    before = _classify(capsys, outline_txt, measures, "--no-model")
    assert before[0]["pillar"] != 9 and not before[0]["corrected"]
    corrections = tmp_path / "修正 一覧.tsv"
    corrections.write_bytes("item\tpillar\ttitle\n職員研修の実施\t9\t協働事業の評価・検証の仕組みの検討\n".encode(encoding))
    after = _classify(capsys, outline_txt, measures, "--no-model", "--corrections", str(corrections))
    assert after[0]["pillar"] == 9 and after[0]["corrected"]


@pytest.mark.parametrize("encoding", EXCEL)
def test_a_correction_is_written_back_in_the_files_encoding_keeping_the_planners_lines(
        tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "corrections.tsv"
    path.write_bytes("item\tpillar\ttitle\n# 担当者のメモ: 来年度に見直す\n市民活動センターの運営\t5\t\n".encode(encoding))
    write_correction(path, Correction("協働ふれあい号の運行", "6", "市民自身が市民の活動を支える環境づくり"))
    text, codec = detect(path.read_bytes())
    assert codec == encoding
    assert "# 担当者のメモ: 来年度に見直す" in text.splitlines()
    assert [(c.item, c.pillar) for c in read_corrections(path)] == [("市民活動センターの運営", "5"), ("協働ふれあい号の運行", "6")]
    assert remove_correction(path, "市民活動センターの運営")
    assert detect(path.read_bytes())[1] == encoding
    assert [c.item for c in read_corrections(path)] == ["協働ふれあい号の運行"]


def test_a_name_cp932_cannot_hold_turns_the_file_into_utf8_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "corrections.tsv"
    path.write_bytes("item\tpillar\n市民活動センターの運営\t5\n".encode("cp932"))
    write_correction(path, Correction("𠮷野町との協働事業", "7"))  # 𠮷 (U+20BB7) is not in CP932
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel and Notepad read it as UTF-8
    assert [c.item for c in read_corrections(path)] == ["市民活動センターの運営", "𠮷野町との協働事業"]


def test_classify_reads_a_shift_jis_list_and_names_a_file_it_cannot(tmp_path: Path, outline_txt: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    measures = tmp_path / "施策 一覧.txt"
    measures.write_bytes("職員研修の実施\r\n市民活動センターの運営\r\n".encode("cp932"))
    rows = _classify(capsys, outline_txt, measures)
    assert [r["text"] for r in rows] == ["職員研修の実施", "市民活動センターの運営"]
    bad = tmp_path / "壊れた.txt"
    bad.write_bytes(b"\x82\xa0\xff\xfe\x80\x81 not text")  # neither UTF-8 nor CP932
    assert main(["--lang", "ja", "classify", "--outline", str(outline_txt), str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(bad) in err[0] and "文字コード" in err[0] and "Traceback" not in err[0]


def test_plandraft_toml_saved_by_old_notepad_is_read(tmp_path: Path, outline_txt: Path, tsushima_txt: Path) -> None:
    (tmp_path / "構成案.txt").write_bytes(outline_txt.read_bytes())
    (tmp_path / "昨年度 計画.txt").write_bytes(tsushima_txt.read_bytes())
    (tmp_path / "plandraft.toml").write_bytes('outline = "構成案.txt"  # 今年度の構成案\nplan = "昨年度 計画.txt"\n'
                                              .encode("cp932"))
    config = load(tmp_path)
    assert (config.outline.name, config.plan.name) == ("構成案.txt", "昨年度 計画.txt")


def test_an_exchange_csv_saved_by_excel_is_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "県内の事例.csv"
    src.write_bytes("city,measure,pillar,source_url\n甲市,協働事業提案制度,7,https://example.jp/a\n".encode("cp932"))
    lib = str(tmp_path / "lib.sqlite")
    assert main(["library", "import", str(src), "--library", lib, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 1
    with Library(lib) as opened:
        assert [(s.city, s.item.name) for s in opened.items()] == [("甲市", "協働事業提案制度")]


def test_excels_quoted_cells_are_read_and_written_back_as_excel_writes_them(tmp_path: Path, outline_txt: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Excel quotes a cell holding a quote or a line break (Alt+Enter), and such a cell may span lines."""
    path = tmp_path / "corrections.tsv"
    path.write_bytes(('item\tpillar\ttext\r\n"出前講座""ふれあい""の実施"\t1\t\r\n'
                      '職員研修の実施\t2\t"一行目\r\n二行目"\r\n').encode("cp932"))
    assert [(c.item, c.pillar, c.text) for c in read_corrections(path)] == [
        ('出前講座"ふれあい"の実施', "1", ""), ("職員研修の実施", "2", "一行目\r\n二行目")]
    write_correction(path, Correction('出前講座"ふれあい"の実施', "3"))  # replaces its record, not a second one
    assert [(c.item, c.pillar) for c in read_corrections(path)] == [('出前講座"ふれあい"の実施', "3"), ("職員研修の実施", "2")]
    data = path.read_bytes().decode("cp932")
    assert "\r\n" in data and "\n" not in data.replace("\r\n", "")  # Excel's line endings kept
    assert '"一行目\r\n二行目"' in data  # the other record as it was written
    measures = tmp_path / "m.txt"
    measures.write_text("職員研修の実施\n", "utf-8")
    assert _classify(capsys, outline_txt, measures, "--corrections", str(path))[0]["pillar"] == 2


def test_a_new_corrections_file_has_a_bom_and_a_broken_one_is_not_written_over(tmp_path: Path) -> None:
    new = tmp_path / "corrections.tsv"
    write_correction(new, Correction("職員研修の実施", "2"))
    assert new.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8, not as Shift_JIS
    broken = tmp_path / "broken.tsv"
    before = b"\xef\xbb\xbfitem\tpillar\n" + "職員研修\t2\n".encode("cp932")  # a BOM, then a Shift_JIS line
    broken.write_bytes(before)
    with pytest.raises(InputError, match="UTF-8"):
        write_correction(broken, Correction("市民活動センターの運営", "5"))
    assert broken.read_bytes() == before


@pytest.mark.parametrize("encoding", EXCEL)
def test_the_pages_edits_file_keeps_its_encoding_and_a_broken_one_is_said(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "edits.tsv"
    edit = Edit("ab" * 32, "doc-001", '講座"入門"', "協働講座", "内容")
    path.write_bytes("file\tsha256\titem\toriginal\tname\tcontent\n# 担当者の修正\n".encode(encoding))
    write_edits(path, [edit])
    assert detect(path.read_bytes())[1] == encoding and read_edits(path) == {edit.key: edit}
    path.write_bytes(b"\xef\xbb\xbffile\tsha256\titem\n\x82\xa0\xff")
    with pytest.raises(InputError) as err:
        read_edits(path)
    assert str(path) in err.value.line()


@pytest.mark.parametrize(("before", "kept"), [
    ("# note 1\n# note 2\n", ["# note 1", "# note 2"]),  # comments only: every one kept
    ('item\tpillar\n# note\t"quoted\nB\t2\n', ['# note\t"quoted', "B\t2"]),  # a quote in a comment
    ('item\tpillar\ttext\nB\t2\t"研修を行う\nC\t3\t\n', ['B\t2\t"研修を行う', "C\t3\t"]),  # a quote left open
    ("item\tpillar\ttext\nB\t2\tx\u2028y\nC\t3\tx\x0cy\n", ["B\t2\tx\u2028y", "C\t3\tx\x0cy"]),  # not line ends
])
def test_a_stray_quote_or_an_odd_character_never_swallows_or_splits_other_records(
        tmp_path: Path, before: str, kept: list[str]) -> None:
    path = tmp_path / "corrections.tsv"
    path.write_text(before, "utf-8")
    write_correction(path, Correction("A", "1"))
    after = path.read_text("utf-8-sig").split("\n")
    assert all(line in after for line in kept) and after.count("A\t1" + "\t" * (after[0].count("\t") - 1)) == 1
    assert [c.item for c in read_corrections(path)][-1] == "A"
    assert len(read_corrections(path)) == len(kept) - sum(k.startswith("#") for k in kept) + 1


def test_each_record_keeps_its_own_line_ending(tmp_path: Path) -> None:
    path = tmp_path / "corrections.tsv"
    path.write_bytes('item\tpillar\ttext\r\n講座\t1\t"l1\nl2"\r\nB\t2\t\nC\t3\t\r\n'.encode())
    write_correction(path, Correction("B", "4"))
    assert path.read_bytes() == 'item\tpillar\ttext\r\n講座\t1\t"l1\nl2"\r\nB\t4\t\nC\t3\t\r\n'.encode()


def test_an_ascii_only_file_gets_what_excel_reads_best_when_japanese_is_added(tmp_path: Path) -> None:
    path = tmp_path / "corrections.tsv"
    path.write_bytes(b"item\tpillar\n")
    write_correction(path, Correction("職員研修の実施", "2"))
    assert path.read_bytes().startswith(b"\xef\xbb\xbfitem\tpillar\n")


def test_labelled_sets_read_excels_quoted_cells(tmp_path: Path) -> None:
    from pipeline.match.trainer import read_labelled

    path = tmp_path / "gold.tsv"
    path.write_bytes('item\tpillar\talt\r\n"講座""入門"""\t1\t\r\n"二行の\r\n項目"\t2\t3\r\n'.encode("cp932"))
    assert [(r.text, r.pillar, r.acceptable) for r in read_labelled(path)] == [
        ('講座"入門"', 1, (1,)), ("二行の\r\n項目", 2, (2, 3))]


def test_a_bad_row_after_a_cell_of_two_lines_is_named_by_its_own_line(tmp_path: Path) -> None:
    from pipeline.match.trainer import read_labelled

    path = tmp_path / "gold.tsv"
    path.write_text('item\tpillar\talt\n\n"二行の\n項目"\t2\t\n柱のない項目\t\t\n', "utf-8")
    with pytest.raises(InputError) as err:
        read_labelled(path)
    assert err.value.reason.split(":")[0].strip() in ("line 5", "5 行目")  # not 3, the row's place among rows
