"""`governance-exporter`: Prometheus metrics from the audit trail, dbt's artifacts and the governance state.

A background thread refreshes a snapshot every `--refresh-interval` seconds (reading the warehouse,
`run_results.json`, `sources.json`, `manifest.json`, `roles.yml`); a scrape only serialises that
snapshot, so it answers in milliseconds whatever the warehouse is doing. An input that cannot be read
(a missing or corrupt artifact, a DuckDB file locked by a running dbt) is logged once, naming the file
and what is wrong with it, and reported as `governance_exporter_input_up{input=...} 0`; its last good
series are served until it can be read again. Metrics carry names, statuses, levels, times and counts:
never a row value.

    governance-exporter --port 9188                  # serve http://127.0.0.1:9188/metrics
    governance-exporter --once                       # print the metrics once and exit
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from governance.errors import GovernanceError
from governance.observability import snowflake_usage, state
from governance.observability.audit import TrailSnapshot, as_utc, audit_schema, open_warehouse, read_trail
from governance.project import find_project_dir
from governance.project.profiles import Target

LOG = logging.getLogger("governance.exporter")
DEFAULT_PORT = 9188
FRESHNESS_STATUSES = ("pass", "warn", "error", "runtime error")
NODE_STATUSES = ("success", "error", "pass", "fail", "warn", "skipped", "runtime error")
PERIOD_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Settings:
    project_dir: Path
    target: Target
    target_path: Path
    snowflake_usage_file: Path | None = None

    @property
    def database(self) -> Path | None:
        return Path(self.target.duckdb_path()) if self.target.type == "duckdb" else None


class InputError(Exception):
    """An input cannot be read; `reason` is one word (missing, corrupt, locked, unreadable, error)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def read_json_artifact(path: Path) -> dict[str, Any]:
    """A dbt artifact through the kernel; a failure becomes an InputError the exporter reports."""
    from governance.project.manifest import ArtifactError, read_artifact

    try:
        return read_artifact(path)
    except ArtifactError as exc:
        raise InputError(exc.reason, str(exc)) from exc


def _family(kind: type, name: str, doc: str, labels: Iterable[str] = ()) -> Any:
    return kind(name, doc, labels=list(labels))


