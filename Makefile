# The two commands of the README: `make run` and `make test`. Everything else supports them.
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## Serve on 127.0.0.1:8000 with the Banjar data loaded (seeded when the store is empty).
run: install
	$(BIN)/hexahelix seed --if-empty
	$(BIN)/hexahelix serve

## The whole test suite: lint, types, then pytest (Neo4j tests when a Neo4j is reachable or startable).
test: install lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check graph service tests bench
	$(BIN)/ruff format --check graph service tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
