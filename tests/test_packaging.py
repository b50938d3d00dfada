"""plandraft as a planner installs it: the wheel (`pip install .`, not editable) carries the Word
templates and runs the whole job from any folder with the outputs of the in-repo run; the offline
bundle for Windows resolves with pip from its own wheels alone."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import INPUTS, ROOT
from docxdump import dump_docx

from pipeline.cli import main

sys.path.insert(0, str(ROOT / "scripts"))
import bundle  # noqa: E402

BIN = "Scripts" if os.name == "nt" else "bin"
DRAFT = "平成22年度_市民協働推進アクションプラン_案.docx"


def _fresh_venv(folder: Path) -> Path:
    """A new venv whose only plandraft is the one installed into it; the third-party libraries are
    this venv's (a .pth file), so no network is needed. Returns its python."""
    # (without pip of its own: this venv's pip installs into it with --python, seconds faster)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, capture_output=True,
                   timeout=120)
    python = folder / BIN / ("python.exe" if os.name == "nt" else "python")
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    # A .pth adds the folders but not their own .pth files: this venv's editable plandraft stays out.
    (Path(site) / "borrowed-libraries.pth").write_text("\n".join(sorted(ours)) + "\n", "utf-8")
    return python


@pytest.mark.slow
def test_the_installed_wheel_runs_the_job_outside_the_checkout_like_the_repo(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheel = bundle.build_wheel(wheels)
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    assert {f"pipeline/templates/{p.name}" for p in (ROOT / "templates").glob("*.docx")} <= names

    python = _fresh_venv(tmp_path / "venv")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    env["PIP_CONFIG_FILE"] = os.devnull
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-index",
                    "--no-deps", str(wheel)],
                   check=True, capture_output=True, env=env, timeout=300)

    work = tmp_path / "作業 フォルダ"  # a folder outside the checkout, with a space and Japanese
    shutil.copytree(INPUTS, work / "inputs")
    env["PLANDRAFT_CACHE_DIR"] = str(tmp_path / "cache")
    env["PLANDRAFT_SOFFICE"] = "off"  # the contents' page numbers (LibreOffice) are not what this is about
    where = subprocess.run([str(python), "-c", "import pipeline; print(pipeline.__file__)"], cwd=work, env=env,
                           check=True, capture_output=True, text=True).stdout.strip()
    assert Path(where).is_relative_to(tmp_path / "venv") and not Path(where).is_relative_to(ROOT)

    installed = subprocess.run([str(tmp_path / "venv" / BIN / "plandraft"), "run", "inputs", "-o", "out"], cwd=work,
                               env=env, capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    shutil.copytree(INPUTS, tmp_path / "repo" / "inputs")  # the same relative paths as the installed run
    with pytest.MonkeyPatch.context() as mp:  # the checkout's code, here in the test's process
        mp.chdir(tmp_path / "repo")
        mp.setenv("PLANDRAFT_CACHE_DIR", str(tmp_path / "repo-cache"))
        mp.setenv("PLANDRAFT_SOFFICE", "off")
        assert main(["run", "inputs", "-o", "out"]) == 0

    def names(folder: Path) -> list[str]:
        return sorted(p.name for p in folder.iterdir())

    assert names(work / "out") == names(tmp_path / "repo" / "out")
    assert DRAFT in names(work / "out")
    assert dump_docx(work / "out" / DRAFT) == dump_docx(tmp_path / "repo" / "out" / DRAFT)


def _pypi_reachable() -> bool:
    try:
        with urllib.request.urlopen("https://pypi.org/simple/pip/", timeout=10):
            return True
    except OSError:
        return False


@pytest.mark.slow
def test_the_windows_bundle_resolves_from_its_own_wheels(tmp_path: Path) -> None:
    if not _pypi_reachable():
        pytest.skip("PyPI is unreachable: the bundle's wheels cannot be downloaded to build it")
    target = bundle.bundle("win_amd64", ["3.12"], tmp_path / "dist")
    assert target.name == "plandraft-offline-win_amd64.zip"
    with zipfile.ZipFile(target) as z:
        z.extractall(tmp_path / "unzipped")
        names = z.namelist()
    folder = tmp_path / "unzipped" / "plandraft-offline-win_amd64"
    assert "plandraft-offline-win_amd64/install.bat" in names
    script = (folder / "install.bat").read_bytes().decode("cp932")
    assert "--no-index --find-links wheels" in script and "plandraft.exe\" serve" in script
    assert all(n.endswith(("-win_amd64.whl", "-none-any.whl", "-abi3-win_amd64.whl"))
               for n in names if n.endswith(".whl"))

    # What the PC without internet will do, asked of pip on Linux with no index and no configuration.
    report = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-index",
         "--only-binary=:all:", "--platform", "win_amd64", "--python-version", "3.12", "--implementation", "cp",
         "--find-links", str(folder / "wheels"), "--report", "-", "--quiet", "plandraft"],
        env=bundle.offline_env(), capture_output=True, text=True, timeout=300)
    assert report.returncode == 0, report.stderr
    import json

    installed = {entry["metadata"]["name"].lower() for entry in json.loads(report.stdout)["install"]}
    assert {"plandraft", "sudachipy", "sudachidict-core", "psutil", "platformdirs", "matplotlib"} <= installed
