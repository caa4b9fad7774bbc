"""What observability costs: the audit trail's hooks in an incremental `dbt build`, and a scrape of
the exporter. Not part of `make test`; figures in BENCHMARKS.md.

    python -m benchmarks.observability audit      # make bench-audit
    python -m benchmarks.observability exporter   # make bench-exporter

audit: loads the default raw layer (20k change rows) into a fresh DuckDB file and builds it. Then,
five times: appends a change batch (1%), copies the warehouse, and runs the incremental `dbt build`
on one copy with the audit trail and on the other without it (`--vars '{audit_trail: false}'`),
alternating which goes first. Prints the CPU time (user + system) of dbt's process and the wall time
of each run, their medians, and the hooks' overhead.

exporter: builds the same warehouse, runs `dbt source freshness`, starts the exporter on a free port
and times 50 scrapes of /metrics (median, 95th percentile), plus one refresh of every input.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ROUNDS = 5


def dbt_env(database: Path, target: Path) -> dict[str, str]:
    return {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR), "DBT_DUCKDB_PATH": str(database),
            "DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(CPU seconds of the child process, wall seconds, its stdout)."""
    os.sync()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall, result.stdout


def audit_hook_seconds(log: str) -> float:
    """Seconds dbt spent on the audit hooks, from its JSON log: a hook's `execution_time` covers its
    rendering (which runs the row counts) and its execution. The audit's on-run-start hook is the last
    of that phase; on-run-end has only the audit's."""
    total = 0.0
    for line in log.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("info", {}).get("name") != "LogHookEndLine":
            continue
        data = event.get("data", {})
        node = (data.get("node_info") or {}).get("node_name", "")
        if node.startswith("analytics-on-run-end") or (
                node.startswith("analytics-on-run-start") and data.get("index") == data.get("total")):
            total += float(data.get("execution_time") or 0.0)
    return total


def load(database: Path, *args: str) -> None:
    subprocess.run([str(BIN / "load-raw"), "--database", str(database), "--quiet", *args], check=True)


def prepare(root: Path) -> Path:
    database = root / "base.duckdb"
    load(database, "--change-rows", "20000")
    timed([str(BIN / "dbt"), "build", "--quiet"], dbt_env(database, root / "target-base"))
    return database


def bench_audit(root: Path) -> None:
    base = prepare(root)
    runs: dict[str, list[tuple[float, float]]] = {"with the audit trail": [], "without": []}
    hooks: list[float] = []
    for i in range(ROUNDS):
        load(base, "--append-batch", "--fraction", "0.01")
        other = root / "without.duckdb"
        shutil.copy(base, other)
        order = [("with the audit trail", base, []), ("without", other, ["--vars", "{audit_trail: false}"])]
        for name, database, extra in order if i % 2 == 0 else reversed(order):
            cpu, wall, log = timed([str(BIN / "dbt"), "--log-format", "json", "build", *extra],
                                   dbt_env(database, root / f"target-{database.stem}"))
            runs[name].append((cpu, wall))
            hook = ""
            if not extra:
                hooks.append(audit_hook_seconds(log))
                hook = f"  (audit hooks: {hooks[-1]:.2f} s)"
            print(f"round {i + 1}: {name:<21} cpu {cpu:6.2f} s  wall {wall:6.2f} s{hook}", flush=True)
    medians = {name: (statistics.median(c for c, _ in r), statistics.median(w for _, w in r))
               for name, r in runs.items()}
    for name, (cpu, wall) in medians.items():
        print(f"median {name:<21} cpu {cpu:6.2f} s  wall {wall:6.2f} s")
    with_cpu, without_cpu = medians["with the audit trail"][0], medians["without"][0]
    print(f"audit trail overhead: {100 * (with_cpu / without_cpu - 1):+.1f}% CPU of dbt's process "
          f"(target: at most +5%)")
    print(f"the audit hooks' own wall time in dbt (render + execute): median {statistics.median(hooks):.2f} s "
          f"= {100 * statistics.median(hooks) / without_cpu:.1f}% of the CPU time of a build without them")


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_exporter(root: Path) -> None:
    from governance.observability.exporter import GovernanceCollector, build_settings, serve

    database = prepare(root)
    target = root / "target-base"
    subprocess.run([str(BIN / "dbt"), "source", "freshness", "--quiet"], cwd=PROJECT_DIR,
                   env=dbt_env(database, target), capture_output=True)
    os.environ["DBT_DUCKDB_PATH"] = str(database)
    collector = GovernanceCollector(build_settings(PROJECT_DIR, None, target, None))
    collector.refresh()  # imports and first reads
    started = time.perf_counter()
    collector.refresh()
    refresh = time.perf_counter() - started
    port = free_port()
    server, _ = serve(collector, "127.0.0.1", port, interval=3600)
    timings, size = [], 0
    for _ in range(50):
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            size = len(response.read())
        timings.append(time.perf_counter() - started)
    server.shutdown()
    timings.sort()
    print(f"scrape of {size:,} bytes: median {1000 * statistics.median(timings):.1f} ms, "
          f"95th percentile {1000 * timings[int(0.95 * len(timings)) - 1]:.1f} ms, "
          f"max {1000 * timings[-1]:.1f} ms (target: under 200 ms)")
    print(f"one refresh of every input (in the background, not in a scrape): {refresh:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["audit", "exporter"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-observability-") as tmp:
        (bench_audit if args.what == "audit" else bench_exporter)(Path(tmp))


if __name__ == "__main__":
    main()
