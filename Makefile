PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --browser.gatherUsageStats false

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m assessment validate
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_workshop.py
	$(BIN)/python bench/bench_rerun.py
	$(BIN)/python bench/bench_instrument.py
	$(BIN)/python bench/bench_writes.py

clean:
	rm -rf $(VENV) tests/artifacts
