# dyad: the two commands a fresh clone needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TVENV  := .venv-train
TBIN   := $(TVENV)/bin
TSTAMP := $(TVENV)/.installed
DB     ?= dyad.duckdb

.PHONY: install demo test lint typecheck unit bench bench-store bench-grouping bench-api eval train train-cv clean check-install fuzz serve

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q src/dyad  # an editable install is not byte-compiled
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

## fuzz: 10,000 generated hostile inputs through the API, a sample through the CLI (ARGS="--n 500")
fuzz: install
	OMP_NUM_THREADS=1 $(BIN)/python scripts/fuzz.py $(ARGS)

## bench: speed vs spaCy n_process=2, per-stage profile, start-up, peak RSS (ARGS="--only speed")
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

## train: rebuild the event model (src/dyad/models/data) from scratch; needs ../shared/data/dev
train: $(TSTAMP)
	OMP_NUM_THREADS=2 $(TBIN)/python train/train.py $(ARGS)

## train-cv: 5-fold cross-validation of the training recipe on penta_train (writes no model)
train-cv: $(TSTAMP)
	OMP_NUM_THREADS=2 $(TBIN)/python train/train.py --cv 5

# training has its own venv: with torch installed, `import spacy` imports it too (thinc),
# which would slow every run and benchmark of the runtime venv by about a second
$(TSTAMP): pyproject.toml
	$(PYTHON) -m venv $(TVENV)
	$(TBIN)/pip install --quiet --upgrade pip
	$(TBIN)/pip install --quiet -e '.[dev,train]'
	@touch $(TSTAMP)

clean:
	rm -rf $(VENV) $(TVENV) .pytest_cache .mypy_cache .ruff_cache $(DB) $(DB).wal

## bench-store: query times on a synthetic 10-million-event store (prints, never fails)
bench-store: install
	$(BIN)/python bench/store.py $(ARGS)

## bench-grouping: mentions -> events on the samples and the labelled multi-report corpus
bench-grouping: install
	$(BIN)/python bench/grouping.py
