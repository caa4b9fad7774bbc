"""Copy the raw layer from a DuckDB file into Snowflake (or a Snowflake emulator) with
snowflake-connector-python, keeping the types: JSON becomes VARIANT, UUID becomes VARCHAR,
TIMESTAMP becomes TIMESTAMP_NTZ, DECIMAL(p, s) becomes NUMBER(p, s).

The raw layer is generated once, deterministically, by `load-raw` into DuckDB; this module only
moves it, so Snowflake and DuckDB builds start from exactly the same rows. A first copy creates the
tables; `--append` copies only the rows the target does not have yet (the raw layer is
append-only: the rows `load-raw --append-batch` added), which is how a change batch reaches Snowflake.

    python -m raw_loader.snowflake_copy --database warehouse/analytics.duckdb \\
        --account ... --user ... --password ... --sf-database ANALYTICS            # first copy
    python -m raw_loader.snowflake_copy ... --append                             # new rows only

Values are never printed: only table names and row counts.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from raw_loader.generate import RAW_SCHEMA

BATCH_ROWS = 2_000


@dataclass(frozen=True)
class RawColumn:
    name: str
    duckdb_type: str

    @property
    def snowflake_type(self) -> str:
        return snowflake_type(self.duckdb_type)

    @property
    def is_variant(self) -> bool:
        return self.snowflake_type == "variant"


def snowflake_type(duckdb_type: str) -> str:
    """The Snowflake type for a DuckDB column type of the raw layer."""
    t = duckdb_type.strip().upper()
    if t == "JSON":
        return "variant"
    if t in ("VARCHAR", "UUID") or t.startswith("VARCHAR("):
        return "varchar"
    if t in ("BIGINT", "HUGEINT", "UBIGINT"):
        return "number(38, 0)"
    if t in ("INTEGER", "SMALLINT", "TINYINT", "UINTEGER", "USMALLINT", "UTINYINT"):
        return "integer"
    if match := re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", t):
        return f"number({match[1]}, {match[2]})"
    if t in ("DOUBLE", "FLOAT", "REAL"):
        return "float"
    if t == "BOOLEAN":
        return "boolean"
    if t == "DATE":
        return "date"
    if t in ("TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "DATETIME"):
        return "timestamp_ntz"
    if t in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
        return "timestamp_tz"
    raise ValueError(f"no Snowflake type for DuckDB type {duckdb_type!r}")


def raw_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[RawColumn]]:
    """Tables of the raw schema with their columns, in definition order."""
    rows = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = ? order by table_name, ordinal_position", [RAW_SCHEMA]).fetchall()
    tables: dict[str, list[RawColumn]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append(RawColumn(column, data_type))
    if not tables:
        raise LookupError(f"no raw layer (schema {RAW_SCHEMA!r}) in the DuckDB database; run load-raw first")
    return tables


def select_sql(table: str, columns: list[RawColumn], skip: int) -> str:
    """The rows of `table` after the first `skip` ones. The raw layer is append-only (load-raw only
    appends, or drops the whole schema), so DuckDB's rowid orders rows by arrival."""
    exprs = [f"cast({c.name} as varchar)" if c.is_variant or c.duckdb_type.upper() == "UUID" else c.name
             for c in columns]
    return f"select {', '.join(exprs)} from {RAW_SCHEMA}.{table} where rowid >= {int(skip)} order by rowid"


def chunks(cursor: duckdb.DuckDBPyConnection, size: int) -> Iterator[list[tuple[Any, ...]]]:
    while rows := cursor.fetchmany(size):
        yield rows


def create_table_sql(table: str, columns: list[RawColumn], database: str) -> str:
    cols = ", ".join(f"{c.name} {c.snowflake_type}" for c in columns)
    return f"create or replace table {database}.{RAW_SCHEMA}.{table} ({cols})"


def insert_sql(table: str, columns: list[RawColumn], database: str) -> str:
    """A multi-row insert the connector binds client-side (pyformat); VARIANT columns arrive as
    JSON text in a load table and are parsed with PARSE_JSON."""
    names = ", ".join(c.name for c in columns)
    placeholders = ", ".join("%s" for _ in columns)
    target = f"{database}.{RAW_SCHEMA}.{load_table(table, columns)}"
    return f"insert into {target} ({names}) values ({placeholders})"


def load_table(table: str, columns: list[RawColumn]) -> str:
    return f"{table}__load" if any(c.is_variant for c in columns) else table


