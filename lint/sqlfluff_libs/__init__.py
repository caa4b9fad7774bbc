"""Stand-ins for dbt's Jinja context, used only by sqlfluff's fast `jinja` templater.

The `jinja` templater renders SQL without dbt. Names defined here (and the `dbt` submodule) are
put into its Jinja context, so the rendered SQL parses like the SQL dbt compiles for the default
(DuckDB) target. The accurate `dbt` templater (CI) does not use them.
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_FILE = Path(__file__).resolve().parents[2] / "dbt_project.yml"


@cache
def _project_vars() -> dict[str, Any]:
    with PROJECT_FILE.open(encoding="utf-8") as handle:
        return dict((yaml.safe_load(handle) or {}).get("vars") or {})


def var(name: str, default: Any = None) -> Any:
    """dbt's `var()`: the value from dbt_project.yml's `vars:` (so the policy renders for real)."""
    return _project_vars().get(name, default if default is not None else name)



# dbt's `run_started_at`: a fixed time, so the rendered SQL is the same on every machine.
run_started_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
