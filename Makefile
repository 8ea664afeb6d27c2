# nofault: the README's two commands are `make run` and `make test`.
# Every target sets up what it needs: a virtualenv under .venv, installed from pyproject.toml.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test lint bench docs clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

## run: write a demo folder of postmortems with `nofault new` and lint it
run: setup
	@mkdir -p demo
	@test -f demo/checkout-errors.md || $(BIN)/nofault new --title "Checkout errors after a config push" \
		--severity SEV2 --incident INC-1001 --author demo -o demo/checkout-errors.md
	@test -f demo/cache-miss-storm.md || $(BIN)/nofault new --light --title "Cache miss storm" \
		--severity SEV4 --incident INC-1002 --author demo -o demo/cache-miss-storm.md
	$(BIN)/nofault lint demo --score || true

## test: the whole test suite
test: setup
	$(BIN)/python -m pytest -q

## lint: ruff, mypy and the import-direction check (core imports nothing from cli or web)
lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

## bench: accuracy, speed and memory figures (see benchmarks/)
bench: setup
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## docs: regenerate docs/rules/CODE.md from the rules themselves
docs: setup
	$(BIN)/python -m nofault.cli.gendocs docs

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache
