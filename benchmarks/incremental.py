"""Incremental vs full-refresh `dbt build` at scale, side by side in one run.

Loads a raw layer of the chosen size into a fresh DuckDB file, times `dbt build --full-refresh`,
then, for each change batch (1% of the live rows by default: inserts, updates with before-images,
deletes, late arrivals), appends it and times the incremental `dbt build`. Prints rows, seconds
and the ratio incremental / full, and where the incremental build's time goes (from dbt's
run_results.json): dbt's start-up (a `dbt build` that selects nothing, measured in the same run)
and the summed execution time of each kind of node.

With --verify, the warehouse after the last incremental build is copied, the copy rebuilt with
--full-refresh, and every compared model checked to be equal row for row (EXCEPT ALL both ways).

    python -m benchmarks.incremental --change-rows 50000000
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
TINY_CHANGE_ROWS = 20_000
BIN = Path(sys.executable).parent
# the models an incremental build must keep equal to a full refresh (as in tests/python/test_dbt_build.py)
COMPARED_RELATIONS = [
    "staging.stg_shop__customers", "staging.stg_shop__customer_addresses", "staging.stg_shop__products",
    "staging.stg_shop__orders", "staging.stg_shop__order_items", "staging.stg_shop__payments",
    "staging.stg_support__tickets", "marts.dim_customers", "marts.dim_products", "marts.fct_orders",
    "marts.fct_order_items", "finance.fct_payments", "marts.fct_support_tickets",
    "marts.fct_daily_revenue_and_marketing",
]


class Runner:
    """Runs the project's commands against one DuckDB file and target directory."""

    def __init__(self, root: Path, database: Path, threads: int) -> None:
        self.database, self.target = database, root / f"target-{database.stem}"
        self.threads = threads
        self.last_cpu = 0.0  # CPU seconds (user + system) of the last command
        self.env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR), "DBT_DUCKDB_PATH": str(database),
                    "DBT_TARGET_PATH": str(self.target), "DBT_LOG_PATH": str(self.target / "logs"),
                    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}

    def run(self, command: list[str]) -> float:
        """Seconds `command` took as a whole process. Dirty pages of earlier steps (a load, a copy of
        the warehouse) are flushed first, so that their write-back is not charged to this command."""
        os.sync()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(command, cwd=PROJECT_DIR, env=self.env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.last_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        if result.returncode != 0:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-2000:])
            raise SystemExit(f"failed: {' '.join(command)}")
        return seconds

    def dbt(self, *args: str) -> float:
        return self.run([str(BIN / "dbt"), *args, "--threads", str(self.threads)])

    def load(self, *args: str) -> float:
        return self.run([str(BIN / "load-raw"), "--database", str(self.database), "--quiet", *args])

    def node_seconds(self) -> dict[str, float]:
        """Summed execution time of each kind of node in the last dbt command (run_results.json)."""
        results = json.loads((self.target / "run_results.json").read_text())["results"]
        seconds: dict[str, float] = collections.Counter()
        for result in results:
            seconds[result["unique_id"].split(".")[0]] += result["execution_time"]
        return dict(seconds)

    def change_rows(self) -> int:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute("select sum(change_rows) from raw._load_batches").fetchone()[0]


