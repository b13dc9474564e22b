# promzona — the targets CI runs. `make run` and `make test` set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-db test-pg lint bench demo messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/promzona demo
	$(BIN)/promzona collectstatic --noinput --verbosity 0
	@echo "promzona: http://127.0.0.1:$(PORT)/"
	$(BIN)/promzona runserver 127.0.0.1:$(PORT) --noreload

demo: $(STAMP)
	$(BIN)/promzona demo

# pytest's exit code 5 (no tests collected) is not a failure of the suite.
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

# The tests that touch the database, without the browser (.ci/run repeats them on PostgreSQL).
test-db: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not nodb" $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

# The races (marker db_concurrency) on a local PostgreSQL: SQLite serialises every write
# transaction, so a read-check-write bug passes there and fails only here. PG_URL names a
# database the role may create a test_ copy of; `PG_URL=... make test-pg PYTEST_ARGS=` for all.
PG_URL ?= postgres://promzona:promzona@127.0.0.1:5432/promzona_dev
test-pg: $(STAMP)
	PROMZONA_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -m "db_concurrency" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

messages: $(STAMP)
	$(BIN)/python scripts/messages.py

clean:
	rm -rf $(VENV) var .pytest_cache
