"""The keyed hash of the embedded DuckDB warehouse, with a key that is never written anywhere.

On DuckDB the key of the keyed hash (join-key masks and the `governance_keyed_hash(value)` macro)
is read from the environment of the process that runs the query, at query time, by a Python
function registered on the connection: HMAC-SHA256(key, value) as lower-case hex. SQL only ever
names the function, so the key appears in no compiled SQL, hook, log, dbt artifact, docs page or
the DuckDB file. A connection without the function (a plain `duckdb.connect`) cannot evaluate the
join-key masks and fails; one with the function but without the key fails as well: the value is
never returned unkeyed.

- dbt: the profile's DuckDB target lists this module as a dbt-duckdb plugin
  (`plugins: [{module: governance.masking.keyed_hash}]`), which registers the function on every
  connection dbt opens.
- Readers of the protected schemas: `register(connection)` (or `connect(path)`), with the key in
  their environment (cleared readers of join keys only).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from typing import Any

import duckdb

FUNCTION = "governance_hmac_sha256"
DEFAULT_KEY_ENV = "GOVERNANCE_MASKING_HASH_KEY"


class MissingKeyError(RuntimeError):
    """The keyed hash was evaluated without its key."""


def keyed_hash(key: str, value: str) -> str:
    """HMAC-SHA256 of `value` under `key`, lower-case hex (64 characters)."""
    return hmac.new(key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()


def register(connection: duckdb.DuckDBPyConnection, key_env: str = DEFAULT_KEY_ENV,
             environ: Mapping[str, str] | None = None) -> None:
    """Register `governance_hmac_sha256(varchar) -> varchar` on `connection`. The key is read from
    `key_env` each time the function runs (a missing key is an error, never an unkeyed value)."""
    env = os.environ if environ is None else environ

    def function(value: str) -> str:
        key = env.get(key_env, "")
        if not key:
            raise MissingKeyError(f"masking: the keyed hash needs environment variable {key_env} (its key); "
                                  "it is read at query time and never stored")
        return keyed_hash(key, value)

    try:
        connection.create_function(FUNCTION, function, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"),
                                   side_effects=False)
    except duckdb.CatalogException as exc:
        # connections of one process to one database share its functions: registered once is enough
        if "already exists" not in str(exc):
            raise


def connect(database: str, key_env: str = DEFAULT_KEY_ENV, **kwargs: Any) -> duckdb.DuckDBPyConnection:
    """duckdb.connect(database, **kwargs) with the keyed hash registered."""
    connection = duckdb.connect(database, **kwargs)
    register(connection, key_env)
    return connection


try:  # the dbt-duckdb plugin (only where dbt-duckdb is installed)
    from dbt.adapters.duckdb.plugins import BasePlugin
except ImportError:  # pragma: no cover - dbt-duckdb is a dependency of the project, not of this module
    BasePlugin = object  # type: ignore[assignment,misc]


class Plugin(BasePlugin):  # type: ignore[misc,valid-type]
    """dbt-duckdb plugin: registers the keyed hash on every connection dbt opens. Config `key_env`
    names the key's environment variable (default GOVERNANCE_MASKING_HASH_KEY, the policy's
    masking.hash_key_env)."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.key_env = str(plugin_config.get("key_env") or DEFAULT_KEY_ENV)

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        register(conn, self.key_env)
