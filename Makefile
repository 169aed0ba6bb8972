# CivicHall: `make demo` sets everything up and serves the demo; `make test` runs every test.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast browser-deps worker clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/civichall demo

# Browser tests drive the system Chromium (never a downloaded browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

worker: $(STAMP)
	$(BIN)/civichall worker

clean:
	rm -rf $(VENV) var
