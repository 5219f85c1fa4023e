# Two commands for a new user: `make demo` (the main job) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
WB := $(BIN)/workbench
# This checkout's own embedded Label Studio (the tests use its virtualenv), whatever another
# checkout or `workbench studio up` elsewhere recorded for this user.
export WORKBENCH_HOME := $(CURDIR)/.workbench
SEED := $(wildcard ../shared/seed/*.txt)

.PHONY: install studio postgresql demo test unit integration bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q -p $(BIN)/python -e '.[test]'
	touch $@

install: $(VENV)/.installed

studio: install
	$(WB) studio install

# Debian's PostgreSQL (`workbench studio up --database postgresql`, the soak test): installed
# when missing and we are root; otherwise one line says how (the soak's PostgreSQL half skips).
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } || \
	  echo "PostgreSQL is missing: apt-get install postgresql (as root)"

demo: studio
	$(WB) demo $(SEED)

test: studio postgresql
	$(BIN)/python -m pytest -q

unit: install
	$(BIN)/python -m pytest -q -m "not integration and not slow"

integration: studio postgresql
	$(BIN)/python -m pytest -q -m integration

bench: studio postgresql
	$(BIN)/python scripts/bench.py
	$(BIN)/python benchmarks/bench_push_models.py
	$(BIN)/python benchmarks/bench_soak.py
	$(BIN)/python benchmarks/bench_quotes.py
	$(BIN)/python benchmarks/bench_team.py
	nice -n 10 $(BIN)/python benchmarks/bench_cascade.py --write
	nice -n 10 $(BIN)/python benchmarks/bench_adapt.py --write
	nice -n 10 $(BIN)/python benchmarks/bench_checked.py --write && nice -n 10 $(BIN)/python benchmarks/bench_worthiness.py --write

clean:
	-$(WB) studio down
	rm -rf $(VENV) .pytest_cache .hypothesis
