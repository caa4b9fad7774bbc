"""The orchestration event log (orchestration/events.py): append-only JSON lines, identifiers only.

The module has no Airflow import, so these run in the project's environment; the callbacks get stand-ins
for Airflow's context objects (attributes for task callbacks, JSON dicts for deadline callbacks).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import PROJECT_DIR

# orchestration/ is not part of the installed package (Airflow loads it from the repository)
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))
from orchestration import events

SECRETISH = "jane.doe@example.com"


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "nested" / "events.jsonl"
    monkeypatch.setenv(events.EVENT_LOG_ENV, str(path))
    return path


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_record_event_appends_json_lines_with_known_keys_only(log: Path) -> None:
    events.record_event("task_failed", dag_id="d", task_id="t", try_number=2, message=SECRETISH, sql="select 1")
    events.record_event("dag_run_failed", dag_id="d")
    first, second = lines(log)
    assert first["event"] == "task_failed" and first["try_number"] == 2 and first["task_id"] == "t"
    assert set(first) == {"ts", "event", "dag_id", "task_id", "try_number"}
    assert second["event"] == "dag_run_failed"
    assert SECRETISH not in log.read_text()


def test_task_failure_callback_records_the_exception_type_not_its_message(log: Path) -> None:
    ti = SimpleNamespace(dag_id="daily", task_id="dbt_build.dim_customers.run", run_id="r1", map_index=-1,
                         try_number=3, max_tries=2, state="failed", duration=12.5)
    dag_run = SimpleNamespace(dag_id="daily", run_id="r1", logical_date="2026-12-02T05:00:00+00:00",
                              conf={"note": SECRETISH})
    events.on_task_failure({"ti": ti, "dag_run": dag_run, "exception": ValueError(f"bad row {SECRETISH}")})
    (event,) = lines(log)
    assert event["event"] == "task_failed"
    assert event["exception_type"] == "ValueError"
    assert event["task_id"] == "dbt_build.dim_customers.run" and event["duration_s"] == 12.5
    assert SECRETISH not in log.read_text()


def test_dag_and_deadline_callbacks(log: Path) -> None:
    ti = SimpleNamespace(dag_id="daily", task_id="last_task", run_id="r1", try_number=1)
    events.on_dag_run_failure({"ti": ti, "dag_run": SimpleNamespace(dag_id="daily", run_id="r1")})
    # a deadline callback gets the DAG run as JSON (conf included) and the deadline as a dict
    events.on_deadline_missed(
        context={"dag_run": {"dag_id": "daily", "run_id": "r1", "conf": {"x": SECRETISH}},
                 "deadline": {"id": "abc", "deadline_time": "2026-12-02T07:00:00+00:00"}},
        deadline_name="daily_loop_2h",
    )
    failed, missed = lines(log)
    assert failed == {"ts": failed["ts"], "event": "dag_run_failed", "dag_id": "daily", "run_id": "r1"}
    assert missed["event"] == "deadline_missed" and missed["deadline_name"] == "daily_loop_2h"
    assert missed["deadline"] == "2026-12-02T07:00:00+00:00" and missed["run_id"] == "r1"
    assert SECRETISH not in log.read_text()
