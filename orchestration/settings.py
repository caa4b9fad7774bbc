"""Settings of the daily-loop DAG, read from the environment once at parse time (no database, no network).

Every path defaults to this repository's layout, so `make airflow` needs no configuration; a deployment
(Astronomer image, CI) sets the variables. Secrets never come from here: the warehouse credentials live in
the Airflow connection `GOVERNED_ANALYTICS_CONN_ID`.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


@dataclass(frozen=True)
class Settings:
    """What the DAG needs to know about the project and the platform."""

    project_dir: Path
    manifest_path: Path
    dbt_executable: Path
    governance_executable: Path
    warehouse: str  # "duckdb" (local default) or "snowflake" (production)
    conn_id: str
    target_name: str
    schedule: str | None
    retries: int
    select: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    docs_dir: Path | None = None
    dbt_state_dir: Path | None = None

    @property
    def is_duckdb(self) -> bool:
        return self.warehouse == "duckdb"


def load_settings() -> Settings:
    """Read the settings from the environment (documented in the README's "Orchestrating it")."""
    project_dir = Path(_env("GOVERNED_ANALYTICS_PROJECT_DIR", str(PROJECT_DIR))).resolve()
    venv_bin = Path(_env("GOVERNED_ANALYTICS_VENV_BIN", str(project_dir / ".venv" / "bin")))
    warehouse = _env("GOVERNED_ANALYTICS_WAREHOUSE", "duckdb").lower()
    if warehouse not in ("duckdb", "snowflake"):
        raise ValueError(f"GOVERNED_ANALYTICS_WAREHOUSE must be duckdb or snowflake, not {warehouse!r}")
    schedule = _env("GOVERNED_ANALYTICS_SCHEDULE", "0 5 * * *")
    return Settings(
        project_dir=project_dir,
        manifest_path=Path(_env("GOVERNED_ANALYTICS_MANIFEST", str(project_dir / "target" / "manifest.json"))),
        dbt_executable=Path(_env("GOVERNED_ANALYTICS_DBT", str(venv_bin / "dbt"))),
        governance_executable=Path(_env("GOVERNED_ANALYTICS_GOVERNANCE", str(venv_bin / "governance"))),
        warehouse=warehouse,
        conn_id=_env("GOVERNED_ANALYTICS_CONN_ID", "analytics_warehouse"),
        target_name=_env("GOVERNED_ANALYTICS_TARGET", "dev" if warehouse == "duckdb" else "prod"),
        schedule=None if schedule.lower() == "none" else schedule,
        retries=_int_env("GOVERNED_ANALYTICS_RETRIES", 2),
        select=shlex.split(os.environ.get("GOVERNED_ANALYTICS_DBT_SELECT", "")),
        exclude=shlex.split(os.environ.get("GOVERNED_ANALYTICS_DBT_EXCLUDE", "")),
        docs_dir=Path(_env("GOVERNED_ANALYTICS_DOCS_DIR", str(project_dir / "target" / "docs-site"))),
        dbt_state_dir=Path(_env("GOVERNED_ANALYTICS_DBT_STATE_DIR", str(project_dir / "target" / "airflow-dbt"))),
    )
