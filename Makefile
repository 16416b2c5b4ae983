# The two commands a fresh machine needs (README): `make demo` and `make test`.
# Both create .venv and install provdiff with pinned versions (constraints.txt) on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-stamp
STAMP := $(VENV)/.installed-stamp
SAMPLE := build/sample-corpus

.PHONY: demo test lint docs serve-docs bench eval clean chromium

# what the tool needs to run (demo), and the dev tools on top of it (test, lint, docs, bench)
$(RUNTIME): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## demo: ingest the bundled sample corpus (corpus/) into build/sample-corpus and show what it holds
demo: $(RUNTIME)
	rm -rf $(SAMPLE)
	$(BIN)/provdiff init $(SAMPLE)
	$(BIN)/provdiff ingest --corpus $(SAMPLE) corpus/
	$(BIN)/provdiff list --corpus $(SAMPLE)
	$(BIN)/provdiff show --corpus $(SAMPLE) --repairs 000-570e932772899b8b
	$(BIN)/provdiff diff --corpus $(SAMPLE) --color always 000 002 || test $$? -eq 1
	$(BIN)/provdiff report --corpus $(SAMPLE)
	$(BIN)/provdiff report --corpus $(SAMPLE) --format html -o build/sample-report.html
	@echo "HTML report of the sample corpus: build/sample-report.html"
	$(BIN)/provdiff audit --corpus $(SAMPLE)
	$(BIN)/provdiff stories --corpus $(SAMPLE)

## test: lint, type-check, build the docs and run the whole test suite (benchmarks marked slow are skipped)
test: $(STAMP) lint docs chromium
	$(BIN)/pytest -n 2 -m "not slow" -q

## docs: the documentation site (mkdocs, strict: a broken link or page fails) in build/site
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

## serve-docs: the documentation site at http://127.0.0.1:8000, rebuilt on every change
serve-docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

## chromium: Debian's chromium, chromedriver and a CJK font for the browser tests, installed once if missing
chromium:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && test -n "$$(fc-list :lang=ko)" || \
	  { echo "installing Debian's chromium, chromium-driver and fonts-wqy-microhei with apt-get (for the browser tests)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium chromium-driver fonts-wqy-microhei >/dev/null; } || \
	  echo "could not install chromium (not root?): the browser tests will be skipped outside CI"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs/_hooks
	$(BIN)/ruff format --check src tests benchmarks docs/_hooks
	$(BIN)/mypy

## bench: the benchmarks (ratios against baselines measured in the same run)
bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_ingest
	$(BIN)/python -m benchmarks.bench_ingest_growth
	$(BIN)/python -m benchmarks.bench_diff
	$(BIN)/python -m benchmarks.bench_grouping
	$(BIN)/python -m benchmarks.bench_relate
	$(BIN)/python -m benchmarks.bench_scale

## eval: evaluation on the shared real data (../shared/data), not part of CI
eval: $(STAMP)
	$(BIN)/python -m benchmarks.eval_wiki_versions
	$(BIN)/python -m benchmarks.fit_relation
	$(BIN)/python -m benchmarks.eval_mrpc
	$(BIN)/python -m benchmarks.eval_links_ecbplus
	$(BIN)/python -m benchmarks.eval_audit_ecbplus
	$(BIN)/python -m benchmarks.eval_review_wiki
	$(BIN)/python -m benchmarks.eval_stories_ecbplus

clean:
	rm -rf $(VENV) build
