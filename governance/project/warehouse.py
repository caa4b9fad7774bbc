"""Open a DB-API connection to the warehouse of the dbt project's own profile target.

There is no second connection config: the target comes from `governance.project.profiles`
(rendered by dbt itself) and is opened:

- ``type: duckdb`` with the duckdb package (``path`` relative to the project directory);
- ``type: snowflake`` with snowflake-connector-python (password, key pair or authenticator;
  ``host``/``port``/``protocol`` are passed through, which is how tests point it at fakesnow).

Secrets are read from the environment at connect time and never printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.errors import ProjectError
from governance.project.profiles import Target


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
