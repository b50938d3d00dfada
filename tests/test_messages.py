"""The message catalogue: Japanese by default, English on request, every code used has both."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline import messages
from pipeline.cli import main

_USED = re.compile(r"""\b(?:text|msg_text|input_error)\(\s*["']([a-z_]+\.[a-z_.]+)["']""")


def test_every_code_the_package_uses_is_in_the_catalogue_in_both_languages() -> None:
    used = {m.group(1) for path in (ROOT / "pipeline").rglob("*.py") for m in _USED.finditer(path.read_text("utf-8"))}
    assert used, "no catalogue codes found: the pattern is out of date"
    missing = sorted(used - set(messages.MESSAGES))
    assert not missing, f"codes used but not in pipeline/messages.py: {missing}"
    for code, (ja, en) in messages.MESSAGES.items():
        assert ja and en, code
        assert set(re.findall(r"{(\w+)}", ja)) == set(re.findall(r"{(\w+)}", en)), code


@pytest.mark.parametrize(("env", "lang"), [
    ({}, "ja"),  # nothing set (a Windows PC): Japanese
    ({"LANG": "ja_JP.UTF-8"}, "ja"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),
    ({"PLANDRAFT_LANG": "ja", "LANG": "C"}, "ja"),
])
def test_the_language_is_japanese_unless_english_is_asked_for(monkeypatch: pytest.MonkeyPatch, env: dict, lang: str) -> None:
    for var in ("PLANDRAFT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert messages.language() == lang


def test_a_missing_input_is_named_in_japanese_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANDRAFT_LANG", "ja")
    missing = tmp_path / "ない計画.pdf"
    assert main(["draft", "--outline", str(missing), "--plan", str(missing), "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "が見つかりません" in err and str(missing) in err
    monkeypatch.setenv("PLANDRAFT_LANG", "en")
    assert main(["draft", "--outline", str(missing), "--plan", str(missing), "-o", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err


# -- Japanese for the planner: one line naming the file, the reason and what to do ------------------

def _one_line(err: str, path: object) -> str:
    """The one stderr line that names path (there is exactly one)."""
    (line,) = [x for x in err.splitlines() if str(path) in x and "件中" not in x]
    return line


def test_unreadable_files_are_named_in_japanese_one_line_each(monkeypatch: pytest.MonkeyPatch, tmp_path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANDRAFT_LANG", "ja")
    empty = tmp_path / "空の計画.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "空白だけ.txt"
    blank.write_text("  \n\n", "utf-8")
    encrypted = tmp_path / "パスワード付き 計画.docx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)  # an OLE file: what Word writes when encrypted
    assert main(["ingest", str(empty), str(blank), str(encrypted), "--workers", "2"]) == 1
    err = capsys.readouterr().err
    assert _one_line(err, empty) == f"{empty}: 空のファイルです (0 バイト) (正しいファイルか確かめてください)"
    assert "空のファイルです (文字がありません)" in _one_line(err, blank)
    line = _one_line(err, encrypted)
    assert "パスワード付き" in line and "パスワードを外すか、.docx 形式で保存し直して" in line
    assert "3 件中 3 件を読めませんでした" in err
    assert not any(word in err for word in ("empty file", "not a valid", "check that"))


def test_a_file_that_is_not_a_library_is_named_in_japanese(monkeypatch: pytest.MonkeyPatch, tmp_path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANDRAFT_LANG", "ja")
    bad = tmp_path / "ライブラリ.sqlite"
    bad.write_text("これは SQLite ではありません\n" * 100, "utf-8")
    assert main(["search", "協働", "--library", str(bad)]) == 1
    line = _one_line(capsys.readouterr().err, bad)
    assert line.startswith(f"{bad}: plandraft のライブラリではありません")
    assert line.endswith("(別の --library ファイルを指定してください)")


def test_a_broken_template_is_named_in_japanese(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import docx

    from pipeline.draft.lint import lint_template
    from pipeline.draft.render import render
    from pipeline.errors import InputError

    monkeypatch.setenv("PLANDRAFT_LANG", "ja")
    template = tmp_path / "壊れたテンプレート.docx"
    document = docx.Document()
    document.add_paragraph("{{ title ")  # never closed
    document.add_paragraph("｛｛ year ｝｝")  # typed with the IME on
    document.save(str(template))
    with pytest.raises(InputError) as caught:
        render(template, {"title": "計画", "year": "令和7年度"})
    line = caught.value.line()
    assert "\n" not in line and line.startswith(f"{template}: テンプレートに差し込めません")
    messages_of = {p.message for p in lint_template(template)}
    assert any(m.startswith("タグの区切りが閉じていません") for m in messages_of), messages_of
    assert any(m.startswith("タグの区切りに全角の波かっこ") for m in messages_of), messages_of


def _plandraft(args: list[str], cwd, **env: str):  # type: ignore[no-untyped-def]
    """plandraft args run as a planner would (a new process), with only the environment given."""
    import os
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if k not in ("PLANDRAFT_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    clean.update(env, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-c", "import sys; from pipeline.cli import main; sys.exit(main())", *args],
                          cwd=cwd, env=clean, capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_lang_en_gives_english_and_no_locale_gives_japanese(tmp_path) -> None:
    english = _plandraft(["--lang", "en", "ingest", "missing.pdf"], tmp_path)
    assert english.returncode == 1
    assert "missing.pdf: no such file (check the path)" in english.stderr
    japanese = _plandraft(["ingest", "missing.pdf"], tmp_path)
    assert japanese.returncode == 1
    assert "missing.pdf: ファイルが見つかりません (パスを確かめてください)" in japanese.stderr
    assert "no such file" not in japanese.stderr
    assert "plandraft --lang en" in _plandraft(["-h"], tmp_path).stdout  # documented in the help


def test_lang_reaches_the_worker_processes(monkeypatch: pytest.MonkeyPatch, tmp_path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """--lang ja over PLANDRAFT_LANG=en: the files read in workers are reported in Japanese too."""
    broken = []
    for k in range(2):
        path = tmp_path / f"壊れた{k}.xlsx"
        path.write_bytes(b"PK\x03\x04 not really a workbook" * 10)
        broken.append(str(path))
    assert main(["--lang", "ja", "ingest", *broken, "--workers", "2", "--no-cache"]) == 1
    err = capsys.readouterr().err
    for path in broken:
        assert _one_line(err, path) == f"{path}: 正しい .xlsx ではありません (zip 形式ではありません) (開いて .xlsx 形式で保存してください)"


def test_usage_errors_are_japanese_for_a_planner(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """argparse's own errors (a missing option, a typo, a bad year) come out in the planner's language."""
    monkeypatch.setenv("PLANDRAFT_LANG", "ja")
    outline, plan = tmp_path / "構成案.txt", tmp_path / "計画.txt"
    outline.write_text("1. 柱\n", "utf-8")
    plan.write_text("項目\n", "utf-8")
    assert main(["draft"]) == 2
    assert "次の指定が必要です: --outline, --plan" in capsys.readouterr().err
    assert main(["run", "--bogus"]) == 2
    assert "知らない指定です: --bogus" in capsys.readouterr().err
    assert main(["draft", "--outline", str(outline), "--plan", str(plan), "--year", "来年", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "年度として読めません: '来年'" in err and "not a fiscal year" not in err
    monkeypatch.setenv("PLANDRAFT_LANG", "en")
    assert main(["draft"]) == 2
    assert "the following arguments are required: --outline, --plan" in capsys.readouterr().err


def test_run_help_is_japanese_by_default_and_english_with_lang_en(monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    for var in ("PLANDRAFT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)  # a Windows PC: nothing set
    assert main(["run", "-h"]) == 0
    japanese = capsys.readouterr().out
    assert "使い方: plandraft run" in japanese and "入力フォルダ (既定: inputs)" in japanese
    assert "例:\n  plandraft run inputs -o outputs" in japanese
    assert "input folder" not in japanese and "examples:" not in japanese
    assert main(["--lang", "en", "run", "-h"]) == 0
    english = capsys.readouterr().out
    assert "usage: plandraft run" in english and "input folder (default: inputs)" in english
    assert "examples:\n  plandraft run inputs -o outputs" in english
    assert "入力フォルダ" not in english
    monkeypatch.delenv("PLANDRAFT_LANG")  # --lang en set it (for the worker processes)
    assert main(["-h"]) == 0
    assert "終了コード: 0 完了" in capsys.readouterr().out
    assert main(["--lang=en", "-h"]) == 0  # the global help too, with --lang=VALUE
    assert "exit codes: 0 done" in capsys.readouterr().out
