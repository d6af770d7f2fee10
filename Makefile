# Portier: `make run` to try it, `make test` to check it. Both only need Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
# Errors only: a first `make run` shows Portier's own lines, not pip's chatter.
PIP := $(BIN)/python -m pip --quiet --quiet --disable-pip-version-check

.PHONY: run test soak screenshots lint format messages clean vendor-js vendor-axe

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	touch $@ $(STAMP_RUN)

messages: $(STAMP_RUN)
	$(BIN)/python -m portier.lib.i18n

# seeddemo quietly: serve prints the URL and the demo logins once it answers.
run: $(STAMP_RUN) messages
	$(BIN)/portier migrate --verbosity 0
	$(BIN)/portier seeddemo --verbosity 0
	$(BIN)/portier serve

test: $(STAMP_TEST) messages
	tools/ensure-chromium
	PORTIER_DATA_DIR=$(CURDIR)/data/test $(BIN)/python -m pytest $(PYTEST_ARGS)

# The fault simulation over more seeds than CI's 200 (docs/reliability.md): seeds FIRST to
# FIRST+SEEDS-1 for each source (Google, Microsoft), by default the 2,000 after CI's. A failure
# prints its seed, its source and a replay command.
SEEDS ?= 2000
FIRST ?= 200
soak: $(STAMP_TEST) messages
	PORTIER_SIM_SEEDS=$(SEEDS) PORTIER_SIM_MS_SEEDS=$(SEEDS) PORTIER_SIM_FIRST=$(FIRST) PORTIER_DATA_DIR=$(CURDIR)/data/test \
		$(BIN)/python -m pytest tests/simulation/test_simulation.py -q -p no:logging $(PYTEST_ARGS)

# The README's screenshots, taken by the sandbox story's browser test, and every key page at
# 1280 and 390 px in English and German (docs/screenshots/pages/), taken by the every-page test.
# Only this target writes them; `make test` keeps its screenshots in a temporary directory.
screenshots: $(STAMP_TEST) messages
	tools/ensure-chromium
	PORTIER_SCREENSHOT_DIR=$(CURDIR)/docs/screenshots PORTIER_DATA_DIR=$(CURDIR)/data/test \
		$(BIN)/python -m pytest tests/test_sandbox_story.py
	rm -rf docs/screenshots/pages
	PORTIER_SCREENSHOT_DIR=$(CURDIR)/docs/screenshots/pages PORTIER_DATA_DIR=$(CURDIR)/data/test \
		$(BIN)/python -m pytest tests/test_browser_every_page.py

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP_TEST)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache

# The QR scanner of the front desk and the kiosk: jsQR from npm, vendored (no CDN) with its
# license. `make vendor-js` refreshes it; change JSQR_VERSION to upgrade.
JSQR_VERSION := 1.4.0
VENDOR_JS := portier/checkin/static/checkin/vendor
vendor-js:
	rm -rf .vendor-js && mkdir -p .vendor-js $(VENDOR_JS)
	cd .vendor-js && npm pack --silent jsqr@$(JSQR_VERSION) >/dev/null && tar xzf jsqr-$(JSQR_VERSION).tgz
	cp .vendor-js/package/dist/jsQR.js $(VENDOR_JS)/jsQR.js
	cp .vendor-js/package/LICENSE $(VENDOR_JS)/jsQR-LICENSE.txt
	printf 'jsQR %s (npm package jsqr), Apache-2.0: see jsQR-LICENSE.txt. Refresh: make vendor-js\n' $(JSQR_VERSION) > $(VENDOR_JS)/README.txt
	rm -rf .vendor-js

# axe-core, the accessibility checker the every-page browser test injects (test tooling only,
# never served): vendored from npm with its license. `make vendor-axe` refreshes it; change
# AXE_VERSION to upgrade.
AXE_VERSION := 4.14.1
VENDOR_AXE := tests/vendor
vendor-axe:
	rm -rf .vendor-axe && mkdir -p .vendor-axe $(VENDOR_AXE)
	cd .vendor-axe && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && tar xzf axe-core-$(AXE_VERSION).tgz
	cp .vendor-axe/package/axe.min.js $(VENDOR_AXE)/axe.min.js
	cp .vendor-axe/package/LICENSE $(VENDOR_AXE)/axe-core-LICENSE.txt
	printf 'axe-core %s (npm package axe-core), MPL-2.0: see axe-core-LICENSE.txt. Refresh: make vendor-axe\n' $(AXE_VERSION) > $(VENDOR_AXE)/README.txt
	rm -rf .vendor-axe
