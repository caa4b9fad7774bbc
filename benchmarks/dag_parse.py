"""How long Airflow takes to parse the daily-loop DAG (target: under 5 s on a 2-core machine).

    make bench-dag        # = python -m benchmarks.dag_parse, in .venv-airflow, after `dbt parse`

Each repetition is a fresh Python process, as a cold DAG-file processor would be: it imports Airflow, then
fills a DagBag from orchestration/dags (which imports Cosmos and renders every dbt node from the manifest).
It prints, per repetition and as median/max, the DagBag fill (what Airflow's parse of the file costs and what
`dagbag_import_timeout` limits) and the whole process (Python start, Airflow import, fill). Run it with the
environment of `make airflow` (the Makefile sets it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

DAGS_DIR = Path(__file__).resolve().parent.parent / "orchestration" / "dags"
TARGET_S = 5.0

PROBE = """
import json, sys, time
t0 = time.perf_counter()
from airflow.dag_processing.dagbag import DagBag
t1 = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[1])
t2 = time.perf_counter()
dag = bag.dags.get("governed_analytics_daily")
print(json.dumps({"import_airflow_s": t1 - t0, "fill_s": t2 - t1, "errors": len(bag.import_errors),
                  "tasks": len(dag.tasks) if dag else 0}))
"""


def run_once() -> dict[str, float]:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, str(DAGS_DIR)], capture_output=True, text=True, check=False, timeout=300
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"the probe failed ({completed.returncode}):\n{completed.stderr[-3000:]}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    if figures["errors"] or not figures["tasks"]:
        raise SystemExit("the DAG did not import cleanly: run `python -m orchestration.dag_runner` to see why")
    figures["process_s"] = wall
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes to time (default 5)")
    args = parser.parse_args(argv)

    runs = [run_once() for _ in range(args.repeat)]
    for index, run in enumerate(runs, 1):
        print(
            f"run {index}: DagBag fill {run['fill_s']:.2f} s, Airflow import {run['import_airflow_s']:.2f} s, "
            f"whole process {run['process_s']:.2f} s ({run['tasks']:.0f} tasks)"
        )
    fills = [run["fill_s"] for run in runs]
    processes = [run["process_s"] for run in runs]
    print(
        f"DagBag fill: median {statistics.median(fills):.2f} s, max {max(fills):.2f} s; "
        f"whole process: median {statistics.median(processes):.2f} s, max {max(processes):.2f} s "
        f"(target: fill < {TARGET_S:.0f} s)"
    )
    return 0 if max(fills) < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
