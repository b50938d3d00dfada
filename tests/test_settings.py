"""Run settings from plandraft.toml, and guessing them when there is none."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import settings
from pipeline.errors import UsageError


def folder_with(tmp_path: Path, outline_txt: Path, tsushima_txt: Path, toml: str | None) -> Path:
    (tmp_path / "outline_計画の構成案.txt").write_bytes(outline_txt.read_bytes())
    (tmp_path / "plan.txt").write_bytes(tsushima_txt.read_bytes())
    (tmp_path / "others").mkdir()
    (tmp_path / "others" / "nishio.md").write_text("■広報\n項目\t内容\t担当課\n● 広報紙\t掲載\t広報課\n", "utf-8")
    if toml is not None:
        (tmp_path / "plandraft.toml").write_text(toml, "utf-8")
    return tmp_path


def test_settings_from_toml(tmp_path: Path, outline_txt: Path, tsushima_txt: Path) -> None:
    folder = folder_with(tmp_path, outline_txt, tsushima_txt,
                         'outline = "outline_計画の構成案.txt"\nplan = "plan.txt"\nothers = ["others"]\nyear = "令和元年度"\n')
    cfg = settings.load(folder)
    assert cfg.outline.name == "outline_計画の構成案.txt" and cfg.plan.name == "plan.txt"
    assert [p.name for p in cfg.others] == ["nishio.md"]
    assert [p.name for p in cfg.documents] == ["plan.txt"]  # neither the outline nor the others
    assert cfg.year == 2019 and cfg.corrections is None


def test_settings_guessed_without_toml(tmp_path: Path, outline_txt: Path, tsushima_txt: Path) -> None:
    cfg = settings.load(folder_with(tmp_path, outline_txt, tsushima_txt, None))
    assert cfg.outline.name.startswith("outline") and cfg.plan.name in {"plan.txt", "nishio.md"}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('plan = "missing.pdf"\n', "plan file not found"),
        ("others = \"x\"\n", "must be a list"),
        ('year = "来年"\n', "not a fiscal year"),
        ("outline = [\n", "not valid TOML"),
    ],
)
def test_bad_settings_are_usage_errors(tmp_path: Path, outline_txt: Path, tsushima_txt: Path, toml: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        settings.load(folder_with(tmp_path, outline_txt, tsushima_txt, toml))


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        settings.load(tmp_path / "nope")
