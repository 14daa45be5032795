# Two commands do all set-up on a fresh machine:
#   make demo   install into .venv, generate a realistic log, import it, show the overview
#               (then `make serve` opens the dashboard on http://127.0.0.1:8000/)
#   make test   install with test tools, lint, run the whole test suite (7 to 17 minutes)
#   make quick  the same without the tests marked slow
# `make import LOG=/var/log/nginx/access.log` imports your own log instead of the demo.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test quick install lint import serve bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/footfall demo

serve: demo
	$(BIN)/footfall serve --db demo/footfall.duckdb

import: $(STAMP)
	@test -n "$(LOG)" || (echo "usage: make import LOG=/path/to/access.log [SITE=name]"; exit 2)
	$(BIN)/footfall import $(LOG) --site $(or $(SITE),default)
	$(BIN)/footfall report overview --site $(or $(SITE),default)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

test: lint
	$(BIN)/python -m pytest -q

quick: lint
	$(BIN)/python -m pytest -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/bench_import.py

clean:
	rm -rf $(VENV) demo bench/out .pytest_cache .ruff_cache
