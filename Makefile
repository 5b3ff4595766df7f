# csc-warehouse: `make demo` and `make test` work on a fresh machine with Python 3.11 and make.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# the Dagster instance's storage lives with the warehouse (dagster.yaml)
CSCW_WAREHOUSE_DIR ?= $(CURDIR)/data/warehouse
export CSCW_DAGSTER_STORAGE ?= $(CSCW_WAREHOUSE_DIR)/dagster
export CSCW_DAGSTER_COMPUTE_LOGS ?= $(CSCW_WAREHOUSE_DIR)/dagster/compute_logs

.PHONY: demo test lint bench bench-national ui codegen clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/cscw prepare
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/cscw demo

test: lint
	$(BIN)/python -m pytest -q tests

# ruff (imports sorted, 120 columns, formatted) and sqlfluff (dbt templater, duckdb dialect)
lint: $(STAMP)
	$(BIN)/ruff check pipelines tests
	$(BIN)/ruff format --check pipelines tests
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/tests

bench: $(STAMP)
	$(BIN)/python -m pipelines.bench

# about 60x Kent, 206 M rows of Parquet (generated once into data/bench/, ~20 GB of disk): not part of make test
bench-national: $(STAMP)
	$(BIN)/python -m pipelines.bench --scale national --config config/examples/large.yml

# dagster dev re-parses the dbt project with the `dbt` on PATH: this environment's
ui: $(STAMP)
	@mkdir -p $(DAGSTER_HOME) $(CSCW_DAGSTER_STORAGE)
	@cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dagster dev -w workspace.yaml

codegen: $(STAMP)
	$(BIN)/cscw codegen

clean:
	rm -rf $(VENV) data/extracts data/warehouse data/demo data/bench dbt_project/target dbt_project/logs .dagster_home
