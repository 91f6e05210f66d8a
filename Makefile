# Verantwoord — the two commands of the README are `make run` and `make test`; the rest are their parts.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# PostgreSQL for the second test run: DATABASE_URL when it points at PostgreSQL, else the local server.
PG_TEST_URL ?= $(or $(filter postgres%,$(DATABASE_URL)),postgres://postgres@127.0.0.1:5432/verantwoord)
# One catalogue for the shared pages, and one per app that has its own locale/ (its strings go there).
PO_FILES := $(wildcard src/verantwoord/locale/*/LC_MESSAGES/django.po src/verantwoord/*/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
LINT_PATHS := src tests scripts $(wildcard benchmarks tools)

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install run serve test test-sqlite test-postgres lint format messages messages-update bench postgres system-packages \
	browser clean

help:
	@echo "make run    install, migrate, load the demo and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   lint, then the whole test suite on SQLite and on PostgreSQL"
	@echo "make lint   ruff (format + lint) and mypy"
	@echo "make bench  the benchmarks in benchmarks/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency pins change.
$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $@

# gettext compiles the catalogues; Pango and a font let WeasyPrint write PDF exports.
system-packages:
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext; }
	@{ ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -qi dejavu; } || \
		{ apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }

%.mo: %.po
	msgfmt --check --output-file=$@ $<

messages: system-packages $(MO_FILES)

# Collect new source strings into the Dutch catalogues (then translate them; a test fails on empty entries).
# makemessages puts the strings of an app with a locale/ directory into that app's catalogue.
# APP=name updates only that app's catalogue.
messages-update: $(VENV)/.installed
	cd src/verantwoord/$(APP) && $(CURDIR)/$(BIN)/verantwoord makemessages -l nl --no-obsolete --no-location --ignore=static

install: system-packages $(VENV)/.installed messages

run: install
	$(BIN)/verantwoord migrate --noinput
	$(BIN)/verantwoord demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ — staff login at http://127.0.0.1:$(PORT)/account/inloggen"
	$(BIN)/verantwoord runserver 127.0.0.1:$(PORT)

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for attempt in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
		echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1

# Debian's Chromium for the browser tests; never a browser download.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium; }

lint: install
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/mypy

format: install
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

# Each database keeps its own coverage data, so the two runs can go at once; `make test` combines them.
test-sqlite: install browser
	COVERAGE_FILE=.coverage.sqlite env -u DATABASE_URL $(BIN)/pytest --cov --cov-report= -p no:cacheprovider

test-postgres: install browser postgres
	COVERAGE_FILE=.coverage.postgres DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest --cov --cov-report= \
		-p no:cacheprovider

# The two runs side by side (the machines have two cores: half the wall time); the output of each is printed
# whole when it ends. Coverage counts both databases together.
test: lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres
	$(BIN)/coverage combine .coverage.sqlite .coverage.postgres
	$(BIN)/coverage report --fail-under=85

# Every benchmark runs even after one misses its target; the exit status says whether any did.
bench: install postgres
	@missed=""; for script in benchmarks/bench_*.py; do [ -e "$$script" ] || continue; echo "== $$script"; \
		$(BIN)/python "$$script" $(BENCH_ARGS) || missed="$$missed $$script"; done; \
	if [ -n "$$missed" ]; then echo "missed a target or failed:$$missed"; exit 1; fi

clean:
	rm -rf $(VENV) .coverage .coverage.* .mypy_cache .ruff_cache
