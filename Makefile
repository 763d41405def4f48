# Mamori — make demo (try it) / make test (every test, SQLite and PostgreSQL) / make bench
SHELL := /bin/bash
PY := .venv/bin/python
MAMORI := .venv/bin/mamori
PG_URL ?= postgres://postgres@127.0.0.1:5432/mamori
VENDOR := mamori/core/static/vendor

.PHONY: install demo serve test lint test-sqlite test-postgres bench clean

install: .venv/.installed $(VENDOR)/.installed

.venv/.installed: pyproject.toml
	test -x $(PY) || python3.11 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/@digital-go-jp/design-tokens/dist/tokens.css $(VENDOR)/tokens.css
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	touch $@

demo: install
	$(MAMORI) migrate --no-input
	$(MAMORI) load-demo --if-empty
	@echo "まもり: http://127.0.0.1:8000 を開いてください（停止は Ctrl+C）"
	$(MAMORI) runserver 127.0.0.1:8000

test: install lint test-sqlite test-postgres

lint:
	@echo "== lint: ruff (pyflakes-class rules) and the import contracts (pyproject.toml)"
	.venv/bin/ruff check mamori config
	.venv/bin/lint-imports --no-logo

test-sqlite:
	@echo "== tests on SQLite"
	$(PY) -m pytest

test-postgres:
	@echo "== tests on PostgreSQL ($(PG_URL))"
	DATABASE_URL=$(PG_URL) $(PY) -m pytest

bench: install
	$(PY) -m mamori.bench --db sqlite
	DATABASE_URL=$(PG_URL) $(PY) -m mamori.bench --db postgresql

clean:
	rm -rf .venv node_modules $(VENDOR) var/*.sqlite3*
