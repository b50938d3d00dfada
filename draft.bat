@echo off
rem Windows version of `make draft`: runs the whole job on the documents in inputs\, results in outputs\.
setlocal
cd /d "%~dp0"
call scripts\setup_venv.bat || exit /b 1
".venv\Scripts\python.exe" -m pipeline run inputs -o outputs
exit /b %errorlevel%
