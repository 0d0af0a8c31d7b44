# The two jobs the README promises, on a fresh clone with Python 3.11+ and pip.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test system messages lint typecheck pytest setup clean

# Install govsite and run the main job on the embedded default (SQLite, no service):
# the sample fleet, the registry, a 30 % spot check against the fleet, and the
# platform served at http://127.0.0.1:8000/ with a login per role.
demo: setup
	$(BIN)/govsite demo

# Install the test tools (and, as root, Debian's chromium and CJK fonts for the browser
# tests) and run everything CI runs.
test: setup system lint typecheck pytest

# Browser tests drive Debian's chromium through Playwright; without it they skip. LibreOffice (writer) and
# poppler render the bulletin's .docx to an image for review; without them that test skips. GNU gettext
# is for `make messages` and the test that the catalogs hold every message (skipped without it).
system:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" && command -v xgettext >/dev/null \
		&& command -v soffice >/dev/null && command -v pdftoppm >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk gettext libreoffice-writer-nogui poppler-utils >/dev/null) \
			|| echo "note: could not install chromium, fonts-noto-cjk, gettext, libreoffice-writer-nogui and poppler-utils; browser, catalog and .docx rendering tests will skip"; \
	else echo "note: browser, catalog and .docx rendering tests will skip: install them (as root: apt-get install chromium fonts-noto-cjk gettext libreoffice-writer-nogui poppler-utils)"; fi

# Refresh every translation catalog (locale/zh_Hans/LC_MESSAGES/django.po) from the sources with
# Django's makemessages (needs GNU gettext: make system), then compile each django.mo with polib.
# Translate what is new or changed in the .po files, then run `make messages` again to compile.
messages: setup
	$(BIN)/python -m govsite.platform.catalogs extract
	$(BIN)/python -m govsite.platform.catalogs compile

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck:
	$(BIN)/mypy

# Two workers by default (each test database, fleet and server is per process); PYTEST_JOBS=0 runs in one.
PYTEST_JOBS ?= 2
pytest:
	$(BIN)/pytest -n $(PYTEST_JOBS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
