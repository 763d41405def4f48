# Mamori — make demo (try it) / make test (every test, SQLite and PostgreSQL) / make bench
# Both install what a bare Debian machine lacks (scripts/system-setup.sh: apt-get as root,
# otherwise the exact command to run), then the Python packages, front-end assets and fonts.
SHELL := /bin/bash
PY := .venv/bin/python
MAMORI := .venv/bin/mamori
PG_URL ?= postgres://postgres@127.0.0.1:5432/mamori
VENDOR := mamori/core/static/vendor
FONTS := mamori/core/fonts
FONT_PKG := node_modules/@expo-google-fonts

.PHONY: install system-demo system-test demo serve test lint test-sqlite test-postgres bench clean

system-demo:
	@bash scripts/system-setup.sh demo

system-test:
	@bash scripts/system-setup.sh test

install: system-demo .venv/.installed $(VENDOR)/.installed

.venv/.installed: pyproject.toml
	test -x $(PY) || python3.11 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# Design tokens, htmx and cytoscape.js (the flow map; MIT) for the pages; the Noto Serif JP / Noto Sans JP faces (OFL-1.1) that every PDF
# embeds, found by path (docs/fonts.md), so a PDF has its Japanese text on a machine with no fonts at all.
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR) $(FONTS)
	cp node_modules/@digital-go-jp/design-tokens/dist/tokens.css $(VENDOR)/tokens.css
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/cytoscape.min.js
	cp $(FONT_PKG)/noto-serif-jp/400Regular/NotoSerifJP_400Regular.ttf $(FONT_PKG)/noto-serif-jp/700Bold/NotoSerifJP_700Bold.ttf $(FONTS)/
	cp $(FONT_PKG)/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf $(FONT_PKG)/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf $(FONTS)/
	cp $(FONT_PKG)/noto-serif-jp/LICENSE_FONT $(FONTS)/OFL.txt
	touch $@

demo: install
	$(MAMORI) migrate --no-input
	$(MAMORI) load-demo --if-empty
	@# the public ファイル簿 site of the demo city, as static files (README: 公開サイト)
	$(MAMORI) publish --output var/public
	@echo "公開サイト（個人情報ファイル簿）: $(CURDIR)/var/public/index.html"
	@echo "まもり: http://127.0.0.1:8000 を開いてください（停止は Ctrl+C）"
	@# the background worker (large imports, bound packets, publishing) runs beside the server and stops with it
	$(MAMORI) worker --verbosity 0 & WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; $(MAMORI) runserver 127.0.0.1:8000

# The production server on loopback (gunicorn), with the same database as `make demo`.
serve: install
	$(MAMORI) migrate --no-input
	$(MAMORI) serve

test: system-test install lint test-sqlite test-postgres

lint: install
	@echo "== lint: ruff (pyflakes-class rules) and the import contracts (pyproject.toml)"
	.venv/bin/ruff check mamori config
	.venv/bin/lint-imports --no-logo

test-sqlite:
	@echo "== tests on SQLite"
	$(PY) -m pytest

test-postgres:
	@echo "== tests on PostgreSQL ($(PG_URL))"
	DATABASE_URL=$(PG_URL) $(PY) -m pytest

bench: system-test install
	$(PY) -m mamori.bench --db sqlite
	DATABASE_URL=$(PG_URL) $(PY) -m mamori.bench --db postgresql
	$(PY) -m mamori.bench.load
	$(PY) -m mamori.bench.ingest
	$(PY) -m mamori.bench.ingest_layouts

clean:
	rm -rf .venv node_modules $(VENDOR) $(FONTS) var/*.sqlite3*
