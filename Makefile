# Guichet: `make run` serves the product with demo data; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
COMPUTERS ?= 100000
BENCH_PG_OPTIONS ?= -c shared_buffers=4GB -c maintenance_work_mem=2GB -c max_wal_size=20GB -c checkpoint_timeout=30min
SIZE ?= 1000000
PYTEST_ARGS ?=
export HOST PORT

.PHONY: run test lint check test-sqlite test-postgres bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

run: $(VENV)/.installed-run
	$(BIN)/guichet migrate --no-input -v 0
	$(BIN)/guichet collectstatic --no-input -v 0
	$(BIN)/guichet demo --if-empty
	@bash scripts/serve.sh

test: $(VENV)/.installed
	bash scripts/system-packages.sh
	$(MAKE) lint check
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy guichet

check: $(VENV)/.installed
	$(BIN)/guichet check
	$(BIN)/guichet makemigrations --check --dry-run
	$(BIN)/guichet compilemessages -v 0 --ignore '.venv'

test-sqlite: $(VENV)/.installed
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed
	bash scripts/with-postgres.sh $(BIN)/pytest -n 2 $(PYTEST_ARGS)

bench: $(VENV)/.installed
	$(BIN)/python -m bench.run --size $(SIZE)
	$(BIN)/python -m bench.inventory --computers $(COMPUTERS)
	PG_OPTIONS="$(BENCH_PG_OPTIONS)" bash scripts/with-postgres.sh \
		$(BIN)/python -m bench.inventory --computers $(COMPUTERS)

messages: $(VENV)/.installed
	cd guichet && ../$(BIN)/guichet makemessages -l fr -l en --no-obsolete --ignore 'tests/*'

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
