# TensorJudge: the two commands of the README are `make run` and `make test`.
# Each installs what it needs (virtualenv, Docker engine, sandbox image) on a fresh Debian machine.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt bench sandbox-image docker venv clean

run: venv docker sandbox-image
	@echo
	@echo "TensorJudge is set up. The web platform is not built yet; grade a file with:"
	@echo "  $(BIN)/python manage.py grade kmeans exercises/kmeans/solution.py"
	@echo "  $(BIN)/python manage.py grade kmeans my_solution.py --suite public"
	@echo "  $(BIN)/python manage.py grade backprop my_solution.py --json"

test: venv docker sandbox-image lint
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Time from grade() to verdict for the reference kmeans, phase by phase (a measurement, not a test).
bench: venv docker sandbox-image
	$(BIN)/python bench/grade_latency.py kmeans --runs 5

fmt: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

sandbox-image: venv docker
	$(BIN)/python -m sandbox image-build

docker:
	@deploy/local/ensure-docker.sh

venv: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
