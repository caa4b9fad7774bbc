"""How long the pre-commit hooks take when one model changes (target: <= 10 s).

Copies the project into a temporary git repository (as a developer's checkout), changes one model,
stages it and runs `pre-commit run` (the hooks a commit runs: only those whose files changed).
One warm-up run, then --repeat timed runs; prints each, the median and the per-hook split of the
last run. Hooks whose `governance` subcommand does not exist yet are skipped and named.

    python -m benchmarks.precommit [--model models/marts/core/dim_customers.sql] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
BIN_DIR = Path(sys.executable).parent
IGNORE = shutil.ignore_patterns(".venv", ".git", "target", "logs", "warehouse", "dbt_packages", "__pycache__",
                                "*.duckdb*", ".pytest_cache", ".ruff_cache", "test-artifacts", "*.egg-info")
PENDING = {"governance-roles": "roles", "governance-check": "check"}


def _env(repo: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "PRE_COMMIT"))}
    env.update(PATH=f"{BIN_DIR}{os.pathsep}{env.get('PATH', '')}", DBT_PROFILES_DIR=str(repo),
               PRE_COMMIT_HOME=str(home), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    missing = [hook for hook, sub in PENDING.items()
               if subprocess.run([str(BIN_DIR / "governance"), sub, "--help"], capture_output=True).returncode]
    if missing:
        env["SKIP"] = ",".join(missing)
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="models/marts/core/dim_customers.sql", help="the model to change")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (after one warm-up)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-precommit-") as tmp:
        repo = shutil.copytree(PROJECT_DIR, Path(tmp) / "repo", ignore=IGNORE)
        env = _env(repo, Path(tmp) / "pre-commit-home")
        # as a developer's checkout after `make setup`: the local governance dbt package installed
        subprocess.run([str(BIN_DIR / "dbt"), "deps", "--quiet"], cwd=repo, check=True, env=env)
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        for command in ([*git, "init", "-q"], [*git, "add", "-A"], [*git, "commit", "-q", "-m", "checkout"]):
            subprocess.run(command, cwd=repo, check=True, env=env)
        model = repo / args.model
        times, output = [], ""
        for run in range(args.repeat + 1):
            model.write_text(model.read_text() + f"\n-- benchmark change {run}\n")
            subprocess.run(["git", "add", args.model], cwd=repo, check=True, env=env)
            started = time.perf_counter()
            result = subprocess.run([str(BIN_DIR / "pre-commit"), "run", "--color", "never", "--verbose"],
                                    cwd=repo, env=env, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            model.write_text(model.read_text().rsplit(f"\n-- benchmark change {run}\n", 1)[0])
            subprocess.run(["git", "add", args.model], cwd=repo, check=True, env=env)
            if result.returncode != 0:
                print(result.stdout, result.stderr, sep="\n")
                print("pre-commit failed; the figure would be meaningless", file=sys.stderr)
                return 1
            output = result.stdout
            label = "warm-up" if run == 0 else f"run {run}"
            print(f"{label:>8}: {elapsed:6.2f} s")
            if run:
                times.append(elapsed)
        print("hooks of the last run:")
        for line in output.splitlines():
            if line.endswith(("Passed", "Skipped", "Failed")) or line.startswith("- duration"):
                print(f"  {line}")
        if env.get("SKIP"):
            print(f"skipped (subcommand not built yet): {env['SKIP']}")
        median = statistics.median(times)
        print(f"pre-commit on one changed model ({args.model}): median {median:.2f} s, min {min(times):.2f} s "
              f"over {len(times)} runs; target <= 10 s: {'met' if median <= 10 else 'MISSED'}")
        return 0 if median <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
