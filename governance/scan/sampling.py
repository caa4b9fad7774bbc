"""List tables and columns and sample their values, deterministically and at a cost that does not grow
with the table.

Sampling happens in the database:

- DuckDB: tables up to ``FULL_SCAN_ROWS`` rows are sampled with ``USING SAMPLE reservoir(n ROWS)
  REPEATABLE (seed)``; larger tables first take a block sample sized to about ``BLOCK_ROWS`` rows
  (``TABLESAMPLE p% (system, seed)``, pushed into the scan, so only those blocks are read) and then
  the same reservoir. The work is bounded by ``FULL_SCAN_ROWS``/``BLOCK_ROWS`` whatever the size.
- Snowflake: ``SAMPLE BERNOULLI (p) SEED (s)`` for tables up to ``FULL_SCAN_ROWS`` rows and
  ``SAMPLE SYSTEM (p) SEED (s)`` (micro-partition sampling) above, with ``p`` sized from the row count
  in INFORMATION_SCHEMA so that about ``n`` rows come back. Snowflake ignores SEED for fixed-size
  ``SAMPLE (n ROWS)``, hence percentages.

Then, per column, the distinct non-null values are ordered by a seeded hash of the value and the first
``distinct_values`` kept: the same data gives the same values, and rare values (an email in 10% of
free-text rows) are as likely to be kept as common ones.

Sampled values live only in memory, in `TableSample.values`; nothing here prints, logs or stores them.
Database errors are reported by exception type and a fixed description only, since a database message
can quote a value.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from governance.project.warehouse import Connection

FULL_SCAN_ROWS = 100_000
BLOCK_ROWS = 50_000

BINARY_TYPES = ("BLOB", "BYTEA", "BINARY", "VARBINARY")
NESTED_TYPES = ("STRUCT", "MAP", "LIST", "UNION", "[]", "OBJECT", "ARRAY", "VARIANT")
JSON_TYPES = ("JSON", "VARIANT", "OBJECT", "ARRAY")
NUMERIC_TYPES = ("INT", "DECIMAL", "NUMERIC", "NUMBER", "DOUBLE", "FLOAT", "REAL", "HUGEINT", "BIGINT")
TEMPORAL_TYPES = ("DATE", "TIME", "TIMESTAMP", "INTERVAL")


@dataclass(frozen=True)
class TableRef:
    """A table to scan; `source`/`table` name the dbt source table that declares it (if any)."""

    database: str
    schema: str
    name: str
    source: str | None = None
    table: str | None = None

    @property
    def display(self) -> str:
        if self.source and self.table:
            return f"{self.source}.{self.table}"
        return f"{self.schema}.{self.name}"

    @property
    def relation(self) -> str:
        return f"{self.database}.{self.schema}.{self.name}"


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    data_type: str

    @property
    def kind(self) -> str:
        """binary | json | nested | numeric | temporal | boolean | text"""
        upper = self.data_type.upper()
        if any(upper.startswith(t) for t in BINARY_TYPES):
            return "binary"
        if any(upper.startswith(t) for t in JSON_TYPES):
            return "json"
        if any(t in upper for t in NESTED_TYPES):
            return "nested"
        if upper.startswith("BOOL"):
            return "boolean"
        if any(upper.startswith(t) for t in TEMPORAL_TYPES):
            return "temporal"
        if any(t in upper for t in NUMERIC_TYPES):
            return "numeric"
        return "text"


@dataclass
class TableSample:
    ref: TableRef
    columns: list[ColumnInfo]
    row_count: int
    sampled_rows: int = 0
    values: dict[str, list[str]] = field(default_factory=dict, repr=False)  # never print or store these
    method: str = ""


class ScanError(Exception):
    """A table could not be listed or sampled. The message never quotes database text."""


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def qualified(ref: TableRef) -> str:
    return ".".join(quote(p) for p in (ref.database, ref.schema, ref.name) if p)


def describe_error(exc: BaseException) -> str:
    """A safe one-line description of a database error (database messages can quote values)."""
    text = str(exc).lower()
    if "does not exist" in text or "not found" in text or "no such table" in text or "catalog error" in text:
        return f"table or column no longer exists ({type(exc).__name__})"
    if "permission" in text or "privilege" in text or "not authorized" in text:
        return f"not authorized to read it ({type(exc).__name__})"
    return f"query failed ({type(exc).__name__})"


# --- listing -----------------------------------------------------------------------------------------


def list_columns(con: Connection, ref: TableRef, cursor: Any = None) -> list[ColumnInfo]:
    cur = cursor or con.cursor()
    sql = (
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position"
    )
    params: list[Any] = [ref.database, ref.schema, ref.name]
    if con.dialect == "snowflake":
        sql = sql.replace("?", "%s").replace(
            "information_schema", f"{quote(ref.database)}.information_schema"
        )
    try:
        cur.execute(sql, params)
        rows = cur.fetchall()
        if not rows and con.dialect == "duckdb":  # DuckDB identifiers are case-insensitive
            cur.execute(
                sql.replace("table_catalog = ?", "lower(table_catalog) = lower(?)")
                .replace("table_schema = ?", "lower(table_schema) = lower(?)")
                .replace("table_name = ?", "lower(table_name) = lower(?)"),
                params,
            )
            rows = cur.fetchall()
    except Exception as exc:
        raise ScanError(describe_error(exc)) from None
    return [ColumnInfo(str(name), str(data_type)) for name, data_type in rows]


def list_tables(con: Connection, database: str, schema: str) -> list[TableRef]:
    """Every base table and view in `database`.`schema`."""
    cur = con.cursor()
    if con.dialect == "snowflake":
        cur.execute(
            f"select table_name from {quote(database)}.information_schema.tables "
            "where table_schema = %s order by table_name",
            [schema],
        )
    else:
        cur.execute(
            "select table_name from information_schema.tables where lower(table_catalog) = lower(?) "
            "and lower(table_schema) = lower(?) order by table_name",
            [database, schema],
        )
    return [TableRef(database, schema, str(row[0])) for row in cur.fetchall()]


def row_count(con: Connection, ref: TableRef, cursor: Any = None) -> int:
    cur = cursor or con.cursor()
    try:
        if con.dialect == "snowflake":
            cur.execute(
                f"select row_count from {quote(ref.database)}.information_schema.tables "
                "where table_schema = %s and table_name = %s",
                [ref.schema, ref.name],
            )
            row = cur.fetchone()
            if row and row[0] is not None:
                return int(row[0])
        cur.execute(f"select count(*) from {qualified(ref)}")
        row = cur.fetchone()
        return int(row[0]) if row else 0
    except Exception as exc:
        raise ScanError(describe_error(exc)) from None


# --- sampling ----------------------------------------------------------------------------------------


JSON_CHARS_FACTOR = 64  # a JSON document may be this many times longer than a plain value


def column_expression(column: ColumnInfo, dialect: str, max_chars: int | None = None) -> str | None:
    """SQL giving the column as text, cut to `max_chars` in the database (a JSON document to
    `JSON_CHARS_FACTOR` times that), or None for columns whose values are not read (binary)."""
    name = quote(column.name)
    kind = column.kind
    if kind == "binary":
        return None
    if dialect == "duckdb" and kind == "nested":
        expression = f"to_json({name})::varchar"
    elif dialect == "snowflake" and kind in ("json", "nested"):
        expression = f"to_json({name})"
    else:
        expression = f"cast({name} as varchar)"
    if max_chars:
        limit = max_chars * (JSON_CHARS_FACTOR if kind in ("json", "nested") else 1)
        expression = f"left({expression}, {limit})"
    return expression


def sampling_sql(
    ref: TableRef,
    columns: list[ColumnInfo],
    dialect: str,
    rows: int,
    total_rows: int,
    seed: int,
    max_chars: int | None = None,
) -> tuple[str, str]:
    """The sampling query and a short name of the method (for reports)."""
    select = []
    for i, column in enumerate(columns):
        expression = column_expression(column, dialect, max_chars)
        select.append(f"{expression or 'null'} as c{i}")
    projection = ", ".join(select) or "1 as c0"
    table = qualified(ref)
    if dialect == "duckdb":
        if total_rows <= FULL_SCAN_ROWS:
            return (
                f"select {projection} from {table} using sample reservoir({rows} rows) repeatable ({seed})",
                f"reservoir {rows} rows",
            )
        percent = max(0.001, min(100.0, 100.0 * BLOCK_ROWS / total_rows))
        return (
            f"select * from (select {projection} from {table} tablesample {percent:.4f}% (system, {seed})) "
            f"using sample reservoir({rows} rows) repeatable ({seed})",
            f"system {percent:.3f}% then reservoir {rows} rows",
        )
    if total_rows <= rows:
        return f"select {projection} from {table}", "all rows"
    percent = min(100.0, 100.0 * rows * 1.2 / total_rows)
    method = "bernoulli" if total_rows <= FULL_SCAN_ROWS else "system"
    if method == "system":
        percent = max(percent, min(100.0, 100.0 * BLOCK_ROWS / total_rows))
    return (
        f"select {projection} from {table} sample {method} ({percent:.6f}) seed ({seed})",
        f"{method} {percent:.4f}% seed {seed}",
    )


def value_key(value: str, seed: int) -> bytes:
    return hashlib.blake2b(
        value.encode("utf-8", "surrogatepass"), digest_size=8, key=str(seed).encode()
    ).digest()


def bounded_distinct(
    values: list[Any], limit: int, seed: int, max_chars: int | None = None, max_bytes: int | None = None
) -> list[str]:
    """Up to `limit` distinct non-null values as text, in a seeded-hash order (deterministic), each cut
    to `max_chars` and together at most `max_bytes` (UTF-8; undecodable bytes are replaced)."""
    distinct: set[str] = set()
    for value in values:
        if value is None:
            continue
        text = value if isinstance(value, str) else _text(value)
        if max_chars and len(text) > max_chars:
            text = text[:max_chars]
        if text.strip():
            distinct.add(text)
    ordered = sorted(distinct, key=lambda v: value_key(v, seed))[:limit]
    if max_bytes is None:
        return ordered
    kept, used = [], 0
    for text in ordered:
        size = len(text.encode("utf-8", "replace"))
        if used + size > max_bytes and kept:
            break
        kept.append(text)
        used += size
    return kept


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def sample_table(
    con: Connection,
    ref: TableRef,
    columns: list[ColumnInfo],
    total_rows: int,
    rows: int,
    distinct_values: int,
    seed: int,
    cursor: Any = None,
    max_chars: int | None = None,
    max_bytes: int | None = None,
) -> TableSample:
    sample = TableSample(ref, columns, total_rows)
    if not columns:
        return sample
    sql, sample.method = sampling_sql(ref, columns, con.dialect, rows, total_rows, seed, max_chars)
    cur = cursor or con.cursor()
    try:
        cur.execute(sql)
        fetched = cur.fetchall()
    except Exception as exc:
        raise ScanError(describe_error(exc)) from None
    if con.dialect == "snowflake" and len(fetched) > rows:
        fetched = sorted(fetched, key=lambda r: value_key(repr(r), seed))[:rows]
    sample.sampled_rows = len(fetched)
    for i, column in enumerate(columns):
        if column.kind == "binary":
            continue
        limit = max_chars * (JSON_CHARS_FACTOR if column.kind in ("json", "nested") else 1) if max_chars else None
        sample.values[column.name] = bounded_distinct(
            [row[i] for row in fetched], distinct_values, seed, limit, max_bytes
        )
    return sample
