# Two commands for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/newsprism run demo/corpus --db demo.db
	$(BIN)/newsprism stats --db demo.db

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev,ner]"
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/quality.py

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache tests/artifacts
