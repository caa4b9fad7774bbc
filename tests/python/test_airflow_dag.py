"""The daily loop as an Airflow DAG (orchestration/dags/governed_analytics_daily.py), run for real.

Airflow and Cosmos live in .venv-airflow (`make airflow-setup`, a dependency of `make test`); this pytest
(in .venv) drives them as subprocesses: `tests/python/airflow_dag_probe.py` describes the parsed DAG, and
`python -m orchestration.dag_runner` runs it once with `dag.test()` on a private project copy, DuckDB file,
Airflow home and event log (tmp_path). The dbt part is narrowed to two models (the marketing staging model
and the intermediate model built on it) with GOVERNED_ANALYTICS_DBT_SELECT: that proves the ordering, the
per-model tasks and the failure handling in about a minute per run; the DAG test below checks that the
unnarrowed DAG has a run and a test task for every model.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import BIN_DIR, PROJECT_DIR, copy_project, load_raw, run_dbt
from ruamel.yaml import YAML

AIRFLOW_PYTHON = PROJECT_DIR / ".venv-airflow" / "bin" / "python"
PROBE = Path(__file__).resolve().parent / "airflow_dag_probe.py"
SELECT = "stg_marketing__ad_spend int_marketing_spend_aggregated_to_days"
STG = "dbt_build.stg_marketing__ad_spend"
INT = "dbt_build.int_marketing_spend_aggregated_to_days"
GOVERNANCE_TASKS = ("governance_scan_gate", "governance_check", "governance_masking_audit", "governance_docs_overview")
EVENT_KEYS = {
    "ts", "event", "dag_id", "run_id", "task_id", "map_index", "try_number", "max_tries", "state", "exception_type",
    "deadline_name", "deadline", "logical_date", "duration_s",
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not AIRFLOW_PYTHON.exists(), reason="no .venv-airflow: run `make airflow-setup` (make test does)"),
]


def airflow_env(root: Path, project: Path, database: Path, manifest: Path, **extra: str) -> dict[str, str]:
    """Everything a DAG process needs, all under `root` and the module's sandbox: nothing touches the
    developer's files. The dbt parse caches (Cosmos's and the command tasks') are shared by the runs, as they
    are by a deployment's daily runs, so only the first run parses the whole project."""
    shared = database.parent
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AIRFLOW", "DBT_", "GOVERNED_"))}
    env.update(
        AIRFLOW_HOME=str(root / "airflow-home"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__COSMOS__ENABLE_TELEMETRY="False",
        AIRFLOW__COSMOS__CACHE_DIR=str(shared / "cosmos-cache"),
        GOVERNED_ANALYTICS_DBT_STATE_DIR=str(shared / "dbt-state"),
        AIRFLOW_CONN_ANALYTICS_WAREHOUSE=json.dumps({"conn_type": "duckdb", "host": str(database)}),
        PYTHONPATH=str(PROJECT_DIR),
        GOVERNED_ANALYTICS_PROJECT_DIR=str(project),
        GOVERNED_ANALYTICS_VENV_BIN=str(BIN_DIR),
        GOVERNED_ANALYTICS_MANIFEST=str(manifest),
        GOVERNED_ANALYTICS_EVENT_LOG=str(root / "events.jsonl"),
        GOVERNED_ANALYTICS_DOCS_DIR=str(root / "docs-site"),
        GOVERNED_ANALYTICS_RETRIES="0",  # dag.test() would wait out the retry delay
    )
    env.update(extra)
    return env


@dataclass(frozen=True)
class DagRun:
    root: Path
    database: Path
    result: dict[str, Any]
    output: str

    @property
    def tasks(self) -> dict[str, str]:
        return self.result["tasks"]

    def events(self) -> list[dict[str, Any]]:
        path = self.root / "events.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def tables(self, schema: str) -> set[str]:
        with duckdb.connect(str(self.database), read_only=True) as con:
            rows = con.execute("select table_name from information_schema.tables where table_schema = ?", [schema])
            return {row[0] for row in rows.fetchall()}


def run_dag(root: Path, project: Path, database: Path, manifest: Path, select: str = SELECT) -> DagRun:
    root.mkdir(parents=True, exist_ok=True)
    out = root / "run.json"
    completed = subprocess.run(
        [str(AIRFLOW_PYTHON), "-m", "orchestration.dag_runner", "--output", str(out)],
        cwd=PROJECT_DIR, env=airflow_env(root, project, database, manifest, GOVERNED_ANALYTICS_DBT_SELECT=select),
        capture_output=True, text=True, timeout=900, check=False,
    )
    output = completed.stdout[-4000:] + completed.stderr[-8000:]
    assert completed.returncode in (0, 1) and out.exists(), f"the DAG did not run ({completed.returncode}):\n{output}"
    return DagRun(root, database, json.loads(out.read_text()), output)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A project copy, its manifest (`dbt parse`, what Cosmos renders from), a fresh raw layer (as of today,
    so source freshness passes), and the one warehouse path every run uses (each run restores its own
    starting state there first: the profile, and so dbt's parse caches, stay the same across runs)."""
    root = tmp_path_factory.mktemp("airflow")
    project = copy_project(root / "project")
    raw = root / "landed.duckdb"  # not raw.duckdb: its catalog would clash with the raw schema
    load_raw(raw, "--change-rows", "20000")
    run_dbt(["parse"], project, root / "parse.duckdb", root / "target")
    (root / "warehouse").mkdir()
    return {"root": root, "project": project, "raw": raw, "manifest": root / "target" / "manifest.json",
            "warehouse": root / "warehouse" / "analytics.duckdb"}


def fresh_warehouse(sandbox: dict[str, Path]) -> Path:
    """The run's warehouse, reset to the raw layer alone."""
    shutil.copy(sandbox["raw"], sandbox["warehouse"])
    return sandbox["warehouse"]


@pytest.fixture(scope="module")
def probe(sandbox: dict[str, Path]) -> dict[str, Any]:
    env = airflow_env(sandbox["root"] / "probe", sandbox["project"], sandbox["warehouse"], sandbox["manifest"])
    completed = subprocess.run([str(AIRFLOW_PYTHON), str(PROBE)], cwd=PROJECT_DIR, env=env, capture_output=True,
                               text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr[-6000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def e2e(sandbox: dict[str, Path]) -> DagRun:
    """One successful end-to-end run, shared by the assertions below. Every model, seed and snapshot has been
    built before (yesterday's run; its tests are left out to save time), so the masking audit finds every
    model's protected view."""
    root = sandbox["root"] / "e2e"
    root.mkdir()
    database = fresh_warehouse(sandbox)
    run_dbt(["build", "--exclude", "resource_type:test", "resource_type:unit_test"], sandbox["project"], database,
            root / "prebuild-target")
    return run_dag(root, sandbox["project"], database, sandbox["manifest"])


def test_dag_imports_in_a_dagbag_with_every_model_and_its_tests_as_tasks(probe: dict[str, Any],
                                                                          sandbox: dict[str, Path]) -> None:
    assert probe["import_errors"] == {}
    tasks = probe["tasks"]
    manifest = json.loads(sandbox["manifest"].read_text())
    models = {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    for model in models:
        assert f"dbt_build.{model}.run" in tasks and f"dbt_build.{model}.test" in tasks, model
    for name in ("snap_customers", "snap_products"):
        assert f"dbt_build.{name}.snapshot" in tasks
    for name in ("source_freshness_and_replication_lag", *GOVERNANCE_TASKS, "dbt_docs_generate"):
        assert name in tasks
    dbt_tasks = {task for task in tasks if task.startswith("dbt_build.")}
    # the scan gate comes before every dbt task; the check comes after all of them
    assert dbt_tasks <= set(probe["downstream_of_gate"])
    assert dbt_tasks <= set(probe["upstream_of_check"])


def test_dag_schedule_retries_timeouts_and_alerts(probe: dict[str, Any]) -> None:
    assert probe["schedule"] == "0 5 * * *" and probe["catchup"] is False
    assert probe["max_active_runs"] == 1
    assert probe["max_active_tasks"] == 1  # one writer at a time on the DuckDB file
    assert probe["dagrun_timeout_s"] == 4 * 3600
    assert probe["has_failure_callback"]
    # Airflow 3 has no SLA: a deadline alert 2 h after the run is queued calls the event-log callback
    assert probe["deadlines"] == [{
        "reference": "DagRunQueuedAtDeadline", "interval_s": 7200.0,
        "callback": "orchestration.events.on_deadline_missed", "callback_type": "SyncCallback",
    }]
    tasks = probe["tasks"]
    assert all(task["has_failure_callback"] and task["execution_timeout_s"] for task in tasks.values())
    assert tasks[f"{STG}.run"]["retries"] == 0  # GOVERNED_ANALYTICS_RETRIES=0 here; 2 by default
    assert all(tasks[name]["retries"] == 0 for name in ("governance_scan_gate", "governance_check"))


def test_dag_runs_end_to_end_on_duckdb(e2e: DagRun) -> None:
    assert e2e.result["state"] == "success", e2e.output
    assert set(e2e.tasks.values()) == {"success"}, e2e.tasks
    assert {f"{STG}.run", f"{STG}.test", f"{INT}.run", f"{INT}.test"} <= set(e2e.tasks)
    assert (e2e.root / "docs-site" / "static_index.html").is_file()
    assert [event["event"] for event in e2e.events()] == ["dag_run_succeeded"]


def test_end_to_end_order_gates_before_and_checks_after_dbt(e2e: DagRun) -> None:
    start = {task: interval[0] for task, interval in e2e.result["intervals"].items()}
    end = {task: interval[1] for task, interval in e2e.result["intervals"].items()}
    dbt_tasks = [task for task in e2e.tasks if task.startswith("dbt_build.")]
    assert end["source_freshness_and_replication_lag"] <= start["governance_scan_gate"]
    assert all(end["governance_scan_gate"] <= start[task] for task in dbt_tasks)
    assert all(end[task] <= start[check] for task in dbt_tasks
               for check in ("governance_check", "governance_masking_audit"))
    assert end[f"{STG}.run"] <= start[f"{STG}.test"] <= end[f"{STG}.test"] <= start[f"{INT}.run"]
    assert max(end["governance_check"], end["governance_masking_audit"]) <= start["governance_docs_overview"]
    assert end["governance_docs_overview"] <= start["dbt_docs_generate"]


def _unclassify(project: Path, table: str, column: str) -> None:
    """Remove a scanned column's classification from the sources YAML (as a careless edit would)."""
    yaml = YAML()
    path = project / "models" / "staging" / "shop" / "_shop__sources.yml"
    document = yaml.load(path.read_text())
    for source in document["sources"]:
        for entry in source["tables"]:
            if entry["name"] == table:
                for col in entry["columns"]:
                    if col["name"] == column:
                        del col["config"]
                        with path.open("w") as handle:
                            yaml.dump(document, handle)
                        return
    raise AssertionError(f"{table}.{column} not found")


def test_unclassified_personal_column_stops_the_run_before_dbt(sandbox: dict[str, Path]) -> None:
    root = sandbox["root"] / "governance-failure"
    project = copy_project(root / "project")
    _unclassify(project, "customers__ct", "email")
    database = fresh_warehouse(sandbox)

    run = run_dag(root, project, database, sandbox["manifest"])

    assert run.result["state"] == "failed"
    assert run.tasks["source_freshness_and_replication_lag"] == "success"
    assert run.tasks["governance_scan_gate"] == "failed"
    later = {task: state for task, state in run.tasks.items() if task.startswith("dbt_build.")
             or task in ("governance_check", "governance_masking_audit", "governance_docs_overview",
                         "dbt_docs_generate")}
    assert later and set(later.values()) == {"upstream_failed"}, later
    assert run.tables("staging") == set()  # dbt never ran: nothing built
    events = run.events()
    assert {(event["event"], event.get("task_id")) for event in events} >= {
        ("task_failed", "governance_scan_gate"), ("dag_run_failed", None)}


def test_failing_model_fails_its_own_task_and_leaves_upstream_green(sandbox: dict[str, Path]) -> None:
    root = sandbox["root"] / "model-failure"
    project = copy_project(root / "project")
    model = project / "models" / "intermediate" / "int_marketing_spend_aggregated_to_days.sql"
    model.write_text("select no_such_column from {{ ref('stg_marketing__ad_spend') }}\n")
    database = fresh_warehouse(sandbox)

    run = run_dag(root, project, database, sandbox["manifest"])

    assert run.result["state"] == "failed"
    assert run.tasks[f"{INT}.run"] == "failed"
    assert run.tasks[f"{INT}.test"] == "upstream_failed"
    for upstream in ("source_freshness_and_replication_lag", "governance_scan_gate", f"{STG}.run", f"{STG}.test"):
        assert run.tasks[upstream] == "success", (upstream, run.tasks)
    assert run.tasks["governance_check"] == "upstream_failed"
    assert "stg_marketing__ad_spend" in run.tables("staging")
    assert "int_marketing_spend_aggregated_to_days" not in run.tables("intermediate")
    failed = [event for event in run.events() if event["event"] == "task_failed"]
    assert [event["task_id"] for event in failed] == [f"{INT}.run"]


def test_event_log_lines_hold_identifiers_only(e2e: DagRun, sandbox: dict[str, Path]) -> None:
    """Every event line written by the runs above is JSON with known keys only (no messages, no values)."""
    paths = sorted(sandbox["root"].glob("*/events.jsonl"))
    assert paths
    for path in paths:
        for line in path.read_text().splitlines():
            assert set(json.loads(line)) <= EVENT_KEYS, line


SNOWFLAKE_PROFILE_PROBE = """
import json
from pathlib import Path
from orchestration.project_commands import profile_config, warehouse_env
from orchestration.settings import Settings
settings = Settings(Path('.'), Path('target/manifest.json'), Path('dbt'), Path('governance'), 'snowflake',
                    'snowflake_test', 'prod', None, 0)
mapping = profile_config(settings).profile_mapping
print(json.dumps({"mapping": type(mapping).__name__, "claims": mapping.can_claim_connection(),
                  "keys": sorted(mapping.profile), "env": sorted(warehouse_env(settings))}))
"""


def test_the_dag_reaches_snowflake_with_a_key_pair_never_a_password(tmp_path: Path) -> None:
    """The dbt service user is TYPE = SERVICE, which Snowflake refuses a password: the DAG's profile (and the
    environment of its governance commands) carry the key file and its passphrase, never a password."""
    connection = {"conn_type": "snowflake", "login": "DBT_SERVICE", "password": "passphrase-of-the-key",
                  "schema": "PUBLIC", "extra": {"account": "acme-prod", "database": "ANALYTICS",
                                                "warehouse": "TRANSFORMING", "role": "TRANSFORMER",
                                                "private_key_file": str(tmp_path / "dbt_service.p8")}}
    env = {key: value for key, value in os.environ.items() if not key.startswith("AIRFLOW")}
    env.update(AIRFLOW_HOME=str(tmp_path / "airflow-home"), PYTHONPATH=str(PROJECT_DIR),
               AIRFLOW_CONN_SNOWFLAKE_TEST=json.dumps(connection))
    completed = subprocess.run([str(AIRFLOW_PYTHON), "-c", SNOWFLAKE_PROFILE_PROBE], cwd=PROJECT_DIR, env=env,
                               capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr[-4000:]
    found = json.loads(completed.stdout.strip().splitlines()[-1])
    assert found["mapping"] == "SnowflakeEncryptedPrivateKeyFilePemProfileMapping" and found["claims"]
    assert {"private_key_path", "private_key_passphrase"} <= set(found["keys"]) and "password" not in found["keys"]
    assert "SNOWFLAKE_PRIVATE_KEY_PATH" in found["env"] and "SNOWFLAKE_PASSWORD" not in found["env"]
