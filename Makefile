# Two commands for a new user: `make demo` (the main job) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
WB := $(BIN)/workbench
# This checkout's own embedded Label Studio (the tests use its virtualenv), whatever another
# checkout or `workbench studio up` elsewhere recorded for this user.
export WORKBENCH_HOME := $(CURDIR)/.workbench
SEED := $(wildcard ../shared/seed/*.txt)

.PHONY: install studio demo test unit integration bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q -p $(BIN)/python -e '.[test]'
	touch $@

install: $(VENV)/.installed

studio: install
	$(WB) studio install

demo: studio
	$(WB) demo $(SEED)

test: studio
	$(BIN)/python -m pytest -q

unit: install
	$(BIN)/python -m pytest -q -m "not integration and not slow"

integration: studio
	$(BIN)/python -m pytest -q -m integration

bench: studio
	$(BIN)/python scripts/bench.py

clean:
	-$(WB) studio down
	rm -rf $(VENV) .pytest_cache .hypothesis
