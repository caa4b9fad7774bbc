"""Observability end to end: the audit trail dbt's hooks write, the decision-recording API, the
exporter scraped by a real Prometheus (Debian's package) whose query API is asserted for every
series, the alerting rules (promtool), the dashboards (every panel's PromQL returns data), the
Snowflake access-audit model (its compiled SQL parsed with sqlglot's Snowflake dialect), faults (a
run failing midway, missing and corrupt artifacts) and a scan of every recorded field and metric
for raw personal values.

One warehouse serves them all: a copy of the session's `built_warehouse`, plus `dbt source
freshness`, recorded decisions and one failing build of a project copy.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot
from conftest import PROJECT_DIR, Warehouse, copy_project, run_dbt
from sqlglot import exp

from governance.observability import (
    RowDataError,
    check_no_row_data,
    command_audit,
    dashboards,
    record_decision,
    snowflake_usage,
)
from governance.observability.audit import TABLE_COLUMNS
from governance.observability.exporter import GovernanceCollector, Settings, build_settings, serve

pytestmark = pytest.mark.slow

MONITORING = PROJECT_DIR / "monitoring" / "prometheus"
USAGE_FIXTURE = Path(__file__).parent / "fixtures" / "observability" / "snowflake_usage.json"
POISON = "poison-value-3f9a"  # a value only the failing model holds: must never reach the trail

# Every series the exporter serves when all its inputs are readable (Snowflake ones from the fixture).
SERIES = (
    "dbt_runs_started_total", "dbt_runs_total", "dbt_run_last_success", "dbt_run_last_duration_seconds",
    "dbt_run_last_timestamp_seconds", "dbt_run_last_nodes", "dbt_node_last_duration_seconds",
    "dbt_node_last_status", "dbt_test_last_failures", "dbt_incremental_rows_processed",
    "governance_decisions_total", "dbt_run_results_timestamp_seconds", "dbt_run_results_elapsed_seconds",
    "dbt_run_results_nodes", "dbt_source_freshness_status", "dbt_source_freshness_age_seconds",
    "dbt_source_freshness_error_after_seconds", "dbt_source_freshness_warn_after_seconds",
    "dbt_source_freshness_checked_timestamp_seconds", "raw_replication_lag_seconds", "governance_columns",
    "governance_roles_drift", "governance_roles_findings", "governance_protected_columns",
    "governance_unmasked_columns", "governance_last_scan_timestamp_seconds", "governance_last_scan_age_seconds",
    "snowflake_warehouse_credits_month_to_date", "snowflake_warehouse_credits_last_24h",
    "snowflake_credit_budget_month", "snowflake_sensitive_column_reads_last_24h",
    "snowflake_sensitive_column_readers_last_24h", "governance_exporter_input_up",
    "governance_exporter_refresh_duration_seconds", "governance_exporter_last_refresh_timestamp_seconds",
)


@dataclass(frozen=True)
class Observed:
    database: Path
    target_path: Path
    failed_database: Path  # the warehouse of the build that failed midway

    def settings(self, target_path: Path | None = None) -> Settings:
        os.environ["DBT_DUCKDB_PATH"] = str(self.database)
        return build_settings(PROJECT_DIR, None, target_path or self.target_path, USAGE_FIXTURE)


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def observed(built_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Observed:
    root = tmp_path_factory.mktemp("observed")
    database, target = root / "analytics.duckdb", root / "target"
    shutil.copy(built_warehouse.database, database)
    target.mkdir()
    for name in ("manifest.json", "run_results.json"):
        shutil.copy(built_warehouse.target_path / name, target / name)
    freshness = run_dbt(["source", "freshness"], PROJECT_DIR, database, root / "freshness", check=False)
    assert (root / "freshness" / "sources.json").is_file(), freshness.stdout[-3000:]
    shutil.copy(root / "freshness" / "sources.json", target / "sources.json")

    previous = os.environ.get("DBT_DUCKDB_PATH")
    os.environ["DBT_DUCKDB_PATH"] = str(database)
    try:
        with command_audit(PROJECT_DIR, None, "scan") as audit:
            audit.decision("scan_finding", "shop.customers__ct.email",
                           {"entities": ["EMAIL_ADDRESS"], "level": 3, "decided_by": "both", "coverage": 0.98})
            audit.decision("scan_finding", "shop.payments__ct.card_number", {"entities": ["CREDIT_CARD"], "level": 4})
        record_decision(PROJECT_DIR, None, "roles", "roles_drift", "roles.yml", {"drift": False, "findings": 0})
    finally:
        if previous is None:
            os.environ.pop("DBT_DUCKDB_PATH", None)
        else:
            os.environ["DBT_DUCKDB_PATH"] = previous

    # A build that fails midway: a model that errors (its error message quotes POISON), one that
    # depends on it (skipped), and a singular data test that fails on three rows.
    project = copy_project(root / "failing_project")
    models = project / "models" / "staging" / "shop"
    (models / "zz_fails.sql").write_text("{{ config(materialized='table') }}\n"
                                         f"select cast('{POISON}' as integer) as broken_number\n")
    (models / "zz_after_failure.sql").write_text("select broken_number from {{ ref('zz_fails') }}\n")
    (project / "tests" / "zz_failing_test.sql").write_text(
        "select product_id from {{ ref('stg_shop__products') }} order by product_id limit 3\n")
    failed_db = root / "failed.duckdb"
    shutil.copy(built_warehouse.database, failed_db)
    result = run_dbt(["build", "--select", "stg_shop__products", "zz_fails", "zz_after_failure", "zz_failing_test"],
                     project, failed_db, root / "failed_target", check=False)
    assert result.returncode == 1, result.stdout[-3000:]
    return Observed(database, target, failed_db)


def _rows(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


# ------------------------------------------------------------------------------------------------
# The audit trail
# ------------------------------------------------------------------------------------------------

def test_build_records_invocation_nodes_tests_and_rows(observed: Observed) -> None:
    ends = _rows(observed.database, "select invocation_id, command, status, nodes, errors from audit.dbt_invocations "
                                    "where phase = 'end' and command = 'build'")
    assert len(ends) == 1 and ends[0][2] == "success" and ends[0][3] > 100 and ends[0][4] == 0
    invocation = ends[0][0]
    assert _rows(observed.database, f"select count(*) from audit.dbt_invocations where invocation_id = '{invocation}' "
                                    "and phase = 'start'") == [(1,)]
    by_type = dict(_rows(observed.database, "select resource_type, count(*) from audit.dbt_node_results "
                                            f"where invocation_id = '{invocation}' group by all"))
    assert by_type["model"] >= 19 and by_type["test"] >= 100 and by_type["seed"] == 2 and by_type["snapshot"] == 2
    tests = _rows(observed.database, "select status, failures, execution_seconds, started_at <= completed_at "
                                     f"from audit.dbt_node_results where invocation_id = '{invocation}' "
                                     "and resource_type = 'test'")
    assert all(s == "pass" and f == 0 and e is not None and ordered for s, f, e, ordered in tests)
    rows = dict(_rows(observed.database, "select node_id, rows_affected from audit.dbt_node_results "
                                         f"where invocation_id = '{invocation}' and rows_affected is not null"))
    with duckdb.connect(str(observed.database), read_only=True) as con:
        assert rows["model.analytics.fct_orders"] == con.execute("select count(*) from marts.fct_orders").fetchone()[0]
        assert rows["snapshot.analytics.snap_customers"] > 0
    # `dbt source freshness` is recorded too
    assert _rows(observed.database, "select count(*) from audit.dbt_invocations where command = 'freshness' "
                                    "and phase = 'end'") == [(1,)]


def test_run_failing_midway_records_what_ran(observed: Observed) -> None:
    (status, errors, failures, skipped), = _rows(
        observed.failed_database, "select status, errors, test_failures, skipped from audit.dbt_invocations "
                                  "where phase = 'end' order by recorded_at desc limit 1")
    assert (status, errors, failures, skipped) == ("error", 1, 1, 1)
    found = {node.split(".")[-1]: (state, fails) for node, state, fails in _rows(
        observed.failed_database, "select node_id, status, failures from audit.dbt_node_results "
                                  "qualify row_number() over (partition by node_id order by recorded_at desc) = 1")}
    assert found["zz_fails"] == ("error", None)
    assert found["zz_after_failure"] == ("skipped", None)
    assert found["zz_failing_test"] == ("fail", 3)
    assert found["stg_shop__products"] == ("success", None)


def test_audit_tables_match_the_python_column_lists(observed: Observed) -> None:
    for table, columns in TABLE_COLUMNS.items():
        found = _rows(observed.database, "select column_name from information_schema.columns where table_schema = "
                                         f"'audit' and table_name = '{table}' order by ordinal_position")
        assert tuple(c for (c,) in found) == columns


def test_audit_trail_can_be_switched_off(observed: Observed, tmp_path: Path) -> None:
    database = tmp_path / "off.duckdb"
    shutil.copy(observed.database, database)
    before = _rows(database, "select count(*) from audit.dbt_invocations")
    run_dbt(["seed", "--select", "countries", "--vars", "{audit_trail: false}"], PROJECT_DIR, database,
            tmp_path / "target")
    assert _rows(database, "select count(*) from audit.dbt_invocations") == before


# ------------------------------------------------------------------------------------------------
# Governance decisions (the API the governance commands call)
# ------------------------------------------------------------------------------------------------

def test_decisions_are_recorded_with_their_run_and_outcome(observed: Observed) -> None:
    rows = _rows(observed.database, "select run_id, command, kind, subject, details from audit.governance_decisions "
                                    "order by decided_at, kind")
    scan = [r for r in rows if r[1] == "scan"]
    assert {r[2] for r in scan} == {"scan_finding", "command_succeeded"} and len({r[0] for r in scan}) == 1
    email = next(r for r in scan if r[3] == "shop.customers__ct.email")
    assert json.loads(email[4]) == {"coverage": 0.98, "decided_by": "both", "entities": ["EMAIL_ADDRESS"], "level": 3}
    assert json.loads(next(r for r in scan if r[2] == "command_succeeded")[4]) == {"decisions": 2, "exit_code": None}


def test_a_failing_command_records_its_failure_and_reraises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "decisions.duckdb"
    duckdb.connect(str(database)).close()
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(database))
    with pytest.raises(KeyError), command_audit(PROJECT_DIR, None, "propagate") as audit:
        audit.decision("classification_changed", "marts.dim_customers.email", {"from_level": None, "to_level": 3})
        raise KeyError("a message that is never stored")
    rows = _rows(database, "select kind, details from audit.governance_decisions order by kind")
    assert rows[0][0] == "classification_changed"
    assert rows[1] == ("command_failed", json.dumps({"decisions": 1, "error": "KeyError"}, separators=(",", ":")))


@pytest.mark.parametrize(("kind", "subject", "details", "why"), [
    ("scan_finding", "shop.customers__ct.email", {"example": "x"}, "holds values"),
    ("scan_finding", "shop.customers__ct.email", {"entity": "jane.doe@example.com"}, "email"),
    ("scan_finding", "shop.customers__ct.phone", {"note": "+49 30 1234567"}, "digits"),
    ("scan_finding", "shop.payments__ct.card_number", {"last": "4111111111111111"}, "digits"),
    ("scan_finding", "shop.customers__ct.first_name", {"who": "Jane Doe"}, "capitalised"),
    ("scan_finding", "shop.customers__ct.date_of_birth", {"seen": "1984-03-07"}, "digits"),
    ("scan_finding", "shop.orders__ct.ip_address", {"seen": "10.1.2.3"}, "IPv4"),
    ("scan_finding", "shop.customers__ct.email", {"nested": {"deeper": {"x": 1}}}, "not allowed"),
    ("scan_finding", "shop.customers__ct.email", {"long": "a" * 201}, "at most 200"),
    ("scan_finding", "jane@example.com", {}, "subject"),
    ("Scan Finding", "shop.customers__ct.email", {}, "snake_case"),
])
def test_row_data_is_refused(kind: str, subject: str, details: dict[str, Any], why: str) -> None:
    with pytest.raises(RowDataError, match=why):
        check_no_row_data(kind, subject, details)


def test_facts_about_columns_are_accepted() -> None:
    check_no_row_data("masking_applied", "finance.fct_payments.card_number",
                      {"level": 4, "category": "text", "mask": "redact", "policy": "GOVERNANCE.MASK_L4_VARCHAR_TEXT",
                       "entities": ["CREDIT_CARD"], "score": 0.85, "changed": True, "status": "stale: view masks it"})


def test_decisions_write_to_snowflake(tmp_path: Path) -> None:
    """The Snowflake path of the API, against fakesnow in process (schema <schema>_AUDIT)."""
    fakesnow = pytest.importorskip("fakesnow")
    import snowflake.connector

    with fakesnow.patch():
        record_decision(PROJECT_DIR, "snowflake_emulator", "check", "check_result", "marts.dim_customers.email",
                        {"passed": True, "level": 3})
        with snowflake.connector.connect(database="ANALYTICS", schema="CI") as con:
            rows = con.cursor().execute("select command, kind, subject, details from ANALYTICS.CI_AUDIT."
                                        "GOVERNANCE_DECISIONS").fetchall()
    assert rows == [("check", "check_result", "marts.dim_customers.email", '{"level":3,"passed":true}')]


# ------------------------------------------------------------------------------------------------
# The exporter and a real Prometheus
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exporter(observed: Observed) -> Iterator[tuple[str, GovernanceCollector]]:
    collector = GovernanceCollector(observed.settings())
    stop = threading.Event()
    port = free_port()
    server, _ = serve(collector, "127.0.0.1", port, interval=2.0, stop=stop)
    yield f"127.0.0.1:{port}", collector
    stop.set()
    server.shutdown()


def _get(url: str, timeout: float = 10.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


@pytest.fixture(scope="module")
def prometheus(exporter: tuple[str, GovernanceCollector], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip("prometheus is not installed (make setup installs it as root)")
    root = tmp_path_factory.mktemp("prometheus")
    shutil.copy(MONITORING / "alerts.yml", root / "alerts.yml")
    (root / "prometheus.yml").write_text(
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\nrule_files: [alerts.yml]\n"
        f"scrape_configs:\n  - job_name: governance\n    static_configs: [{{targets: ['{exporter[0]}']}}]\n")
    port = free_port()
    process = subprocess.Popen(
        [binary, f"--config.file={root / 'prometheus.yml'}", f"--storage.tsdb.path={root / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
        stdout=subprocess.DEVNULL, stderr=(root / "prometheus.log").open("w"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                up = query(url, 'up{job="governance"}')
                if up and up[0]["value"][1] == "1":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(f"prometheus did not scrape the exporter:\n{(root / 'prometheus.log').read_text()}")
            time.sleep(0.5)
        time.sleep(2.5)  # two more scrapes: range queries and `for` clauses have samples
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def query(url: str, promql: str) -> list[dict[str, Any]]:
    body = json.loads(_get(f"{url}/api/v1/query?{urllib.parse.urlencode({'query': promql})}"))
    assert body["status"] == "success", body
    return body["data"]["result"]


def test_prometheus_scrapes_every_series(prometheus: str) -> None:
    missing = [name for name in SERIES if not query(prometheus, f'{{__name__="{name}", job="governance"}}')]
    assert not missing


def test_series_carry_what_the_trail_and_artifacts_say(prometheus: str) -> None:
    success = query(prometheus, 'dbt_run_last_success{command="build"}')
    assert [s["value"][1] for s in success] == ["1"]
    failing = query(prometheus, 'dbt_node_last_status{resource_type="test", status=~"fail|error"}')
    assert failing == []
    rows = query(prometheus, 'dbt_incremental_rows_processed{node_id="model.analytics.fct_orders"}')
    assert float(rows[0]["value"][1]) > 0
    assert query(prometheus, "governance_unmasked_columns")[0]["value"][1] == "0"
    assert query(prometheus, "governance_roles_drift")[0]["value"][1] == "0"
    classified = query(prometheus, 'sum(governance_columns{level=~"3|4"})')
    assert float(classified[0]["value"][1]) > 20
    freshness = query(prometheus, "dbt_source_freshness_status == 1")
    assert {s["metric"]["table"] for s in freshness} >= {"customers__ct", "tickets", "ad_spend"}
    credits = query(prometheus, "sum(snowflake_warehouse_credits_last_24h)")
    assert float(credits[0]["value"][1]) > 0
    reads = query(prometheus, 'snowflake_sensitive_column_reads_last_24h{role="ANALYST", level="3"}')
    assert reads[0]["value"][1] == "59"
    age = float(query(prometheus, "governance_last_scan_age_seconds")[0]["value"][1])
    assert 0 <= age < 3600


def test_every_dashboard_panel_returns_data(prometheus: str) -> None:
    empty = [(uid, title) for uid, title, expr in dashboards.all_queries() if not query(prometheus, expr)]
    assert not empty


def test_prometheus_loads_the_alerting_rules(prometheus: str) -> None:
    body = json.loads(_get(f"{prometheus}/api/v1/rules"))
    rules = [rule for group in body["data"]["groups"] for rule in group["rules"]]
    assert len(rules) == 10 and all(rule["health"] == "ok" for rule in rules)
    # the fixture's raw layer is a month old: SourceStale is pending or firing for its tables
    stale = next(rule for rule in rules if rule["name"] == "SourceStale")
    assert stale["state"] in ("pending", "firing") and stale["alerts"]


def test_scrape_answers_within_200_ms(exporter: tuple[str, GovernanceCollector]) -> None:
    timings = []
    for _ in range(15):
        started = time.perf_counter()
        _get(f"http://{exporter[0]}/metrics")
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.2, timings


# ------------------------------------------------------------------------------------------------
# Faults
# ------------------------------------------------------------------------------------------------

def _metrics(collector: GovernanceCollector) -> dict[str, float]:
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.parser import text_string_to_metric_families

    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    text = generate_latest(registry).decode()
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}"] = sample.value
    return found


def test_exporter_survives_missing_and_corrupt_artifacts(observed: Observed, tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    target = tmp_path / "target"
    shutil.copytree(observed.target_path, target)
    collector = GovernanceCollector(observed.settings(target))
    collector.refresh()
    assert _metrics(collector)["governance_exporter_input_up{input=run_results.json}"] == 1

    (target / "run_results.json").write_text('{"metadata": {"dbt_version": "1.11"}, "results": [')  # cut short
    (target / "sources.json").unlink()
    (target / "manifest.json").write_text("not json at all")
    caplog.set_level(logging.WARNING, logger="governance.exporter")
    collector.refresh()
    metrics = _metrics(collector)
    assert metrics["governance_exporter_input_up{input=run_results.json}"] == 0
    assert metrics["governance_exporter_input_problem{input=run_results.json,reason=corrupt}"] == 1
    assert metrics["governance_exporter_input_problem{input=sources.json,reason=missing}"] == 1
    assert metrics["governance_exporter_input_problem{input=manifest.json,reason=corrupt}"] == 1
    assert metrics["governance_exporter_input_up{input=audit_trail}"] == 1
    # last good values are still served
    assert metrics["dbt_run_results_elapsed_seconds{command=build}"] > 0
    log = caplog.text
    assert f"{target / 'run_results.json'}: corrupt" in log and f"{target / 'sources.json'}: missing" in log
    assert f"{target / 'manifest.json'}: corrupt" in log

    # an exporter started on a missing target directory serves its health and the trail
    fresh = GovernanceCollector(observed.settings(tmp_path / "nowhere"))
    fresh.refresh()
    metrics = _metrics(fresh)
    assert metrics["governance_exporter_input_problem{input=manifest.json,reason=missing}"] == 1
    assert metrics["dbt_run_last_success{command=build,target=dev}"] == 1


def test_exporter_survives_a_locked_warehouse(observed: Observed, tmp_path: Path) -> None:
    database = tmp_path / "locked.duckdb"
    shutil.copy(observed.database, database)
    settings = Settings(PROJECT_DIR, observed.settings().target, observed.target_path, None)
    settings.target.fields["path"] = str(database)
    collector = GovernanceCollector(settings)
    collector.refresh()
    # another process writes the file (as a running dbt does)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\n"
                               f"con = duckdb.connect({str(database)!r})\nprint('ready', flush=True)\ntime.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        collector.refresh()
        metrics = _metrics(collector)
    finally:
        holder.terminate()
        holder.wait(timeout=30)
    assert metrics["governance_exporter_input_problem{input=audit_trail,reason=locked}"] == 1
    assert metrics["dbt_run_last_success{command=build,target=dev}"] == 1


# ------------------------------------------------------------------------------------------------
# Never a row value
# ------------------------------------------------------------------------------------------------

def _personal_values(database: Path, manifest_path: Path) -> set[str]:
    """Every distinct raw value (4+ characters) of every source column whose meta names PII entities,
    and of the JSON fields the scan found personal in a JSON column."""
    manifest = json.loads(manifest_path.read_text())
    values: set[str] = set()
    with duckdb.connect(str(database), read_only=True) as con:
        for source in manifest["sources"].values():
            for name, column in source["columns"].items():
                meta = {**column.get("meta", {}), **column.get("config", {}).get("meta", {})}
                if not meta.get("pii"):
                    continue
                relation = f'{source["schema"]}."{source["identifier"]}"'
                expressions = [f'cast("{name}" as varchar)']
                if name == "payload":
                    expressions = [f"json_extract_string(payload, '{path}')"
                                   for path in ("$.requester.name", "$.requester.email", "$.description")]
                for expression in expressions:
                    for (value,) in con.execute(f"select distinct {expression} from {relation}").fetchall():
                        if value is not None and len(value) >= 4:
                            values.add(value)
    return values


def test_no_audit_field_or_metric_carries_a_row_value(observed: Observed,
                                                      exporter: tuple[str, GovernanceCollector]) -> None:
    personal = _personal_values(observed.database, observed.target_path / "manifest.json")
    assert len(personal) > 1000
    fields: list[str] = []
    for database in (observed.database, observed.failed_database):
        with duckdb.connect(str(database), read_only=True) as con:
            for table in TABLE_COLUMNS:
                columns = ", ".join(f"cast({c} as varchar)" for c in TABLE_COLUMNS[table])
                for row in con.execute(f"select {columns} from audit.{table}").fetchall():
                    fields.extend(v for v in row if v is not None)
    metrics = _get(f"http://{exporter[0]}/metrics").decode()
    for line in metrics.splitlines():
        if "{" in line and not line.startswith("#"):
            fields.extend(part.split('="', 1)[1].rstrip('"}') for part in line.split("{", 1)[1].split('",')
                          if '="' in part)
    assert len(fields) > 1000
    exact = personal & set(fields)
    assert not exact, f"{len(exact)} audit field(s) or label(s) equal a raw personal value"
    haystack = "\n".join(fields) + "\n" + metrics
    long_values = [v for v in personal if len(v) >= 8]
    leaked = sum(1 for v in long_values if v in haystack)
    assert leaked == 0, f"{leaked} raw personal value(s) appear in the audit trail or the metrics"
    assert POISON not in haystack  # the failing model's error message (which quotes it) is not stored


# ------------------------------------------------------------------------------------------------
# Rules, dashboards, Snowflake SQL
# ------------------------------------------------------------------------------------------------

def test_promtool_checks_and_unit_tests_the_rules() -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (make setup installs prometheus as root)")
    for args in (["check", "rules", "alerts.yml"], ["test", "rules", "alerts_test.yml"],
                 ["check", "config", "prometheus.yml"]):
        result = subprocess.run([promtool, *args], cwd=MONITORING, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr


def test_dashboards_are_generated_and_checked(tmp_path: Path) -> None:
    run = [str(Path(sys.executable).parent / "governance-dashboards"), "--project-dir", str(PROJECT_DIR)]
    committed = subprocess.run([*run, "--check"], capture_output=True, text=True, timeout=120)
    assert committed.returncode == 0, committed.stdout + committed.stderr
    output = tmp_path / "dashboards"
    subprocess.run([*run, "--output-dir", str(output)], check=True, capture_output=True, timeout=120)
    assert sorted(p.name for p in output.glob("*.json")) == sorted(dashboards.generated_files())
    edited = output / "governed-cost.json"
    edited.write_text(edited.read_text().replace("Credits this month", "Credits"))
    drift = subprocess.run([*run, "--output-dir", str(output), "--check"], capture_output=True, text=True, timeout=120)
    assert drift.returncode == 1 and "governed-cost.json (generated)" in drift.stdout
    for text in dashboards.generated_files().values():
        board = json.loads(text)
        assert board["panels"] and all(p["targets"] and p["description"] for p in board["panels"])


@pytest.fixture(scope="module")
def access_audit_sql(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("access_audit")
    run_dbt(["compile", "--select", "snowflake_sensitive_column_access", "--vars",
             "{render_snowflake_only_models: true}"], PROJECT_DIR, root / "compile.duckdb", root / "target")
    compiled = next((root / "target" / "compiled").rglob("snowflake_sensitive_column_access.sql")).read_text()
    return compiled, json.loads((root / "target" / "manifest.json").read_text())


def test_access_audit_model_is_snowflake_sql_over_access_history(access_audit_sql: tuple[str, dict[str, Any]]) -> None:
    sql, manifest = access_audit_sql
    tree = sqlglot.parse_one(sql, read="snowflake")
    tables = {".".join(p for p in (t.catalog, t.db, t.name) if p).lower() for t in tree.find_all(exp.Table)}
    assert {"snowflake.account_usage.access_history", "snowflake.account_usage.query_history"} <= tables
    assert {c.alias_or_name for c in tree.selects} == {"*"}
    final = next(cte for cte in tree.find_all(exp.CTE) if cte.alias == "final")
    assert [c.alias_or_name for c in final.this.selects] == [
        "query_id", "user_name", "role_name", "warehouse_name", "access_kind", "object_name", "column_name", "pii",
        "classification", "query_start_time"]
    # the classification joined to: exactly the project's level 3-4 columns
    expected = set()
    for node in [*manifest["nodes"].values(), *manifest["sources"].values()]:
        if node["resource_type"] not in ("model", "seed", "snapshot", "source") or node["package_name"] != "analytics":
            continue
        relation = node["identifier"] if node["resource_type"] == "source" else node.get("alias") or node["name"]
        for column in node["columns"].values():
            level = {**column.get("meta", {}), **column.get("config", {}).get("meta", {})}.get("classification")
            if isinstance(level, int) and level >= 3:
                expected.add((f"{node['database']}.{node['schema']}.{relation}".upper(), column["name"].upper(), level))
    values = next(v for v in tree.find_all(exp.Values))
    found = {(row.expressions[0].this, row.expressions[1].this, int(row.expressions[2].this))
             for row in values.expressions}
    assert found == expected and len(found) > 20


def test_access_audit_model_is_disabled_on_duckdb(built_warehouse: Warehouse) -> None:
    manifest = json.loads(built_warehouse.manifest.read_text())
    assert "model.analytics.snowflake_sensitive_column_access" not in manifest["nodes"]
    assert "model.analytics.snowflake_sensitive_column_access" in manifest["disabled"]


def test_exporter_snowflake_queries_parse_as_snowflake_sql() -> None:
    for sql in (snowflake_usage.METERING_SQL,
                snowflake_usage.ACCESS_SQL.format(relation="ANALYTICS.AUDIT.SNOWFLAKE_SENSITIVE_COLUMN_ACCESS")):
        tree = sqlglot.parse_one(sql, read="snowflake")
        assert isinstance(tree, exp.Select) and tree.args.get("group")
    tables = {t.name.lower() for t in sqlglot.parse_one(snowflake_usage.METERING_SQL, read="snowflake")
              .find_all(exp.Table)}
    assert tables == {"warehouse_metering_history"}


@pytest.mark.snowflake
def test_access_audit_model_builds_on_snowflake(tmp_path: Path) -> None:
    """On a real account: build the model and read it back (needs ACCOUNT_USAGE access)."""
    needed = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_DATABASE")
    if not all(os.environ.get(n) for n in needed) or not os.environ.get("SNOWFLAKE_PRIVATE_KEY_PATH"):
        pytest.skip("needs SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, SNOWFLAKE_PRIVATE_KEY_PATH (the project's `snowflake` "
                    "target authenticates with a key pair) and SNOWFLAKE_DATABASE")
    result = run_dbt(["build", "--select", "snowflake_sensitive_column_access"], PROJECT_DIR, tmp_path / "x.duckdb",
                     tmp_path / "target", check=False, DBT_TARGET="snowflake")
    assert result.returncode == 0, result.stdout[-3000:]
