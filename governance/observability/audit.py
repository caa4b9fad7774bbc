"""The audit schema and a reader of the audit trail.

dbt's hooks (macros/audit/audit_trail.sql) write `dbt_invocations` and `dbt_node_results`; the
governance commands write `governance_decisions` (decisions.py). The schema is named as
`generate_schema_name('audit')` names it: `audit` on DuckDB and on Snowflake `prod*`/`ci` targets,
`<target schema>_audit` on any other Snowflake target.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from governance.errors import ProjectError
from governance.project import DbtProject
from governance.project.profiles import Target, load_target
from governance.project.warehouse import Connection, connect

AUDIT_SCHEMA = "audit"

# Columns of each audit table, as the dbt macro `audit_table_columns()` declares them (a test keeps
# the two in step). Types are the DuckDB names; Snowflake's come from dbt's cross-database macros.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "dbt_invocations": (
        "invocation_id", "phase", "command", "target_name", "target_type", "dbt_version", "full_refresh",
        "started_at", "recorded_at", "status", "nodes", "succeeded", "errors", "test_failures", "warnings",
        "skipped", "duration_seconds",
    ),
    "dbt_node_results": (
        "invocation_id", "node_id", "resource_type", "materialization", "status", "started_at", "completed_at",
        "execution_seconds", "rows_affected", "failures", "thread_id", "recorded_at",
    ),
    "governance_decisions": ("run_id", "command", "target_name", "kind", "subject", "details", "decided_at"),
}

DECISIONS_DDL = {
    "duckdb": ("run_id varchar, command varchar, target_name varchar, kind varchar, subject varchar, "
               "details varchar, decided_at timestamp"),
    "snowflake": ("run_id varchar, command varchar, target_name varchar, kind varchar, subject varchar, "
                  "details varchar, decided_at timestamp_ntz"),
}


def audit_schema(target: Target) -> str:
    """The audit schema of a target (mirrors macros/utils/generate_schema_name.sql)."""
    if target.type == "duckdb" or target.name.startswith("prod") or target.name == "ci":
        return AUDIT_SCHEMA
    return f"{target.fields.get('schema', 'public')}_{AUDIT_SCHEMA}"


def qualified(target: Target, table: str) -> str:
    schema = audit_schema(target)
    if target.type == "snowflake":
        return f"{target.database}.{schema}.{table}".upper()
    return f"{schema}.{table}"


@contextlib.contextmanager
def open_warehouse(target: Target, read_only: bool, wait_seconds: float = 0.0) -> Iterator[Connection]:
    """A connection to the target's warehouse; on DuckDB, waits up to `wait_seconds` for a lock."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            connection = connect(target, read_only=read_only)
            break
        except ProjectError as exc:
            cause = exc.__cause__
            if cause is None or not _locked(cause) or time.monotonic() >= deadline:
                raise
            time.sleep(0.2)
    try:
        yield connection
    finally:
        connection.close()


def _locked(exc: BaseException) -> bool:
    """DuckDB refuses a second process while a writer (a running dbt) holds the file."""
    return "lock" in str(exc).lower()


@dataclass
class NodeResult:
    node_id: str
    resource_type: str
    materialization: str | None
    status: str
    execution_seconds: float | None
    rows_affected: int | None
    failures: int | None
    completed_at: datetime | None


@dataclass
class Invocation:
    invocation_id: str
    command: str
    target_name: str
    status: str
    started_at: datetime | None
    recorded_at: datetime | None
    duration_seconds: float | None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class TrailSnapshot:
    """What the exporter serves from the audit trail."""

    runs_started: dict[tuple[str, str], int]  # (command, target) -> count of 'start' rows
    runs_ended: dict[tuple[str, str, str], int]  # (command, target, status) -> count of 'end' rows
    last_runs: list[Invocation]  # the latest ended invocation per (command, target)
    last_nodes: list[NodeResult]  # the latest result of every node
    last_scan: datetime | None  # the latest decision of `governance scan`
    decisions: dict[tuple[str, str], int]  # (command, kind) -> count


def read_trail(connection: Connection, target: Target) -> TrailSnapshot:
    """Read the audit trail (every query aggregates: the result is small whatever the trail's size)."""
    cursor = connection.raw.cursor()
    inv, nodes, decisions = (qualified(target, t) for t in TABLE_COLUMNS)
    existing = _existing_tables(cursor, target)

    started: dict[tuple[str, str], int] = {}
    ended: dict[tuple[str, str, str], int] = {}
    last_runs: list[Invocation] = []
    if "dbt_invocations" in existing:
        cursor.execute(f"select command, target_name, phase, coalesce(status, ''), count(*) from {inv} "
                       "group by command, target_name, phase, coalesce(status, '')")
        for command, target_name, phase, status, n in cursor.fetchall():
            if phase == "start":
                started[(command, target_name)] = int(n)
            else:
                ended[(command, target_name, status)] = int(n)
        cursor.execute(
            f"select invocation_id, command, target_name, status, started_at, recorded_at, duration_seconds, "
            f"nodes, succeeded, errors, test_failures, warnings, skipped from {inv} where phase = 'end' "
            "qualify row_number() over (partition by command, target_name order by recorded_at desc) = 1")
        for row in cursor.fetchall():
            counts = dict(zip(("nodes", "succeeded", "errors", "test_failures", "warnings", "skipped"),
                              (int(v or 0) for v in row[7:]), strict=True))
            last_runs.append(Invocation(row[0], row[1], row[2], row[3], row[4], row[5],
                                        None if row[6] is None else float(row[6]), counts))

    last_nodes: list[NodeResult] = []
    if "dbt_node_results" in existing:
        cursor.execute(
            f"select node_id, resource_type, materialization, status, execution_seconds, rows_affected, failures, "
            f"completed_at from {nodes} where status not in ('skipped', 'no-op') "
            "qualify row_number() over (partition by node_id order by recorded_at desc) = 1")
        for row in cursor.fetchall():
            last_nodes.append(NodeResult(
                row[0], row[1], row[2], row[3], None if row[4] is None else float(row[4]),
                None if row[5] is None else int(row[5]), None if row[6] is None else int(row[6]), row[7]))

    last_scan = None
    counts: dict[tuple[str, str], int] = {}
    if "governance_decisions" in existing:
        cursor.execute(f"select command, kind, count(*), max(decided_at) from {decisions} group by command, kind")
        for command, kind, n, newest in cursor.fetchall():
            counts[(command, kind)] = int(n)
            if command == "scan" and newest is not None and (last_scan is None or newest > last_scan):
                last_scan = newest
    return TrailSnapshot(started, ended, last_runs, last_nodes, last_scan, counts)


def _existing_tables(cursor: Any, target: Target) -> set[str]:
    schema = audit_schema(target)
    if target.type == "snowflake":
        cursor.execute(f"select lower(table_name) from {target.database}.information_schema.tables "
                       "where lower(table_schema) = %s", (schema.lower(),))
    else:
        cursor.execute("select lower(table_name) from information_schema.tables where lower(table_schema) = ?",
                       (schema.lower(),))
    return {row[0] for row in cursor.fetchall()}


def as_utc(value: datetime | None) -> datetime | None:
    """Audit times are stored in UTC without a zone."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def resolve_target(project_dir: Path, target_name: str | None) -> Target:
    return load_target(DbtProject.locate(project_dir, target=target_name))
