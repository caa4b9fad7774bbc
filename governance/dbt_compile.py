"""Compile the dbt project into a private target path to read its manifest (compiled SQL).

`dbt compile` writes `manifest.json` with every model's compiled SQL. Commands that need it compile
into a private directory so that they never disturb the developer's `target/` (or a running dbt).
The target is the profile's default (DBT_TARGET selects another, e.g. Snowflake, whose dialect the
lineage then uses).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from governance.errors import ProjectError

COMPILE_TIMEOUT_SECONDS = 900


def dbt_executable() -> str:
    beside = Path(sys.executable).parent / "dbt"
    if beside.is_file():
        return str(beside)
    found = shutil.which("dbt")
    if not found:
        raise ProjectError("dbt is not installed in this environment (needed to compile the project)")
    return found


def compile_manifest(project_dir: Path, target_path: Path) -> Path:
    """Run `dbt compile` for `project_dir` into `target_path`; return the manifest's path."""
    target_path.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DBT_TARGET_PATH": str(target_path),
        "DBT_LOG_PATH": str(target_path / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    if "DBT_PROFILES_DIR" not in os.environ and (project_dir / "profiles.yml").is_file():
        env["DBT_PROFILES_DIR"] = str(project_dir)
    # The project's DuckDB profile reads its file from DBT_DUCKDB_PATH. Unless told otherwise, compile
    # against an empty file of our own: it never waits on the lock of a running dbt, needs no loaded
    # warehouse, and compiles full-refresh SQL (incremental branches only add filters).
    env.setdefault("DBT_DUCKDB_PATH", str(target_path / "compile.duckdb"))
    command = [
        dbt_executable(),
        "compile",
        "--quiet",
        "--project-dir",
        str(project_dir),
        "--target-path",
        str(target_path),
    ]
    try:
        result = subprocess.run(
            command, cwd=project_dir, env=env, capture_output=True, text=True, timeout=COMPILE_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired as exc:
        raise ProjectError(
            f"{project_dir}: dbt compile did not finish in {COMPILE_TIMEOUT_SECONDS} s"
        ) from exc
    manifest = target_path / "manifest.json"
    if result.returncode != 0 or not manifest.is_file():
        output = (result.stdout + result.stderr).strip()[-3000:]
        raise ProjectError(f"{project_dir}: dbt compile failed ({result.returncode}):\n{output}")
    return manifest
