"""Run the daily-loop DAG once, in this process, with Airflow's `dag.test()`, and report each task's state.

    python -m orchestration.dag_runner --output run.json

Used by the tests (the project's pytest starts it with `.venv-airflow/bin/python`) and handy for a quick
end-to-end run without the scheduler and the UI. It needs AIRFLOW_HOME (a fresh one gets its SQLite
metadata database created here), the settings of orchestration/settings.py and the warehouse connection
(e.g. AIRFLOW_CONN_ANALYTICS_WAREHOUSE). The JSON holds the DAG run's state, {task_id: state} and each task's
start and end; no data.
Exit code: 0 when the run succeeded, 1 when it failed, 2 when the DAG could not be loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

DAGS_DIR = Path(__file__).resolve().parent / "dags"
DAG_ID = "governed_analytics_daily"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, help="write the result as JSON here (default: stdout)")
    args = parser.parse_args(argv)

    # dag.test() syncs the DAG from its bundle (the dags folder) to the metadata database first
    os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(DAGS_DIR))
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    os.environ.setdefault("AIRFLOW__COSMOS__ENABLE_TELEMETRY", "False")  # offline: no usage metrics
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils.db import initdb

    initdb()
    bag = DagBag(dag_folder=str(DAGS_DIR))
    if bag.import_errors or DAG_ID not in bag.dags:
        for path, error in bag.import_errors.items():
            print(f"import error in {path}:\n{error}", file=sys.stderr)
        return 2
    dag = bag.dags[DAG_ID]
    # dag.test() hands the run an in-memory copy of the DAG whose deadline alerts were never stored, and
    # Airflow 3.3's end-of-run deadline pruning then fails on it; the scheduler path is unaffected. The
    # deadline is checked by the tests on the parsed DAG instead.
    dag.deadline = None
    started = time.perf_counter()
    dag_run = dag.test()
    result = {
        "dag_id": DAG_ID,
        "state": str(dag_run.state),
        "seconds": round(time.perf_counter() - started, 1),
        "tasks": {ti.task_id: str(ti.state) for ti in dag_run.get_task_instances()},
        "intervals": {
            ti.task_id: [ti.start_date.isoformat(), ti.end_date.isoformat()]
            for ti in dag_run.get_task_instances()
            if ti.start_date and ti.end_date
        },
    }
    text = json.dumps(result, indent=2, sort_keys=True)
    if args.output:
        args.output.write_text(text + "\n")
    else:
        print(text)
    return 0 if result["state"] == "success" else 1


if __name__ == "__main__":
    sys.exit(main())
