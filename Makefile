# TensorJudge: the two commands of the README are `make run` and `make test`.
# Each installs what it needs (virtualenv, Docker engine, sandbox image) on a fresh Debian machine.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GATE_JOBS ?= 2

.PHONY: run test gate lint fmt bench sandbox-image system venv frontend clean

# Redis, migrations, the exercise bank, a demo account, a Celery worker + beat and gunicorn on
# http://127.0.0.1:8000 (TJ_PORT to change it). Ctrl-C stops everything it started.
run: venv system sandbox-image frontend
	$(BIN)/python deploy/local/run.py

# Everything on SQLite (the browser tests drive Debian's chromium), the platform tests again on
# PostgreSQL, then the authoring gate on every exercise of the bank.
test: venv system sandbox-image lint frontend
	@deploy/local/ensure-system.sh --browser
	$(BIN)/pytest
	DATABASE_URL=$$(deploy/local/ensure-postgres.sh) $(BIN)/pytest tests/platform
	$(MAKE) --no-print-directory gate

# The authoring gate (exercises/README.md): reference accepted 3x identically, public tests
# pass, starter and every mutant rejected, reference under half of each limit.
gate: venv system sandbox-image
	$(BIN)/python manage.py check_exercise --all --jobs $(GATE_JOBS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Measurements, not tests: grade() to verdict phase by phase, POST to GRADED through the API,
# Submit click to verdict in the browser beside the API in the same run, the CPU profile of one
# correctness-only job (what bounds throughput), and last issue 9's
# benchmark (bare tests vs naive vs cold vs warm, throughput through the platform, speed-score
# stability), whose tables also go to bench/results/<date>.md. About 13 minutes on 2 cores.
bench: venv system sandbox-image frontend
	@deploy/local/ensure-system.sh --browser
	$(BIN)/python bench/grade_latency.py kmeans --runs 5
	$(BIN)/python bench/api_latency.py --runs 10
	$(BIN)/python bench/browser_latency.py --runs 5
	$(BIN)/python bench/job_cpu.py kmeans --suite public --runs 10
	$(BIN)/python bench/fast_verdicts.py

fmt: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

sandbox-image: venv system
	$(BIN)/python -m sandbox image-build

# Debian's docker.io (running), debootstrap, redis-server and postgresql.
system:
	@deploy/local/ensure-system.sh

venv: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The candidate IDE's bundle (platform/web/frontend: CodeMirror + KaTeX, built with esbuild) in
# platform/web/static/web/build/. `npm ci` runs when package-lock.json is newer than the last
# install, `node build.mjs` when a source, package.json or build.mjs is newer than the last build.
FRONTEND := platform/web/frontend
FRONTEND_OUT := platform/web/static/web/build
FRONTEND_STAMP := $(FRONTEND_OUT)/.built
FRONTEND_MODULES := $(FRONTEND)/node_modules/.installed
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src -type f 2>/dev/null)
NEED_NPM = @command -v npm >/dev/null && command -v node >/dev/null || \
	{ echo "npm not found: install Debian's nodejs and npm (apt-get install nodejs npm)"; exit 1; }

frontend: $(FRONTEND_STAMP)

$(FRONTEND_STAMP): $(FRONTEND_MODULES) $(FRONTEND)/package.json $(FRONTEND)/build.mjs $(FRONTEND_SOURCES)
	$(NEED_NPM)
	cd $(FRONTEND) && node build.mjs
	@touch $@

$(FRONTEND_MODULES): $(FRONTEND)/package-lock.json
	$(NEED_NPM)
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	@touch $@

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache $(FRONTEND_OUT) $(FRONTEND)/node_modules
