# Everything a person does with the portal is a target here. `make run` and
# `make test` do all set-up themselves on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export PORTAL_ENV ?= development

.PHONY: run test lint assets migrate setup translations catalogues bench system-packages clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/manifest.json: $(BIN)/.installed node_modules/.installed $(wildcard static/src/*)
	$(BIN)/python -c "from portal.assets import build; build()"

assets: static/dist/manifest.json

# Compiled catalogues (.mo) are build output: made from each .po whenever it changes.
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(BIN)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@ -l $*

catalogues: $(CATALOGUES:.po=.mo)

migrate: $(BIN)/.installed
	$(BIN)/flask --app portal db upgrade

setup: $(BIN)/.installed assets catalogues

run: setup migrate
	$(BIN)/flask --app portal run --host $(HOST) --port $(PORT)

test: setup
	PORTAL_ENV=test $(BIN)/pytest

# Page weight, speed against the ceiling and growth with data, each figure beside its target (issue 8).
# Takes about 10 minutes (growth seeds 10,000 and 100,000 referrals; BENCH_ARGS="--growth-sizes 1000"
# for less); run it on an otherwise idle machine. JSON in bench/results/.
bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check portal forms easy_read tests bench
	$(BIN)/bandit -q -c pyproject.toml -r portal forms easy_read

# Debian packages the tests need: Chromium for browser tests, PostgreSQL for the
# second database, wrk for benchmarks, Pango and fonts for WeasyPrint PDFs.
# Needs root; CI runs it before `make test`.
system-packages:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql wrk libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-lohit-beng-bengali fonts-nafees >/dev/null

# Extract every public string into translations/messages.pot, update each
# catalogue, and compile them (.mo files are build output, never committed).
# No fuzzy matching: a guessed translation of changed English must not ship
# unreviewed. Obsolete entries are dropped: the .po a translator reviews holds
# only what the portal shows (old wording stays in git history).
translations: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --omit-header .
	if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete && \
		$(BIN)/pybabel compile -d translations; fi

clean:
	rm -rf $(VENV) node_modules static/dist instance .pytest_cache
