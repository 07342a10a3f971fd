# The two commands: `make run` (dashboard with simulated cameras) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help run test lint format clean

help:
	@echo "make run    set up .venv, migrate, create the first admin, start every process"
	@echo "make test   set up, make sure PostgreSQL, Redis and Chromium are there, run all tests"
	@echo "make lint   ruff, ruff format --check, mypy, manage.py check, makemigrations --check"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Python 3.11 is required: run with PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createadmin --if-missing
	@if [ "$${VMS_RUN_SIMULATOR:-true}" != "false" ]; then $(BIN)/python manage.py add_demo_cameras --if-empty; fi
	exec $(BIN)/python -m vms.runner

test: $(VENV)/.dev
	scripts/ensure-test-services
	$(BIN)/pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/static .mypy_cache .ruff_cache .pytest_cache
