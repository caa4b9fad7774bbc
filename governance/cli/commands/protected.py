"""`governance protected`: every protected column, its level and mask, and whether it is applied."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from governance.cli.main import ExitCode
from governance.cli.options import invocation, manifest_option, output_options, project_options
from governance.errors import PolicyError
from governance.masking.policy_audit import audit_export, live_export, read_export
from governance.masking.protected import duckdb_rows, print_table, snowflake_rows
from governance.masking.rules import protected_columns
from governance.policy import load_policy
from governance.project import load_manifest
from governance.project.warehouse import connect


@click.command("protected")
@project_options
@manifest_option
@click.option("--database", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="DuckDB: the file to report on (default: the profile target's path)")
@click.option("--live", is_flag=True,
              help="Snowflake: read the policies attached in the account and their bodies (connects through the "
                   "profile target; use a key-pair target)")
@click.option("--policy-export", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="Snowflake, offline: audit a JSON export of the account's POLICY_REFERENCES, MASKING_POLICIES and "
                   "COLUMNS rows {policy_references: [...], masking_policies: [...], columns: [...]}")
@output_options(("text", "json"))
def protected_command(database: Path | None, live: bool, policy_export: Path | None, **options: Any) -> int:
    """List every protected column with its level and mask, and check it is applied.

    Lists every column of every model, snapshot and seed whose classification is a masked level, with
    its level, category and mask, read from the manifest of the last build (default:
    <target-path>/manifest.json). On DuckDB each column is checked against the protected view
    consumers read (<schema>_protected.<name>) in the target's DuckDB file. On Snowflake (a Snowflake
    target, or a manifest built for one) the policy each column must carry is shown; with --live the
    policies actually attached are read from INFORMATION_SCHEMA.POLICY_REFERENCES, with their bodies
    (DESCRIBE MASKING POLICY), and compared; --policy-export does the same from exported rows. Each
    attached policy must be the project's by its full name (database, masking schema, name) and its
    body must be the one the project's macros render (compared by a hash of its normal form).

    Exits 1 when a column is not protected as the policy says (missing, stale, or still masked after
    its classification was removed); 2 on bad input (no manifest, a locked or missing warehouse)."""
    run = invocation("protected", **options)
    policy = load_policy(run.project)
    manifest = load_manifest(run.manifest or run.project.built_manifest)
    adapter = str((manifest.get("metadata") or {}).get("adapter_type") or "duckdb")
    if run.target is not None or live or (adapter == "duckdb" and database is None):
        target = run.project.target()
        adapter = target.type
    if policy_export is not None:
        adapter = "snowflake"
        rows = audit_export(run.project, manifest, policy, read_export(policy_export))
    elif adapter == "duckdb":
        rows = duckdb_rows(manifest, policy, database or Path(target.duckdb_path()))
    elif live:
        if policy.grants is None:
            raise PolicyError(f"{policy.source}: vars.governance.grants: missing; --live needs the production database")
        relations = {(c.schema, c.relation) for c in protected_columns(manifest, policy)}
        with connect(target) as connection:
            export = live_export(connection, relations, policy.grants.database)
        rows = audit_export(run.project, manifest, policy, export)
    else:
        rows = snowflake_rows(manifest, policy, None)
    problems = [r for r in rows if r["status"] not in ("applied", "expected")]
    for row in problems:
        run.decide("masking_not_as_policy", f"{row['relation']}.{row['column']}", level=row["level"],
                   status=str(row["status"]).split(":")[0])
    run.decide("masking_report", adapter, columns=len(rows), problems=len(problems))
    if run.format == "json":
        click.echo(json.dumps({"target": adapter, "policy": str(policy.source), "columns": rows,
                               "problems": len(problems)}, indent=2, sort_keys=True, default=str))
    else:
        print_table(rows, adapter, len(problems))
    return ExitCode.FINDINGS if problems else ExitCode.OK
