"""Offline bundles for PCs without internet (LGWAN): dist/plandraft-offline-<platform>.zip holding
plandraft's wheel, every wheel it needs for CPython 3.11–3.13 on that platform, and an install script
that installs from them with --no-index and opens the web page (`plandraft serve`).

    python scripts/bundle.py                              # both platforms, CPython 3.11, 3.12 and 3.13
    python scripts/bundle.py --platform win_amd64 --python 3.12 --out /tmp/b

Needs PyPI (to download the wheels); the PC that installs the bundle needs nothing but Python."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
# pip --platform tags per bundle: Windows x64; Linux x86_64 with glibc 2.28 or later (RHEL 8, Debian 10).
PLATFORMS: dict[str, list[str]] = {
    "win_amd64": ["win_amd64"],
    "manylinux_x86_64": [f"manylinux_2_{minor}_x86_64" for minor in range(28, 4, -1)]
    + ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"],
}
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "pipeline", "templates")

INSTALL_BAT = r"""@echo off
rem plandraft: install from the wheels beside this file (no internet needed) and open the web page.
setlocal
cd /d "%~dp0"
set "PY=py -3"
where py >nul 2>nul || set "PY=python"
%PY% -c "import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))"
if errorlevel 1 (
  echo Python 3.11, 3.12 or 3.13 が必要です（python.org からインストールしてください）
  goto :fail
)
if not exist "venv\Scripts\python.exe" (
  %PY% -m venv venv || goto :fail
)
"venv\Scripts\python.exe" -m pip install --no-index --find-links wheels --disable-pip-version-check --quiet plandraft || goto :fail
if not exist "project" mkdir "project"
echo plandraft を起動します。終了するにはこの画面で Ctrl+C を押してください。
"venv\Scripts\plandraft.exe" serve --project project
exit /b %errorlevel%
:fail
echo インストールできませんでした。上のメッセージを確認してください。
pause
exit /b 1
"""

INSTALL_SH = """#!/bin/sh
# plandraft: install from the wheels beside this file (no internet needed) and open the web page.
set -e
cd "$(dirname "$0")"
PY="${PYTHON:-python3}"
"$PY" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' || {
  echo "Python 3.11, 3.12 or 3.13 is needed" >&2; exit 1; }
[ -x venv/bin/python ] || "$PY" -m venv venv
venv/bin/python -m pip install --no-index --find-links wheels --disable-pip-version-check --quiet plandraft
mkdir -p project
exec venv/bin/plandraft serve --project project
"""

README = """plandraft オフライン版 ({platform})

1. このフォルダを、日本語や空白を含まない場所でも含む場所でもかまいませんので、PC に展開します。
2. {script} を実行します（初回はインストール、2回目からはすぐに起動します）。
   インターネット接続は不要です。Python 3.11〜3.13 が必要です。
3. ブラウザで http://127.0.0.1:8000 が開きます。ファイルは project フォルダに保存されます。

wheels/ には plandraft と必要なライブラリがすべて入っています
（CPython 3.11, 3.12, 3.13 用）。
"""


def build_wheel(dest: Path) -> Path:
    """plandraft's wheel, built from a copy of the sources (the checkout gets no build/ folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in SOURCES:
            path = ROOT / name
            if path.is_dir():
                shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(path, src / name)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                        "--wheel-dir", str(dest), str(src)], check=True)
    (wheel,) = dest.glob("plandraft-*.whl")
    return wheel


def platform_options(platform: str, python: str) -> list[str]:
    """pip's options that select binary wheels for platform and CPython python."""
    options = ["--only-binary=:all:", "--implementation", "cp", "--python-version", python]
    for tag in PLATFORMS[platform]:
        options += ["--platform", tag]
    return options


def download(wheel: Path, wheels: Path, platform: str, python: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(wheels),
                    *platform_options(platform, python), str(wheel)], check=True)


def offline_env() -> dict[str, str]:
    """The environment for a pip that sees no configuration (no extra index or find-links of this
    machine), as on a PC without internet."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def check_offline(wheels: Path, platform: str, python: str) -> None:
    """Raise CalledProcessError unless pip resolves plandraft from wheels alone (no index)."""
    subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--no-index", "--ignore-installed",
                    "--find-links", str(wheels), *platform_options(platform, python), "plandraft"],
                   check=True, stdout=subprocess.DEVNULL, env=offline_env())


def bundle(platform: str, pythons: list[str], out: Path) -> Path:
    """Write out/plandraft-offline-<platform>.zip; returns its path."""
    name = f"plandraft-offline-{platform}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / name
        wheels = folder / "wheels"
        wheels.mkdir(parents=True)
        wheel = build_wheel(wheels)
        for python in pythons:
            download(wheel, wheels, platform, python)
            check_offline(wheels, platform, python)
        windows = platform.startswith("win")
        script = "install.bat" if windows else "install.sh"
        if windows:  # cmd.exe reads a .bat in the console's code page (cp932 on Japanese Windows)
            (folder / script).write_bytes(INSTALL_BAT.replace("\n", "\r\n").encode("cp932"))
        else:
            (folder / script).write_text(INSTALL_SH, "utf-8")
        readme = README.format(platform=platform, script=script)
        (folder / "README.txt").write_bytes(readme.replace("\n", "\r\n").encode("utf-8-sig") if windows
                                            else readme.encode("utf-8"))
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{name}.zip"
        partial = target.with_suffix(".zip.part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo.from_file(path, path.relative_to(folder.parent).as_posix())
                info.external_attr = (0o100755 if path.suffix == ".sh" else 0o100644) << 16
                # wheels are zip files already: deflating them again took most of the time and saved ~1 %
                z.writestr(info, path.read_bytes(), zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED)
        partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", action="append", choices=sorted(PLATFORMS),
                        help="a platform to bundle (repeatable; default: all)")
    parser.add_argument("--python", action="append", choices=PYTHONS, help="a CPython version (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="folder of the zip files (default dist/)")
    args = parser.parse_args(argv)
    for platform in args.platform or sorted(PLATFORMS):
        target = bundle(platform, args.python or list(PYTHONS), args.out)
        with zipfile.ZipFile(target) as z:
            count = sum(n.endswith(".whl") for n in z.namelist())
        print(f"{target}: {count} wheels, {target.stat().st_size / 1e6:.0f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
