# Two commands are all a newcomer needs:
#   make build   set up whatever is missing, then `dbt build` on the default (embedded DuckDB) target
#   make test    set up whatever is missing, then run every test
# Both depend on `setup`, which is idempotent: a second run does nothing that is already done.

PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
export DBT_PROFILES_DIR := $(CURDIR)
# presidio's email recognizer would fetch the public suffix list; keep everything offline
export TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS :=
export TLDEXTRACT_CACHE := $(CURDIR)/$(VENV)/tldextract-cache

# The orchestration environment: Airflow 3 + astronomer-cosmos in their own venv (Airflow 3 needs
# SQLAlchemy >= 2.0.50, Permifrost in .venv needs < 2). Its tasks run .venv's dbt and governance.
AIRFLOW_VENV  := .venv-airflow
AIRFLOW_BIN   := $(CURDIR)/$(AIRFLOW_VENV)/bin
AIRFLOW_STAMP := $(AIRFLOW_VENV)/.installed
AIRFLOW_PORT  ?= 8080
# the scheduler's and the triggerer's log servers (move them too when another Airflow runs on this machine)
AIRFLOW_LOG_PORT ?= 8793
AIRFLOW_TRIGGER_LOG_PORT ?= 8794
# What `make airflow` and `make bench-dag` give Airflow: a local home, the DAG folder, the DuckDB warehouse
# as the connection the dbt profile is mapped from, and no telemetry (everything stays offline).
AIRFLOW_ENV = AIRFLOW_HOME=$(CURDIR)/.airflow \
	AIRFLOW__CORE__DAGS_FOLDER=$(CURDIR)/orchestration/dags \
	AIRFLOW__CORE__LOAD_EXAMPLES=False \
	AIRFLOW__COSMOS__ENABLE_TELEMETRY=False \
	AIRFLOW__COSMOS__CACHE_DIR=$(CURDIR)/.airflow/cosmos \
	AIRFLOW__API__PORT=$(AIRFLOW_PORT) \
	AIRFLOW__CORE__EXECUTION_API_SERVER_URL=http://localhost:$(AIRFLOW_PORT)/execution/ \
	AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=$(AIRFLOW_LOG_PORT) \
	AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT=$(AIRFLOW_TRIGGER_LOG_PORT) \
	PYTHONPATH=$(CURDIR) \
	PATH=$(AIRFLOW_BIN):$(PATH) \
	AIRFLOW_CONN_ANALYTICS_WAREHOUSE='{"conn_type": "duckdb", "host": "$(CURDIR)/warehouse/analytics.duckdb"}'

.PHONY: setup build test test-snowflake-emulator lint docs docs-serve bench bench-lineage bench-precommit chromium clean help bench-scan bench-anonymity bench-commands airflow-setup airflow bench-dag \
	prometheus dashboards exporter bench-audit bench-exporter

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

setup: $(STAMP)  ## create .venv, install pinned dependencies, dbt deps, load the raw layer (idempotent)
	dbt deps --quiet
	load-raw --if-missing --quiet
	@if [ -d .git ] && [ ! -f .git/hooks/pre-commit ]; then pre-commit install >/dev/null; fi
	@command -v chromium >/dev/null 2>&1 || $(MAKE) --no-print-directory chromium
	@command -v promtool >/dev/null 2>&1 || $(MAKE) --no-print-directory prometheus

$(AIRFLOW_STAMP): requirements-airflow.txt constraints-airflow.txt
	test -x $(AIRFLOW_BIN)/python || $(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_BIN)/pip install --quiet --disable-pip-version-check -c constraints-airflow.txt -r requirements-airflow.txt
	touch $@

airflow-setup: $(AIRFLOW_STAMP)  ## create .venv-airflow: Airflow 3 + astronomer-cosmos, pinned (idempotent)

chromium:  ## install Debian's chromium for the docs browser test (only when missing; needs root)
	@if command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium (apt-get) for the docs browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium >/dev/null; \
	else \
		echo "chromium is missing: run 'sudo apt-get install chromium' (the docs browser test skips without it)"; \
	fi

