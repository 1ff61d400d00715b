# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install install-test chromium demo test docs lint serve clean translations screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,ray]'

demo: install
	$(BIN)/recognition-engine demo

# The browser tests drive Debian's chromium; without it (no apt-get here) they are skipped.
chromium:
	@bash .ci/chromium.sh || echo "chromium could not be installed: the browser tests will be skipped"

test: install-test chromium
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/pytest -q

# The documentation site, into site/: every page, the settings and command references built
# from the code; a broken link or a missing page fails the build.
docs: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[docs]'
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Extract the workbench's strings, merge them into the ka and hy catalogues, compile the .mo.
translations: install-test
	$(BIN)/pybabel extract -F api/web/babel.cfg --no-location --sort-output -w 100 \
	  --project=recognition-engine -o api/web/locales/messages.pot api/web
	$(BIN)/pybabel update --no-fuzzy-matching -w 100 -d api/web/locales \
	  -i api/web/locales/messages.pot
	$(BIN)/pybabel compile --statistics -d api/web/locales
	$(BIN)/pybabel extract -F recognition_engine/messages/babel.cfg --no-default-keywords \
	  -k message:1c,2 -k term:1c,2 --no-location --sort-output -w 100 \
	  --project=recognition-engine -o recognition_engine/locales/engine.pot recognition_engine/messages
	$(BIN)/pybabel update --no-fuzzy-matching -w 100 -D engine -d recognition_engine/locales \
	  -i recognition_engine/locales/engine.pot
	$(BIN)/pybabel compile --statistics -D engine -d recognition_engine/locales
	$(BIN)/pybabel extract --no-default-keywords -k _ --no-location --sort-output -w 100 \
	  --project=recognition-engine -o cli/locales/cli.pot cli/render.py
	$(BIN)/pybabel update --no-fuzzy-matching -w 100 -D cli -d cli/locales -i cli/locales/cli.pot
	$(BIN)/pybabel compile --statistics -D cli -d cli/locales

# Re-take the documentation's screenshots of the workbench from the browser tests.
screenshots: install-test chromium
	WORKBENCH_SCREENSHOTS=docs $(BIN)/pytest -q -m browser tests/web

lint: install-test
	$(BIN)/ruff check recognition_engine api evaluation corpora tests

serve: install
	$(BIN)/recognition-engine serve

clean:
	rm -rf $(VENV) var reports
