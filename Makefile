# nofault: the README's two commands are `make run` and `make test`.
# Every target sets up what it needs: a virtualenv under .venv, installed from pyproject.toml.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Debian packages: Pango and fonts for PDFs (WeasyPrint), chromium for the browser tests,
# PostgreSQL's binaries for the throwaway test cluster, wrk for the web load benchmark,
# Redis and RabbitMQ for the Celery worker's tests (each broker is started if none answers).
# Append what your feature needs.
SYSTEM_PACKAGES ?= libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core chromium postgresql wrk redis-server rabbitmq-server

.PHONY: setup system run test lint bench docs screenshots clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

## system: install the Debian packages in SYSTEM_PACKAGES when any is missing
system:
	@bash scripts/system-packages.sh $(SYSTEM_PACKAGES)

## run: load the demo organisation once and serve the web app (address and logins printed)
run: setup system
	@bash scripts/run.sh

## test: the whole suite on SQLite, then the web and browser tests on PostgreSQL
test: setup system
	@bash scripts/test.sh

## lint: ruff, mypy and the import-direction check (core imports nothing from cli or web)
lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

## bench: accuracy, speed and memory figures (see benchmarks/)
bench: setup system
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## docs: regenerate docs/rules/CODE.md from the rules themselves
docs: setup
	$(BIN)/python -m nofault.cli.gendocs docs

## screenshots: refresh docs/img from the browser tests (a real chromium through Playwright)
screenshots: setup system
	NOFAULT_SCREENSHOTS=docs $(BIN)/python -m pytest -q tests/browser/test_flow.py tests/browser/test_roles.py

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache
