# dyad: the two commands a fresh clone needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= dyad.duckdb

.PHONY: install demo test lint typecheck unit bench bench-api eval clean check-install serve

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## demo: code the bundled sample corpus into $(DB), then show its events and dyads
demo: install
	$(BIN)/dyad ingest samples --db $(DB)
	$(BIN)/dyad events --db $(DB)
	$(BIN)/dyad dyads --db $(DB)

## test: lint, type-check, and run the whole test suite
test: lint typecheck unit

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/deptry src

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q

## check-install: build the wheel, install it in a fresh venv (bundled pip), code the samples, compare
check-install: install
	bash scripts/check-install.sh

## bench: end-to-end speed against spaCy alone (ARGS="path/to/corpus --repeat 5")
bench: install
	$(BIN)/python bench/speed.py $(ARGS)

## bench-api: latency of `dyad serve` under 2,000 requests, 8 concurrent (ARGS="--db FILE")
bench-api: install
	$(BIN)/python bench/api.py $(ARGS)

## serve: the dashboard and JSON API over $(DB) on http://127.0.0.1:8750/
serve: install
	$(BIN)/dyad serve --db $(DB)

## eval: score the coder on every dev set in ../shared/data/dev; fails on a regression
eval: install
	$(BIN)/python bench/eval.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB) $(DB).wal
