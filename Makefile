# The two commands a fresh machine needs: `make demo` (the main job on the bundled example)
# and `make test` (every check). Both create and fill the virtual environment themselves.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch is pinned in the extras: a bare torch requirement pulls several GB of CUDA.
EXTRAS ?= dev,ml,torch,plot,frameworks
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml setup.py | cksum | cut -d' ' -f1)

.PHONY: demo test lint typecheck unit benchmarks install clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/run_demo.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

test: lint typecheck unit

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/lint_speed.py
	$(BIN)/python benchmarks/energy_overhead.py
	$(BIN)/python benchmarks/experiments_full.py

clean:
	rm -rf build dist site_build .greentactics_cache .pytest_cache .mypy_cache
