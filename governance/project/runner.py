"""Run `dbt parse` or `dbt compile` through dbt's programmatic runner (`dbtRunner`), in this process.

The one place the package runs dbt. Each run writes into a target path of its own (never the user's
`target/`), keeps dbt's console output off stdout (so `--format json` stays clean) and reports a
failure with the tail of dbt's own messages. Importing dbt costs about two seconds, so it is imported
here, only when a run is needed.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from governance.errors import ProjectError

if TYPE_CHECKING:
    from governance.project.dbt_project import DbtProject

COMMANDS = ("parse", "compile")


@contextlib.contextmanager
def _environment(overrides: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_dbt(project: DbtProject, command: str, target_path: Path, extra_vars: dict[str, str] | None = None,
            database: Path | None = None) -> Path:
    """Run `dbt <command>` (parse or compile) for `project` into `target_path`; return the manifest.
    `extra_vars` are added to the project's `--vars` (e.g. the branch of a lineage compile); `database` is
    the empty DuckDB file a DuckDB profile of this layout compiles against (default: one in target_path;
    a stable one keeps dbt's partial parsing usable from one compile to the next)."""
    import json

    assert command in COMMANDS, command
    target_path.mkdir(parents=True, exist_ok=True)
    args = [command, "--project-dir", str(project.root), "--target-path", str(target_path),
            "--log-path", str(target_path / "logs"), "--quiet", "--no-use-colors", "--no-send-anonymous-usage-stats"]
    if project.profiles_dir:
        args += ["--profiles-dir", str(project.profiles_dir)]
    elif "DBT_PROFILES_DIR" not in os.environ and (project.root / "profiles.yml").is_file():
        args += ["--profiles-dir", str(project.root)]
    if project.target_name:
        args += ["--target", project.target_name]
    cli_vars = {**(project.cli_vars or {}), **(extra_vars or {})}
    if cli_vars:
        args += ["--vars", json.dumps(cli_vars)]
    # A DuckDB profile of this layout reads its file from DBT_DUCKDB_PATH. Unless told otherwise, compile
    # against an empty file of our own: it never waits on the lock of a running dbt and needs no loaded
    # warehouse (compiled SQL is full-refresh SQL; incremental branches only add filters).
    overrides = {"DBT_TARGET_PATH": str(target_path), "DBT_LOG_PATH": str(target_path / "logs")}
    if "DBT_DUCKDB_PATH" not in os.environ:
        overrides["DBT_DUCKDB_PATH"] = str(database or target_path / f"{command}.duckdb")
    output = io.StringIO()
    from dbt.cli.main import dbtRunner

    with _environment(overrides), contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            result = dbtRunner().invoke(args)
        except Exception as exc:  # dbt raises only for programming errors; report them as ours
            raise ProjectError(f"{project.project_file}: dbt {command} failed: {type(exc).__name__}: {exc}") from exc
    manifest = target_path / "manifest.json"
    if not result.success or not manifest.is_file():
        detail = str(result.exception) if result.exception else output.getvalue().strip()[-3000:]
        raise ProjectError(f"{project.project_file}: dbt {command} failed:\n{detail}")
    return manifest


def run_operation(project: DbtProject, macro: str, macro_args: dict[str, object], target_path: Path,
                  database_name: str) -> str:
    """`dbt run-operation <macro>` against an empty DuckDB file named `database_name` (so `target.database` is
    that name and schemas are named as in production), through a profile of its own (whatever target the
    user's profile defaults to); returns what the macro printed. For macros that only render and print."""
    import json

    target_path.mkdir(parents=True, exist_ok=True)
    folder = target_path / "render"
    folder.mkdir(exist_ok=True)
    profile = str(project.config.get("profile") or "default")
    (folder / "profiles.yml").write_text(json.dumps({profile: {"target": "render", "outputs": {"render": {
        "type": "duckdb", "path": str(folder / f"{database_name}.duckdb"), "schema": "main", "threads": 1}}}}))
    args = ["run-operation", macro, "--args", json.dumps(macro_args), "--project-dir", str(project.root),
            "--profiles-dir", str(folder), "--target", "render", "--target-path", str(target_path),
            "--log-path", str(target_path / "logs"), "--quiet", "--no-use-colors", "--no-send-anonymous-usage-stats"]
    if project.cli_vars:
        args += ["--vars", json.dumps(project.cli_vars)]
    overrides = {"DBT_TARGET_PATH": str(target_path), "DBT_LOG_PATH": str(target_path / "logs")}
    output = io.StringIO()
    from dbt.cli.main import dbtRunner

    with _environment(overrides), contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            result = dbtRunner().invoke(args)
        except Exception as exc:
            raise ProjectError(f"{project.project_file}: dbt run-operation {macro} failed: {type(exc).__name__}: {exc}") from exc
    if not result.success:
        detail = str(result.exception) if result.exception else output.getvalue().strip()[-3000:]
        raise ProjectError(f"{project.project_file}: dbt run-operation {macro} failed:\n{detail}")
    return output.getvalue()