def copy_raw_layer(duck: duckdb.DuckDBPyConnection, snow: Any, database: str,
                   append: bool = False) -> dict[str, int]:
    """Copy the raw layer (or, with append, only the rows the target lacks) from `duck` into the
    Snowflake connection `snow`. Returns rows copied per table."""
    tables = raw_tables(duck)
    cur = snow.cursor()
    if not append:
        cur.execute(f"create database if not exists {database}")
        cur.execute(f"create schema if not exists {database}.{RAW_SCHEMA}")
    copied: dict[str, int] = {}
    for table in tables:
        columns = tables[table]
        skip = 0
        if append:
            cur.execute(f"select count(*) as n from {database}.{RAW_SCHEMA}.{table}")
            skip = int(cur.fetchone()[0])
        else:
            cur.execute(create_table_sql(table, columns, database))
        variant = any(c.is_variant for c in columns)
        if variant:
            load_cols = ", ".join(f"{c.name} {'varchar' if c.is_variant else c.snowflake_type}"
                                  for c in columns)
            cur.execute(f"create or replace table {database}.{RAW_SCHEMA}.{table}__load ({load_cols})")
        n = 0
        result = duck.execute(select_sql(table, columns, skip))
        statement = insert_sql(table, columns, database)
        for rows in chunks(result, BATCH_ROWS):
            cur.executemany(statement, rows)
            n += len(rows)
        if variant:
            exprs = ", ".join(f"parse_json({c.name}) as {c.name}" if c.is_variant else c.name
                              for c in columns)
            cur.execute(f"insert into {database}.{RAW_SCHEMA}.{table} ({', '.join(c.name for c in columns)}) "
                        f"select {exprs} from {database}.{RAW_SCHEMA}.{table}__load")
            cur.execute(f"drop table {database}.{RAW_SCHEMA}.{table}__load")
        copied[table] = n
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m raw_loader.snowflake_copy",
        description="Copy the raw layer of a DuckDB file (made by load-raw) into Snowflake or a Snowflake "
                    "emulator, keeping types (JSON -> VARIANT). Connection settings default to the "
                    "SNOWFLAKE_* environment variables; the password is read only from SNOWFLAKE_PASSWORD.")
    parser.add_argument("--database", default=os.environ.get("DBT_DUCKDB_PATH", "warehouse/analytics.duckdb"),
                        help="DuckDB file holding the raw layer (default: %(default)s)")
    parser.add_argument("--sf-database", default=os.environ.get("SNOWFLAKE_DATABASE", "ANALYTICS"),
                        help="Snowflake database to copy into, schema RAW (default: %(default)s)")
    parser.add_argument("--account", default=os.environ.get("SNOWFLAKE_ACCOUNT"))
    parser.add_argument("--user", default=os.environ.get("SNOWFLAKE_USER"))
    parser.add_argument("--role", default=os.environ.get("SNOWFLAKE_ROLE"))
    parser.add_argument("--warehouse", default=os.environ.get("SNOWFLAKE_WAREHOUSE"))
    parser.add_argument("--host", help="emulator host (e.g. 127.0.0.1)")
    parser.add_argument("--port", type=int, help="emulator port")
    parser.add_argument("--protocol", choices=["http", "https"], help="emulator protocol (http)")
    parser.add_argument("--append", action="store_true",
                        help="copy only the rows the target lacks (after load-raw --append-batch)")
    args = parser.parse_args(argv)
    if not args.account or not args.user:
        parser.error("--account and --user (or SNOWFLAKE_ACCOUNT and SNOWFLAKE_USER) are required")
    import snowflake.connector

    settings: dict[str, Any] = {"account": args.account, "user": args.user,
                                "password": os.environ.get("SNOWFLAKE_PASSWORD", "")}
    for key in ("role", "warehouse", "host", "port", "protocol"):
        if getattr(args, key):
            settings[key] = getattr(args, key)
    try:
        duck = duckdb.connect(args.database, read_only=True)
    except duckdb.Error as exc:
        print(f"error: cannot open DuckDB database {args.database}: {exc}", file=sys.stderr)
        return 2
    with duck, snowflake.connector.connect(**settings) as snow:
        copied = copy_raw_layer(duck, snow, args.sf_database, append=args.append)
    summary = ", ".join(f"{table} {n:,}" for table, n in copied.items())
    print(f"copied into {args.sf_database}.{RAW_SCHEMA}: {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
