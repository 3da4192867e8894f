# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean browser

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "cupure needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create a virtual environment. On Debian or Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	# pip older than 24 installs trafilatura without lxml_html_clean.
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/cupure run

test: $(STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$CUPURE_TEST_DATABASE_URL" ]; then \
		echo "== the same suite on $$CUPURE_TEST_DATABASE_URL"; \
		CUPURE_DATABASE_URL="$$CUPURE_TEST_DATABASE_URL" $(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

# The real-browser test drives Debian's Chromium through Playwright. As root (CI), install it; otherwise
# say how, and that test skips.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian's chromium for the browser test"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is not installed: the browser test will be skipped (sudo apt-get install chromium)"; \
		fi; }

bench: $(STAMP)
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/ingestion.py

clean:
	rm -rf $(VENV) build *.egg-info
