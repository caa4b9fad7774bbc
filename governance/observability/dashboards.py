"""`governance-dashboards`: the Grafana dashboards as code.

Four dashboards (pipeline health, data quality, governance state, cost) over the exporter's series,
written as Grafana dashboard JSON into `monitoring/grafana/dashboards/` and committed. Grafana loads
them with a file provisioning provider (`monitoring/grafana/provisioning/`). The output is
deterministic, so `--check` (pre-commit, CI) fails with a diff when the committed JSON is not what
this module generates:

    governance-dashboards            # regenerate the JSON
    governance-dashboards --check    # exit 1 with a diff when a committed file is out of date
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.project import find_project_dir

OUTPUT_DIR = Path("monitoring") / "grafana" / "dashboards"
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
SCHEMA_VERSION = 39


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str = ""
    instant: bool = False


@dataclass(frozen=True)
class Panel:
    title: str
    kind: str  # timeseries, stat, bargauge, table
    queries: tuple[Query, ...]
    description: str
    unit: str = "short"
    width: int = 12
    height: int = 8
    thresholds: tuple[tuple[float | None, str], ...] = ((None, "green"),)


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    description: str
    panels: tuple[Panel, ...] = field(default_factory=tuple)


RED_ABOVE_ZERO = ((None, "green"), (1, "red"))
RED_BELOW_ONE = ((None, "red"), (1, "green"))

DASHBOARDS: tuple[Dashboard, ...] = (
    Dashboard("governed-pipeline-health", "Pipeline health", "dbt runs and nodes, from the audit trail.", (
        Panel("Latest run succeeded", "stat", (Query("dbt_run_last_success", "{{command}} on {{target}}", True),),
              "1: the latest run of the command had no error and no failing test.", thresholds=RED_BELOW_ONE,
              width=6, height=5),
        Panel("Runs that never finished", "stat",
              (Query("sum by (command, target) (dbt_runs_started_total) - sum by (command, target) (dbt_runs_total)",
                     "{{command}} on {{target}}", True),),
              "Started minus ended invocations: a run killed before on-run-end (or one running now).",
              thresholds=RED_ABOVE_ZERO, width=6, height=5),
        Panel("Time since the latest run", "stat",
              (Query("time() - dbt_run_last_timestamp_seconds", "{{command}} on {{target}}", True),),
              "Seconds since the latest run of each command ended.", unit="s", width=6, height=5),
        Panel("Exporter inputs readable", "stat",
              (Query("governance_exporter_input_up", "{{input}}", True),),
              "0: the exporter cannot read that input and serves its last good values.",
              thresholds=RED_BELOW_ONE, width=6, height=5),
        Panel("Run duration", "timeseries",
              (Query("dbt_run_last_duration_seconds", "{{command}} on {{target}}"),),
              "Wall time of the latest run of each command.", unit="s"),
        Panel("Nodes of the latest run by outcome", "bargauge",
              (Query("dbt_run_last_nodes", "{{command}} {{outcome}}", True),),
              "Succeeded, errors, failing tests, warnings and skipped nodes of the latest run."),
        Panel("Slowest nodes", "bargauge",
              (Query("topk(10, dbt_node_last_duration_seconds)", "{{node_id}}", True),),
              "The ten nodes whose latest run took longest.", unit="s"),
        Panel("Rows processed per incremental run", "timeseries",
              (Query("dbt_incremental_rows_processed", "{{node_id}}"),),
              "Rows each incremental model and snapshot wrote in its latest run."),
    )),
    Dashboard("governed-data-quality", "Data quality", "Data tests and source freshness.", (
        Panel("Failing tests", "stat",
              (Query('count(dbt_node_last_status{resource_type=~"test|unit_test", status=~"fail|error"} == 1) '
                     "or vector(0)", "failing", True),),
              "Data and unit tests whose latest run failed.", thresholds=RED_ABOVE_ZERO, width=6, height=5),
        Panel("Raw tables over their error threshold", "stat",
              (Query("count(raw_replication_lag_seconds > dbt_source_freshness_error_after_seconds) or vector(0)",
                     "stale", True),),
              "Raw tables whose newest row is older than the source's error_after.", thresholds=RED_ABOVE_ZERO,
              width=6, height=5),
        Panel("Tests by status", "bargauge",
              (Query('sum by (status) (dbt_node_last_status{resource_type=~"test|unit_test"})', "{{status}}", True),),
              "Latest status of every data and unit test.", width=12, height=5),
        Panel("Failing rows per test", "bargauge",
              (Query("topk(10, dbt_test_last_failures)", "{{node_id}}", True),),
              "How many rows each test's latest run found (a count, never the rows)."),
        Panel("Freshness status per raw table", "table",
              (Query("dbt_source_freshness_status == 1", "{{source}}.{{table}} {{status}}", True),),
              "Status of each raw table at the latest `dbt source freshness`."),
        Panel("Replication lag per raw table", "timeseries",
              (Query("raw_replication_lag_seconds", "{{source}}.{{table}}"),),
              "Now minus the newest loaded_at of each raw table.", unit="s"),
        Panel("Freshness age against the error threshold", "timeseries",
              (Query("dbt_source_freshness_age_seconds / dbt_source_freshness_error_after_seconds",
                     "{{source}}.{{table}}"),),
              "Above 1: the table was over its error_after when freshness was checked.", unit="percentunit"),
    )),
    Dashboard("governed-governance-state", "Governance state", "Classification, masking, roles and scans.", (
        Panel("Level 3-4 columns without their mask", "stat",
              (Query("governance_unmasked_columns", "unmasked", True),),
              "Should be 0 (as `governance protected`).", thresholds=RED_ABOVE_ZERO, width=6, height=5),
        Panel("Roles drift", "stat", (Query("governance_roles_drift", "drift", True),),
              "1: roles.yml is not what `governance roles` generates.", thresholds=RED_ABOVE_ZERO, width=6,
              height=5),
        Panel("Classification coverage", "stat",
              (Query('sum(governance_columns{level!="0"}) / sum(governance_columns)', "classified", True),),
              "Classified columns over all columns of the project's relations.", unit="percentunit", width=6,
              height=5),
        Panel("Age of the last PII scan", "stat", (Query("governance_last_scan_age_seconds", "age", True),),
              "Time since `governance scan` last ran.", unit="s", width=6, height=5),
        Panel("Columns per classification level", "bargauge",
              (Query("sum by (level) (governance_columns)", "level {{level}}", True),),
              "Level 0 is unclassified."),
        Panel("Protected columns by masking status", "bargauge",
              (Query("governance_protected_columns", "{{status}}", True),),
              "Level 3-4 columns: applied (or expected) is right; anything else is a problem."),
        Panel("Governance decisions", "timeseries",
              (Query("sum by (command, kind) (governance_decisions_total)", "{{command}} {{kind}}"),),
              "Decisions the governance commands appended to the audit trail."),
        Panel("Reads of level 3-4 columns (24 h) by role", "bargauge",
              (Query("sum by (role, level) (snowflake_sensitive_column_reads_last_24h)", "{{role}} level {{level}}",
                     True),),
              "Snowflake access history joined to the classification."),
    )),
    Dashboard("governed-cost", "Cost", "Snowflake credits against the monthly budget.", (
        Panel("Credits this month", "stat",
              (Query("sum(snowflake_warehouse_credits_month_to_date)", "credits", True),),
              "Credits used by every warehouse since the start of the month.", width=8, height=5),
        Panel("Budget used", "stat",
              (Query("sum(snowflake_warehouse_credits_month_to_date) / scalar(snowflake_credit_budget_month)",
                     "budget used", True),),
              "Share of the monthly credit budget (vars.observability.credit_budget_month).", unit="percentunit",
              thresholds=((None, "green"), (0.8, "orange"), (1, "red")), width=8, height=5),
        Panel("Monthly budget", "stat", (Query("snowflake_credit_budget_month", "budget", True),),
              "The monthly credit budget.", width=8, height=5),
        Panel("Credits per warehouse this month", "bargauge",
              (Query("snowflake_warehouse_credits_month_to_date", "{{warehouse}}", True),),
              "Month-to-date credits by warehouse."),
        Panel("Credits per warehouse, last 24 hours", "timeseries",
              (Query("snowflake_warehouse_credits_last_24h", "{{warehouse}}"),),
              "Credits by warehouse over the last 24 hours."),
    )),
)


def _panel_json(panel: Panel, panel_id: int, x: int, y: int) -> dict[str, Any]:
    targets = [{"datasource": DATASOURCE, "expr": q.expr, "legendFormat": q.legend or "__auto",
                "instant": q.instant, "range": not q.instant, "refId": chr(ord("A") + i)}
               for i, q in enumerate(panel.queries)]
    steps = [{"color": color, "value": value} for value, color in panel.thresholds]
    return {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": DATASOURCE,
        "gridPos": {"h": panel.height, "w": panel.width, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": panel.unit, "thresholds": {"mode": "absolute", "steps": steps}},
                        "overrides": []},
        "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}},
        "targets": targets,
    }


def render(dashboard: Dashboard) -> dict[str, Any]:
    panels, x, y, row_height = [], 0, 0, 0
    for i, panel in enumerate(dashboard.panels, start=1):
        if x + panel.width > 24:
            x, y, row_height = 0, y + row_height, 0
        panels.append(_panel_json(panel, i, x, y))
        x, row_height = x + panel.width, max(row_height, panel.height)
    return {
        "uid": dashboard.uid,
        "title": dashboard.title,
        "description": dashboard.description,
        "tags": ["governed-analytics"],
        "timezone": "utc",
        "editable": False,
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "refresh": "1m",
        "time": {"from": "now-24h", "to": "now"},
        "templating": {"list": [{
            "name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus",
            "current": {}, "hide": 0, "refresh": 1,
        }]},
        "annotations": {"list": []},
        "panels": panels,
    }


def generated_files() -> dict[str, str]:
    """File name -> JSON text of every dashboard."""
    return {f"{d.uid}.json": json.dumps(render(d), indent=2, sort_keys=True) + "\n" for d in DASHBOARDS}


def all_queries() -> list[tuple[str, str, str]]:
    """(dashboard uid, panel title, PromQL) of every panel query."""
    return [(d.uid, p.title, q.expr) for d in DASHBOARDS for p in d.panels for q in p.queries]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="governance-dashboards",
                                     description="Write the Grafana dashboards (JSON) from their definitions in "
                                                 "governance/observability/dashboards.py, or --check them.")
    parser.add_argument("--project-dir", type=Path, default=None, help="project directory (default: search up)")
    parser.add_argument("--output-dir", type=Path, default=None, help=f"default: <project>/{OUTPUT_DIR}")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 with a diff when a committed file is out of date")
    args = parser.parse_args(argv)
    output = args.output_dir or (args.project_dir or find_project_dir()) / OUTPUT_DIR
    files = generated_files()
    stale = sorted(p.name for p in output.glob("*.json") if p.name not in files) if output.is_dir() else []
    changed = 0
    for name, text in files.items():
        path = output / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        changed += 1
        if args.check:
            sys.stdout.writelines(difflib.unified_diff((current or "").splitlines(keepends=True),
                                                       text.splitlines(keepends=True),
                                                       fromfile=f"{name} (committed)", tofile=f"{name} (generated)"))
        else:
            output.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if args.check:
        if changed or stale:
            for name in stale:
                print(f"dashboards: {output / name} is not generated by this module; remove it")
            print(f"dashboards: {changed} file(s) out of date in {output}; run `governance-dashboards` and commit",
                  file=sys.stderr)
            return 1
        print(f"dashboards: {len(files)} dashboards in {output} are up to date")
        return 0
    for name in stale:
        (output / name).unlink()
    print(f"dashboards: wrote {changed} of {len(files)} dashboards to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
