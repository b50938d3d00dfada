"""The message catalogue: Japanese by default, English on request, every code used has both."""
from __future__ import annotations

import re

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
