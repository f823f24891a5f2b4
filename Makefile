# Sukowati. `make run` starts the product, `make test` runs the whole suite; both
# work on a fresh machine with only Python 3.11 and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: install run test test-fast lint format bench migrate e2e clean-var

$(INSTALLED): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(INSTALLED)

install: $(INSTALLED)

## The product on embedded defaults: PostgreSQL, broker, storage and email need no server.
run: $(INSTALLED)
	$(PY) manage.py run_stack

## The whole suite, browser tests included when Chromium is installed.
test: $(INSTALLED)
	$(PY) -m pytest

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) platform/core/lint.py
	$(VENV)/bin/mypy .

format: $(INSTALLED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(INSTALLED)
	$(PY) -m pytest tests/bench -m bench -s -q

migrate: $(INSTALLED)
	$(PY) manage.py migrate_schemas --shared
	$(PY) manage.py fleet_migrate

## Remove the embedded database, broker queue, cache and files (asks first).
clean-var:
	@read -p "Delete var/ (embedded database and files)? [y/N] " answer && [ "$$answer" = y ]
	-$(PY) -c 'import sys; sys.path[:0]=[".", "platform"]; from core.embedded import embedded_postgres_stop; embedded_postgres_stop()'
	rm -rf var
