# The two entry points of the README: `make demo` (the main job) and `make test` (the tests).
# Both install what they need into .venv first; `make test` also prepares the host (bubblewrap,
# a Docker daemon and the locally built sandbox image), as CI does.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install host cards audit bench clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: an unpinned torch would pull a multi-GB CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/assay demo

host:
	bash scripts/setup-host.sh

test: $(STAMP) host
	bash scripts/run-tests.sh $(BIN)/python

cards: $(STAMP)
	$(BIN)/assay card

audit: $(STAMP)
	$(BIN)/assay audit

bench: $(STAMP)
	$(BIN)/assay bench

clean:
	rm -rf $(VENV) build *.egg-info
