"""Benchmark: how long `governance lineage` and `governance check` take, cold and warm, side by side.

Each command runs as a whole process (the console script), the way a developer or a pre-commit hook
runs it, on a private copy of this project:

- compile every time: what the commands did before the manifest cache: `dbt compile` into a fresh
  target path, then the command on that manifest;
- cold: the manifest cache emptied first, so the command compiles (in process, through dbtRunner)
  and stores the manifest;
- warm: nothing changed since the last run, so the cached manifest is read.

Prints the median and the range of wall time and CPU time (the command's process and its children)
per variant, and the warm/cold ratios. Usage: python -m benchmarks.commands [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COPY_IGNORE = shutil.ignore_patterns(".venv*", ".git", "target", "logs", "warehouse", "dbt_packages", "__pycache__",
                                     "*.duckdb*", ".governance", ".pytest_cache", ".ruff_cache", "test-artifacts")
COMMANDS = {"lineage": ["lineage", "dim_customers.email"], "check": ["check"]}


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the children) of one process run to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def summary(samples: list[tuple[float, float]]) -> str:
    walls, cpus = [s[0] for s in samples], [s[1] for s in samples]
    return (f"wall {statistics.median(walls):6.2f} s ({min(walls):.2f}-{max(walls):.2f})   "
            f"CPU {statistics.median(cpus):6.2f} s ({min(cpus):.2f}-{max(cpus):.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per variant (interleaved)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-commands-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(ROOT, project, ignore=COPY_IGNORE)
        subprocess.run([str(BIN / "dbt"), "deps", "--quiet"], cwd=project, check=True, capture_output=True,
                       env={**os.environ, "DBT_PROFILES_DIR": str(project)})
        env = {**os.environ, "DBT_PROFILES_DIR": str(project), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        env.pop("DBT_DUCKDB_PATH", None)
        governance = str(BIN / "governance")
        cache = project / ".governance" / "manifests"
        results: dict[str, dict[str, list[tuple[float, float]]]] = {c: {} for c in COMMANDS}

        def compile_every_time(command: list[str]) -> tuple[float, float]:
            target = Path(tmp) / "compile-target"
            shutil.rmtree(target, ignore_errors=True)
            compile_env = {**env, "DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target / "logs"),
                           "DBT_DUCKDB_PATH": str(Path(tmp) / "compile.duckdb")}
            wall_c, cpu_c = timed([str(BIN / "dbt"), "compile", "--quiet"], project, compile_env)
            wall_g, cpu_g = timed([governance, *command, "-q", "--manifest", str(target / "manifest.json")],
                                  project, env)
            return wall_c + wall_g, cpu_c + cpu_g

        def cold(command: list[str]) -> tuple[float, float]:
            shutil.rmtree(cache, ignore_errors=True)
            return timed([governance, *command, "-q"], project, env)

        def warm(command: list[str]) -> tuple[float, float]:
            return timed([governance, *command, "-q"], project, env)

        variants: dict[str, Callable[[list[str]], tuple[float, float]]] = {
            "compile every time": compile_every_time, "cold (cache empty)": cold, "warm (cache hit)": warm}
        for run in range(args.runs):
            for name, command in COMMANDS.items():
                for label, variant in variants.items():
                    results[name].setdefault(label, []).append(variant(command))
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
    print(f"governance commands on this project ({args.runs} runs each, interleaved; median (min-max)):")
    for name, by_variant in results.items():
        print(f"\n  governance {' '.join(COMMANDS[name])}")
        for label, samples in by_variant.items():
            print(f"    {label:<20} {summary(samples)}")
        base = statistics.median(s[0] for s in by_variant["compile every time"])
        cold_wall = statistics.median(s[0] for s in by_variant["cold (cache empty)"])
        warm_wall = statistics.median(s[0] for s in by_variant["warm (cache hit)"])
        print(f"    ratios (wall): cold / compile every time {cold_wall / base:.2f}; warm / cold {warm_wall / cold_wall:.3f}"
              f"; warm {warm_wall:.2f} s (target <= 2 s)")


if __name__ == "__main__":
    main()
