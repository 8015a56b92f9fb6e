# Two commands do everything on a fresh machine:
#   make run   — install, migrate, seed demo data, start the portal and a worker
#   make test  — install and run the whole suite (SQLite, then PostgreSQL)
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-sqlite test-postgres install system-deps browser-tools services bench clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
	@$(PY) -m portal.i18n   # the .mo catalogues from the committed .po files (the app also does it at start)

system-deps:
	@scripts/system-deps.sh

# axe-core (accessibility checks in the browser tests) from the npm registry, pinned in package-lock.json;
# the tests inject it into pages themselves, the portal never serves or fetches it
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the accessibility tests (Debian: apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser-tools: $(AXE)

services:
	@scripts/ensure-services.sh

run: install system-deps services
	@scripts/run.sh

test: install system-deps browser-tools services
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite:
	@echo "== suite on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest -q -p no:cacheprovider

test-postgres:
	@echo "== suite on PostgreSQL ($(PG_TEST_URL)) =="
	DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest -q -p no:cacheprovider

bench: install services
	@echo "== ours / floor / ratio, each pair measured in the same run =="
	$(PY) bench/worker.py
	$(PY) bench/xlsx.py
	$(PY) bench/pdf.py
	$(PY) bench/ocr.py
	$(PY) bench/bulk.py
	$(PY) bench/extract.py ../shared/corpus/dev
	$(PY) bench/real.py
	$(PY) bench/upload.py --files 20
	$(PY) bench/lists.py
	$(PY) bench/api.py
	$(PY) bench/resolver.py
	@[ ! -f bench/certificates.py ] || $(PY) bench/certificates.py

clean:
	rm -rf $(VENV) instance artifacts *.egg-info node_modules
