"""Describe the daily-loop DAG as JSON. Runs in .venv-airflow (the project's pytest starts it as a subprocess).

    .venv-airflow/bin/python tests/python/airflow_dag_probe.py

Prints the DagBag's import errors and, for the DAG: schedule, limits, default args, the deadline alert, every
task id, and which tasks run downstream of the governance scan gate / upstream of the post-build checks.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

DAGS_DIR = Path(__file__).resolve().parents[2] / "orchestration" / "dags"


def main() -> int:
    from airflow.dag_processing.dagbag import DagBag

    started = time.perf_counter()
    bag = DagBag(dag_folder=str(DAGS_DIR))
    fill_s = time.perf_counter() - started
    out: dict = {"import_errors": {str(k): str(v) for k, v in bag.import_errors.items()}, "fill_s": fill_s}
    dag = bag.dags.get("governed_analytics_daily")
    if dag is not None:
        alerts = dag.deadline if isinstance(dag.deadline, list) else [dag.deadline] if dag.deadline else []
        gate = dag.get_task("governance_scan_gate")
        check = dag.get_task("governance_check")
        out.update(
            dag_id=dag.dag_id,
            schedule=str(dag.schedule),
            catchup=dag.catchup,
            max_active_runs=dag.max_active_runs,
            max_active_tasks=dag.max_active_tasks,
            dagrun_timeout_s=dag.dagrun_timeout.total_seconds() if dag.dagrun_timeout else None,
            has_failure_callback=bool(dag.on_failure_callback),
            tasks={
                task.task_id: {
                    "retries": task.retries,
                    "execution_timeout_s": task.execution_timeout.total_seconds() if task.execution_timeout else None,
                    "has_failure_callback": bool(task.on_failure_callback),
                    "operator": type(task).__name__,
                }
                for task in dag.tasks
            },
            downstream_of_gate=sorted(gate.get_flat_relative_ids(upstream=False)),
            upstream_of_check=sorted(check.get_flat_relative_ids(upstream=True)),
            deadlines=[
                {
                    "reference": type(alert.reference).__name__,
                    "interval_s": alert.interval.total_seconds(),
                    "callback": str(alert.callback.path),
                    "callback_type": type(alert.callback).__name__,
                }
                for alert in alerts
            ],
        )
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
