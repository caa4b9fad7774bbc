"""The orchestration event log: one JSON object per line, appended, never rewritten.

An alert callback (task failure, retry, DAG-run failure, a missed deadline) records an event here. The
observability work will feed this file into the audit trail and the metrics; until then it is the one
place an operator looks. An event holds identifiers, states, timings and an exception's *type*, never an
exception's message or any other text that could quote a data value or a secret (dbt and database errors
can quote rows).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

EVENT_LOG_ENV = "GOVERNED_ANALYTICS_EVENT_LOG"
DEFAULT_EVENT_LOG = Path(__file__).resolve().parent.parent / ".governance" / "orchestration_events.jsonl"

# Only these keys are written; anything else a caller passes is dropped, so a value cannot slip in.
EVENT_FIELDS = (
    "event",
    "dag_id",
    "run_id",
    "task_id",
    "map_index",
    "try_number",
    "max_tries",
    "state",
    "exception_type",
    "deadline_name",
    "deadline",
    "logical_date",
    "duration_s",
)


def event_log_path() -> Path:
    """Where events go: $GOVERNED_ANALYTICS_EVENT_LOG, else <project>/.governance/orchestration_events.jsonl."""
    return Path(os.environ.get(EVENT_LOG_ENV) or DEFAULT_EVENT_LOG)


def record_event(event: str, **fields: Any) -> dict[str, Any]:
    """Append one event (a JSON line) to the event log and return it.

    Keys outside EVENT_FIELDS are ignored, values are made JSON-safe (str() for anything that is not a
    number, bool or None). The line is written with a single append-mode write, so concurrent tasks do not
    interleave lines.
    """
    record: dict[str, Any] = {"ts": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "event": event}
    for key in EVENT_FIELDS[1:]:
        value = fields.get(key)
        if value is None:
            continue
        record[key] = value if isinstance(value, (int, float, bool)) else str(value)
    path = event_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, sort_keys=True) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return record


def _get(obj: Any, key: str) -> Any:
    """An attribute of an Airflow object, or a key of its JSON form (a deadline callback gets dicts)."""
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def _context_fields(context: Mapping[str, Any], *, task_level: bool = True) -> dict[str, Any]:
    """Identifiers from an Airflow callback context (task instance, DAG run); no values, no messages.

    The DAG run's `conf` and the exception's message are deliberately not read.
    """
    ti = context.get("ti") or context.get("task_instance")
    dag_run = context.get("dag_run")
    dag = context.get("dag")
    exception = context.get("exception")
    fields: dict[str, Any] = {
        "dag_id": _get(dag, "dag_id") or _get(ti, "dag_id") or _get(dag_run, "dag_id"),
        "run_id": _get(dag_run, "run_id") or _get(ti, "run_id"),
        "logical_date": _get(dag_run, "logical_date"),
    }
    if ti is not None and task_level:
        fields.update(
            task_id=_get(ti, "task_id"),
            map_index=_get(ti, "map_index"),
            try_number=_get(ti, "try_number"),
            max_tries=_get(ti, "max_tries"),
            state=_get(ti, "state"),
            duration_s=_get(ti, "duration"),
        )
    if exception is not None:
        fields["exception_type"] = type(exception).__name__ if isinstance(exception, BaseException) else "str"
    return fields


def on_task_failure(context: Mapping[str, Any]) -> None:
    """Task-level on_failure_callback: the task failed for good (no retry left)."""
    record_event("task_failed", **_context_fields(context))


def on_task_retry(context: Mapping[str, Any]) -> None:
    """Task-level on_retry_callback: the task failed and will be retried."""
    record_event("task_up_for_retry", **_context_fields(context))


def on_dag_run_failure(context: Mapping[str, Any]) -> None:
    """DAG-level on_failure_callback (the run failed, or hit its dagrun_timeout)."""
    record_event("dag_run_failed", **_context_fields(context, task_level=False))


def on_dag_run_success(context: Mapping[str, Any]) -> None:
    """DAG-level on_success_callback."""
    record_event("dag_run_succeeded", **_context_fields(context, task_level=False))


def on_deadline_missed(context: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
    """Deadline alert callback (Airflow 3's replacement for SLAs): the run is still not done at its deadline."""
    fields = _context_fields(context or {}, task_level=False)
    deadline = (context or {}).get("deadline")
    if isinstance(deadline, Mapping):
        fields["deadline"] = deadline.get("deadline_time")
    record_event("deadline_missed", deadline_name=kwargs.get("deadline_name"), **fields)
