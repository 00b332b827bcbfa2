# Two commands on a fresh machine: `make demo` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup system-deps demo test bench lint i18n clean

setup: $(STAMP) system-deps

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

system-deps:
	@scripts/system-deps.sh

demo: setup
	$(BIN)/accalmie demo $(DEMO_ARGS)

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q $(TEST_ARGS)

bench: setup
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check .

# Extract the messages, update the catalogs, compile them (run after changing UI strings).
i18n: setup
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 -k gettext_for:2 -o accalmie/locale/accalmie.pot --no-location --sort-output --project=accalmie accalmie
	$(BIN)/pybabel update -i accalmie/locale/accalmie.pot -d accalmie/locale -D accalmie --no-fuzzy-matching
	$(BIN)/pybabel compile -d accalmie/locale -D accalmie --statistics

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
