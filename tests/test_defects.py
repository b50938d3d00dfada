"""Defects found under real and hostile use (issue 14), each with the test that failed before its fix."""
from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import INPUTS

from pipeline.cli import main
from pipeline.errors import EXIT_OUTPUT, EXIT_USAGE
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


# -- item 5: a data row with header words is not a new header ------------------------------------

def _write_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    if path.suffix == ".docx":
        from docx import Document as new_docx

        d = new_docx()
        d.add_paragraph("基本目標1 市民協働の推進")
        table = d.add_table(rows=0, cols=len(header))
        for values in (header, *rows):
            for cell, value in zip(table.add_row().cells, values):
                cell.text = value
        d.save(str(path))
    else:
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["基本目標1 市民協働の推進"])
        for values in (header, *rows):
            ws.append(values)
        wb.save(str(path))


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
@pytest.mark.parametrize("header", [["事業名", "内容", "担当課"], ["項目", "概要", "担当課"], ["取組", "内容", "担当"]])
def test_data_row_with_header_words_is_an_item(tmp_path: Path, suffix: str, header: list[str]) -> None:
    from pipeline.ingest import ingest_file

    path = tmp_path / f"plan{suffix}"
    _write_table(path, header, [["● 出前講座事業", "講座の内容を見直します", "市民協働課"]] * 4)
    items = ingest_file(path, use_cache=False).items
    assert [(i.name, i.content, tuple(i.departments)) for i in items] == [
        ("出前講座事業", "講座の内容を見直します", ("市民協働課",))] * 4


# -- item 8: outputs that cannot be written --------------------------------------------------------

def _commands(outline: Path, plan: Path, out: Path) -> dict[str, list[str]]:
    return {
        "run": ["run", str(INPUTS), "-o", str(out)],
        "draft": ["draft", "--outline", str(outline), "--plan", str(plan), "-o", str(out)],
        "compare": ["compare", "--outline", str(outline), "--plan", str(plan), "-o", str(out)],
        "ingest": ["ingest", str(plan), "-o", str(out / "items.json")],
    }


