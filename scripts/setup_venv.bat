@echo off
rem What the Makefile's $(STAMP) rule does, for Windows: create .venv and install plandraft with its
rem test and dev libraries, again whenever pyproject.toml changes. Called by draft.bat and test.bat.
setlocal
cd /d "%~dp0\.."
if "%PYTHON%"=="" (
  where py >nul 2>nul && (set "PYTHON=py -3") || (set "PYTHON=python")
)
set "HASH="
for /f "skip=1 delims=" %%h in ('certutil -hashfile pyproject.toml SHA256') do if not defined HASH set "HASH=%%h"
set "HASH=%HASH: =%"
set "STAMP=.venv\.installed-%HASH%"
if exist "%STAMP%" exit /b 0
%PYTHON% -m venv .venv || exit /b 1
".venv\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check --upgrade pip || exit /b 1
".venv\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check -e ".[test,dev]" || exit /b 1
del /q ".venv\.installed-*" 2>nul
type nul > "%STAMP%"
exit /b 0
