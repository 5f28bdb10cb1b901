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
.PHONY: help run test lint bench bench-load bench-fault bench-scale bench-lighthouse audit assets venv demo clean check-python check-npm messages makemessages

help:
	@echo "make run    install everything, migrate, load the demo, serve on http://$(HOST):$(PORT)"
	@echo "make test   run the test suite (SQLite unless DATABASE_URL is set)"
	@echo "make lint   ruff, ruff format --check, import contracts, makemigrations --check"
	@echo "make bench  benchmarks (bench/README.md): import, diff, XLSX/PDF export"
	@echo "make bench-load / bench-fault / bench-scale / bench-lighthouse   (docs/quality.md)"
	@echo "make audit  bandit and pip-audit: no finding of medium severity or higher"
	@echo "make messages      compile the translations (locale/*/LC_MESSAGES/django.po -> .mo)"
	@echo "make makemessages  update the Dutch catalogue from the source (needs gettext)"

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
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools

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

# Translations: each .mo is rebuilt when its .po changes (msgfmt if installed, else polib;
# careerframe/management/commands/compile_translations.py). The .mo files are build output.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
messages: $(PO_FILES:.po=.mo)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | venv
	$(BIN)/python manage.py compile_translations

# Collects the marked strings into the catalogues; the folders it skips are listed in
# careerframe/management/commands/makemessages.py. Translate, then `make messages`.
makemessages: venv
	$(BIN)/python manage.py makemessages --locale nl --add-location file --no-obsolete

demo: venv assets messages
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Serving careerframe on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: venv assets messages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

audit: venv
	BIN=$(BIN) bash scripts/audit.sh

bench: venv
	$(BIN)/python bench/import_dropbox.py
	$(BIN)/python bench/diff_dropbox.py
	$(BIN)/python bench/xlsx_pdf_dropbox.py

# Served under load (gunicorn + locust; DATABASE_URL must be PostgreSQL), a PostgreSQL restart
# under load (a server of its own: needs initdb/pg_ctl), page cost with 1/10/100 frameworks.
bench-load: venv
	$(BIN)/python bench/load.py

bench-fault: venv
	$(BIN)/python bench/fault_pg_restart.py

bench-scale: venv
	$(BIN)/python bench/scaling.py

# Lighthouse (npm) with the system's Chromium on the main read pages, served as in production.
bench-lighthouse: venv assets
	$(BIN)/python bench/lighthouse.py

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles .pytest_cache .ruff_cache
