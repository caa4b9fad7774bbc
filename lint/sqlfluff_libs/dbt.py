"""`dbt.<macro>()` cross-database macros as the DuckDB adapter renders them."""

from __future__ import annotations


def type_string() -> str:
    return "varchar"


def type_int() -> str:
    return "integer"


def type_bigint() -> str:
    return "bigint"


def type_numeric() -> str:
    return "numeric(28, 6)"


def type_timestamp() -> str:
    return "timestamp"


def type_boolean() -> str:
    return "boolean"


def current_timestamp() -> str:
    return "now()"


def datediff(first_date: str, second_date: str, datepart: str) -> str:
    return f"(date_diff('{datepart}', {first_date}::timestamp, {second_date}::timestamp))"


def dateadd(datepart: str, interval: str, from_date_or_timestamp: str) -> str:
    return f"date_add({from_date_or_timestamp}, interval ({interval}) {datepart})"


def safe_cast(field: str, type: str) -> str:
    return f"try_cast({field} as {type})"


def concat(fields: list[str]) -> str:
    return " || ".join(fields)
