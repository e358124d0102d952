# Tribune: `make run` serves the site with demo content; `make test` runs the suite.
# Both set up .venv from requirements.lock on first use, so they work on a new
# machine that has only Python 3.12+ and make.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	&& { echo $$p; break; }; done)

DEV_ENV := DJANGO_DEBUG=1
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/tribune
PYTEST_ARGS ?=
# The suite runs in parallel (pytest-xdist): this many worker processes, each with its own
# test database, media folder, live server and browser. PYTEST_WORKERS=0 runs it serially.
# Measured on two idle cores (docs/decisions.md): 2 workers 100 s, 3 workers 104 s, 4 112 s.
PYTEST_WORKERS ?= 2
# Work stealing: an idle worker takes tests from a busy one. The default hands the last
# big chunk (the browser tests, which pytest-django sorts last) to a single worker.
# Each worker imports the whole suite; let Python keep the compiled (and pytest's
# assertion-rewritten) modules so later runs skip that work.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/pytest --numprocesses=$(PYTEST_WORKERS) --dist=worksteal

.PHONY: help run test test-postgres lint format migrations-check deploy-check browser clean bench bench-xtd html-check lighthouse screenshots \
	css css-check \
	backup restore servers production production-stop

help:
	@echo "make run            serve the site with demo content at http://127.0.0.1:8000/"
	@echo "make test           run the whole suite (unit, integration, browser) on SQLite,"
	@echo "                    in $(PYTEST_WORKERS) parallel workers (PYTEST_WORKERS=0: serially)"
	@echo "make test-postgres  the same suite on PostgreSQL ($(POSTGRES_URL))"
	@echo "make lint           ruff (lint and format check) and djlint"
	@echo "make html-check     the main pages through the W3C's Nu Html Checker (needs Java and npm)"
	@echo "make lighthouse     Lighthouse scores of the production stack into docs/lighthouse.md"
	@echo "                    (needs nginx, PostgreSQL, npm and Chromium)"
	@echo "make screenshots    PNGs of the home page and the busiest post at 1280 and 390 px"
	@echo "                    into docs/screenshots/ (DEBUG off, demo content, fixed clock)"
	@echo "make css            rebuild static/vendor/bootstrap/tribune-bootstrap.css from Bootstrap's"
	@echo "                    Sass, keeping the classes the site uses (needs npm; assets/README.md)"
	@echo "make css-check      fail when the committed tribune-bootstrap.css differs from a fresh build"
	@echo "make format         apply ruff format and djlint reformat"
	@echo "make backup         the database and every upload into $(BACKUP_DIR)/tribune-<time>.tar"
	@echo "make restore BACKUP=FILE  put a backup back (asks first)"
	@echo "make production     the production stack here, in the foreground: nginx on"
	@echo "                    http://127.0.0.1:8080/ before two gunicorns and a task worker"
	@echo "make production-stop  stop what make production started"

$(STAMP): requirements.lock
	@if [ -z "$(PYTHON)" ]; then echo "Tribune needs Python 3.12 or newer; none was found on PATH." >&2; exit 1; fi
	@echo "Setting up $(VENV) with $$($(PYTHON) --version)"
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --requirement requirements.lock
	@touch $(STAMP)

run: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	@echo "Tribune is starting at http://127.0.0.1:8000/ (Ctrl+C stops it)"
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# The browser tests drive a real Chromium: Debian's package where we can install
# it (as root), Playwright's own download elsewhere.
browser: $(STAMP)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
		|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; \
	else $(BIN)/playwright install chromium; fi

# Tests start real servers of their own: nginx (the production stack), redis-server and a
# throw-away PostgreSQL cluster (outages). Debian's packages, installed as root when missing.
servers:
	@missing=""; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's$$missing for the tests that run servers"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null \
		|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; }; \
	else echo "The tests need these programs:$$missing (as root: apt-get install$$missing)" >&2; exit 1; fi

test: browser servers
	$(DEV_ENV) $(PYTEST) $(PYTEST_ARGS)

test-postgres: browser servers
	$(DEV_ENV) DATABASE_URL=$(POSTGRES_URL) $(PYTEST) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/djlint templates --check

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat --quiet || true

migrations-check: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# Production values: debug off, a real-looking secret, HTTPS everywhere.
deploy-check: $(STAMP)
	DJANGO_SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" DJANGO_ALLOWED_HOSTS=tribune.example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# nginx on 127.0.0.1:8080 before two gunicorn instances and a db_worker, DEBUG off, on
