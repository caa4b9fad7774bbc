"""The grants Permifrost's spec cannot express, generated from the policy: `snowflake_grants.sql`.

Permifrost grants schema and table privileges; it knows nothing of masking policies, functions,
user types or managed access. This script holds the rest of the separation of duties, rendered from
the same policy and roles.yml spec (and checked by `governance roles --check` the same way):

- every schema a service role writes (raw, what dbt builds, the audit trail) is created by SYSADMIN
  `with managed access` and owned by SYSADMIN: in a managed-access schema only the schema's owner
  and roles with MANAGE GRANTS (SECURITYADMIN) may grant on the objects in it, so the service role
  that creates and owns the tables cannot grant them to anyone (an owner of the schema itself could,
  managed access or not: that is why no service role owns one). Schemas created before are handed to
  SYSADMIN (`grant ownership ... copy current grants`) and switched to managed access by SECURITYADMIN;

- the masking administrator (role MASKING_ADMIN, in roles.yml owning the masking schema) may create
  masking policies, the key table and the keyed-hash function there, and holds the account-level
  APPLY MASKING POLICY; nobody else does;
- the roles that build (the service roles that write built schemas: the transformer) get only
  object-level APPLY on each of the project's policies (to create tables whose columns carry
  them) and USAGE on the keyed-hash function; never the key table;
- every service user is `TYPE = SERVICE` (no password or MFA login) and has no default secondary
  roles, so its sessions act as exactly one role, and masking policies (IS_ROLE_IN_SESSION) see
  only that role's hierarchy.
"""

from __future__ import annotations

from typing import Any

from governance.policy import Policy
from governance.policy.masking import snowflake_policy_name, snowflake_policy_types
from governance.policy.schema import TEXT_CATEGORIES

MASKING_ADMIN_ROLE = "masking_admin"
FILE_NAME = "snowflake_grants.sql"
KEYED_HASH_FUNCTION = "GOVERNANCE_KEYED_HASH(VARCHAR)"
SCHEMA_OWNER = "SYSADMIN"  # owns every schema a service role writes
AUDIT_SCHEMA = "audit"  # the audit trail (governance.observability.audit.AUDIT_SCHEMA)


def masking_schema(policy: Policy) -> str:
    """db.schema of the masking policies and the key's vault (production names, upper case)."""
    assert policy.grants is not None
    return f"{policy.grants.database}.{policy.masking.schema}".upper()


def base_policy_names(policy: Policy) -> list[str]:
    """Every base policy the project's builds attach (per masked level: VARCHAR per text category,
    every other type once)."""
    names = set()
    for level in policy.masked_levels:
        for policy_type in snowflake_policy_types():
            categories = TEXT_CATEGORIES if policy_type == "VARCHAR" else ("other",)
            for category in categories:
                names.add(snowflake_policy_name(level, policy_type, category, policy.masking.mask_for(level, category)))
    return sorted(names)


def builder_roles(policy: Policy) -> list[str]:
    """Service roles that write schemas dbt builds (not the loaders)."""
    assert policy.grants is not None
    loaders = set(policy.grants.raw_writers)
    return sorted(name for name in policy.service_roles
                  if name not in loaders and policy.grants.for_role(name).write)


def _roles(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(name).lower(): config or {} for entry in spec.get("roles") or [] for name, config in (entry or {}).items()}


def service_written_schemas(spec: dict[str, Any]) -> list[str]:
    """DB.SCHEMA (upper case) of every schema a service role of the spec writes."""
    return sorted({str(fqn).upper() for config in _roles(spec).values()
                   if (config.get("meta") or {}).get("kind") == "service"
                   for fqn in ((config.get("privileges") or {}).get("schemas") or {}).get("write") or []})


