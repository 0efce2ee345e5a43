# Two commands for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast test-e2e lint bench clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev,postgres,dask]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/newsprism run demo/corpus --db demo.db
	$(BIN)/newsprism stats --db demo.db

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Debian's Chromium for the browser tests (they skip, saying why, where it cannot be installed)
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
		echo "chromium not installed: browser tests will be skipped"; }

# Both lanes of tests (docs/architecture.md, "Tests"), on two worker processes, under a throwaway
# PostgreSQL server on loopback (Debian's, installed if missing), so the storage and API tests
# run on SQLite and on PostgreSQL; the server is gone afterwards. PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadgroup)
test: lint browser
	PYTHON=$(BIN)/python bash scripts/with_postgres.sh $(BIN)/python -m pytest $(PYTEST_PARALLEL)

# The fast lane: in-process CLI, API and web tests on SQLite; no server, browser or PostgreSQL
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e"

# The end-to-end lane: real processes and servers, kill -9 and Ctrl-C, Chromium, PostgreSQL
test-e2e: $(STAMP) browser
	PYTHON=$(BIN)/python bash scripts/with_postgres.sh $(BIN)/python -m pytest -m e2e \
		$(PYTEST_PARALLEL)

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/geoparsing.py
	$(BIN)/python benchmarks/cyrillic_places.py
	$(BIN)/python benchmarks/hostile.py
	$(BIN)/python benchmarks/soak.py --count 200 --kills 20
	$(BIN)/python benchmarks/link_quality.py
	$(BIN)/python benchmarks/near_duplicates.py --sizes 10000,100000
	$(BIN)/python benchmarks/api_latency.py --count 100000
	$(BIN)/python benchmarks/scale.py --sizes 10000,100000

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache tests/artifacts
