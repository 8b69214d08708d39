# Everything a developer or CI needs, from a fresh clone. `make help` lists targets.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= $(CURDIR)/.demo
PYTEST_ARGS ?=

.PHONY: help setup test lint demo bench calibrate clean

help:  ## list targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the package with its test tools

lint: $(STAMP)  ## ruff, then the architecture's import contracts (import-linter)
	$(BIN)/ruff check journal tests bench
	$(BIN)/lint-imports

# Workers for the suite. Three on two cores: the app's and the fault tests wait (timers,
# workers, child processes) more than half their time, which a third worker fills
# (docs/performance.md, "The test suite"). The package is compiled first so the tests'
# `journal` processes start from bytecode as an installed copy does (CI writes none).
TEST_JOBS ?= 3

test: $(STAMP) lint  ## lint, then the whole test suite (its 15 slowest tests listed last)
	$(BIN)/python -m compileall -q journal
	$(BIN)/python -m pytest -n $(TEST_JOBS) -q --durations=15 $(PYTEST_ARGS)

demo: $(STAMP)  ## open the app on a throwaway demo vault (passphrase shown first)
	$(BIN)/journal demo --dir $(DEMO_DIR)

bench: $(STAMP)  ## print performance figures (see docs/performance.md)
	$(BIN)/python -m bench

calibrate: $(STAMP)  ## false alarms of the reflection on 1,000 null years per scenario
	$(BIN)/python -m bench.calibrate

clean:  ## remove the venv, caches and the demo vault
	rm -rf $(VENV) .pytest_cache .ruff_cache .demo .hypothesis .grimp_cache .import_linter_cache
