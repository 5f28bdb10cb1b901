# careerframe — the two set-up commands are `make run` and `make test` (see README.md).
#
# Everything is installed into the project folder: Python packages into .venv/, npm
# packages into node_modules/, built assets into static/dist/. Stamp files make a second
# run skip what is already up to date.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test lint bench assets venv demo clean check-python check-npm

help:
	@echo "make run    install everything, migrate, load the demo, serve on http://$(HOST):$(PORT)"
	@echo "make test   run the test suite (SQLite unless DATABASE_URL is set)"
	@echo "make lint   ruff, ruff format --check, import contracts, makemigrations --check"
	@echo "make bench  benchmarks (bench/README.md)"

check-python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: $(PYTHON) not found. Install Python 3.11 or newer" \
	       "(Debian/Ubuntu: sudo apt-get install python3 python3-venv)." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "error: careerframe needs Python 3.11 or newer; $(PYTHON) is" \
	       "$$($(PYTHON) -c 'import platform; print(platform.python_version())')." \
	       "Set PYTHON=python3.12 (or similar) if you have another one." >&2; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "error: $(PYTHON) has no venv/ensurepip module" \
	       "(Debian/Ubuntu: sudo apt-get install python3-venv)." >&2; exit 1; }

check-npm:
	@command -v npm >/dev/null 2>&1 || { \
	  echo "error: npm not found. Install Node.js 18+ with npm" \
	       "(Debian/Ubuntu: sudo apt-get install nodejs npm)." >&2; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json | check-npm
	npm ci --no-audit --no-fund
	@touch $@

static/dist/.built: node_modules/.installed $(wildcard static/src/*)
	npm run build
	@touch $@

venv: $(VENV)/.installed
assets: static/dist/.built

demo: venv assets
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Serving careerframe on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: venv assets
	$(BIN)/pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: venv
	$(BIN)/python bench/import_dropbox.py
	$(BIN)/python bench/diff_dropbox.py
	$(BIN)/python bench/xlsx_pdf_dropbox.py

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles .pytest_cache .ruff_cache
