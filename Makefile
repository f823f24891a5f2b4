# Sukowati. `make run` starts the product, `make test` runs the whole suite; both
# work on a fresh machine with only Python 3.11 and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: install run test test-fast lint format bench migrate e2e clean-var iac-check

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

## Static checks of terraform/ and the container files, offline: terraform fmt (when
## the binary is installed) and checkov. checkov lives in its own virtualenv because its
## dependencies clash with the app's; it is pinned so that a new release's new checks
## never turn CI red on their own. Accepted findings are skipped in place, with a reason.
CHECKOV_VERSION := 3.3.30
CHECKOV_VENV := .venv-checkov
CHECKOV_INSTALLED := $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)
# Offline: no platform download, no API key (so nothing is uploaded), no update check.
CHECKOV := env -u BC_API_KEY -u PRISMA_API_URL CKV_SKIP_PACKAGE_UPDATE_CHECK=true \
	$(CHECKOV_VENV)/bin/checkov --skip-download --quiet --compact

$(CHECKOV_INSTALLED):
	@test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet 'checkov==$(CHECKOV_VERSION)'
	@touch $(CHECKOV_INSTALLED)

iac-check: $(CHECKOV_INSTALLED)
	@if command -v terraform >/dev/null 2>&1; then \
		terraform fmt -check -recursive -diff terraform/; \
	else \
		echo "iac-check: terraform is not installed; skipped terraform fmt -check"; \
	fi
	$(CHECKOV) --directory terraform --framework terraform secrets
	$(CHECKOV) --directory infra --framework dockerfile secrets
