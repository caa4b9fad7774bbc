"""Incremental vs full-refresh build time at scale.

Loads a raw layer of the chosen size into a fresh DuckDB file, times `dbt build --full-refresh`,
appends a change batch (1% of live rows by default: inserts, updates, deletes, late arrivals),
times the incremental `dbt build`, and prints rows, seconds and the ratio incremental / full.
It also times the model work alone (`dbt run` + `dbt snapshot`, no tests) both ways, since
data tests scan whole tables on every build, incremental or not.

    python -m benchmarks.incremental --change-rows 5000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-2000:])
        raise SystemExit(f"failed: {' '.join(command)}")
    return seconds


def node_seconds(target: Path) -> float:
    """Seconds dbt spent executing models and snapshots in its last run (from run_results.json),
    which leaves out dbt's own start-up and parsing."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    return sum(r["execution_time"] for r in results if r["unique_id"].split(".")[0] in ("model", "snapshot"))


def count_change_rows(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("select sum(change_rows) from raw._load_batches").fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.incremental", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--change-rows", type=int, default=5_000_000, help="first load size (default: %(default)s)")
    parser.add_argument("--fraction", type=float, default=0.01, help="change batch size (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        root = Path(tmp)
        database, target = root / "bench.duckdb", root / "target"
        env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR), "DBT_DUCKDB_PATH": str(database),
               "DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(root / "logs"),
               "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        dbt = [str(BIN / "dbt")]
        load = [str(BIN / "load-raw"), "--database", str(database), "--quiet"]

        t_load = run([*load, "--change-rows", str(args.change_rows), "--as-of", "2026-11-01"], env)
        first_rows = count_change_rows(database)
        run([*dbt, "parse"], env)  # parse once so both builds start from the same partial-parse state
        t_full_build = run([*dbt, "build", "--full-refresh"], env)
        t_full_models = run([*dbt, "run", "--full-refresh"], env)
        n_full_models = node_seconds(target)
        t_full_models += run([*dbt, "snapshot"], env)
        n_full_models += node_seconds(target)

        # two identical batches: one for the build figure, one for the models-only figure
        t_append = run([*load, "--append-batch", "--fraction", str(args.fraction)], env)
        batch_rows = count_change_rows(database) - first_rows
        t_incr_build = run([*dbt, "build"], env)
        run([*load, "--append-batch", "--fraction", str(args.fraction)], env)
        t_incr_models = run([*dbt, "run"], env)
        n_incr_models = node_seconds(target)
        t_incr_models += run([*dbt, "snapshot"], env)
        n_incr_models += node_seconds(target)

    print(f"first load: {first_rows:,} change rows in {t_load:.1f}s; "
          f"change batch: {batch_rows:,} change rows ({args.fraction:.1%}) in {t_append:.1f}s")
    print(f"{'':<32}{'full refresh':>14}{'incremental':>14}{'ratio':>8}")
    print(f"{'dbt build (models+tests)':<32}{t_full_build:>13.1f}s{t_incr_build:>13.1f}s"
          f"{t_incr_build / t_full_build:>8.3f}")
    print(f"{'dbt run + snapshot (models)':<32}{t_full_models:>13.1f}s{t_incr_models:>13.1f}s"
          f"{t_incr_models / t_full_models:>8.3f}")
    print(f"{'  of which model execution':<32}{n_full_models:>13.1f}s{n_incr_models:>13.1f}s"
          f"{n_incr_models / n_full_models:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