def differing_rows(incremental: Path, full: Path) -> dict[str, tuple[int, int]]:
    """Per compared relation: rows only in the incremental build, rows only in the full refresh."""
    differences = {}
    with duckdb.connect(str(incremental), read_only=True) as con:
        con.execute(f"attach '{full}' as full_refresh (read_only)")
        for relation in COMPARED_RELATIONS:
            only = [con.execute(f"select count(*) from (select * from {a} except all select * from {b})").fetchone()[0]
                    for a, b in ((relation, f"full_refresh.{relation}"), (f"full_refresh.{relation}", relation))]
            differences[relation] = (only[0], only[1])
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.incremental", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--change-rows", type=int, default=10_000_000, help="first load size (default: %(default)s)")
    parser.add_argument("--fraction", type=float, default=0.01, help="size of each change batch (default: %(default)s)")
    parser.add_argument("--batches", type=int, default=2, help="change batches, each built incrementally "
                        "(default: %(default)s)")
    parser.add_argument("--threads", type=int, default=2, help="dbt threads (default: %(default)s)")
    parser.add_argument("--verify", action="store_true", help="check the incremental result against a full refresh")
    parser.add_argument("--work-dir", type=Path, help="where the DuckDB files go (default: a temporary directory)")
    parser.add_argument("--reuse-raw", type=Path, metavar="FILE",
                        help="start from a copy of FILE, a DuckDB file holding only a first load made by "
                             "`load-raw --change-rows N --as-of 2026-11-01` (skips the load)")
    args = parser.parse_args(argv)
    if args.batches < 1:
        parser.error("--batches must be at least 1")

    with tempfile.TemporaryDirectory(prefix="bench-incremental-", dir=args.work_dir) as tmp:
        root = Path(tmp)
        bench = Runner(root, root / "bench.duckdb", args.threads)
        if args.reuse_raw:
            shutil.copy(args.reuse_raw, bench.database)
            first_rows = bench.change_rows()
            print(f"first load: {first_rows:,} change rows, copied from {args.reuse_raw}", flush=True)
        else:
            t_load = bench.load("--change-rows", str(args.change_rows), "--as-of", "2026-11-01")
            first_rows = bench.change_rows()
            print(f"first load: {first_rows:,} change rows in {t_load:.1f}s", flush=True)
        bench.dbt("parse")  # parse once, so that every build starts from the same partial-parse state
        t_startup = bench.dbt("build", "--select", "no_node_is_called_this")
        t_full = bench.dbt("build", "--full-refresh")
        cpu_full = bench.last_cpu
        full_nodes = bench.node_seconds()
        print(f"dbt build --full-refresh: {t_full:.1f}s", flush=True)

        builds: list[tuple[int, float, dict[str, float]]] = []
        cpu_builds: list[float] = []
        for _ in range(args.batches):
            before = bench.change_rows()
            t_append = bench.load("--append-batch", "--fraction", str(args.fraction))
            batch_rows = bench.change_rows() - before
            seconds = bench.dbt("build")
            builds.append((batch_rows, seconds, bench.node_seconds()))
            cpu_builds.append(bench.last_cpu)
            print(f"change batch: {batch_rows:,} change rows ({batch_rows / first_rows:.2%}) appended in "
                  f"{t_append:.1f}s; incremental dbt build: {seconds:.1f}s", flush=True)

        # the same builds on a tiny warehouse: what dbt itself costs per node, whatever the data
        tiny = Runner(root, root / "tiny.duckdb", args.threads)
        tiny.load("--change-rows", str(TINY_CHANGE_ROWS), "--as-of", "2026-11-01")
        tiny.dbt("parse")
        t_tiny_full = tiny.dbt("build", "--full-refresh")
        tiny.load("--append-batch", "--fraction", str(args.fraction))
        t_tiny_incremental = tiny.dbt("build")

        differences = None
        if args.verify:
            full_copy = root / "full.duckdb"
            shutil.copy(bench.database, full_copy)
            Runner(root, full_copy, args.threads).dbt("build", "--full-refresh")
            differences = differing_rows(bench.database, full_copy)

    print()
    print(f"{'':<44}{'full refresh':>14}{'incremental':>14}{'ratio':>8}")
    for number, (batch_rows, seconds, _) in enumerate(builds, start=1):
        label = f"dbt build, batch {number} ({batch_rows:,} change rows)"
        print(f"{label:<44}{t_full:>13.1f}s{seconds:>13.1f}s{seconds / t_full:>8.3f}")
    mean = sum(seconds for _, seconds, _ in builds) / len(builds)
    print(f"{'dbt build, mean of the incremental builds':<44}{t_full:>13.1f}s{mean:>13.1f}s{mean / t_full:>8.3f}")
    # CPU time is steadier than wall time on a shared machine (it leaves out waiting for a core)
    for number, cpu in enumerate(cpu_builds, start=1):
        label = f"CPU time (user + system), batch {number}"
        print(f"{label:<44}{cpu_full:>13.1f}s{cpu:>13.1f}s{cpu / cpu_full:>8.3f}")
    print()
    print("where the time goes (node kinds: execution time summed over dbt's threads):")
    print(f"  {'dbt start-up (a build selecting no node)':<42}{t_startup:>13.1f}s{t_startup:>13.1f}s")
    print(f"  {f'the same builds on {TINY_CHANGE_ROWS:,} change rows':<42}{t_tiny_full:>13.1f}s"
          f"{t_tiny_incremental:>13.1f}s")
    incremental_nodes = builds[0][2]
    for kind in sorted(set(full_nodes) | set(incremental_nodes), key=lambda k: -full_nodes.get(k, 0)):
        print(f"  {kind + 's':<42}{full_nodes.get(kind, 0):>13.1f}s{incremental_nodes.get(kind, 0):>13.1f}s")
    if differences is not None:
        print()
        bad = {relation: counts for relation, counts in differences.items() if counts != (0, 0)}
        print(f"verify: {len(differences)} models compared with a full refresh of the same data: "
              + ("all equal row for row" if not bad else f"DIFFERENT: {bad}"))
        if bad:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
