# Heimveg: `make run` serves the demo, `make test` runs the whole suite. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEMO_ENV := HEIMVEG_DEMO=1 HEIMVEG_DEBUG=0
TEST_ENV := PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Debian packages: the browser tests need Chromium and a font with æøå; CI runs the suite once
# more under faketime (another day); `make messages` needs gettext.
TEST_APT_PACKAGES := chromium fonts-dejavu-core faketime
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench faults setup lint format messages system-packages lock clean

setup: $(VENV)/.installed node_modules/.installed

# Python environment: rebuilt when the requirements change. requirements-dev.txt is the lock
# (`make lock`): the runtime set and the tools, every package pinned and every file hashed.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	@touch $@

# Front-end assets (Designsystemet CSS, axe-core) from the npm registry, exactly as locked.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian packages, installed only if missing: `make system-packages APT_PACKAGES="..."`.
APT_PACKAGES ?= $(TEST_APT_PACKAGES)
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

run: setup
	@mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --no-input -v0
	$(DEMO_ENV) $(PY) manage.py load_directory
	$(DEMO_ENV) $(PY) manage.py load_demo
	$(DEMO_ENV) $(PY) manage.py collectstatic --no-input -v0
	$(DEMO_ENV) $(PY) manage.py refresh_report_figures
	@# The background worker (recurring jobs, task queue) runs beside the web server and stops with it.
	@trap 'kill 0' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py worker --interval 5 & \
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: setup system-packages
	@mkdir -p var
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# National-scale benchmark (bench/run.py): PostgreSQL by default, `make bench BENCH_ARGS=--sqlite`.
bench: setup
	$(MAKE) system-packages APT_PACKAGES="wrk curl postgresql-client"
	$(PY) bench/run.py $(BENCH_ARGS)

# Fault runs on PostgreSQL (faults/run.py, at most 8 minutes): the worker killed mid-batch, every
# database connection terminated under load, a node and a worker killed behind HAProxy under wrk.
faults: setup
	$(MAKE) system-packages APT_PACKAGES="haproxy wrk postgresql-client"
	$(PY) -m faults.run $(FAULTS_ARGS)

# The style, the layers of docs/architecture.md (import-linter) and the types (mypy with
# django-stubs), all configured in pyproject.toml. mypy's Django plugin loads heimveg.settings,
# which wants a secret key outside the demo: the demo's environment stands in (nothing connects).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(DEMO_ENV) $(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Extract and compile translations (needs GNU gettext).
messages: setup
	$(MAKE) system-packages APT_PACKAGES=gettext
	$(PY) manage.py makemessages -l nb -l nn -l en --no-obsolete --ignore=.venv --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# Re-lock the dependencies after editing requirements.in or requirements-dev.in: pip-tools, in its
# own environment (var/piptools), compiles requirements.txt (runtime) and then requirements-dev.txt
# (constrained by it, so both agree), pinning every indirect dependency with the hashes of all its
# files. Pins already in the lock are kept; `make lock LOCK_ARGS=--upgrade` (or
# `LOCK_ARGS="--upgrade-package django"`) moves them.
PIPTOOLS := var/piptools
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(PIPTOOLS)/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock:
	@mkdir -p var
	@test -x $(PIPTOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(PIPTOOLS) && \
	  $(PIPTOOLS)/bin/pip install --quiet --disable-pip-version-check "pip-tools>=7.4,<8"; }
	$(PIP_COMPILE) --output-file=requirements.txt requirements.in
	$(PIP_COMPILE) --output-file=requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
