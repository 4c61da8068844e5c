# Two commands: `make run` serves the demo, `make test` runs every check. Both set up .venv first.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint protos bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@if command -v npm >/dev/null 2>&1 && [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/linkage serve --demo

test: $(STAMP) lint
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	@if [ -x node_modules/.bin/buf ]; then node_modules/.bin/buf lint && echo "buf lint: clean"; \
	 else echo "buf lint: skipped (npm not available)"; fi

protos: $(STAMP)
	bash scripts/gen_protos.sh

bench: $(STAMP)
	$(BIN)/python -m bench.quality --population 200000 --records 5000

clean:
	rm -rf $(VENV) node_modules build *.egg-info
