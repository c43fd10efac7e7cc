# Two commands for a new colleague: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app

.PHONY: run serve test test-quick test-postgres mutation browser bench bench-scale audit faults format mail translations messages clean
# The suite on every core (pytest-xdist); each worker has its own databases, servers and browser.
PYTEST := $(BIN)/pytest -n auto --dist worksteal

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The scanners of `make audit` keep their own dependencies apart from the app's.
AUDIT_VENV := .venv-audit
$(AUDIT_VENV)/.installed: audit/requirements.txt
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet -r audit/requirements.txt
	touch $@

## translations: compile the .po catalogues (the .mo files are not committed)
translations:
	$(BIN)/pybabel compile -d signaalpunt/translations --use-fuzzy >/dev/null

## messages: extract every translatable string and update the catalogues (then translate the new entries)
messages: $(VENV)/.installed-run
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k translate --no-wrap --sort-by-file -o signaalpunt/translations/messages.pot .
	$(BIN)/pybabel update -i signaalpunt/translations/messages.pot -d signaalpunt/translations --no-wrap

## run: migrate the SQLite database in instance/, load demo data, serve on http://127.0.0.1:5000 (mail to console)
run: $(VENV)/.installed-run translations
	$(BIN)/flask db upgrade
	$(BIN)/flask signaalpunt load-demo
	$(BIN)/flask signaalpunt send-mail --watch 5 & mailer=$$!; \
	trap 'kill $$mailer' EXIT; \
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## browser: Debian's Chromium for the browser tests (installed when missing and we are root)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium' and try again." >&2; \
	    exit 1; \
	  fi; \
	fi

## serve: migrate and serve with gunicorn (a random key is made in instance/ unless SIGNAALPUNT_SECRET_KEY is set; production requires it)
serve: $(VENV)/.installed-run translations
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn app:app -c gunicorn.conf.py

## test: lint, check formatting, run the whole suite
test: $(VENV)/.installed-test translations browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PYTEST)

## test-quick: the suite without the slow tests (browser, gunicorn, hypothesis), for a quick check while working
test-quick: $(VENV)/.installed-test translations
	$(PYTEST) -m "not slow"

## test-postgres: the whole suite again on a throw-away PostgreSQL cluster
test-postgres: $(VENV)/.installed-test translations browser
	scripts/throwaway-postgres.sh $(PYTEST) -q

## mutation: mutate the rules (workflow, permissions, SLA, references, postcodes, retention) and report survivors
mutation: $(VENV)/.installed-test translations
	rm -rf mutants
	$(BIN)/mutmut run; $(BIN)/mutmut results

## bench: throughput, page timings with 100,000 signals (SQLite and PostgreSQL) and a region of 10 teams sharing 1,000,000 over ten years, page weight, memory, Lighthouse on the public pages; SQLite and PostgreSQL (bench/README.md)
bench: $(VENV)/.installed-test translations browser
	@if command -v npm >/dev/null; then cd bench && npm ci --no-audit --no-fund --silent; else echo "No Node here: the Lighthouse rows are left out." >&2; fi
	SIGNAALPUNT_TEST_POSTGRES_FSYNC=on scripts/throwaway-postgres.sh $(BIN)/python bench/run.py --signals 100000

## bench-scale: the cost curve: pages, the CSV export and the anonymise job at 10,000, 100,000 and 1,000,000 signals (bench/README.md, bench/scale.svg)
bench-scale: $(VENV)/.installed-test translations
	$(BIN)/python bench/scale.py

## faults: kill -9, a database away, the mail server down, jobs under load; on SQLite and PostgreSQL (bench/README.md)
faults: $(VENV)/.installed-test translations
	SIGNAALPUNT_TEST_POSTGRES_FSYNC=on scripts/throwaway-postgres.sh $(BIN)/python bench/faults.py

## audit: sqlmap, wapiti and the access-control sweep against a demo server on loopback; one table (see SECURITY.md)
audit: $(VENV)/.installed-test translations $(AUDIT_VENV)/.installed
	$(BIN)/python audit/run.py

## format: apply ruff's fixes and formatting
format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## mail: deliver queued mail once (to the console unless SIGNAALPUNT_MAIL_BACKEND=smtp)
mail: $(VENV)/.installed-run
	$(BIN)/flask signaalpunt send-mail

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis mutants
