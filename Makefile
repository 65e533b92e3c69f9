# Datastats: one-machine commands. Every target installs what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= 2

# The browser tests drive Debian's Chromium through Playwright; Playwright's own
# browser download is not used.
CHROMIUM := /usr/bin/chromium

.PHONY: install run serve test bench geo-data demo-offers lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/datastats run

serve: install
	$(BIN)/datastats serve

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
	  echo "Chromium is missing: install the Debian package chromium for the browser tests"; \
	fi

test: install $(CHROMIUM)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -q

REAL_OFFERS ?= ../shared/real/france_travail

bench: install
	$(BIN)/python bench/bench_clean.py
	$(BIN)/python bench/bench_geo.py
	if [ -d "$(REAL_OFFERS)" ]; then $(BIN)/python bench/geo_accuracy.py "$(REAL_OFFERS)"; fi

geo-data: install
	$(BIN)/python scripts/build_geo.py

demo-offers: install
	$(BIN)/python scripts/make_demo_offers.py

lint: install
	$(BIN)/ruff check shared services frontend infra tests

clean:
	rm -rf $(VENV) var .pytest_cache
