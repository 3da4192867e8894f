# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean browser bench-tools

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "cupure needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create a virtual environment. On Debian or Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	# pip older than 24 installs trafilatura without lxml_html_clean.
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/cupure run

# ruff's rules and format (pyproject.toml); `ruff check --fix` and `ruff format` repair most of what it finds.
lint: $(STAMP)
	$(BIN)/ruff check cupure tests bench
	$(BIN)/ruff format --check cupure tests bench

test: $(STAMP) browser lint
	@# The tests import the settings, which read the data directory's secret key: made here as `cupure` would.
	@$(BIN)/python -c 'from cupure.lib.datadir import data_dir, prepare; prepare(data_dir())'
	@# With CUPURE_TEST_DATABASE_URL, the same suite runs on that database at the same time, in a second
	@# process: the SQLite pass spends most of its time waiting on live servers and workers, and the second
	@# pass mostly computes. Its output follows the first's; either failing fails the target.
	@if [ -z "$$CUPURE_TEST_DATABASE_URL" ]; then exec $(BIN)/python -m pytest $(PYTEST_ARGS); fi; \
	second=$$(mktemp -d); \
	CUPURE_DATABASE_URL="$$CUPURE_TEST_DATABASE_URL" $(BIN)/python -m pytest --second-pass -p no:cacheprovider \
		--basetemp="$$second/tmp" $(PYTEST_ARGS) >"$$second/log" 2>&1 & second_pid=$$!; \
	trap 'kill $$second_pid 2>/dev/null' INT TERM; \
	$(BIN)/python -m pytest $(PYTEST_ARGS); first=$$?; \
	wait $$second_pid; again=$$?; \
	echo "== the same suite on $$CUPURE_TEST_DATABASE_URL, run alongside"; cat "$$second/log"; rm -rf "$$second"; \
	[ $$first -eq 0 ] && [ $$again -eq 0 ]

# Debian programs some tests and benchmarks drive. As root (CI), install what is missing; otherwise say how,
# and what needs them skips. $(1): the commands, each also its package's name.
define debian
	@missing=""; for tool in $(1); do command -v $$tool >/dev/null 2>&1 || [ -x /usr/sbin/$$tool ] || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian's$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "not installed:$$missing (sudo apt-get install$$missing)"; \
		fi; \
	fi
endef

# Debian's Chromium (through Playwright) and nginx (`nginx -t` of the deployment guide) for the tests.
browser:
	$(call debian,chromium nginx)

# wrk, the load generator of bench/serving.py, bench/api.py and the other load benchmarks.
bench-tools:
	$(call debian,wrk)

bench: $(STAMP) bench-tools
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/ingestion.py

clean:
	rm -rf $(VENV) build *.egg-info
