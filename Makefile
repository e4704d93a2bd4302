# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Development values only: production sets these in its environment.
DEV_ENV := DJANGO_DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install install-dev migrate load browser clean benchmark
.PHONY: serve drills backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

load: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_dataset

## make run: set up on SQLite (var/tracker.sqlite3), load the dataset, serve http://127.0.0.1:8000
run: load
	@echo ""
	@echo "The ICJ case tracker is at http://$(HOST):$(PORT)/  (API: /api/v1/, admin: /admin/)"
	@echo "To sign in to the admin, make an account first (in another terminal):"
	@echo "    DJANGO_DEBUG=1 $(BIN)/python manage.py createsuperuser"
	@echo "    DJANGO_DEBUG=1 $(BIN)/python manage.py createeditor USERNAME   # an editor"
	@echo ""
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Debian's chromium for the browser tests (no browser is downloaded by any test tool).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium) >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; fi; \
	fi

## make test: the whole suite (SQLite by default; DATABASE_URL=postgres://... for PostgreSQL)
test: install-dev browser
	$(DEV_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(BIN)/lint-imports
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

## make benchmark [SCALE=L] [ONLY=text]: gunicorn with production settings driven by wrk, on a PostgreSQL database
## of its own per scale (BENCHMARK_DATABASE_URL, default tracker_benchmark_s or _l); S: ~10k filings, L: ~1M.
## Writes docs/performance.md with a verdict on each target; ONLY measures the URLs whose label or address
## contains the text and writes benchmarks/results/<scale>-only.json instead.
SCALE ?= S
ONLY ?=
benchmark: install
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; \
	  else echo "make benchmark needs wrk: sudo apt-get install wrk"; exit 1; fi; }
	$(BIN)/python benchmarks/run.py --scale $(SCALE) $(if $(ONLY),--only "$(ONLY)")

## make serve: the production set-up locally (collectstatic, migrate, gunicorn.conf.py) on the
## configured database; a throwaway DJANGO_SECRET_KEY when none is set; plain HTTP on HOST:PORT.
serve: install
	BIN=$(BIN) HOST=$(HOST) PORT=$(PORT) bash scripts/serve.sh

## make drills: PostgreSQL restarted / stopped / a worker killed under load, on a cluster of its own;
## writes the figures to docs/reliability.md (needs initdb and pg_ctl).
drills: install
	$(BIN)/python scripts/drills.py

## make backup: pg_dump -Fc of the DATABASE_URL database into var/backups/<db>-<timestamp>.dump
backup: install
	$(BIN)/python scripts/backup.py backup

## make restore FILE=var/backups/X.dump: replace the DATABASE_URL database's contents (asks; CONFIRM=1 does not)
restore: install
	@test -n "$(FILE)" || { echo "make restore FILE=var/backups/<db>-<timestamp>.dump"; exit 2; }
	$(BIN)/python scripts/backup.py restore "$(FILE)"

clean:
	rm -rf $(VENV) var/ artifacts/
