"""Re-identification (k-anonymity) of what uncleared roles read, at the warehouse sizes that matter.

For each size it loads a raw layer into a fresh DuckDB file (`load-raw --change-rows N`, fixed as-of),
builds the project (`dbt build` without tests: seeds, models and snapshots are what the report reads), and runs `governance anonymity --format json`. Prints, side by side, the share of customers (or
rows) unique on what each uncleared role sees, per relation, and the largest group-free share against the
policy's `reidentification.max_unique_share`. Exits 1 when a size is above it.

    python -m benchmarks.anonymity --change-rows 20000 50000000     # make build's size and make bench's
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

PROJECT_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
AS_OF = "2026-11-01"


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(command[:2])} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    return result


def measure(root: Path, change_rows: int) -> dict:
    database = root / f"analytics-{change_rows}.duckdb"
    target = root / f"target-{change_rows}"
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR), "DBT_DUCKDB_PATH": str(database),
           "DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target / "logs"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "GOVERNANCE_AUDIT": "0"}
    started = time.perf_counter()
    run([str(BIN / "load-raw"), "--database", str(database), "--change-rows", str(change_rows), "--as-of", AS_OF,
         "--quiet"], env)
    loaded = time.perf_counter()
    built = run([str(BIN / "dbt"), "build", "--quiet", "--exclude-resource-type", "test", "unit_test"], env)
    if built.returncode != 0:
        sys.exit(f"dbt build failed:\n{built.stdout[-3000:]}")
    done = time.perf_counter()
    report = run([str(BIN / "governance"), "anonymity", "--manifest", str(target / "manifest.json"),
                  "--database", str(database), "--format", "json"], env)
    measured = time.perf_counter()
    data = json.loads(report.stdout)
    data["seconds"] = {"load": loaded - started, "build": done - loaded, "measure": measured - done}
    data["exit_code"] = report.returncode
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--change-rows", type=int, nargs="+", default=[20_000, 50_000_000],
                        help="raw layer sizes to measure (default: %(default)s)")
    parser.add_argument("--keep", type=Path, default=None, help="build in this directory and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-anonymity-") as scratch:
        root = args.keep or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        results = {}
        for rows in args.change_rows:
            print(f"change rows {rows:,}: loading, building, measuring ...", flush=True)
            results[rows] = measure(root, rows)
            seconds = results[rows]["seconds"]
            print(f"  load {seconds['load']:.0f} s, dbt build {seconds['build']:.0f} s, "
                  f"governance anonymity {seconds['measure']:.1f} s", flush=True)
    sizes = list(results)
    first = results[sizes[0]]
    print(f"\nshare unique on what the role sees (most allowed {first['max_unique_share']:.1%}); "
          "population: customers, or rows where no customer key is in clear")
    header = f"{'role':<10} {'relation':<28}" + "".join(f"{f'{n:,} change rows':>26}" for n in sizes)
    print(header)
    keys = sorted({(r["role"], r["relation"]) for data in results.values() for r in data["relations"]})
    for role, relation in keys:
        cells = []
        for rows in sizes:
            found = [r for r in results[rows]["relations"] if (r["role"], r["relation"]) == (role, relation)]
            cells.append(f"{found[0]['unique_share']:.2%} of {found[0]['population']:,}" if found else "-")
        print(f"{role:<10} {relation:<28}" + "".join(f"{c:>26}" for c in cells))
    worst = {rows: max((r["unique_share"] for r in data["relations"]), default=0.0) for rows, data in results.items()}
    print(f"{'highest':<39}" + "".join(f"{worst[n]:>26.2%}" for n in sizes))
    failed = [n for n in sizes if results[n]["exit_code"] != 0]
    print("status: " + ("above the limit or not measured at " + ", ".join(f"{n:,}" for n in failed) if failed
                        else "every size at or below the limit"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
