"""What the commands share: lines on stderr that text from a file name or a document cannot forge."""
from __future__ import annotations

import io

import pytest

from pipeline.commands._common import Console, printable


@pytest.mark.parametrize(("text", "shown"), [
    ("計画 2024.pdf", "計画 2024.pdf"),
    ("a\nb.pdf: read 38 items", "a\\u000ab.pdf: read 38 items"),  # a second line forged by a newline
    ("\x1b[2J\x1b[31mred.pdf", "\\u001b[2J\\u001b[31mred.pdf"),  # ANSI escapes
    ("abc\u202etxt.exe", "abc\\u202etxt.exe"),  # right-to-left override
    ("x\u2028y\u0085z", "x\\u2028y\\u0085z"),  # line and next-line separators
    ("tab\there", "tab\there"),
])
def test_printable_escapes_what_would_act_on_the_terminal(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_console_error_is_one_line_whatever_the_file_name() -> None:
    stream = io.StringIO()
    Console(stream).error("bad\nname\r.pdf: empty file (0 bytes)")
    assert stream.getvalue().count("\n") == 1 and "\r" not in stream.getvalue()


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("print JSON to stdout", 10, ["print JSON", "to stdout"]),
    ("構成案と同じフォルダの corrections.tsv を使います", 20, ["構成案と同じフォルダ", "の corrections.tsv", "を使います"]),
    ("既定: 構成案と同じフォルダ。", 16, ["既定: 構成案と同", "じフォルダ。"]),  # 。 never starts a line
    ("構成案とフォルダ", 9, ["構成案と", "フォルダ"]),  # nor does a small kana (ォ) or ー
])
def test_help_is_wrapped_by_terminal_cells(text: str, width: int, lines: list[str]) -> None:
    from pipeline.commands._common import wrap_cells

    assert wrap_cells(text, width) == lines
