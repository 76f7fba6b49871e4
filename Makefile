# Two commands for a newcomer (see README): `make serve` and `make test`. Each sets up what it needs first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# The virtual environment is rebuilt when the pins change: its stamp carries a hash of them.
PY_STAMP := $(VENV)/.installed-$(shell cat requirements.txt | sha256sum | cut -c1-12)
NODE_STAMP := node_modules/.installed-$(shell cat package.json | sha256sum | cut -c1-12)
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: search-quality serve test outputs bench bench-formats bench-memory lighthouse outdated setup browser fonts clean

serve: setup $(NODE_STAMP) fonts  ## bring outputs up to date (only changed snippets run), serve on 127.0.0.1:8000
	$(PY) -m tools.outputs
	@# Rebuilds only the language and the page that changed (tools/serve.py); make test builds everything strictly.
	$(PY) -m tools.serve --port 8000

test: setup $(NODE_STAMP) browser  ## run every snippet, build both languages, check the built site in a browser
	$(PY) -m pytest

outputs: setup                   ## run new, changed or hand-edited snippets, store what they print (ALL=1: all; ONLY=save-load/x.py: that one)
	$(PY) -m tools.outputs $(if $(ALL),--all) $(ONLY)
	@# The reference records the versions and date its checks last ran as stored; renew it only when it is out of date.
	@$(PY) -m tools.reference >/dev/null 2>&1 || $(PY) -m tools.reference record

bench: setup                     ## the pipeline: per-snippet overhead, snippet times, build time
	$(PY) -m tools.bench

bench-formats: setup             ## the formats at 3 sizes: cold/warm load vs the disk's read, memory (~19 min)
	$(PY) -m tools.bench_formats

bench-memory: setup              ## peak memory of six ways to load a ~300 MB model (~75 s)
	$(PY) -m tools.bench_memory

lighthouse: setup $(NODE_STAMP) browser  ## Lighthouse scores of key pages in both languages
	$(PY) -m tools.lighthouse

outdated: setup                  ## list Chinese pages older than their English page
	$(PY) -m tools.translations

setup: $(PY_STAMP)

$(PY_STAMP): requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

$(NODE_STAMP): package.json
	npm install --no-audit --no-fund --loglevel=error
	rm -f node_modules/.installed-* && touch $@

browser:                         ## Debian's chromium and a CJK font for the browser tests (never a browser download)
	@bash tools/install-browser.sh

fonts:                           ## a font with Chinese characters for the preview images, through apt if none is installed
	@bash tools/install-fonts.sh

clean:
	rm -rf site .pytest_cache

search-quality: setup browser    ## hit rates of data/search/queries.yaml in Chromium, per language
	$(PY) -m tools.search_quality
