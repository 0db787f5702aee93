# dyad: the two commands a fresh clone needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= dyad.duckdb

.PHONY: install demo test lint typecheck unit bench eval train train-cv clean check-install

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
	$(BIN)/ruff check src tests bench train
	$(BIN)/ruff format --check src tests bench train
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

## eval: score the coder on every dev set in ../shared/data/dev; fails on a regression
eval: install
	$(BIN)/python bench/eval.py $(ARGS)

## train: rebuild the event model (src/dyad/models/data) from scratch; needs ../shared/data/dev
train: install
	$(BIN)/pip install --quiet -e '.[dev,train]'
	OMP_NUM_THREADS=2 $(BIN)/python train/train.py $(ARGS)

## train-cv: 5-fold cross-validation of the training recipe on penta_train (writes no model)
train-cv: install
	$(BIN)/pip install --quiet -e '.[dev,train]'
	OMP_NUM_THREADS=2 $(BIN)/python train/train.py --cv 5

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB) $(DB).wal