# DATABASE_URL and REDIS_URL (default: PostgreSQL and Redis here); DEMO=1 loads the demo
# content into an empty database. In the foreground: Ctrl+C, SIGTERM or make production-stop
# stops exactly what it started. What it does: deploy/production.py, docs/deploying.md.
production: $(STAMP)
	exec $(BIN)/python deploy/production.py start

production-stop: $(STAMP)
	$(BIN)/python deploy/production.py stop

clean:
	rm -rf $(VENV) staticfiles .tools

# Backups of the site this environment points at (DATABASE_URL, DJANGO_MEDIA_ROOT or
# DJANGO_S3_BUCKET, ...): the development one unless DJANGO_SECRET_KEY says production.
BACKUP_DIR ?= backups
SITE_ENV := $(if $(DJANGO_SECRET_KEY),,$(DEV_ENV))

backup: $(STAMP)
	$(SITE_ENV) $(BIN)/python manage.py backup --output-dir $(BACKUP_DIR)

restore: $(STAMP)
	@if [ -z "$(BACKUP)" ]; then echo "Say which backup: make restore BACKUP=backups/tribune-….tar" >&2; exit 2; fi
	$(SITE_ENV) $(BIN)/python manage.py restore $(BACKUP)

# Render time, queries and throughput of a post page with 100, 1,000 and 5,000 comments,
# against a bare view, in a throwaway database; options: make bench BENCH_ARGS="--help".
bench: $(STAMP)
	$(BIN)/python bench/thread_bench.py $(BENCH_ARGS)

# The same, with django-comments-xtd 2.10 built in a throwaway virtualenv (from the package
# index) and measured in the same rounds; sizes 100, 500 and 2,000 unless BENCH_ARGS says.
bench-xtd: $(STAMP)
	$(BIN)/python bench/thread_bench.py --xtd $(BENCH_ARGS)

# The Nu Html Checker (vnu.jar) from npm's vnu-jar, installed under .tools/ on first use.
VNU_VERSION := 26.9.27
VNU := .tools/node_modules/vnu-jar/build/dist/vnu.jar

$(VNU):
	@command -v npm >/dev/null 2>&1 || { echo "make html-check needs npm (Debian: apt-get install npm)." >&2; exit 1; }
	npm install --prefix .tools --no-audit --no-fund --silent vnu-jar@$(VNU_VERSION)

# Lighthouse from npm, the same way; Chromium from Debian (make browser).
LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE := .tools/node_modules/.bin/lighthouse

$(LIGHTHOUSE):
	@command -v npm >/dev/null 2>&1 || { echo "make lighthouse needs npm (Debian: apt-get install npm)." >&2; exit 1; }
	npm install --prefix .tools --no-audit --no-fund --silent lighthouse@$(LIGHTHOUSE_VERSION)

lighthouse: $(STAMP) $(LIGHTHOUSE) browser
	$(BIN)/python -m tools.lighthouse --lighthouse $(LIGHTHOUSE) --postgres $(POSTGRES_URL)

# Tribune's trimmed Bootstrap (assets/README.md): Bootstrap's Sass, dart-sass and PurgeCSS at
# the exact versions of assets/package-lock.json, installed under .tools/assets/ on first use.
# The built file is committed, so only a rebuild needs npm.
ASSETS_NODE := .tools/assets/node_modules
CRISPY_DIR = $$($(BIN)/python -c 'import crispy_bootstrap5, os; print(os.path.dirname(crispy_bootstrap5.__file__))')

$(ASSETS_NODE)/.installed: assets/package.json assets/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make css needs npm (Debian: apt-get install npm)." >&2; exit 1; }
	mkdir -p .tools/assets
	cp assets/package.json assets/package-lock.json .tools/assets/
	npm ci --prefix .tools/assets --no-audit --no-fund --ignore-scripts --silent
	@touch $@

css: $(STAMP) $(ASSETS_NODE)/.installed
	node assets/build.cjs --node-modules $(ASSETS_NODE) --crispy "$(CRISPY_DIR)"

css-check: $(STAMP) $(ASSETS_NODE)/.installed
	node assets/build.cjs --node-modules $(ASSETS_NODE) --crispy "$(CRISPY_DIR)" --check

html-check: $(STAMP) $(VNU)
	@command -v java >/dev/null 2>&1 || { echo "make html-check needs Java (Debian: apt-get install default-jre-headless)." >&2; exit 1; }
	$(BIN)/python tools/html_check.py --vnu $(VNU)

# The home page and the busiest post at 1280 and 390 px, in docs/screenshots/ (read its
# README); Chromium from Debian (make browser). Pictures to look at, not a test.
screenshots: $(STAMP) browser
	$(BIN)/python -m tools.screenshots
