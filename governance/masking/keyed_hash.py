"""The keyed hash of the embedded DuckDB warehouse, with a key that is never written anywhere.

On DuckDB the key of the keyed hash (join-key masks and the `governance_keyed_hash(value)` macro)
is read from the environment of the process that runs the query, at query time, by a Python
function registered on the connection: HMAC-SHA256(key, value) as lower-case hex. SQL only ever
names the function, so the key appears in no compiled SQL, hook, log, dbt artifact, docs page or
the DuckDB file. A connection without the function (a plain `duckdb.connect`) cannot evaluate the
join-key masks and fails; one with the function but without the key fails as well: the value is
never returned unkeyed.

- dbt: the profile's DuckDB target lists this module as a dbt-duckdb plugin
  (`plugins: [{module: governance.masking.keyed_hash, config: {key_file: <database>.key}}]`), which
  registers the function on every connection dbt opens.
- Readers of the protected schemas: `register(connection)` (or `connect(path)`), with the key in
  their environment (cleared readers of join keys only).

Where the environment holds no key, a warehouse may have its own: a key file beside the DuckDB file
(`<database>.key`, 64 random hex characters, readable by its owner only), which the plugin generates the
first time dbt opens the warehouse, so a fresh `make build` needs no secret to be handed out. The file is
never inside the DuckDB file, the project's artifacts or the docs site; whoever can read it can compute the
join keys, like whoever holds the environment variable. A key in the environment always wins; a reader
(`connect`) never generates a key, it only reads an existing file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

FUNCTION = "governance_hmac_sha256"
DEFAULT_KEY_ENV = "GOVERNANCE_MASKING_HASH_KEY"


class MissingKeyError(RuntimeError):
    """The keyed hash was evaluated without its key."""


def keyed_hash(key: str, value: str) -> str:
    """HMAC-SHA256 of `value` under `key`, lower-case hex (64 characters)."""
    return hmac.new(key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()


def key_file_for(database: str | Path) -> Path:
    """The per-warehouse key file of a DuckDB file: `<database>.key` beside it."""
    return Path(f"{database}.key")


def ensure_key_file(path: Path) -> None:
    """Create `path` with a new random key (owner read/write only) unless it exists. Never overwrites: a
    new key would change every join key already built."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")


def _file_key(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return ""


def register(connection: duckdb.DuckDBPyConnection, key_env: str = DEFAULT_KEY_ENV,
             environ: Mapping[str, str] | None = None, key_file: Path | None = None) -> None:
    """Register `governance_hmac_sha256(varchar) -> varchar` on `connection`. The key is read from
    `key_env`, else from `key_file`, each time the function runs (a missing key is an error, never an
    unkeyed value)."""
    env = os.environ if environ is None else environ
    file_key: list[str] = []  # the key file's key, read once on first use (the file is never rewritten)

    def warehouse_key() -> str:
        if not file_key:
            found = _file_key(key_file)
            if found:
                file_key.append(found)
        return file_key[0] if file_key else ""

    def function(value: str) -> str:
        key = env.get(key_env, "") or warehouse_key()
        if not key:
            where = f" or the warehouse key file {key_file}" if key_file is not None else ""
            raise MissingKeyError(f"masking: the keyed hash needs environment variable {key_env}{where} (its key); "
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
    """duckdb.connect(database, **kwargs) with the keyed hash registered (key: the environment, else the
    warehouse's key file when one exists)."""
    connection = duckdb.connect(database, **kwargs)
    register(connection, key_env, key_file=key_file_for(database))
    return connection


try:  # the dbt-duckdb plugin (only where dbt-duckdb is installed)
    from dbt.adapters.duckdb.plugins import BasePlugin
except ImportError:  # pragma: no cover - dbt-duckdb is a dependency of the project, not of this module
    BasePlugin = object  # type: ignore[assignment,misc]


class Plugin(BasePlugin):  # type: ignore[misc,valid-type]
    """dbt-duckdb plugin: registers the keyed hash on every connection dbt opens. Config `key_env`
    names the key's environment variable (default GOVERNANCE_MASKING_HASH_KEY, the policy's
    masking.hash_key_env); `key_file` the warehouse's own key file, generated here when the environment
    holds no key and the file does not exist yet."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.key_env = str(plugin_config.get("key_env") or DEFAULT_KEY_ENV)
        configured = plugin_config.get("key_file")
        self.key_file = Path(str(configured)) if configured else None
        if self.key_file is not None and not os.environ.get(self.key_env):
            ensure_key_file(self.key_file)

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        register(conn, self.key_env, key_file=self.key_file)
