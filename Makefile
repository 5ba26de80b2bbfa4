# Two entry points for a fresh clone: `make build` and `make test`. Each sets everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test bench sources setup system-deps clean

build: setup
	$(BIN)/brief build

# The tests also need a real Word client: LibreOffice converts every example DOCX, and accepts
# and rejects a redline's tracked changes through UNO (python3-uno, for the system Python); and a real
# browser: headless Chromium shows `brief preview` (tests/test_issue_15_preview_browser.py).
test: setup
	@bash scripts/install-system-deps libreoffice-writer-nogui python3-uno chromium chromium-driver
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench
	$(BIN)/mypy
	$(BIN)/pytest -q -n auto

# pypandoc-binary (pandoc) comes with the dev extra: the real-document tests compare with it.
bench: setup
	$(BIN)/python bench/template_cost.py
	$(BIN)/python bench/docx_vs_pandoc.py
	$(BIN)/python bench/noop.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/sandbox_cost.py
	$(BIN)/python bench/import_html.py
	$(BIN)/python bench/thumbnails.py
	$(BIN)/python bench/preview.py
	$(BIN)/python bench/provenance.py

# The example's sources are made by `brief import` from the two seed articles (copies of
# ../shared/seeds in tests/data/import/text); the same bytes again leave them unchanged.
SEEDS := tests/data/import/text
sources: setup
	$(BIN)/brief import --force --marking TLP:CLEAR --id nato-peacekeeping $(SEEDS)/000_59014b4803a60190.txt
	$(BIN)/brief import --force --marking TLP:CLEAR --id nato-ukraine $(SEEDS)/004_c199905ea8b10231.txt

# Bytecode for the editable install, written even where PYTHONDONTWRITEBYTECODE is set:
# without it every start recompiles the package (about 60 ms).
setup: system-deps $(STAMP)
	@$(BIN)/python -m compileall -q src

system-deps:
	@bash scripts/install-system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) output/*.pdf output/*.docx output/*.html
