# The two entry points of the README: `make demo` (the main job) and `make test` (the tests).
# `make demo` installs the core only; `make test` installs the dev extras (torch, ray, trl, the
# linters), prepares the host (bubblewrap, a Docker daemon and the locally built sandbox image), runs
# ruff and mypy, then the tests on every core (pytest-xdist).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORE := $(VENV)/.installed-core
DEV := $(VENV)/.installed-dev

.PHONY: demo test install host lint cards audit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(CORE): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(CORE)

$(DEV): pyproject.toml setup.py | $(BIN)/python
	# torch first and pinned: an unpinned torch would pull a multi-GB CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(CORE) $(DEV)

install: $(DEV)

demo: $(CORE)
	$(BIN)/assay demo

host: $(DEV)
	VENV_BIN=$(BIN) bash scripts/setup-host.sh

lint: $(DEV)
	bash scripts/lint.sh $(BIN)

test: $(DEV) host
	bash scripts/lint.sh $(BIN)
	bash scripts/run-tests.sh $(BIN)/python

cards: $(CORE)
	$(BIN)/assay card

audit: $(CORE)
	$(BIN)/assay audit

bench: $(CORE)
	$(BIN)/assay bench

clean:
	rm -rf $(VENV) build *.egg-info
