"""Open a DB-API connection through the dbt project's own profile and target.

There is no second connection config: the profile (``profiles.yml`` in ``$DBT_PROFILES_DIR``, the
project directory or ``~/.dbt``) is read, its ``env_var(...)`` calls are rendered with Jinja the way
dbt renders them, and the chosen target (``--target``, else the profile's ``target``) is opened:

- ``type: duckdb`` with the duckdb package (``path`` relative to the project directory);
- ``type: snowflake`` with snowflake-connector-python (password, key pair or authenticator;
  ``host``/``port``/``protocol`` are passed through, which is how tests point it at fakesnow).

Secrets are read from the environment at connect time and never printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from governance.errors import ProjectError

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


@dataclass
class Connection:
    """A DB-API connection plus what the scanner needs to know about it."""

    target: Target
    raw: Any
    dialect: str
    _closed: bool = field(default=False, repr=False)

    def cursor(self) -> Any:
        """A cursor safe to use from its own thread (DuckDB: a duplicate connection)."""
        return self.raw.cursor()

    def close(self) -> None:
        if not self._closed:
            self.raw.close()
            self._closed = True

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _env_var(name: str, default: str | None = None) -> str:
    if name in os.environ:
        return os.environ[name]
    if default is not None:
        return default
    raise ProjectError(f"environment variable {name} is required by the dbt profile and is not set")


def render(value: Any, jinja: jinja2.Environment) -> Any:
    """Render Jinja (env_var) in every string of a profile structure."""
    if isinstance(value, dict):
        return {str(k): render(v, jinja) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, jinja) for v in value]
    if isinstance(value, str) and "{{" in value:
        rendered = jinja.from_string(value).render()
        return _coerce(rendered)
    return value


def _coerce(text: str) -> Any:
    if text.isdigit():
        return int(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def _jinja() -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.globals["env_var"] = _env_var
    return env


def find_profiles(project_dir: Path, profiles_dir: Path | None = None) -> Path:
    candidates = []
    if profiles_dir:
        candidates.append(profiles_dir)
    if os.environ.get("DBT_PROFILES_DIR"):
        candidates.append(Path(os.environ["DBT_PROFILES_DIR"]))
    candidates += [project_dir, Path.home() / ".dbt"]
    for directory in candidates:
        path = directory.expanduser() / "profiles.yml"
        if path.is_file():
            return path
    raise ProjectError(f"no profiles.yml found (looked in {', '.join(str(c) for c in candidates)})")


def load_target(
    project_dir: Path, target_name: str | None = None, profiles_dir: Path | None = None
) -> Target:
    """The rendered target of the project's profile."""
    project_file = project_dir / "dbt_project.yml"
    try:
        project = YAML(typ="safe").load(project_file.read_text()) or {}
    except (OSError, YAMLError) as exc:
        raise ProjectError(f"{project_file}: cannot read the dbt project: {exc}") from exc
    profile_name = project.get("profile")
    if not profile_name:
        raise ProjectError(f"{project_file}: profile: missing")
    path = find_profiles(project_dir, profiles_dir)
    try:
        profiles = YAML(typ="safe").load(path.read_text()) or {}
    except YAMLError as exc:
        raise ProjectError(f"{path}: not valid YAML: {exc}") from exc
    profile = profiles.get(profile_name)
    if not isinstance(profile, dict):
        raise ProjectError(f"{path}: profile {profile_name!r} not found")
    jinja = _jinja()
    try:
        name = target_name or os.environ.get("DBT_TARGET_NAME") or render(profile.get("target", "dev"), jinja)
        outputs = profile.get("outputs") or {}
        if name not in outputs:
            raise ProjectError(
                f"{path}: {profile_name}.outputs.{name}: target not found (targets: {', '.join(outputs)})"
            )
        fields = render(outputs[name], jinja)
    except jinja2.TemplateError as exc:
        raise ProjectError(f"{path}: {profile_name}: cannot render the profile: {exc}") from exc
    kind = str(fields.get("type", ""))
    if kind not in SUPPORTED_TYPES:
        raise ProjectError(
            f"{path}: {profile_name}.outputs.{name}.type: {kind!r} is not supported "
            f"(supported: {', '.join(SUPPORTED_TYPES)})"
        )
    return Target(str(profile_name), str(name), kind, fields, project_dir, path)


def connect(target: Target, read_only: bool = True) -> Connection:
    if target.type == "duckdb":
        return _connect_duckdb(target, read_only)
    return _connect_snowflake(target)


def _connect_duckdb(target: Target, read_only: bool) -> Connection:
    import duckdb

    path = target.duckdb_path()
    if path != ":memory:" and not path.startswith("md:") and not Path(path).is_file():
        raise ProjectError(
            f"DuckDB database {path} (target {target.name}) does not exist; "
            "load the raw layer first (make setup)"
        )
    try:
        con = duckdb.connect(path, read_only=read_only and path != ":memory:")
    except duckdb.Error as exc:
        raise ProjectError(f"cannot open DuckDB database {path}: {type(exc).__name__}") from exc
    return Connection(target, con, "duckdb")


SNOWFLAKE_KEYS = (
    "account",
    "user",
    "password",
    "role",
    "warehouse",
    "database",
    "schema",
    "authenticator",
    "host",
    "port",
    "protocol",
    "private_key_file_pwd",
    "login_timeout",
    "token",
)


def snowflake_arguments(target: Target) -> dict[str, Any]:
    """Keyword arguments for snowflake.connector.connect from a dbt-snowflake target."""
    fields = target.fields
    kwargs = {key: fields[key] for key in SNOWFLAKE_KEYS if fields.get(key) not in (None, "")}
    if fields.get("private_key_path"):
        kwargs["private_key_file"] = str(Path(str(fields["private_key_path"])).expanduser())
        if fields.get("private_key_passphrase"):
            kwargs["private_key_file_pwd"] = fields["private_key_passphrase"]
    if fields.get("query_tag"):
        kwargs["session_parameters"] = {"QUERY_TAG": f"{fields['query_tag']}:governance-scan"}
    kwargs.setdefault("application", "governance-scan")
    if fields.get("connect_retries") == 0:
        kwargs["network_timeout"] = 60
    return kwargs


def _connect_snowflake(target: Target) -> Connection:
    import snowflake.connector

    try:
        con = snowflake.connector.connect(**snowflake_arguments(target))
    except snowflake.connector.Error as exc:
        raise ProjectError(
            f"cannot connect to Snowflake (target {target.name}, account "
            f"{target.fields.get('account')}): {type(exc).__name__}: {exc.msg}"
        ) from exc
    return Connection(target, con, "snowflake")
