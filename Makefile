# Two commands do everything on a fresh machine:
#   make run   – set up, migrate, load the demo workshop, serve on http://127.0.0.1:5000
#   make test  – set up, start PostgreSQL/Redis if needed, run the whole suite on SQLite and PostgreSQL
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cat requirements.txt | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements*.txt | sha1sum | cut -c1-12)

.PHONY: run test bench clean i18n-extract i18n-update i18n-compile

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Tavle needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt requirements-voting-test.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: $(RUNTIME_STAMP)
	$(FLASK) db upgrade
	$(FLASK) demo --if-missing
	$(PY) wsgi.py

test: $(DEV_STAMP)
	bash scripts/test.sh

bench: $(DEV_STAMP)
	bash scripts/bench.sh

# The translation catalogs (docs/translating.md); the app also compiles outdated ones at start.
i18n-extract: $(DEV_STAMP)
	bash scripts/i18n.sh extract

i18n-update: $(DEV_STAMP)
	bash scripts/i18n.sh update

i18n-compile: $(RUNTIME_STAMP)
	bash scripts/i18n.sh compile

clean:
	rm -rf $(VENV) instance .pytest_cache
