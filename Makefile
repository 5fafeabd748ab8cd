# Qoima: `make demo` and `make test` each set up everything they need on a fresh Debian machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
QOIMA := $(VENV)/bin/qoima
PYTHON ?= python3
DEMO_HOME ?= qoima-demo
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages needed at run time and by the tests (installed with apt-get when missing).
APT_PACKAGES := libvips42 tesseract-ocr tesseract-ocr-osd tesseract-ocr-kaz tesseract-ocr-rus tesseract-ocr-ara \
	tesseract-ocr-fas tesseract-ocr-eng tesseract-ocr-script-latn tesseract-ocr-script-arab \
	tesseract-ocr-script-cyrl libraqm0 libfribidi0 fonts-noto-core fonts-dejavu-core gettext \
	chromium
STAMP := $(VENV)/.installed

.PHONY: help setup apt python assets demo serve test lint bench clean

help:
	@echo "make demo   set up, load the demo collection and serve it on http://$(HOST):$(PORT)"
	@echo "make test   set up and run the whole test suite"
	@echo "make setup  install Debian packages, the virtualenv and front-end assets (idempotent)"
	@echo "make bench  run the benchmarks under bench/"

setup: apt python assets

apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

python: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

assets: python
	@$(PY) -m qoima.assets

demo: setup
	$(QOIMA) --home $(DEMO_HOME) demo
	$(QOIMA) --home $(DEMO_HOME) serve --host $(HOST) --port $(PORT)

serve: setup
	$(QOIMA) serve --host $(HOST) --port $(PORT)

lint: python
	$(PY) -m ruff check qoima tests bench

test: setup lint
	$(PY) -m pytest -q -n 2 -p no:cacheprovider --durations=15
	@if [ -n "$$QOIMA_TEST_DATABASE_URL" ]; then \
	  echo "== the database tests again, on PostgreSQL ($$QOIMA_TEST_DATABASE_URL) =="; \
	  QOIMA_TEST_DB=postgres $(PY) -m pytest -q -n 2 -p no:cacheprovider --durations=15 -m "not browser and not nopg"; \
	else echo "QOIMA_TEST_DATABASE_URL is not set: PostgreSQL pass skipped"; fi

bench: setup
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO_HOME) node_modules qoima/access/static/vendor
