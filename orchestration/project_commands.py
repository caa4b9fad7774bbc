"""Run the project's own executables (`dbt`, `governance` from the project's `.venv`) from an Airflow task.

Airflow and Cosmos live in `.venv-airflow`; the project stack (dbt-core, dbt-duckdb, dbt-snowflake, the
governance package, Permifrost with SQLAlchemy 1.4) lives in `.venv`. A task therefore never imports
the project: it starts the project's executable as a subprocess, with a dbt profile rendered by Cosmos from
the Airflow connection (the same profile the dbt tasks get), and fails with the executable's exit code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orchestration.settings import Settings

if TYPE_CHECKING:
    from cosmos.config import ProfileConfig

PROFILE_NAME = "analytics"  # the `profile:` of dbt_project.yml


def profile_config(settings: Settings) -> ProfileConfig:
    """The dbt profile, mapped by Cosmos from the Airflow connection `settings.conn_id`."""
    from cosmos.config import ProfileConfig

    if settings.is_duckdb:
        from cosmos.profiles.duckdb.user_pass import DuckDBUserPasswordProfileMapping

        mapping: Any = DuckDBUserPasswordProfileMapping(
            conn_id=settings.conn_id, profile_args={"schema": "main", "threads": 1}
        )
    else:
        # the dbt service user is TYPE = SERVICE: a key pair, never a password (README "Roles and grants").
        # The Airflow connection holds the key file's path (extra.private_key_file) and its passphrase.
        from cosmos.profiles.snowflake.user_encrypted_privatekey_file import (
            SnowflakeEncryptedPrivateKeyFilePemProfileMapping,
        )

        mapping = SnowflakeEncryptedPrivateKeyFilePemProfileMapping(
            conn_id=settings.conn_id, profile_args={"threads": 8, "query_tag": "dbt_airflow"}
        )
    return ProfileConfig(profile_name=PROFILE_NAME, target_name=settings.target_name, profile_mapping=mapping)


def warehouse_env(settings: Settings) -> dict[str, str]:
    """Environment for the governance CLI's direct warehouse reads (the masking audit), from the connection."""
    from airflow.sdk.bases.hook import BaseHook

    conn = BaseHook.get_connection(settings.conn_id)
    if settings.is_duckdb:
        return {"DBT_DUCKDB_PATH": str(conn.host)}
    extra = conn.extra_dejson
    env = {
        "SNOWFLAKE_ACCOUNT": str(extra.get("account", "")),
        "SNOWFLAKE_USER": str(conn.login or ""),
        "SNOWFLAKE_PRIVATE_KEY_PATH": str(extra.get("private_key_file", "")),
        "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE": str(conn.password or ""),
        "SNOWFLAKE_DATABASE": str(extra.get("database", "")),
        "SNOWFLAKE_WAREHOUSE": str(extra.get("warehouse", "")),
        "SNOWFLAKE_ROLE": str(extra.get("role", "")),
    }
    return {key: value for key, value in env.items() if value}


