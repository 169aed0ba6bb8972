# CivicHall: `make demo` sets everything up and serves the demo; `make test` runs every test.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast test-without-demo browser-deps worker clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

# The demo runs with DEBUG on, explicitly: a bare start is a production start.
demo: $(STAMP)
	DEBUG=1 $(BIN)/civichall demo

# Browser tests drive the system Chromium (never a downloaded browser), with
# CJK fonts so that screenshots show Chinese.
browser-deps:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "Browser tests need Debian's chromium and fonts-noto-cjk: sudo apt-get install chromium fonts-noto-cjk"; exit 1; fi; }

# Tests with real transactions (browser, concurrency) flush the database when
# they end, so they run after the parallel suite, in one process.
test: $(STAMP) browser-deps
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not browser and not serial"
	$(BIN)/python -m pytest -m "browser or serial"
	$(MAKE) test-without-demo

# The product without the demo app (civichall/contrib/demo): its migrations
# run on a fresh test database and its fast tests pass; the demo's own tests
# (tests/contrib) are left out.
test-without-demo: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not browser and not serial" \
	  --ds tests.settings_without_demo --ignore tests/contrib

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not browser and not serial"

worker: $(STAMP)
	$(BIN)/civichall worker

clean:
	rm -rf $(VENV) var
