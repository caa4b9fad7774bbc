"""The masking policies attached in the account, compared with the ones the project renders.

A column is protected as the policy says only when the policy attached to it is exactly the project's
policy for it (its fully qualified name: the production database, the masking schema, the name the
macros give it) AND that policy's body is the body the project's macros render
(`governance.render_masking_policy_bodies`, the same builders as the deployed DDL). A policy whose
name only ends with the expected one (``SECURITY_DB.POLICIES.MASK_L3_VARCHAR_EMAIL``), one of the
right name whose body was changed (``alter masking policy ... set body -> val``), and one whose body
cannot be read all fail.

Bodies are compared by a SHA-256 of their normal form (sqlglot's Snowflake rendering: whitespace and
keyword case do not count, any change of logic, role or literal does).

Input: POLICY_REFERENCES rows (ref_database_name, ref_schema_name, ref_entity_name, ref_column_name,
policy_db, policy_schema, policy_name, policy_kind), MASKING_POLICIES rows (policy_catalog,
policy_schema, policy_name, policy_body; ACCOUNT_USAGE or DESCRIBE MASKING POLICY) and COLUMNS rows
(table_schema, table_name, column_name, data_type) for the column types; from a JSON export
(`governance protected --policy-export`) or read live (`--live`).
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.errors import ProjectError
from governance.masking.rules import ProtectedColumn, protected_columns
from governance.policy import Policy
from governance.policy.masking import snowflake_policy_name, snowflake_policy_type

BODIES_MARKER = "GOVERNANCE_POLICY_BODIES "
LENGTH_SUFFIX = re.compile(r"_LEN(\d+)$")
EXPORT_KEYS = ("policy_references", "masking_policies", "columns")


def body_hash(body: str) -> str:
    """SHA-256 of a policy body's normal form (sqlglot's Snowflake rendering)."""
    import sqlglot

    try:
        normal = sqlglot.parse_one(body, read="snowflake").sql(dialect="snowflake", normalize=True)
    except sqlglot.errors.SqlglotError:
        normal = " ".join(body.split())  # unparseable: compared as text (it cannot equal a rendered body)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ExpectedPolicy:
    column: ProtectedColumn
    relation: str  # DB.SCHEMA.RELATION (production names, upper case)
    policy: str  # DB.SCHEMA.NAME


def _lower_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{str(k).lower(): v for k, v in row.items()} for row in rows
            if not {str(k).lower(): v for k, v in row.items()}.get("deleted")]


def _char_size(data_type: str | None) -> int | None:
    match = re.search(r"\((\d+)\)", data_type or "")
    return int(match.group(1)) if match else None


def expected_policies(manifest: dict[str, Any], policy: Policy,
                      columns: Iterable[Mapping[str, Any]]) -> list[ExpectedPolicy]:
    """Each protected column and the fully qualified policy it must carry in production (types from COLUMNS)."""
    assert policy.grants is not None
    types = {(str(r["table_schema"]).lower(), str(r["table_name"]).lower(), str(r["column_name"]).lower()):
             str(r["data_type"]) for r in _lower_rows(columns)}
    schema = f"{policy.grants.database}.{policy.masking.schema}".upper()
    wanted = []
    for column in protected_columns(manifest, policy, types):
        relation = f"{policy.grants.database}.{column.schema}.{column.relation}".upper()
        if column.data_type is None:
            name = "(column not found in the warehouse)"
        else:
            name = snowflake_policy_name(column.level, column.data_type, column.category, column.mask,
                                         _char_size(column.data_type))
        wanted.append(ExpectedPolicy(column, relation, f"{schema}.{name}"))
    return wanted


def length_entries(wanted: list[ExpectedPolicy]) -> list[dict[str, Any]]:
    """The length-fitted policies (`_LEN<n>`) the columns need, as render_masking_policy_bodies entries."""
    entries = {}
    for item in wanted:
        match = LENGTH_SUFFIX.search(item.policy)
        if match and item.column.data_type:
            entries[item.policy] = {"level": item.column.level, "policy_type": snowflake_policy_type(item.column.data_type),
                                    "category": item.column.category, "mask": item.column.mask,
                                    "length": int(match.group(1))}
    return [entries[k] for k in sorted(entries)]


def rendered_policy_bodies(project: Any, policy: Policy, entries: list[dict[str, Any]]) -> dict[str, str]:
    """DB.SCHEMA.NAME -> body of every policy the project deploys (and of `entries`), rendered by the project's
    macros for the production database."""
    from governance.project.runner import run_operation

    assert policy.grants is not None
    with tempfile.TemporaryDirectory(prefix="governance-policy-bodies-") as workdir:
        output = run_operation(project, "governance.render_masking_policy_bodies", {"entries": entries},
                               Path(workdir), policy.grants.database)
    line = next((ln for ln in output.splitlines() if ln.startswith(BODIES_MARKER)), None)
    if line is None:
        raise ProjectError("governance.render_masking_policy_bodies printed no bodies")
    return {name.upper(): body for name, body in json.loads(line[len(BODIES_MARKER):]).items()}


def rendered_bodies(project: Any, policy: Policy, entries: list[dict[str, Any]]) -> dict[str, str]:
    """DB.SCHEMA.NAME -> body hash of every policy the project renders."""
    return {name: body_hash(body) for name, body in rendered_policy_bodies(project, policy, entries).items()}


def audit_attached_policies(wanted: list[ExpectedPolicy], expected_hashes: Mapping[str, str],
                            references: Iterable[Mapping[str, Any]],
                            policies: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per protected column: relation, column, level, expected policy, attached policy, status
    (`applied`, or why not)."""
    attached: dict[tuple[str, str], str] = {}
    for row in _lower_rows(references):
        if str(row.get("policy_kind") or "MASKING_POLICY").upper() != "MASKING_POLICY":
            continue
        relation = ".".join(str(row[k]).upper() for k in ("ref_database_name", "ref_schema_name", "ref_entity_name"))
        attached[(relation, str(row["ref_column_name"]).upper())] = ".".join(
            str(row[k]).upper() for k in ("policy_db", "policy_schema", "policy_name"))
    live_hashes = {".".join(str(row[k]).upper() for k in ("policy_catalog", "policy_schema", "policy_name")):
                   body_hash(str(row["policy_body"])) for row in _lower_rows(policies) if row.get("policy_body")}
    rows = []
    for item in wanted:
        found = attached.get((item.relation, item.column.column.upper()))
        if found is None:
            status = "missing: no policy attached"
        elif found != item.policy:
            status = f"wrong policy {found} (expected {item.policy})"
        elif item.policy not in expected_hashes:
            status = f"unknown policy {found}: the project renders no such policy"
        elif found not in live_hashes:
            status = f"body unknown: no body recorded for {found}"
        elif live_hashes[found] != expected_hashes[item.policy]:
            status = f"body differs: {found} is not the body the project renders"
        else:
            status = "applied"
        rows.append({"relation": item.relation, "column": item.column.column, "level": item.column.level,
                     "category": item.column.category, "mask": item.column.mask, "data_type": item.column.data_type,
                     "policy": item.policy, "attached": found, "status": status})
    return rows


