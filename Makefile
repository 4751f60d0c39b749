# motcua — the two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DOSSIERS ?=

.PHONY: demo test bench lint format schema messages install install-dev clean

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "motcua needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## demo: install, migrate the embedded SQLite database, load the demo data, serve on :8000 (with
## the tasks worker, the outbox sweep, the payment gateway simulator and the SMS/Zalo fakes)
demo: $(VENV)/.installed
	@mkdir -p var
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo $(if $(DEMO_DOSSIERS),--dossiers $(DEMO_DOSSIERS),)
	$(PY) manage.py demo_accounts
	$(PY) manage.py run_demo $(HOST):$(PORT)

## test: install test dependencies and run the whole suite (DATABASE_URL selects PostgreSQL)
test: $(VENV)/.installed-dev
	$(PY) manage.py compile_translations
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	$(PY) bench/run.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## schema: regenerate the committed OpenAPI schema (a test fails when it drifts)
schema: $(VENV)/.installed-dev
	$(PY) manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn

## messages: refresh the English catalogue after changing Vietnamese UI text (needs GNU gettext)
messages: $(VENV)/.installed-dev
	cd src/motcua && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