def run_project_command(
    settings: Settings,
    executable: Path,
    args: Sequence[str],
    *,
    with_warehouse_env: bool = False,
) -> None:
    """Run `executable args` in the project directory with the rendered profile; raise on a non-zero exit.

    The command's own output goes to the task log as it is: dbt and the governance CLI never print sampled
    values. The exception names the command and its exit code only.
    """
    from airflow.exceptions import AirflowException

    with profile_config(settings).ensure_profile() as (profile_path, profile_env), tempfile.TemporaryDirectory(
        prefix="governed-analytics-"
    ) as tmp:
        profiles_dir = Path(tmp) / "profiles"
        profiles_dir.mkdir()
        shutil.copy(profile_path, profiles_dir / "profiles.yml")
        env = {
            **os.environ,
            **profile_env,
            "DBT_PROFILES_DIR": str(profiles_dir),
            "DBT_TARGET": settings.target_name,
            "DBT_LOG_PATH": str(Path(tmp) / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            # presidio's email recognizer would fetch the public suffix list: stay offline
            "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
            "TLDEXTRACT_CACHE": str(Path(tmp) / "tldextract-cache"),
        }
        if with_warehouse_env:
            env.update(warehouse_env(settings))
        argv = [str(executable), *args]
        completed = subprocess.run(argv, cwd=settings.project_dir, env=env, check=False)
    if completed.returncode != 0:
        raise AirflowException(f"{executable.name} {args[0]} exited with code {completed.returncode}")


def _state_dir(settings: Settings) -> Path:
    return settings.dbt_state_dir or settings.project_dir / "target" / "airflow-dbt"


def _reuse_partial_parse(settings: Settings, target_path: Path) -> Path:
    """Give a dbt target path the partial-parse state the run's first dbt command (freshness) left.

    The command tasks share one profile (rendered from the same connection) and target, so dbt accepts the
    state and re-reads only changed files instead of parsing the whole project again (seconds per task).
    """
    state = _state_dir(settings) / "partial_parse.msgpack"
    target_path.mkdir(parents=True, exist_ok=True)
    if state.is_file() and target_path.resolve() != state.parent.resolve():
        shutil.copy(state, target_path / state.name)
    return target_path


def dbt_source_freshness(settings: Settings) -> None:
    """`dbt source freshness`: every source's newest row against its warn/error thresholds.

    The Qlik change tables' `loaded_at_field` is `header__timestamp`, the source commit time, so their
    freshness is the replication lag: a stalled Qlik task errors after 72 h (warns after 24 h).
    """
    run_project_command(
        settings,
        settings.dbt_executable,
        ["source", "freshness", "--project-dir", str(settings.project_dir), "--target-path", str(_state_dir(settings))],
    )


def governance_scan_gate(settings: Settings) -> None:
    """`governance scan --dry-run --fail-on-unclassified`: stop before dbt when a personal column is unclassified."""
    run_project_command(
        settings,
        settings.governance_executable,
        [
            "scan",
            "--dry-run",
            "--fail-on-unclassified",
            "--quiet",
            "--project-dir",
            str(settings.project_dir),
            "--target",
            settings.target_name,
        ],
    )


def governance_check(settings: Settings) -> None:
    """`governance check`: nothing derived from level 3-4 data is left unclassified (column lineage).
    The governance kernel compiles into its own cache (reused while no project input changes)."""
    run_project_command(
        settings,
        settings.governance_executable,
        ["check", "--project-dir", str(settings.project_dir), "--target", settings.target_name],
    )


def governance_masking_audit(settings: Settings) -> None:
    """`governance protected`: every protected column carries the mask the policy says, in the warehouse."""
    args = ["protected", "--project-dir", str(settings.project_dir), "--manifest", str(settings.manifest_path)]
    if not settings.is_duckdb:
        args += ["--target", settings.target_name, "--live"]
    run_project_command(settings, settings.governance_executable, args, with_warehouse_env=True)


def governance_docs_overview(settings: Settings) -> None:
    """`governance docs`: the docs site's home page (classified columns by level)."""
    run_project_command(
        settings,
        settings.governance_executable,
        ["docs", "--project-dir", str(settings.project_dir), "--manifest", str(settings.manifest_path)],
    )


def dbt_docs_generate(settings: Settings) -> None:
    """`dbt docs generate --static` into the docs directory (index.html and a self-contained static_index.html),
    then `governance docs --badges`: every column's level and masking as a badge on its model's page."""
    docs_dir = _reuse_partial_parse(settings, settings.docs_dir or settings.project_dir / "target" / "docs-site")
    run_project_command(
        settings,
        settings.dbt_executable,
        ["docs", "generate", "--static", "--project-dir", str(settings.project_dir), "--target-path", str(docs_dir)],
    )
    run_project_command(
        settings,
        settings.governance_executable,
        ["docs", "--badges", "--site-dir", str(docs_dir), "--project-dir", str(settings.project_dir)],
    )