def _one_line(err: str, name: str, reason: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert name in lines[0] and reason in lines[0], err


@pytest.mark.parametrize("command", ["run", "draft", "compare", "ingest"])
@pytest.mark.parametrize("below", [False, True])
def test_output_folder_that_is_a_file_is_exit_4(tmp_path: Path, outline_txt: Path, tsushima_txt: Path,
                                                command: str, below: bool,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    blocking = tmp_path / "plan.docx"
    blocking.write_bytes(b"planner's file")
    out = blocking / "sub" if below else blocking
    if command == "ingest" and not below:
        out = blocking / "x"  # ingest's -o names a file, which may exist: under a file it cannot
    assert main(_commands(outline_txt, tsushima_txt, out)[command]) == EXIT_OUTPUT
    _one_line(capsys.readouterr().err, "plan.docx", "is a file, not a folder")
    assert blocking.read_bytes() == b"planner's file"


def test_ingest_never_writes_its_json_over_a_plan_or_a_planners_file(tmp_path: Path, tsushima_txt: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """`ingest plan.txt -o plan.txt` would replace the plan by its JSON: refused even with --force. A
    file of the name that ingest did not write is refused without --force and kept as a .bak with it;
    ingest's own earlier output is replaced, so a re-run just works."""
    plan = tmp_path / "計画 R6.txt"
    shutil.copy(tsushima_txt, plan)
    before = plan.read_bytes()
    for extra in ([], ["--force"]):
        assert main(["ingest", str(plan), "-o", str(plan), *extra]) == EXIT_USAGE
        _one_line(capsys.readouterr().err, str(plan), "is one of the files being read")
        assert plan.read_bytes() == before
    mine = tmp_path / "items.json"
    mine.write_text("担当者のメモ\n", "utf-8")
    assert main(["ingest", str(plan), "-o", str(mine)]) == EXIT_USAGE
    _one_line(capsys.readouterr().err, str(mine), "is not JSON plandraft ingest wrote (add --force")
    assert mine.read_text("utf-8") == "担当者のメモ\n"
    assert main(["ingest", str(plan), "-o", str(mine), "--force"]) == 0
    (kept,) = tmp_path.glob("items.*.json.bak")
    assert kept.read_text("utf-8") == "担当者のメモ\n"
    assert len(json.loads(mine.read_text("utf-8"))["documents"][0]["items"]) == 38
    capsys.readouterr()
    assert main(["ingest", str(plan), "-o", str(mine)]) == 0  # its own output: replaced, no new backup
    assert len(list(tmp_path.glob("items.*.json.bak"))) == 1


def test_ingest_output_that_is_a_folder_is_exit_4(tmp_path: Path, tsushima_txt: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(tsushima_txt), "-o", str(tmp_path)]) == EXIT_OUTPUT
    _one_line(capsys.readouterr().err, str(tmp_path), "is a folder, not a file")


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """A real file system that fills up or is read-only: a tmpfs mounted for the test (root on
    Linux only; skipped elsewhere, since chmod does not stop root)."""
    import subprocess

    mounted: list[Path] = []

    def mount(options: str) -> Path:
        if sys.platform != "linux" or os.geteuid() != 0:
            pytest.skip("needs root on Linux to mount a small or read-only tmpfs")
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", str(where)], check=False)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["run", "draft", "compare", "ingest"])
def test_full_disk_is_one_line_and_exit_4(small_disk: Callable[[str], Path], outline_txt: Path, tsushima_txt: Path,
                                          command: str, capsys: pytest.CaptureFixture[str]) -> None:
    disk = small_disk("size=8k")
    assert main(_commands(outline_txt, tsushima_txt, disk / "out")[command]) == EXIT_OUTPUT
    _one_line(capsys.readouterr().err.splitlines()[-1], str(disk / "out"), "disk")  # SQLite may say "disk I/O error"


@pytest.mark.slow
@pytest.mark.parametrize("command", ["run", "draft", "compare", "ingest"])
def test_read_only_folder_is_one_line_and_exit_4(small_disk: Callable[[str], Path], outline_txt: Path,
                                                 tsushima_txt: Path, command: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    disk = small_disk("ro,size=64k")
    assert main(_commands(outline_txt, tsushima_txt, disk)[command]) == EXIT_OUTPUT
    _one_line(capsys.readouterr().err.splitlines()[-1], str(disk), "read")


# -- item 9: folders that cannot be read -----------------------------------------------------------

_UNPRIVILEGED_READ = """
import json, sys
from pipeline.ingest import ingest_paths
docs, errors = ingest_paths(sys.argv[1:], use_cache=False)
print(json.dumps([[e.path, e.reason] for e in errors]))
"""


def _read_unprivileged(paths: list[Path]) -> list[list[str]]:
    """The errors ingest_paths gives for paths, read by a user that permissions stop: this user, or
    as root (whom chmod does not stop) the user nobody through setpriv."""
    import subprocess

    if sys.platform == "win32":
        pytest.skip("chmod 000 does not make a folder unreadable on Windows")
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root, where permissions are not enforced, and no setpriv to drop them")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    env = {**os.environ, "PLANDRAFT_LANG": "en", "HOME": str(paths[0].parent)}
    done = subprocess.run([*prefix, sys.executable, "-c", _UNPRIVILEGED_READ, *map(str, paths)],
                          capture_output=True, text=True, env=env, cwd=str(Path(__file__).parents[1]))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_unreadable_folder_and_files_in_it_are_named(tsushima_txt: Path) -> None:
    import tempfile

    # not under pytest's tmp_path: its folders are the owner's only, and the reader may be nobody
    with tempfile.TemporaryDirectory() as top:
        base = Path(top) / "plans"
        locked = base / "locked"
        (locked / "sub").mkdir(parents=True)
        shutil.copy(tsushima_txt, locked / "sub" / "plan.txt")
        for folder in (Path(top), base):
            folder.chmod(0o755)
        locked.chmod(0)
        try:
            errors = _read_unprivileged([base, locked / "sub" / "plan.txt"])
        finally:
            locked.chmod(0o755)
    # the folder inside the one named is an error naming it (it was skipped silently) …
    assert [str(locked), "cannot read folder: Permission denied (check the folder's permissions, "
            "or move the files to a folder you can read)"] in errors
    # … and a file in it is one line (it was a PermissionError traceback)
    assert [str(locked / "sub" / "plan.txt"),
            "cannot read file: Permission denied (check the path and permissions)"] in errors
    assert len(errors) == 2


def test_folder_listing_keeps_order_and_follows_no_loop(tmp_path: Path) -> None:
    from pipeline.files import expand

    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("x", "utf-8")
    (tmp_path / "b" / "c.txt").write_text("x", "utf-8")
    (tmp_path / "b" / "up").symlink_to(tmp_path, target_is_directory=True)
    out = expand([tmp_path])
    assert out.files[:2] == [tmp_path / "a.txt", tmp_path / "b" / "c.txt"]
    assert not out.unreadable_folders


# -- item 12 (Low) ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("\u202e出前講座\u202c事業", "出前講座事業"),  # bidi override and pop
    ("協働\u2066研修\u2069会", "協働研修会"),  # bidi isolates
    ("地域\u2028清掃活動", "地域\n清掃活動"),  # line separator: a line break in the cell
    ("広報\u2029紙", "広報\n紙"),
    ("広報\x85紙", "広報\n紙"),  # NEL
    ("講座\x0c開催", "講座\n開催"),  # form feed
    ("\u200f市民\u200e活動", "市民活動"),
])
def test_clean_drops_bidi_controls_and_keeps_line_breaks_in_the_cell(raw: str, expected: str) -> None:
    from pipeline.text.normalize import clean

    assert clean(raw) == expected


def test_separators_in_cells_neither_reach_names_nor_split_rows(tmp_path: Path) -> None:
    from pipeline.ingest import ingest_file

    names = ["\u202e出前講座事業", "地域\x0c清掃活動", "広報\x85紙発行", "協働\u2066研修\u2069会"]
    path = tmp_path / "plan.txt"
    path.write_text("基本目標1 市民協働の推進\n事業名\t内容\t担当課\n"
                    + "".join(f"{n}\t内容\u2028です\t市民協働課\n" for n in names), "utf-8")
    items = ingest_file(path, use_cache=False).items
    assert [i.name for i in items] == ["出前講座事業", "地域清掃活動", "広報紙発行", "協働研修会"]
    assert {tuple(i.departments) for i in items} == {("市民協働課",)}


def test_utf32_with_bom_is_read_as_utf32(tmp_path: Path) -> None:
    from pipeline.ingest import ingest_file

    path = tmp_path / "plan.txt"
    path.write_bytes("事業名\t内容\t担当課\n● 出前講座事業\t講座の内容を見直します\t市民協働課\n".encode("utf-32"))
    assert path.read_bytes().startswith(b"\xff\xfe\x00\x00")
    item, = ingest_file(path, use_cache=False).items
    assert (item.name, item.departments) == ("出前講座事業", ("市民協働課",))


def test_nul_only_file_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\x00" * 512)
    assert main(["ingest", str(path), "--no-cache"]) == 1
    assert f"{path}: empty file (no text)" in capsys.readouterr().err


@pytest.mark.parametrize("seconds", ["2200000", "86401", "1e309"])
def test_huge_timeout_is_a_usage_error(tsushima_txt: Path, seconds: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(tsushima_txt), "--timeout", seconds]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "OverflowError" not in err


def test_doctype_after_the_first_4_kb_is_refused(tmp_path: Path) -> None:
    import zipfile

    from docx import Document as new_docx

    from pipeline.errors import InputError
    from pipeline.ingest import ingest_file

    path = tmp_path / "plan.docx"
    d = new_docx()
    d.add_paragraph("基本目標1 市民協働の推進")
    d.save(str(path))
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts["word/document.xml"]
    decl, _, rest = body.partition(b"?>")
    parts["word/document.xml"] = (decl + b"?><!--" + b" " * 8000 + b"-->"
                                  + b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + rest)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(InputError, match="DOCTYPE"):
        ingest_file(path, use_cache=False)


def test_backup_is_not_made_twice_for_the_same_content(tmp_path: Path) -> None:
    from pipeline.output import backup, write_atomic

    target = tmp_path / "plan.docx"
    target.write_bytes(b"edited by the planner")
    first = backup(target)
    assert first is not None and backup(target) == first  # the same content is not backed up twice
    write_atomic(target, b"new draft")
    assert first.read_bytes() == b"edited by the planner"
    target.write_bytes(b"edited again")
    assert backup(target) not in (None, first)  # new content: a new backup
    assert len(list(tmp_path.glob("*.bak"))) == 2


def test_no_backup_left_when_the_replace_fails(small_disk: Callable[[str], Path]) -> None:
    from pipeline.errors import OutputError
    from pipeline.output import backup, write_atomic

    disk = small_disk("size=8k")  # two pages: the planner's file and its backup, no room for more
    target = disk / "plan.docx"
    target.write_bytes(b"edited by the planner")
    assert backup(target) is not None
    with pytest.raises(OutputError, match="disk is full"):
        write_atomic(target, b"x" * 100_000)
    assert target.read_bytes() == b"edited by the planner"
    assert not list(disk.glob("*.bak"))  # the file was not replaced, so a backup would be spurious


def test_manifest_sees_a_concurrent_runs_outputs(tmp_path: Path) -> None:
    from pipeline.output import Manifest, write_atomic

    mine, theirs = Manifest(tmp_path), Manifest(tmp_path)
    out = write_atomic(tmp_path / "comparison.xlsx", b"their output")
    theirs.record([out])
    assert mine.unchanged(out)  # written by the other run since this one started: not the planner's edit
    other = write_atomic(tmp_path / "comparison.docx", b"mine")
    mine.record([other])
    assert Manifest(tmp_path).entries.keys() == {"comparison.xlsx", "comparison.docx"}
