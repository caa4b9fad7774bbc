"""`governance protected`: list every protected (masked) column, its level and its mask or policy."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from governance.errors import ProjectError
from governance.masking import (
    ProtectedColumn,
    classified_nodes,
    load_manifest,
    masked_in_view,
    protected_columns,
    snowflake_policy_name,
)
from governance.policy import find_project_dir, load_policy

SNOWFLAKE_ENV = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "protected",
        help="list every protected column with its level and mask, and check it is applied",
        description=(
            "List every column of every model, snapshot and seed whose classification (column meta "
            "`classification`) is a masked level, with its level, category and mask "
            "(vars.governance.masking), read from the manifest. With --target duckdb (default) each "
            "column is checked against the protected view that consumers read "
            "(<schema>_protected.<name>) in the DuckDB file. With --target snowflake the policy each "
            "column must carry is shown; with --live (and SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, "
            "SNOWFLAKE_PASSWORD set) the policies actually attached are read from "
            "INFORMATION_SCHEMA.POLICY_REFERENCES and compared. Exits 1 when a column is not protected "
            "as the policy says (missing, stale, or still masked after its classification was removed)."
        ),
        epilog="Example: governance protected --format json > protected.json",
    )
    parser.add_argument(
        "--project-dir", type=Path, default=None, help="dbt project directory (default: search up)"
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="manifest.json (default: $DBT_TARGET_PATH or <project>/target, manifest.json)",
    )
    parser.add_argument(
        "--target", choices=["duckdb", "snowflake"], default="duckdb", help="warehouse to report on"
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        help="DuckDB file (default: $DBT_DUCKDB_PATH or <project>/warehouse/analytics.duckdb)",
    )
    parser.add_argument(
        "--live", action="store_true", help="snowflake: read the attached policies from the account"
    )
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project_dir = args.project_dir or find_project_dir()
    policy = load_policy(project_dir)
    target_path = Path(os.environ.get("DBT_TARGET_PATH", project_dir / "target"))
    manifest = load_manifest(args.manifest or target_path / "manifest.json")
    if args.target == "duckdb":
        database = args.database or Path(
            os.environ.get("DBT_DUCKDB_PATH", project_dir / "warehouse/analytics.duckdb")
        )
        rows = _duckdb_rows(manifest, policy, database)
    else:
        rows = _snowflake_rows(manifest, policy, args.live)
    problems = [r for r in rows if r["status"] not in ("applied", "expected")]
    if args.format == "json":
        print(
            json.dumps(
                {
                    "target": args.target,
                    "policy": str(policy.source),
                    "columns": rows,
                    "problems": len(problems),
                },
                indent=2,
                sort_keys=True,
                default=str,
            )
        )
    else:
        _print_table(rows, args.target, len(problems))
    return 1 if problems else 0


def _duckdb_rows(manifest: dict[str, Any], policy: Any, database: Path) -> list[dict[str, Any]]:
    import duckdb

    if not database.is_file():
        raise ProjectError(f"{database}: DuckDB file not found; build the project first (make build)")
    with duckdb.connect(str(database), read_only=True) as con:
        types = {
            (s.lower(), t.lower(), c.lower()): d
            for s, t, c, d in con.execute(
                "select table_schema, table_name, column_name, data_type from information_schema.columns"
            ).fetchall()
        }
        views = {
            (s.lower(), v.lower()): sql
            for s, v, sql in con.execute(
                "select schema_name, view_name, sql from duckdb_views() where not internal"
            ).fetchall()
        }
    rows = []
    for column in protected_columns(manifest, policy, types):
        view_sql = views.get((f"{column.schema}_protected".lower(), column.relation.lower()))
        applied = masked_in_view(view_sql).get(column.column.lower()) if view_sql else None
        if view_sql is None:
            status = "missing: no protected view"
        elif applied is None:
            status = "missing: column not masked"
        elif applied != (column.level, column.category):
            status = f"stale: view masks it as level {applied[0]} {applied[1]}"
        else:
            status = "applied"
        rows.append(
            {
                **_base(column),
                "protected_relation": column.protected_relation,
                "policy": f"{policy.masking.schema}.mask_l{column.level}_{column.category}",
                "status": status,
            }
        )
    # a protected view that masks a column the manifest no longer classifies (unset not applied)
    wanted = {
        (c.schema.lower(), c.relation.lower(), c.column.lower())
        for c in protected_columns(manifest, policy, types)
    }
    for node in classified_nodes(manifest):
        relation = (node.get("alias") or node["name"]).lower()
        view_sql = views.get((f"{node['schema']}_protected".lower(), relation))
        for name, (level, category) in masked_in_view(view_sql).items() if view_sql else []:
            if (node["schema"].lower(), relation, name) not in wanted:
                rows.append(
                    {
                        "unique_id": node["unique_id"],
                        "relation": f"{node['schema']}.{relation}",
                        "column": name,
                        "level": level,
                        "category": category,
                        "mask": "",
                        "materialized": (node.get("config") or {}).get("materialized", ""),
                        "data_type": types.get((node["schema"].lower(), relation, name)),
                        "protected_relation": f"{node['schema']}_protected.{relation}",
                        "policy": f"{policy.masking.schema}.mask_l{level}_{category}",
                        "status": "stale: masked but no longer classified",
                    }
                )
    return rows


def _base(column: ProtectedColumn) -> dict[str, Any]:
    return {
        "unique_id": column.unique_id,
        "relation": f"{column.schema}.{column.relation}",
        "column": column.column,
        "level": column.level,
        "category": column.category,
        "mask": column.mask,
        "materialized": column.materialized,
        "data_type": column.data_type,
    }


def _snowflake_rows(manifest: dict[str, Any], policy: Any, live: bool) -> list[dict[str, Any]]:
    columns = protected_columns(manifest, policy)
    attached: dict[tuple[str, str], str] | None = None
    if live:
        attached = _snowflake_policy_references({(c.database, c.schema, c.relation) for c in columns})
    rows = []
    for column in columns:
        if column.data_type is None:
            policy_name, status = "(type known at build)", "expected"
        else:
            policy_name = f"{policy.masking.schema.upper()}." + snowflake_policy_name(
                column.level, column.data_type, column.category, column.mask
            )
            status = "expected"
        if attached is not None:
            fqn = f"{column.database}.{column.schema}.{column.relation}".upper()
            found = attached.get((fqn, column.column.upper()))
            status = (
                "applied"
                if found and found.endswith(policy_name.split(".")[-1])
                else (f"wrong policy {found}" if found else "missing: no policy attached")
            )
        rows.append(
            {
                **_base(column),
                "protected_relation": f"{column.database}.{column.schema}.{column.relation}",
                "policy": policy_name,
                "status": status,
            }
        )
    return rows


def _snowflake_policy_references(relations: set[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    missing = [name for name in (*SNOWFLAKE_ENV, "SNOWFLAKE_PASSWORD") if not os.environ.get(name)]
    if missing:
        raise ProjectError(f"--live needs environment variables {', '.join(missing)}")
    import snowflake.connector

    found: dict[tuple[str, str], str] = {}
    with snowflake.connector.connect(
        account=os.environ["SNOWFLAKE_ACCOUNT"],
        user=os.environ["SNOWFLAKE_USER"],
        password=os.environ["SNOWFLAKE_PASSWORD"],
        role=os.environ.get("SNOWFLAKE_ROLE"),
        warehouse=os.environ.get("SNOWFLAKE_WAREHOUSE"),
    ) as con:
        cursor = con.cursor()
        for database, schema, relation in sorted(relations):
            fqn = f"{database}.{schema}.{relation}".upper()
            cursor.execute(
                f"select ref_column_name, policy_db || '.' || policy_schema || '.' || policy_name "
                f"from table({database}.information_schema.policy_references("
                f"ref_entity_name => %s, ref_entity_domain => 'table')) where policy_kind = 'MASKING_POLICY'",
                (fqn,),
            )
            for column, policy_name in cursor.fetchall():
                found[(fqn, column.upper())] = policy_name.upper()
    return found


def _print_table(rows: list[dict[str, Any]], target: str, problems: int) -> None:
    console = Console(width=None if sys.stdout.isatty() else 160)
    read_as = "policy" if target == "snowflake" else "consumers read"
    table = Table(title=f"Protected columns ({target})", show_lines=False)
    for header in ("relation", "column", "level", "type", "category: mask", read_as, "status"):
        table.add_column(header, overflow="fold")
    for row in rows:
        where = row["policy"] if target == "snowflake" else row["protected_relation"]
        status = row["status"]
        table.add_row(
            row["relation"],
            row["column"],
            str(row["level"]),
            str(row["data_type"] or "?"),
            f"{row['category']}: {row['mask']}",
            where,
            status if status in ("applied", "expected") else f"[red]{status}[/red]",
        )
    console.print(table)
    relations = len({r["relation"] for r in rows})
    console.print(
        f"{len(rows)} protected column(s) in {relations} relation(s); "
        + (
            f"[red]{problems} not protected as the policy says[/red]"
            if problems
            else "all as the policy says"
        )
    )