def live_export(connection: Any, relations: set[tuple[str, str]], database: str) -> dict[str, list[dict[str, Any]]]:
    """The same rows as an export, read from the account: POLICY_REFERENCES of each relation (schema, name),
    INFORMATION_SCHEMA.COLUMNS of their schemas, and DESCRIBE MASKING POLICY of every attached policy."""
    cursor = connection.cursor()
    references: list[dict[str, Any]] = []
    columns: list[dict[str, Any]] = []
    for schema, relation in sorted(relations):
        fqn = f"{database}.{schema}.{relation}".upper()
        cursor.execute(
            f"select ref_database_name, ref_schema_name, ref_entity_name, ref_column_name, policy_db, policy_schema, "
            f"policy_name, policy_kind from table({database}.information_schema.policy_references("
            f"ref_entity_name => %s, ref_entity_domain => 'table'))", (fqn,))
        keys = ("ref_database_name", "ref_schema_name", "ref_entity_name", "ref_column_name", "policy_db",
                "policy_schema", "policy_name", "policy_kind")
        references += [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute(f"select table_schema, table_name, column_name, data_type from {database}.information_schema.columns "
                       "where table_schema = %s and table_name = %s", (schema.upper(), relation.upper()))
        columns += [dict(zip(("table_schema", "table_name", "column_name", "data_type"), row, strict=True))
                    for row in cursor.fetchall()]
    policies: list[dict[str, Any]] = []
    for name in sorted({".".join(str(r[k]) for k in ("policy_db", "policy_schema", "policy_name")) for r in references
                        if str(r.get("policy_kind", "")).upper() == "MASKING_POLICY"}):
        cursor.execute(f"describe masking policy {name}")
        described = {str(d[0]).lower(): value for d, value in zip(cursor.description, cursor.fetchone() or (), strict=False)}
        if described.get("body") is not None:
            db, schema, policy_name = name.split(".")
            policies.append({"policy_catalog": db, "policy_schema": schema, "policy_name": policy_name,
                             "policy_body": described["body"]})
    return {"policy_references": references, "masking_policies": policies, "columns": columns}


def audit_export(project: Any, manifest: dict[str, Any], policy: Policy,
                 export: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every protected column of the manifest against an export (or live rows): name and body."""
    wanted = expected_policies(manifest, policy, export["columns"])
    hashes = rendered_bodies(project, policy, length_entries(wanted))
    return audit_attached_policies(wanted, hashes, export["policy_references"], export["masking_policies"])


def read_export(path: Path) -> dict[str, list[dict[str, Any]]]:
    """A JSON export {policy_references: [...], masking_policies: [...], columns: [...]}; a clear error otherwise."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {key: list(data[key]) for key in EXPORT_KEYS}
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ProjectError(f"{path}: not a policy export ({type(exc).__name__}: {exc}); expected a JSON object with "
                           f"{', '.join(EXPORT_KEYS)}") from exc
