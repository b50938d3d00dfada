# The two commands a planner or CI needs: `make draft` and `make test`. Each builds .venv itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: draft test test-fast system lint typecheck bench clean samples templates preview

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

test: $(STAMP) system
	$(PY) -m pytest

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

clean:
	rm -rf $(VENV) outputs/*.json
