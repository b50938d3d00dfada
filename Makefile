# The two commands a planner or CI needs: `make draft` and `make test`. Each builds .venv itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: draft test test-fast test-spawn system lint typecheck bench clean samples templates preview bundle

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	rm -f $(VENV)/.installed-*
	touch $@

draft: $(STAMP)
	$(PY) -m pipeline run inputs -o outputs

# Debian packages a feature or a test needs (chromium for the browser test), installed when missing.
system:
	@bash scripts/install_system_packages.sh

# The whole suite with the readers' worker processes spawned (Windows' only start method; also the
# default on every platform, pinned here so CI keeps covering it), on every core.
test: $(STAMP) system
	PLANDRAFT_START_METHOD=spawn $(PY) -m pytest -n auto --dist worksteal

# The reader tests alone under spawn.
test-spawn: $(STAMP)
	PLANDRAFT_START_METHOD=spawn $(PY) -m pytest tests/ingest

# The quick loop while working: every test but the slow ones (make test runs them all).
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check pipeline tests bench scripts

typecheck: $(STAMP)
	$(VENV)/bin/mypy pipeline

samples: $(STAMP)
	$(PY) scripts/make_samples.py

templates: $(STAMP)
	$(PY) scripts/make_templates.py

# Draft → PDF and PNG pages in outputs/preview (installs LibreOffice, poppler and Japanese fonts if missing).
preview: $(STAMP)
	@ls outputs/*_案.docx >/dev/null 2>&1 || $(MAKE) draft
	scripts/preview.sh

# Offline installers for PCs without internet: dist/plandraft-offline-{win_amd64,manylinux_x86_64}.zip
# (every wheel for CPython 3.11-3.13 and an install script; needs PyPI to build).
bundle: $(STAMP)
	$(PY) scripts/bundle.py --out dist

clean:
	rm -rf $(VENV) outputs/*.json
