"""Snowflake-only inputs of the exporter: warehouse credits and reads of level 3-4 columns.

On a Snowflake target the exporter runs the two queries below (hourly aggregates, so the result is
small); elsewhere it can replay recorded rows of the same shape from a JSON file
(`governance-exporter --snowflake-usage FILE`), which is how the tests exercise these series.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

# Credits per warehouse and hour since the start of the month (or the last 24 hours, if earlier).
METERING_SQL = """
select
    warehouse_name,
    date_trunc('hour', start_time) as usage_hour,
    sum(credits_used) as credits_used
from snowflake.account_usage.warehouse_metering_history
where start_time >= least(
    date_trunc('month', current_timestamp()), dateadd('hour', -24, current_timestamp())
)
group by warehouse_name, date_trunc('hour', start_time)
""".strip()

# Reads of level 3-4 columns per role, level and hour over the last 24 hours (the access-audit model).
ACCESS_SQL = """
select
    role_name,
    classification,
    date_trunc('hour', query_start_time) as usage_hour,
    count(*) as column_reads,
    count(distinct user_name) as readers
from {relation}
where query_start_time >= dateadd('hour', -24, current_timestamp())
group by role_name, classification, date_trunc('hour', query_start_time)
""".strip()

ACCESS_MODEL = "snowflake_sensitive_column_access"


@dataclass
class UsageSnapshot:
    credits_month_to_date: dict[str, float] = field(default_factory=dict)
    credits_last_24h: dict[str, float] = field(default_factory=dict)
    reads_last_24h: dict[tuple[str, str], int] = field(default_factory=dict)  # (role, level) -> reads
    readers_last_24h: dict[tuple[str, str], int] = field(default_factory=dict)


def summarise(metering: list[dict[str, Any]], access: list[dict[str, Any]], now: datetime) -> UsageSnapshot:
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    day_ago = now - timedelta(hours=24)
    snapshot = UsageSnapshot()
    for row in metering:
        hour, warehouse, credits = _utc(row["usage_hour"]), str(row["warehouse_name"]), float(row["credits_used"])
        if hour >= month_start:
            snapshot.credits_month_to_date[warehouse] = snapshot.credits_month_to_date.get(warehouse, 0.0) + credits
        if hour >= day_ago:
            snapshot.credits_last_24h[warehouse] = snapshot.credits_last_24h.get(warehouse, 0.0) + credits
    for row in access:
        if _utc(row["usage_hour"]) < day_ago:
            continue
        key = (str(row["role_name"]), str(row["classification"]))
        snapshot.reads_last_24h[key] = snapshot.reads_last_24h.get(key, 0) + int(row["column_reads"])
        snapshot.readers_last_24h[key] = max(snapshot.readers_last_24h.get(key, 0), int(row["readers"]))
    return snapshot


def _utc(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def query_account(cursor: Any, access_relation: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run the queries on a Snowflake cursor (the access query only when the model exists)."""

    def rows(sql: str) -> list[dict[str, Any]]:
        cursor.execute(sql)
        names = [d[0].lower() for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    metering = rows(METERING_SQL)
    access = rows(ACCESS_SQL.format(relation=access_relation)) if access_relation else []
    return metering, access


def load_recorded(path: Path, now: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Recorded rows (`{"metering": [...], "access": [...]}`), shifted so the newest hour is the
    current one: a recording stays inside the 24-hour and month windows whenever it is replayed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    metering, access = list(data.get("metering") or []), list(data.get("access") or [])
    hours = [_utc(r["usage_hour"]) for r in [*metering, *access]]
    if not hours:
        return metering, access
    shift = now.replace(minute=0, second=0, microsecond=0) - max(hours)

    def shifted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**r, "usage_hour": _utc(r["usage_hour"]) + shift} for r in rows]

    return shifted(metering), shifted(access)
