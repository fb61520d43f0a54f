# SCO Archive — everything a newcomer needs is one of these targets.
# `make run` sets up on first use, loads the seed archive and serves it; `make test` tests it.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test test-deps lint format bench audit clean messages

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
	  py=""; \
	  for c in python3.13 python3.12 python3 \
	      $$(ls -d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	    if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	      py="$$c"; break; \
	    fi; \
	  done; \
	  if [ -z "$$py" ]; then \
	    echo "No Python >= 3.12 found (looked on PATH and under pyenv's versions)." >&2; \
	    echo "Install one (e.g. 'pyenv install 3.13') or put python3.12/python3.13 on PATH." >&2; \
	    exit 1; \
	  fi; \
	  echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
	  "$$py" -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# Tools of the browser and deploy tests: Debian's chromium and nginx, axe-core, vnu-jar.
test-deps: install
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing:$$missing — their tests will be skipped (apt-get install$$missing)"; fi; \
	fi
	@[ -d node_modules/axe-core ] && [ -d node_modules/vnu-jar ] || npm ci --silent --no-audit --no-fund

run: install
	SCO_DEMO=1 DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	SCO_DEMO=1 DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py load_seed --if-empty
	SCO_DEMO=1 DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py setup_roles --demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ — admin: editor/sco-editor, reviewer/sco-reviewer"
	SCO_DEMO=1 DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Refresh the Russian and Chinese catalogues from the templates and code (makemessages
# needs GNU gettext's xgettext: a translator's tool), then compile them with Babel. The
# compiled .mo files are committed; tests/test_i18n.py fails when one is stale.
messages: install
	$(BIN)/python manage.py makemessages -l ru -l zh_Hans --ignore=.venv --ignore=node_modules \
	  --ignore=bench --ignore=tests --ignore=staticfiles --ignore='templates/admin/*' \
	  --ignore='templates/api/*' --ignore='templates/registration/*'
	$(BIN)/python -m sco_archive.messages compile
	$(BIN)/python -m sco_archive.messages check

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py

# The long API probe (schemathesis, every check, 300 examples, stateful) under gunicorn in
# production mode; `make test` runs a short in-process version (tests/api/test_schemathesis.py).
audit: install
	bash scripts/audit.sh

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
