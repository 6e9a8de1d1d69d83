# Two commands do all set-up on a fresh machine (Python 3.11 + make):
#   make demo   – create .venv on first use, install, migrate, load sample data, serve on :8000
#   make test   – the whole test suite (SQLite by default; DATABASE_URL=postgres://... for PostgreSQL)
#   make lint   – ruff check, ruff format --check, import contracts (lint-imports)
#   make e2e    – browser tests (e2e/): a real `sti demo` on a temp folder, Debian's Chromium
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell md5sum pyproject.toml 2>/dev/null | cut -c1-12)
PORT ?= 8000
TEST_WORKERS ?= 2
E2E_PORT ?=

.PHONY: demo test e2e lint bench-search multihost messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo ">> Tạo môi trường Python $(VENV)…"; $(PYTHON) -m venv $(VENV); }
	@echo ">> Cài đặt các gói cần thiết vào $(VENV) (lần đầu mất khoảng 2 phút)…"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar on -e '.[dev]'
	@echo ">> Đã cài đặt xong."
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: $(STAMP)
	$(BIN)/sti demo --port $(PORT)

test: $(STAMP)
	$(BIN)/sti check --fail-level WARNING
	$(BIN)/sti makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# Browser end-to-end tests: starts `sti demo` (web server and worker) on a fresh data folder and
# a free port (E2E_PORT to choose one), drives /usr/bin/chromium through Playwright, runs axe-core
# on every page, stops the server. Screenshots and axe results: artifacts/e2e/.
e2e: $(STAMP)
	STI_E2E_PORT=$(E2E_PORT) $(BIN)/pytest -p no:xdist -ra e2e

# Style, formatting, and the import contracts of pyproject.toml (floors, no cycles).
lint: $(STAMP)
	$(BIN)/ruff check sti bench scripts e2e
	$(BIN)/ruff format --check sti bench scripts e2e
	$(BIN)/lint-imports

bench-search: $(STAMP)
	$(BIN)/python bench/search.py

# Two web hosts, two RQ workers, PostgreSQL, Redis and S3 on loopback; web and worker kills
# lose nothing (scripts/multihost_test.py; needs local PostgreSQL and Redis servers).
multihost: $(STAMP)
	$(BIN)/python scripts/multihost_test.py

messages: $(STAMP)
	cd sti && ../$(BIN)/sti makemessages -l en --no-obsolete && ../$(BIN)/sti compilemessages

clean:
	rm -rf $(VENV) var