def _ts(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    utc = as_utc(value)
    return utc.timestamp() if utc else None


class GovernanceCollector(Collector):
    """Serves the last good metric families of every input, plus the exporter's own health."""

    INPUTS = ("audit_trail", "run_results.json", "sources.json", "manifest.json", "roles", "protected_columns",
              "snowflake_usage")

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.lock = threading.Lock()
        self.families: dict[str, list[Metric]] = {}
        self.errors: dict[str, InputError | None] = {}
        self.last_scan: float | None = None
        self.freshness_loaded: dict[tuple[str, str], float] = {}
        self.refresh_seconds = 0.0
        self.refreshed_at = 0.0
        self._memo: dict[str, tuple[Any, Any]] = {}

    # -- refresh ------------------------------------------------------------------------------
    def refresh(self) -> None:
        started = time.perf_counter()
        manifest_path = self.settings.target_path / "manifest.json"
        readers: dict[str, Callable[[], list[Metric]]] = {
            "audit_trail": self._audit_trail,
            "run_results.json": lambda: self._run_results(self.settings.target_path / "run_results.json"),
            "sources.json": lambda: self._sources(self.settings.target_path / "sources.json"),
            "manifest.json": lambda: self._coverage(manifest_path),
            "roles": lambda: self._roles(manifest_path),
            "protected_columns": lambda: self._protected(manifest_path),
        }
        if self.settings.target.type == "snowflake" or self.settings.snowflake_usage_file:
            readers["snowflake_usage"] = self._snowflake_usage
        for name, reader in readers.items():
            try:
                families = reader()
            except InputError as exc:
                self._failed(name, exc)
                continue
            except Exception as exc:  # a reader must never take the exporter down; the class only
                self._failed(name, InputError("error", f"{name}: {type(exc).__name__}: {_safe(exc)}"))
                continue
            with self.lock:
                self.families[name] = families
                if self.errors.get(name) is not None:
                    LOG.warning("input %s: readable again", name)
                self.errors[name] = None
        self.last_scan = self._last_scan()
        with self.lock:
            self.refresh_seconds = time.perf_counter() - started
            self.refreshed_at = time.time()

    def _failed(self, name: str, exc: InputError) -> None:
        with self.lock:
            previous = self.errors.get(name)
            self.errors[name] = exc
        if previous is None or str(previous) != str(exc):
            LOG.warning("input %s: %s (serving its last good values)", name, exc)

    def _memoised(self, key: str, inputs: list[Path], compute: Callable[[], Any]) -> Any:
        """Recompute only when an input file changed (the governance computations cost seconds)."""
        signature = tuple((str(p), p.stat().st_mtime_ns if p.exists() else None) for p in inputs)
        cached = self._memo.get(key)
        if cached is not None and cached[0] == signature:
            return cached[1]
        value = compute()
        self._memo[key] = (signature, value)
        return value

    # -- readers --------------------------------------------------------------------------------
    def _audit_trail(self) -> list[Metric]:
        target = self.settings.target
        try:
            with open_warehouse(target, read_only=True) as connection:
                snapshot = read_trail(connection, target)
                columns = self._warehouse_columns(connection.raw.cursor()) if target.type == "duckdb" else None
        except GovernanceError as exc:
            cause = exc.__cause__
            reason = "locked" if cause is not None and "lock" in str(cause).lower() else "unreadable"
            where = target.duckdb_path() if target.type == "duckdb" else f"target {target.name}"
            raise InputError(reason, f"{where}: {reason} ({type(cause or exc).__name__})") from exc
        with self.lock:
            self._warehouse_cols = columns
            self._trail_last_scan = _ts(snapshot.last_scan)
        return self._trail_families(snapshot)

    def _warehouse_columns(self, cursor: Any) -> dict[tuple[str, str], set[str]]:
        cursor.execute("select lower(table_schema), lower(table_name), lower(column_name) "
                       "from information_schema.columns")
        found: dict[tuple[str, str], set[str]] = {}
        for schema, table, column in cursor.fetchall():
            found.setdefault((schema, table), set()).add(column)
        return found

    def _trail_families(self, trail: TrailSnapshot) -> list[Metric]:
        started = CounterMetricFamily("dbt_runs_started", "dbt invocations started (audit trail)",
                                      labels=["command", "target"])
        for (command, target), n in sorted(trail.runs_started.items()):
            started.add_metric([command, target], n)
        ended = CounterMetricFamily("dbt_runs", "dbt invocations ended, by status (audit trail); fewer than "
                                    "started: runs killed before on-run-end", labels=["command", "target", "status"])
        for (command, target, status), n in sorted(trail.runs_ended.items()):
            ended.add_metric([command, target, status], n)
        success = _family(GaugeMetricFamily, "dbt_run_last_success",
                          "1 if the latest run of the command succeeded (no error, no failing test), else 0",
                          ["command", "target"])
        duration = _family(GaugeMetricFamily, "dbt_run_last_duration_seconds", "Wall time of the latest run",
                           ["command", "target"])
        finished = _family(GaugeMetricFamily, "dbt_run_last_timestamp_seconds", "When the latest run ended",
                           ["command", "target"])
        nodes = _family(GaugeMetricFamily, "dbt_run_last_nodes", "Nodes of the latest run by outcome",
                        ["command", "target", "outcome"])
        for run in sorted(trail.last_runs, key=lambda r: (r.command, r.target_name)):
            labels = [run.command, run.target_name]
            success.add_metric(labels, 1.0 if run.status == "success" else 0.0)
            if run.duration_seconds is not None:
                duration.add_metric(labels, run.duration_seconds)
            if (when := _ts(run.recorded_at)) is not None:
                finished.add_metric(labels, when)
            for outcome, n in sorted(run.counts.items()):
                nodes.add_metric([*labels, outcome], n)
        node_duration = _family(GaugeMetricFamily, "dbt_node_last_duration_seconds",
                                "Execution time of each node's latest run", ["node_id", "resource_type"])
        node_status = _family(GaugeMetricFamily, "dbt_node_last_status",
                              "1 for the status of each node's latest run (skipped runs are ignored)",
                              ["node_id", "resource_type", "status"])
        test_failures = _family(GaugeMetricFamily, "dbt_test_last_failures",
                                "Failing rows (a count, never the rows) of each data test's latest run",
                                ["node_id", "resource_type"])
        rows = _family(GaugeMetricFamily, "dbt_incremental_rows_processed",
                       "Rows the latest run of each incremental model or snapshot wrote",
                       ["node_id", "materialization"])
        for node in sorted(trail.last_nodes, key=lambda n: n.node_id):
            if node.execution_seconds is not None:
                node_duration.add_metric([node.node_id, node.resource_type], node.execution_seconds)
            node_status.add_metric([node.node_id, node.resource_type, node.status], 1.0)
            if node.resource_type in ("test", "unit_test") and node.failures is not None:
                test_failures.add_metric([node.node_id, node.resource_type], node.failures)
            if node.rows_affected is not None and node.materialization in ("incremental", "snapshot"):
                rows.add_metric([node.node_id, node.materialization], node.rows_affected)
        decisions = CounterMetricFamily("governance_decisions", "Governance decisions on the audit trail",
                                        labels=["command", "kind"])
        for (command, kind), n in sorted(trail.decisions.items()):
            decisions.add_metric([command, kind], n)
        return [started, ended, success, duration, finished, nodes, node_duration, node_status, test_failures,
                rows, decisions]

    def _run_results(self, path: Path) -> list[Metric]:
        data = read_json_artifact(path)
        metadata = data.get("metadata") or {}
        command = str((data.get("args") or {}).get("which") or "unknown")
        generated = _family(GaugeMetricFamily, "dbt_run_results_timestamp_seconds",
                            "When dbt wrote run_results.json", ["command"])
        if (when := _ts(metadata.get("generated_at"))) is not None:
            generated.add_metric([command], when)
        elapsed = _family(GaugeMetricFamily, "dbt_run_results_elapsed_seconds",
                          "Elapsed time of the invocation in run_results.json", ["command"])
        elapsed.add_metric([command], float(data.get("elapsed_time") or 0.0))
        counts: dict[str, int] = {}
        for result in data.get("results") or []:
            status = str(result.get("status"))
            counts[status] = counts.get(status, 0) + 1
        by_status = _family(GaugeMetricFamily, "dbt_run_results_nodes",
                            "Nodes in run_results.json by status", ["command", "status"])
        for status, n in sorted(counts.items()):
            by_status.add_metric([command, status], n)
        return [generated, elapsed, by_status]

    def _sources(self, path: Path) -> list[Metric]:
        data = read_json_artifact(path)
        status = _family(GaugeMetricFamily, "dbt_source_freshness_status",
                         "1 for the status of each raw table at the latest `dbt source freshness`",
                         ["source", "table", "status"])
        age = _family(GaugeMetricFamily, "dbt_source_freshness_age_seconds",
                      "Age of the newest row of each raw table when freshness was checked", ["source", "table"])
        error_after = _family(GaugeMetricFamily, "dbt_source_freshness_error_after_seconds",
                              "The table's error_after freshness threshold", ["source", "table"])
        warn_after = _family(GaugeMetricFamily, "dbt_source_freshness_warn_after_seconds",
                             "The table's warn_after freshness threshold", ["source", "table"])
        checked = _family(GaugeMetricFamily, "dbt_source_freshness_checked_timestamp_seconds",
                          "When freshness was checked", ["source", "table"])
        loaded: dict[tuple[str, str], float] = {}
        for result in data.get("results") or []:
            unique_id = str(result.get("unique_id", ""))
            parts = unique_id.split(".")
            if len(parts) < 4:
                continue
            labels = [parts[-2], parts[-1]]
            for value in FRESHNESS_STATUSES:
                status.add_metric([*labels, value], 1.0 if result.get("status") == value else 0.0)
            if isinstance(result.get("max_loaded_at_time_ago_in_s"), (int, float)):
                age.add_metric(labels, float(result["max_loaded_at_time_ago_in_s"]))
            criteria = result.get("criteria") or {}
            for family, key in ((error_after, "error_after"), (warn_after, "warn_after")):
                rule = criteria.get(key) or {}
                if rule.get("count") and rule.get("period") in PERIOD_SECONDS:
                    family.add_metric(labels, float(rule["count"]) * PERIOD_SECONDS[rule["period"]])
            if (when := _ts(result.get("snapshotted_at"))) is not None:
                checked.add_metric(labels, when)
            if (newest := _ts(result.get("max_loaded_at"))) is not None:
                loaded[(labels[0], labels[1])] = newest
        with self.lock:
            self.freshness_loaded = loaded
        return [status, age, error_after, warn_after, checked]

    def _coverage(self, manifest_path: Path) -> list[Metric]:
        manifest = read_json_artifact(manifest_path)
        columns = getattr(self, "_warehouse_cols", None)
        counts = state.classification_coverage(manifest, columns)
        family = _family(GaugeMetricFamily, "governance_columns",
                         "Columns of the project's relations by classification level (0: unclassified)",
                         ["resource_type", "level"])
        for (kind, level), n in sorted(counts.items()):
            family.add_metric([kind, level], n)
        return [family]

    def _roles(self, manifest_path: Path) -> list[Metric]:
        read_json_artifact(manifest_path)  # says which file is missing or corrupt
        project = self.settings.project_dir
        inputs = [manifest_path, project / "roles.yml", project / "dbt_project.yml"]
        result = self._memoised("roles", inputs, lambda: state.roles_state(project, manifest_path))
        drift = _family(GaugeMetricFamily, "governance_roles_drift",
                        "1 when roles.yml is not what `governance roles` generates (as `governance roles --check`)")
        drift.add_metric([], 1.0 if result.drift else 0.0)
        findings = _family(GaugeMetricFamily, "governance_roles_findings",
                           "Least-privilege findings of the generated roles spec")
        findings.add_metric([], result.findings)
        return [drift, findings]

    def _protected(self, manifest_path: Path) -> list[Metric]:
        read_json_artifact(manifest_path)
        settings = self.settings
        inputs = [manifest_path, settings.project_dir / "dbt_project.yml"]
        if settings.database is not None:
            inputs += [settings.database, Path(f"{settings.database}.wal")]
        try:
            statuses = self._memoised("protected", inputs, lambda: state.protected_statuses(
                settings.project_dir, manifest_path, settings.target.type, settings.database))
        except GovernanceError as exc:
            raise InputError("unreadable", f"protected columns: {_safe(exc)}") from exc
        protected = _family(GaugeMetricFamily, "governance_protected_columns",
                            "Level 3-4 columns by masking status (as `governance protected`)", ["status"])
        counts: dict[str, int] = {}
        for status in statuses:
            key = status.split(":", 1)[0]
            counts[key] = counts.get(key, 0) + 1
        for status, n in sorted(counts.items()):
            protected.add_metric([status], n)
        unmasked = _family(GaugeMetricFamily, "governance_unmasked_columns",
                           "Level 3-4 columns without the mask the policy asks for (should be 0)")
        unmasked.add_metric([], state.unmasked(statuses))
        return [protected, unmasked]

    def _snowflake_usage(self) -> list[Metric]:
        now = datetime.now(timezone.utc)
        if self.settings.snowflake_usage_file is not None:
            try:
                metering, access = snowflake_usage.load_recorded(self.settings.snowflake_usage_file, now)
            except FileNotFoundError as exc:
                raise InputError("missing", f"{self.settings.snowflake_usage_file}: missing") from exc
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError("corrupt", f"{self.settings.snowflake_usage_file}: corrupt "
                                            f"({type(exc).__name__})") from exc
        else:
            target = self.settings.target
            relation = f"{target.database}.{audit_schema(target)}.{snowflake_usage.ACCESS_MODEL}".upper()
            with open_warehouse(target, read_only=True) as connection:
                cursor = connection.raw.cursor()
                cursor.execute(f"select count(*) from {target.database}.information_schema.tables "
                               "where table_schema = %s and table_name = %s",
                               (audit_schema(target).upper(), snowflake_usage.ACCESS_MODEL.upper()))
                exists = cursor.fetchone()[0] > 0
                metering, access = snowflake_usage.query_account(cursor, relation if exists else None)
        usage = snowflake_usage.summarise(metering, access, now)
        month = _family(GaugeMetricFamily, "snowflake_warehouse_credits_month_to_date",
                        "Credits each warehouse used since the start of the month (metering history)", ["warehouse"])
        for warehouse, credits in sorted(usage.credits_month_to_date.items()):
            month.add_metric([warehouse], credits)
        day = _family(GaugeMetricFamily, "snowflake_warehouse_credits_last_24h",
                      "Credits each warehouse used in the last 24 hours", ["warehouse"])
        for warehouse, credits in sorted(usage.credits_last_24h.items()):
            day.add_metric([warehouse], credits)
        budget = _family(GaugeMetricFamily, "snowflake_credit_budget_month",
                         "The monthly credit budget (vars.observability.credit_budget_month)")
        if (limit := credit_budget(self.settings.project_dir)) is not None:
            budget.add_metric([], limit)
        reads = _family(GaugeMetricFamily, "snowflake_sensitive_column_reads_last_24h",
                        "Reads of level 3-4 columns in the last 24 hours, by role and level (access history)",
                        ["role", "level"])
        readers = _family(GaugeMetricFamily, "snowflake_sensitive_column_readers_last_24h",
                          "Distinct users reading level 3-4 columns in an hour (the busiest hour of the last 24)",
                          ["role", "level"])
        for (role, level), n in sorted(usage.reads_last_24h.items()):
            reads.add_metric([role, level], n)
            readers.add_metric([role, level], usage.readers_last_24h.get((role, level), 0))
        return [month, day, budget, reads, readers]

    def _last_scan(self) -> float | None:
        candidates = [getattr(self, "_trail_last_scan", None)]
        state_file = self.settings.project_dir / ".governance" / "scan_state.json"
        if state_file.is_file():
            candidates.append(state_file.stat().st_mtime)
        found = [c for c in candidates if c is not None]
        return max(found) if found else None

    # -- collect --------------------------------------------------------------------------------
    def collect(self) -> Iterable[Metric]:
        now = time.time()
        with self.lock:
            families = [f for name in sorted(self.families) for f in self.families[name]]
            errors = dict(self.errors)
            loaded = dict(self.freshness_loaded)
            refresh_seconds, refreshed_at, last_scan = self.refresh_seconds, self.refreshed_at, self.last_scan
        yield from families
        lag = _family(GaugeMetricFamily, "raw_replication_lag_seconds",
                      "Now minus the newest loaded_at of each raw table (as of the latest freshness check)",
                      ["source", "table"])
        for (source, table), newest in sorted(loaded.items()):
            lag.add_metric([source, table], max(0.0, now - newest))
        yield lag
        scan_time = _family(GaugeMetricFamily, "governance_last_scan_timestamp_seconds",
                            "When `governance scan` last ran (audit trail, or its state file)")
        scan_age = _family(GaugeMetricFamily, "governance_last_scan_age_seconds", "Age of the last PII scan")
        if last_scan is not None:
            scan_time.add_metric([], last_scan)
            scan_age.add_metric([], max(0.0, now - last_scan))
        yield scan_time
        yield scan_age
        up = _family(GaugeMetricFamily, "governance_exporter_input_up",
                     "1 when the input was read at the latest refresh; 0: its last good values are served",
                     ["input"])
        problem = _family(GaugeMetricFamily, "governance_exporter_input_problem",
                          "1 for what is wrong with an input (missing, corrupt, locked, unreadable, error)",
                          ["input", "reason"])
        for name in sorted(errors):
            error = errors[name]
            up.add_metric([name], 0.0 if error else 1.0)
            if error is not None:
                problem.add_metric([name, error.reason], 1.0)
        yield up
        yield problem
        refresh = _family(GaugeMetricFamily, "governance_exporter_refresh_duration_seconds",
                          "How long the latest refresh of every input took")
        refresh.add_metric([], refresh_seconds)
        yield refresh
        refreshed = _family(GaugeMetricFamily, "governance_exporter_last_refresh_timestamp_seconds",
                            "When the inputs were last refreshed")
        refreshed.add_metric([], refreshed_at)
        yield refreshed


def _safe(exc: BaseException) -> str:
    """An error's text for the log, cut short; database driver errors are reduced to their class."""
    module = type(exc).__module__ or ""
    if module.startswith(("duckdb", "snowflake", "_duckdb")):
        return type(exc).__name__
    return str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__


def credit_budget(project_dir: Path) -> float | None:
    from governance.errors import ProjectError
    from governance.project import DbtProject

    try:
        data = DbtProject.locate(project_dir).config
        value = ((data.get("vars") or {}).get("observability") or {}).get("credit_budget_month")
        return float(value) if value is not None else None
    except (ProjectError, TypeError, ValueError, AttributeError):
        return None


def build_settings(project_dir: Path | None, target_name: str | None, target_path: Path | None,
                   snowflake_usage_file: Path | None) -> Settings:
    from governance.observability.audit import resolve_target

    project = (project_dir or find_project_dir()).resolve()
    target = resolve_target(project, target_name)
    if target_path is None:
        env = os.environ.get("DBT_TARGET_PATH")
        target_path = Path(env) if env else project / "target"
    if not target_path.is_absolute():
        target_path = project / target_path
    return Settings(project, target, target_path, snowflake_usage_file)


def serve(collector: GovernanceCollector, host: str, port: int, interval: float,
          stop: threading.Event | None = None) -> tuple[Any, threading.Thread]:
    """Refresh once, start the HTTP server and a refresher thread; returns (server, refresher)."""
    registry = CollectorRegistry(auto_describe=False)
    collector.refresh()
    registry.register(collector)
    server, _ = start_http_server(port, addr=host, registry=registry)
    stop = stop or threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            collector.refresh()

    refresher = threading.Thread(target=loop, name="governance-exporter-refresh", daemon=True)
    refresher.start()
    return server, refresher


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="governance-exporter",
        description="Serve Prometheus metrics of the dbt pipeline and the governance state: runs, nodes, tests, "
                    "source freshness, incremental rows, classification coverage, unmasked level 3-4 columns, "
                    "roles drift, the last scan and, on Snowflake, credits and reads of sensitive columns.")
    parser.add_argument("--project-dir", type=Path, default=None, help="dbt project directory (default: search up)")
    parser.add_argument("--target", default=None, help="profile target to read the audit trail from (default: "
                                                        "the profile's)")
    parser.add_argument("--target-path", type=Path, default=None,
                        help="dbt artifacts directory (default: $DBT_TARGET_PATH or <project>/target)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--refresh-interval", type=float, default=30.0,
                        help="seconds between refreshes of the inputs (default 30)")
    parser.add_argument("--snowflake-usage", type=Path, default=None,
                        help="replay recorded Snowflake metering and access rows from this JSON file "
                             "(tests and demos; on a Snowflake target the account is queried)")
    parser.add_argument("--once", action="store_true", help="print the metrics once and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        settings = build_settings(args.project_dir, args.target, args.target_path, args.snowflake_usage)
    except GovernanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    collector = GovernanceCollector(settings)
    if args.once:
        collector.refresh()
        registry = CollectorRegistry(auto_describe=False)
        registry.register(collector)
        sys.stdout.write(generate_latest(registry).decode())
        return 0
    serve(collector, args.host, args.port, args.refresh_interval)
    LOG.info("serving http://%s:%d/metrics (target %s, artifacts in %s)", args.host, args.port,
             settings.target.name, settings.target_path)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
