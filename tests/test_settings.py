"""Run settings from plandraft.toml, and guessing them when there is none."""
from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import INPUTS, ROOT

from pipeline import settings
from pipeline.errors import UsageError

_spec = importlib.util.spec_from_file_location("scripts_document", ROOT / "scripts" / "document_settings.py")
assert _spec and _spec.loader
document_settings = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(document_settings)


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


# -- the settings record ------------------------------------------------------------------------

def _uncommented_block(text: str) -> str:
    body = text.split(document_settings.BEGIN, 1)[1].split(document_settings.END, 1)[0]
    lines = []
    for line in body.splitlines():
        line = line.removeprefix("# ").strip()
        if line.startswith("[") or "=" in line:
            lines.append(re.sub(r"\s+#\s.*$", "", line) if not line.startswith("[") else line.split("]")[0] + "]")
    return "\n".join(lines)


def test_the_shipped_toml_documents_every_setting_with_its_true_default() -> None:
    """Every threshold is a documented field: the commented block in inputs/plandraft.toml lists each
    one; uncommented, it gives exactly the defaults (so the documented values are the real ones)."""
    from pipeline.settings import Settings, settings_fields

    text = (INPUTS / "plandraft.toml").read_text("utf-8")
    block = _uncommented_block(text)
    parsed = tomllib.loads(block)
    assert Settings.resolve(parsed) == Settings()
    documented = set()

    def walk(table: dict, prefix: str = "") -> None:
        for k, v in table.items():
            if isinstance(v, dict) and k != "table_settings":
                walk(v, f"{prefix}{k}.")
            else:
                documented.add(f"{prefix}{k}")

    walk(parsed)
    assert documented == {key for key, _ in settings_fields()}
    assert subprocess.run([sys.executable, str(ROOT / "scripts" / "document_settings.py"), "--check"]).returncode == 0


@pytest.mark.parametrize(("raw", "message"), [
    ({"match": {"nmae": 1.0}}, "unknown setting 'nmae' (did you mean 'name'?)"),
    ({"compare": {"threshold": 1.5}}, "threshold must be between 0 and 1"),
    ({"match": {"review_below": "high"}}, "review_below must be a number"),
    ({"read": {"limits": {"memory_mb": 100}}}, "at least 256 MB"),
    ({"draft": 3}, "must be a table of settings"),
    ({"read": {"page_processes": 0}}, "page_processes (processes reading a PDF's pages in parallel) must be at least 1: 0"),
])
def test_bad_settings_are_refused_naming_the_key(raw: dict, message: str) -> None:
    from pipeline.errors import UsageError
    from pipeline.settings import Settings

    with pytest.raises(UsageError, match=re.escape(message)):
        Settings.resolve(raw, where="plandraft.toml")


@pytest.mark.parametrize(("raw", "message"), [
    ({"compare": {"threshold": 1.5}}, "threshold は 0 から 1 までの値で指定してください: 1.5"),
    ({"match": {"review_below": "high"}}, "review_below は数値で指定してください: 'high'"),
    ({"draft": {"max_candidates": 2.5}}, "max_candidates は整数で指定してください: 2.5"),
    ({"read": {"pdf": {"pdf_engine": "pymupdf"}}}, "pdf_engine は auto, pdfium, pdfplumber のいずれかで指定してください: 'pymupdf'"),
    ({"draft": {"max_candidates_thin": 1}}, "max_candidates_thin は max_candidates 以上で指定してください"),
])
def test_bad_settings_are_said_in_japanese_to_planners(raw: dict, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A planner's mistake in plandraft.toml is said in Japanese, naming the key and the value."""
    from pipeline import messages
    from pipeline.errors import UsageError
    from pipeline.settings import Settings

    monkeypatch.setenv(messages.ENV, "ja")
    with pytest.raises(UsageError, match=re.escape(message)):
        Settings.resolve(raw, where="plandraft.toml")


def test_settings_in_plandraft_toml_reach_the_job(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    toml = folder / "plandraft.toml"
    toml.write_text(toml.read_text("utf-8") + "\n[compare]\nthreshold = 0.6\n\n[read]\ntimeout = 90\n", "utf-8")
    cfg = settings.load(folder)
    assert cfg.settings.compare.threshold == 0.6 and cfg.settings.read.limits.seconds == 90.0


def test_unknown_keys_warn_with_the_nearest_and_paths_stay_inside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    toml = folder / "plandraft.toml"
    base = toml.read_text("utf-8")
    toml.write_text("\ufeff" + base.replace("others = []", "others = []\nothrs = []"), "utf-8")  # BOM too
    cfg = settings.load(folder)
    assert any("unknown key 'othrs'" in w and "'others'" in w for w in cfg.warnings)

    toml.write_text(base.replace("others = []", 'others = ["../../etc"]'), "utf-8")
    with pytest.raises(UsageError, match="outside"):
        settings.load(folder)
    toml.write_text(base.replace("others = []", 'others = ["他市の計画"]'), "utf-8")
    with pytest.raises(UsageError, match="others file not found"):
        settings.load(folder)
