"""Record every statement dbt-snowflake sends, in order, running the real materializations in process
against the Snowflake emulator (fakesnow), with governance DDL ON.

    python snowflake_recorder.py OUT.json RAW.duckdb -- <dbt args>...

fakesnow runs the data statements but knows nothing of masking policies. So this harness, standing
in for what only a real account does, and nothing else:
- records each statement exactly as dbt sent it (what a real account would receive);
- answers masking-policy DDL (CREATE/ALTER MASKING POLICY, ALTER ... SET/UNSET MASKING POLICY, function
  and key DDL of the masking administrator) with an empty success, without running it;
- runs a CREATE whose column list carries masking policies without that column list (fakesnow rejects
  the policies, and mistranslates some queries under a typed column list; the query alone gives the
  same columns), and remembers which policy each column was created with;
- answers SHOW MASKING POLICIES with the policies created so far, INFORMATION_SCHEMA.POLICY_REFERENCES
  from what it remembered, and the run-start check of the
  masking key's vault with RECORDER_VAULT (`ready`, the default, or `empty`: no active key).
The recorded list is written as JSON: [{"sql": ..., "node": ...}]. The raw layer is copied from a
DuckDB file first (not recorded).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

GOVERNANCE_DDL = re.compile(
    r"^\s*(create|alter|drop)\s+(or\s+replace\s+)?(masking policy|secure function|function|tag)\b"
    r"|^\s*alter\s+(table|view)\s+\S+\s+modify\s+column\s+\S+\s+(set|unset)\s+masking policy"
    r"|^\s*(grant|revoke)\b|^\s*(insert into|update|create table if not exists)\s+\S*masking_keys"
    r"|^\s*create schema .* with managed access",
    re.IGNORECASE,
)
CREATE = re.compile(r"^\s*create\s+(or\s+replace\s+)?(transient\s+|secure\s+)?(table|view)\s+([\w.\"]+)", re.IGNORECASE)
# one column definition per line, as the governed DDL renders them: NAME or "NAME", then the clause
COLUMN_POLICY = re.compile(r"^\s*\"?([^\"\s]+)\"?\s[^\n]*?with masking policy\s+([\w.\"$]+)",
                           re.IGNORECASE | re.MULTILINE)
SAMPLE_ROWS = 300  # rows per raw table copied: the statements, not the data, are under test
CREATED_POLICY = re.compile(r"create masking policy if not exists ([\w.\"$]+)", re.IGNORECASE)
SHOW_POLICIES = re.compile(r"show masking policies\b", re.IGNORECASE)
VAULT_CHECK = re.compile(r"GOVERNANCE_KEYED_HASH\('governance-preflight'\) is not null as vault_ready", re.IGNORECASE)
# the schema of the vault's keyed-hash function, in the pre-flight check every build sends
VAULT_SCHEMA = re.compile(r"([\w.\"]+)\.GOVERNANCE_KEYED_HASH\('governance-preflight'\)", re.IGNORECASE)
POLICY_REFERENCES = re.compile(r"policy_references\(\s*ref_entity_name\s*=>\s*'([^']+)'", re.IGNORECASE)


def without_column_list(sql: str, start: int) -> str:
    """`sql` without the parenthesised column list that follows position `start` (a CREATE's name)."""
    opening = start + len(sql[start:]) - len(sql[start:].lstrip())
    if sql[opening:opening + 1] != "(":
        return sql
    depth = 0
    for position in range(opening, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[position], 0)
        if depth == 0:
            return sql[:opening] + sql[position + 1:]
    return sql


def main(argv: list[str]) -> int:
    out, raw_db, dbt_args = Path(argv[0]), Path(argv[1]), argv[argv.index("--") + 1:]
    import duckdb
    import fakesnow
    import snowflake.connector
    from fakesnow.cursor import FakeSnowflakeCursor

    from raw_loader.snowflake_copy import copy_raw_layer

    database = os.environ.get("SNOWFLAKE_EMULATOR_DATABASE", "ANALYTICS")
    recorded: list[dict[str, Any]] = []
    attached: dict[str, dict[str, str]] = {}
    policies: set[str] = set()
    recording = False
    original = FakeSnowflakeCursor.execute

    def execute(self: Any, command: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if not recording:
            return original(self, command, params, *args, **kwargs)
        recorded.append({"sql": command})
        body = re.sub(r"^\s*/\*.*?\*/\s*", "", command, flags=re.DOTALL)
        created_policy = CREATED_POLICY.match(body)
        if created_policy:
            policies.add(created_policy.group(1).replace('"', "").upper())
        if SHOW_POLICIES.match(body):
            rows = " union all ".join(
                f"select '{p.split('.')[0]}' as \"database_name\", '{p.split('.')[1]}' as \"schema_name\", "
                f"'{p.split('.')[2]}' as \"name\""
                for p in sorted(policies))
            return original(self, rows or 'select null as "database_name", null as "schema_name", null as "name" where false')
        if GOVERNANCE_DDL.search(body):
            return original(self, "select 'recorded, not run' as status", None)
        created = CREATE.search(body)
        if created and " masking policy " in body.lower():
            attached[created.group(4).replace('"', "").upper()] = {
                column.upper(): policy.replace('"', "").upper() for column, policy in COLUMN_POLICY.findall(body)}
            command = without_column_list(command, command.index(created.group(4)) + len(created.group(4)))
        if VAULT_CHECK.search(body):
            ready = os.environ.get("RECORDER_VAULT", "ready") == "ready"
            schema = VAULT_SCHEMA.search(body)
            if ready and schema:  # a stand-in for the vault's function (the masking administrator deploys the real
                # one), so that static masking of a join key can run on the emulator
                name = schema.group(1).replace('"', "")
                self._duck_conn.execute(f"create schema if not exists {name}")
                self._duck_conn.execute(f"create or replace macro {name}.governance_keyed_hash(val) as "
                                        "sha256('emulator-stand-in-key' || val)")
            return original(self, f"select {str(ready).lower()} as vault_ready", None)
        references = POLICY_REFERENCES.search(body)
        if references:
            rows = attached.get(references.group(1).replace('"', "").upper(), {})
            values = ", ".join(f"('{c}', '{p}')" for c, p in sorted(rows.items())) or "(null, null)"
            command = (f"select ref_column_name, policy from (values {values}) as t(ref_column_name, policy) "
                       "where ref_column_name is not null")
        return original(self, command, params, *args, **kwargs)

    with fakesnow.patch():
        with duckdb.connect() as duck:
            duck.execute(f"attach '{raw_db}' as source (read_only)")
            duck.execute("create schema raw")
            for (table,) in duck.execute("select table_name from information_schema.tables "
                                         "where table_catalog = 'source' and table_schema = 'raw'").fetchall():
                duck.execute(f"create table raw.{table} as select * from source.raw.{table} "
                             f"order by rowid limit {SAMPLE_ROWS}")
            duck.execute("detach source")
            copy_raw_layer(duck, snowflake.connector.connect(), database)
        FakeSnowflakeCursor.execute = execute  # type: ignore[method-assign]
        recording = True
        from dbt.cli.main import dbtRunner

        results = []
        for args in " ".join(dbt_args).split(" ;; "):
            result = dbtRunner().invoke(args.split())
            results.append({"args": args, "success": result.success,
                            "exception": str(result.exception) if result.exception else None})
            recorded.append({"sql": f"-- end of dbt {args}"})
    out.write_text(json.dumps({"results": results, "statements": recorded}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
