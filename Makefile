# MSME Lens — the two commands a newcomer needs:
#   make up     set everything up, import the ToTA corpus on the first run (and the practice library's seed
#               records, a no-op once imported), serve on http://127.0.0.1:8000/
#   make test   set everything up and run the whole test suite (SQLite, then PostgreSQL when reachable)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/tota/xml
PRACTICES ?= ../shared/evidence/practices.jsonl
PG_URL ?= postgresql://postgres@127.0.0.1:5432/msmelens
STAMP := $(VENV)/.installed

.PHONY: up test test-sqlite test-postgres lint bench bench-web bench-feedback bench-results install system-deps docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("MSME Lens needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

up: $(STAMP)
	@if [ -f "$(PRACTICES)" ]; then $(BIN)/msmelens practices import "$(PRACTICES)" || true; fi
	$(BIN)/msmelens up --corpus $(CORPUS)

# Browser tests need Debian's chromium; install it when we are root and it is missing.
system-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "could not install chromium: browser tests will be skipped outside CI"; fi

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

test: $(STAMP) system-deps lint test-sqlite test-postgres

test-sqlite: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider

# The database-backed tests again on PostgreSQL (required in CI, skipped when no server answers elsewhere).
test-postgres: $(STAMP)
	@if $(BIN)/python scripts/pg_ready.py "$(PG_URL)"; then \
		MSMELENS_DATABASE_URL="$(PG_URL)" $(BIN)/pytest -q -p no:cacheprovider tests/web tests/api tests/cli tests/browser tests/feedback tests/guide tests/search tests/wto; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is not reachable at $(PG_URL)"; exit 1; \
	else echo "PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL run"; fi

bench: $(STAMP)
	$(BIN)/python bench/bench_lens.py --corpus $(CORPUS)

bench-web: $(STAMP)
	$(BIN)/python bench/bench_web.py --corpus $(CORPUS)

bench-feedback: $(STAMP)
	$(BIN)/python bench/bench_feedback.py --pg-url "$(PG_URL)"

bench-results: $(STAMP)
	$(BIN)/python bench/bench_results.py

docs: $(STAMP)
	$(BIN)/python scripts/gen_cli_docs.py
	$(BIN)/python scripts/gen_openapi.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