def _audit_appenders(policy: Policy, spec: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The audit schema (DB.SCHEMA) when a role of the spec writes it, and the service roles that run governance
    commands (they write a schema the builders write: the eraser) without writing it: they append their
    decisions to it, insert only."""
    assert policy.grants is not None
    audit = f"{policy.grants.database}.{AUDIT_SCHEMA}".upper()
    if audit not in service_written_schemas(spec):
        return None, []
    built = {s for role in builder_roles(policy) for s in policy.grants.for_role(role).write}
    appenders = sorted(role for role in policy.service_roles
                       if role not in builder_roles(policy) and AUDIT_SCHEMA not in policy.grants.for_role(role).write
                       and built & set(policy.grants.for_role(role).write))
    return audit, appenders


def render(policy: Policy, spec: dict[str, Any]) -> str:
    """The script, from the policy and the roles.yml spec it goes with."""
    assert policy.grants is not None
    schema = masking_schema(policy)
    admin = MASKING_ADMIN_ROLE.upper()
    managed = service_written_schemas(spec)
    lines = [
        "-- GENERATED by `governance roles` from vars.governance in dbt_project.yml, with roles.yml. Do not edit.",
        "-- The grants Permifrost's spec cannot express (README \"Roles and grants\"). Every statement is idempotent.",
        "-- Run part 1 as SYSADMIN before `permifrost run roles.yml` (its grants need the schemas), the rest after it.",
        "",
        f"-- 1. the schemas the service roles write: created with managed access and owned by {SCHEMA_OWNER}, so that only",
        f"-- {SCHEMA_OWNER} (their owner) and MANAGE GRANTS (SECURITYADMIN) grant on what they hold, never the service",
        "-- role that creates and owns the tables",
        f"use role {SCHEMA_OWNER};",
        *[f"create schema if not exists {fqn} with managed access;" for fqn in managed],
        "",
        "-- 2. as SECURITYADMIN (MANAGE GRANTS): a schema created before (owned by the role that wrote it) is handed to",
        f"-- {SCHEMA_OWNER} with its grants and switched to managed access; so is the masking schema (its owner, the",
        "-- masking administrator, keeps it)",
        "use role SECURITYADMIN;",
        *[line for fqn in managed for line in (
            f"grant ownership on schema {fqn} to role {SCHEMA_OWNER} copy current grants;",
            f"alter schema {fqn} enable managed access;")],
        f"alter schema {schema} enable managed access;",
        "",
        "-- the masking administrator owns the policies, the key table and the keyed-hash function",
        f"grant create masking policy on schema {schema} to role {admin};",
        f"grant create table on schema {schema} to role {admin};",
        f"grant create function on schema {schema} to role {admin};",
        f"grant apply masking policy on account to role {admin};",
    ]
    for role in builder_roles(policy):
        lines += ["", f"-- {role}: attaches the project's policies when it creates a relation; hashes with the "
                      "key, never reads it",
                  f"grant usage on database {policy.grants.database.upper()} to role {role.upper()};",
                  f"grant usage on schema {schema} to role {role.upper()};",
                  f"grant usage on function {schema}.{KEYED_HASH_FUNCTION} to role {role.upper()};"]
        lines += [f"grant apply on masking policy {schema}.{name} to role {role.upper()};"
                  for name in base_policy_names(policy)]
        built = sorted(fqn for fqn in managed if fqn.split(".")[1].lower() in policy.grants.for_role(role).write
                       and fqn.split(".")[0] == policy.grants.database.upper())
        lines += [f"-- {role}: sets Time Travel on the schemas it builds (retention); MODIFY, never ownership"]
        lines += [f"grant modify on schema {fqn} to role {role.upper()};" for fqn in built]
    audit, appenders = _audit_appenders(policy, spec)
    for role in appenders:
        lines += ["", f"-- {role}: appends its decisions to the audit trail, insert only (the trail is append-only)",
                  f"grant usage on schema {audit} to role {role.upper()};",
                  f"grant insert on all tables in schema {audit} to role {role.upper()};",
                  f"grant insert on future tables in schema {audit} to role {role.upper()};"]
    if policy.grants.users:
        lines += ["", "-- service users: no interactive login, and sessions act as exactly one role"]
        lines += [f"alter user {name.upper()} set type = service default_secondary_roles = ();"
                  for name in sorted(policy.grants.users)]
    return "\n".join(lines) + "\n"

