@echo off
rem Windows version of `make test`: the test suite, reader workers spawned (as the Makefile pins it).
rem (scripts/install_system_packages.sh installs Debian packages and has no Windows counterpart: the
rem browser test needs a Chromium that playwright can find.)
setlocal
cd /d "%~dp0"
call scripts\setup_venv.bat || exit /b 1
set "PLANDRAFT_START_METHOD=spawn"
".venv\Scripts\python.exe" -m pytest -n auto --dist worksteal %*
exit /b %errorlevel%
