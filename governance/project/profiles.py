"""The project's profile target, rendered by dbt's own profile renderer.

The profile is found as dbt finds it (`--profiles-dir`, `$DBT_PROFILES_DIR`, the project directory,
`~/.dbt`) and rendered with dbt's `ProfileRenderer`, so every Jinja construct dbt accepts in a profile
works here too (`env_var`, `var` from `--vars`, filters, conditionals). The target is `--target`, else
`$DBT_TARGET_NAME`, else the profile's `target`. Secrets stay in the returned fields, never printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from governance.errors import ProjectError

if TYPE_CHECKING:
    from governance.project.dbt_project import DbtProject

SUPPORTED_TYPES = ("duckdb", "snowflake")


@dataclass
class Target:
    """A rendered dbt target (profile output)."""

    profile: str
    name: str
    type: str
    fields: dict[str, Any]
    project_dir: Path
    profiles_path: Path

    @property
    def threads(self) -> int:
        try:
            return max(1, int(self.fields.get("threads", 1)))
        except (TypeError, ValueError):
            return 1

    @property
    def database(self) -> str:
        """The target's database (Snowflake) or catalog name (DuckDB: the file's stem)."""
        if self.type == "duckdb":
            path = str(self.fields.get("path", ":memory:"))
            return "memory" if path == ":memory:" else Path(path).stem
        return str(self.fields.get("database", ""))

    def describe(self) -> str:
        """Where the target points, without secrets (for messages and the state file key)."""
        if self.type == "duckdb":
            return f"duckdb:{self.duckdb_path()}"
        return f"snowflake:{self.fields.get('account', '?')}/{self.database}"

    def duckdb_path(self) -> str:
        path = str(self.fields.get("path", ":memory:"))
        if path == ":memory:" or path.startswith("md:"):
            return path
        candidate = Path(path).expanduser()
        return str(candidate if candidate.is_absolute() else (self.project_dir / candidate))



def find_profiles(project: DbtProject) -> Path:
    candidates = []
    if project.profiles_dir:
        candidates.append(project.profiles_dir)
    if os.environ.get("DBT_PROFILES_DIR"):
        candidates.append(Path(os.environ["DBT_PROFILES_DIR"]))
    candidates += [project.root, Path.home() / ".dbt"]
    for directory in candidates:
        path = directory.expanduser() / "profiles.yml"
        if path.is_file():
            return path
    raise ProjectError(f"no profiles.yml found (looked in {', '.join(str(c) for c in candidates)})")


def load_target(project: DbtProject) -> Target:
    """The rendered target of the project's profile."""
    from dbt_common.context import set_invocation_context
    from dbt_common.exceptions import DbtBaseException

    from governance.project.dbt_project import load_yaml_document

    profile_name = project.profile_name
    path = find_profiles(project)
    profiles = load_yaml_document(path) or {}
    profile = profiles.get(profile_name) if isinstance(profiles, dict) else None
    if not isinstance(profile, dict):
        raise ProjectError(f"{path}: profile {profile_name!r} not found")
    set_invocation_context(os.environ)
    from dbt.config.renderer import ProfileRenderer

    renderer = ProfileRenderer(project.cli_vars)
    try:
        name = project.target_name or os.environ.get("DBT_TARGET_NAME") or renderer.render_value(
            profile.get("target", "default"))
        outputs = profile.get("outputs") or {}
        if name not in outputs:
            raise ProjectError(
                f"{path}: {profile_name}.outputs.{name}: target not found (targets: {', '.join(outputs)})")
        fields = renderer.render_data(_plain(outputs[name]))
    except DbtBaseException as exc:
        message = " ".join(str(exc).split())
        raise ProjectError(f"{path}: {profile_name}: cannot render the profile: {message}") from exc
    kind = str(fields.get("type", ""))
    if kind not in SUPPORTED_TYPES:
        raise ProjectError(
            f"{path}: {profile_name}.outputs.{name}.type: {kind!r} is not supported "
            f"(supported: {', '.join(SUPPORTED_TYPES)})")
    return Target(profile_name, str(name), kind, dict(fields), project.root, path)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
