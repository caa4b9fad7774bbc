"""The protection report: every column at a masked level, its mask or policy, and whether it is
applied in the warehouse as the policy says (`governance protected`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from governance.errors import ProjectError
from governance.masking.rules import ProtectedColumn, classified_nodes, protected_columns
from governance.policy.masking import snowflake_policy_name
from governance.project.warehouse import Connection

APPLIED_TABLE = "masking_applied"  # in the masking schema: what each protected view masks (no values)


def open_built_warehouse(database: Path) -> Any:
    """A read-only DuckDB connection to a built warehouse; a clear error when it is missing or locked."""
    import duckdb

    if not database.is_file():
        raise ProjectError(f"{database}: DuckDB file not found; build the project first (make build)")
    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.Error as exc:
        raise ProjectError(f"{database}: cannot open the DuckDB file read-only ({type(exc).__name__}: a running "
                           "dbt may hold its lock; retry when it has finished)") from exc


def built_column_types(con: Any) -> dict[tuple[str, str, str], str]:
    """(schema, relation, column), lower case -> the built column's type."""
    return {
        (s.lower(), t.lower(), c.lower()): d
        for s, t, c, d in con.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns").fetchall()
    }


def built_views(con: Any) -> set[tuple[str, str]]:
    """(schema, view), lower case, of every view of the warehouse."""
    return {(s.lower(), v.lower())
            for s, v in con.execute("select schema_name, view_name from duckdb_views() where not internal").fetchall()}


def duckdb_rows(manifest: dict[str, Any], policy: Any, database: Path) -> list[dict[str, Any]]:
    """Each protected column and its status, from what the DuckDB post-hook recorded as applied
    (<masking schema>.masking_applied: relation, column, level, category, mask; replaced per relation
    on every build) and the protected views that exist."""
    con = open_built_warehouse(database)
    schema = policy.masking.schema
    with con:
        types = built_column_types(con)
        views = built_views(con)
        recorded = (schema.lower(), APPLIED_TABLE) in {
            (s.lower(), t.lower()) for s, t in con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        }
        applied_rows = con.execute(
            f'select relation_schema, relation_name, column_name, level, category from "{schema}"."{APPLIED_TABLE}"'
        ).fetchall() if recorded else []
    applied: dict[tuple[str, str], dict[str, tuple[int, str]]] = {}
    for relation_schema, relation_name, column_name, level, category in applied_rows:
        applied.setdefault((relation_schema.lower(), relation_name.lower()), {})[column_name.lower()] = (
            int(level), str(category).lower())
    columns = protected_columns(manifest, policy, types)
    rows = []
    for column in columns:
        key = (column.schema.lower(), column.relation.lower())
        done = applied.get(key, {}).get(column.column.lower())
        if (f"{column.schema}_protected".lower(), column.relation.lower()) not in views:
            status = "missing: no protected view"
        elif not recorded:
            status = f"missing: no record of applied masking ({schema}.{APPLIED_TABLE}); rebuild"
        elif done is None:
            status = "missing: column not masked"
        elif done != (column.level, column.category):
            status = f"stale: view masks it as level {done[0]} {done[1]}"
        else:
            status = "applied"
        rows.append(
            {
                **_base(column),
                "protected_relation": column.protected_relation,
                "policy": f"{schema}.mask_l{column.level}_{column.category}",
                "status": status,
            }
        )
    # a protected view that masks a column the manifest no longer classifies (unset not applied)
    wanted = {(c.schema.lower(), c.relation.lower(), c.column.lower()) for c in columns}
    for node in classified_nodes(manifest):
        relation = (node.get("alias") or node["name"]).lower()
        for name, (level, category) in sorted(applied.get((node["schema"].lower(), relation), {}).items()):
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
                        "policy": f"{schema}.mask_l{level}_{category}",
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


def snowflake_rows(manifest: dict[str, Any], policy: Any, connection: Connection | None) -> list[dict[str, Any]]:
    """What each protected column must carry on Snowflake; with a connection, what it carries."""
    columns = protected_columns(manifest, policy)
    attached: dict[tuple[str, str], str] | None = None
    if connection is not None:
        attached = _snowflake_policy_references(connection, {(c.database, c.schema, c.relation) for c in columns})
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
                if found and is_project_policy(found, column.database, policy.masking.schema, policy_name.split(".")[-1])
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


def is_project_policy(found: str, database: str, schema: str, name: str) -> bool:
    """Whether an attached policy (DB.SCHEMA.NAME) is the project's policy `name` (or its length-fitted
    `_LEN<n>` variant) in the project's masking schema of the relation's database (a developer target
    prefixes the schema, e.g. DBT_JDOE_GOVERNANCE). A policy of the same name elsewhere is not."""
    parts = found.upper().split(".")
    if len(parts) != 3:
        return False
    db, policy_schema, policy_name = parts
    schema = schema.upper()
    return (db == database.upper() and (policy_schema == schema or policy_schema.endswith("_" + schema))
            and (policy_name == name.upper() or re.fullmatch(re.escape(name.upper()) + r"_LEN\d+", policy_name) is not None))


def _snowflake_policy_references(connection: Connection, relations: set[tuple[str, str, str]]
                                 ) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    cursor = connection.cursor()
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


def print_table(rows: list[dict[str, Any]], target: str, problems: int) -> None:
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