prometheus:  ## install Debian's prometheus (server + promtool) for the monitoring tests (only when missing; needs root)
	@if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing prometheus (apt-get) for the monitoring tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
			--no-install-recommends prometheus >/dev/null; \
		systemctl disable --now prometheus >/dev/null 2>&1 || true; \
	else \
		echo "prometheus is missing: run 'sudo apt-get install prometheus' (the Prometheus tests skip without it)"; \
	fi

build: setup  ## dbt build on the default target (embedded DuckDB)
	dbt build

test: setup airflow-setup  ## run every test (pytest drives dbt, the governance package and the checks)
	pytest
	$(MAKE) --no-print-directory test-snowflake-emulator

test-snowflake-emulator: setup  ## dbt-snowflake against the local fakesnow emulator (a few minutes; part of `make test`)
	SNOWFLAKE_EMULATOR_TESTS=1 pytest -m emulator tests/python/test_snowflake_emulator.py

lint: setup  ## run every pre-commit hook on all files (as CI does)
	pre-commit run --all-files

docs: setup  ## generate the dbt docs site (target/index.html and target/static_index.html)
	governance docs
	dbt docs generate --static
	governance docs --badges

docs-serve: docs  ## generate and serve the docs site on http://localhost:8080
	dbt docs serve --port 8080

BENCH_ARGS ?= --change-rows 50000000
bench: setup  ## incremental vs full-refresh dbt build at 50M change rows (not part of `make test`); see BENCHMARKS.md
	$(BIN)/python -m benchmarks.incremental $(BENCH_ARGS)

bench-lineage: setup  ## benchmark: column lineage + classification propagation over a generated 400-model project
	$(BIN)/python -m benchmarks.lineage --models 400

bench-precommit: setup  ## time the pre-commit hooks on one changed model (target <= 10 s)
	$(BIN)/python -m benchmarks.precommit

bench-commands: setup  ## governance lineage/check cold vs warm (manifest cache) vs compiling every time
	$(BIN)/python -m benchmarks.commands

bench-anonymity: setup  ## re-identification (k-anonymity) of what uncleared roles read, at make build's and make bench's sizes
	$(BIN)/python -m benchmarks.anonymity $(BENCH_ANONYMITY_ARGS)

bench-scan: setup  ## PII scan benchmark: precision/recall, 10k vs 10M rows, naive Presidio (see BENCHMARKS.md)
	$(BIN)/python -m benchmarks.scan $(BENCH_SCAN_ARGS)

airflow: setup airflow-setup  ## Airflow standalone (http://localhost:8080, AIRFLOW_PORT=...) with the daily-loop DAG on DuckDB (login: README)
	dbt parse --quiet
	@echo "Airflow standalone: http://localhost:$(AIRFLOW_PORT), user admin, password in .airflow/simple_auth_manager_passwords.json.generated"
	@$(AIRFLOW_ENV) $(AIRFLOW_BIN)/airflow standalone

bench-dag: setup airflow-setup  ## time parsing the daily-loop DAG (target < 5 s); see BENCHMARKS.md
	dbt parse --quiet
	@$(AIRFLOW_ENV) $(AIRFLOW_BIN)/python -m benchmarks.dag_parse $(BENCH_DAG_ARGS)

bench-audit: setup  ## the audit trail's hooks in an incremental dbt build: CPU with vs without, median of 5 (BENCHMARKS.md)
	$(BIN)/python -m benchmarks.observability audit

bench-exporter: setup  ## time 50 scrapes of governance-exporter (target: under 200 ms; BENCHMARKS.md)
	$(BIN)/python -m benchmarks.observability exporter

exporter: setup  ## serve the metrics on http://127.0.0.1:9188/metrics from the local warehouse (README "Operating it")
	governance-exporter --port 9188

dashboards: setup  ## regenerate the Grafana dashboards JSON (monitoring/grafana/dashboards)
	governance-dashboards


clean:  ## remove build artifacts and the local warehouse (keeps .venv, .venv-airflow and .airflow)
	rm -rf target dbt_packages logs warehouse
