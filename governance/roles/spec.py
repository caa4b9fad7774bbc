"""Generate Permifrost's roles.yml from the policy (vars.governance) and the dbt manifest.

The policy states the roles, their clearances, warehouses, service users and which schemas each
role reads and writes (``vars.governance.grants``); the manifest states which schemas exist and
the highest classification (column ``config.meta.classification``) each one holds. A read of a
schema whose level is at or above ``restrict_schemas_from_level`` is granted only to roles
cleared for that level; other reads are withheld and reported.

Ownership (README "Roles and grants"): no role of the spec owns a schema the service roles write.
Those schemas are created by SYSADMIN `with managed access` (snowflake_grants.sql), so only their
owner (SYSADMIN) and roles with MANAGE GRANTS (SECURITYADMIN, which runs Permifrost) can grant on
anything in them; the service role that builds a schema owns its tables, which in a managed-access
schema gives it no right to grant. Each schema's tables have one owner: the role that builds it
(built schemas: the writer that is not a raw writer; raw: the raw writer that builds nothing else);
a role that writes across layers (the eraser) gets write privileges and owns nothing.

The output is deterministic: same inputs, byte-identical file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from governance.errors import PolicyError, ProjectError
from governance.policy import Policy
from governance.policy.grants import GRANTS_KEY, GrantsPolicy
from governance.policy.meta import declared_classification
from governance.project import column_meta
from governance.roles.admin_sql import MASKING_ADMIN_ROLE

COMMAND = "governance roles"
SPEC_VERSION = "1.0"
BUILT_RESOURCE_TYPES = ("model", "seed", "snapshot")
MAX_HOLDERS_SHOWN = 5


@dataclass
class SchemaInfo:
    """One schema of the dbt project, as it lands in production."""

    name: str
    kind: str  # "source" (loaded by the loaders) or "built" (dbt builds it)
    column_level: int = 0  # highest column (or node) classification found in it
    relations: dict[str, int] = field(default_factory=dict)  # relation -> its highest level


@dataclass(frozen=True)
class ProjectSchemas:
    schemas: dict[str, SchemaInfo]
    manifest: Path

    def of_kind(self, kind: str) -> list[str]:
        return sorted(name for name, info in self.schemas.items() if info.kind == kind)


@dataclass(frozen=True)
class SchemaGrant:
    """Where a schema lands in production and who may read it."""

    database: str
    schema: str
    kind: str
    level: int  # highest level it holds (policy floor or column meta)
    floor: int  # the policy's schema_levels floor (0 if none)
    required: int  # clearance a reader needs (0: masking alone protects it)
    holders: tuple[str, ...] = ()  # relations whose columns hold `level` (sorted)

    @property
    def fqn(self) -> str:
        return f"{self.database}.{self.schema}"


@dataclass(frozen=True)
class Withheld:
    role: str
    schema: str  # db.schema
    level: int
    clearance: int


@dataclass(frozen=True)
class Generated:
    spec: dict[str, Any]
    schemas: dict[str, SchemaGrant]  # keyed by db.schema
    withheld: tuple[Withheld, ...]
    text: str


# ----------------------------------------------------------------------------------------------
# The dbt project: schemas and their classification, from target/manifest.json
# ----------------------------------------------------------------------------------------------

def _classification(meta: dict[str, Any], policy: Policy, where: str) -> int:
    """The level a node's or column's meta declares (0: none); invalid meta is an error."""
    declared, error = declared_classification(meta, policy, where)
    if error:
        raise ProjectError(error)
    return declared.level if declared else 0


def read_manifest(data: dict[str, Any], manifest: Path, policy: Policy) -> ProjectSchemas:
    """Schemas of sources and of built models/seeds/snapshots, with the highest level in each
    (`manifest` names where `data` came from, for messages)."""
    schemas: dict[str, SchemaInfo] = {}

    def add(kind: str, node: dict[str, Any], relation: str) -> None:
        schema = str(node.get("schema") or "").lower()
        if not schema:
            return
        where = str(node.get("patch_path") or node.get("original_file_path") or relation).split("://", 1)[-1]
        info = schemas.setdefault(schema, SchemaInfo(schema, kind))
        if info.kind != kind:
            raise ProjectError(f"{manifest}: schema {schema!r} holds both dbt sources and built models; "
                               "keep raw data and dbt's output in separate schemas")
        level = _classification(column_meta(node), policy, f"{where} ({relation})")
        for column in sorted((node.get("columns") or {}).values(), key=lambda c: str(c.get("name"))):
            level = max(level, _classification(column_meta(column), policy,
                                               f"{where} ({relation}.{column.get('name')})"))
        info.relations[relation] = max(level, info.relations.get(relation, 0))
        info.column_level = max(info.column_level, level)

    # a model disabled on the parse target (a Snowflake-only model such as the access audit) still lands in
    # production, so its schema and classification count
    disabled = [node for versions in (data.get("disabled") or {}).values() for node in versions or []]
    for node in [*(data.get("nodes") or {}).values(), *disabled]:
        if node.get("resource_type") not in BUILT_RESOURCE_TYPES:
            continue
        if (node.get("config") or {}).get("materialized") == "ephemeral":
            continue
        add("built", node, str(node.get("alias") or node.get("name")).lower())
    for source in (data.get("sources") or {}).values():
        add("source", source, f"{source.get('source_name')}.{source.get('name')}".lower())
    if not schemas:
        raise ProjectError(f"{manifest}: the manifest holds no models, seeds, snapshots or sources")
    return ProjectSchemas(dict(sorted(schemas.items())), manifest)


# ----------------------------------------------------------------------------------------------
# The spec
# ----------------------------------------------------------------------------------------------

def _grants(policy: Policy) -> GrantsPolicy:
    if policy.grants is None:
        raise PolicyError(f"{policy.source}: {GRANTS_KEY}: missing; `governance roles` needs the databases, "
                          "warehouses, per-role schemas and service users stated there")
    return policy.grants


def schema_grants(policy: Policy, project: ProjectSchemas) -> dict[str, SchemaGrant]:
    """Every schema of the project with its production database, level and required clearance."""
    grants = _grants(policy)
    result: dict[str, SchemaGrant] = {}
    for name, info in project.schemas.items():
        database = grants.source_database if info.kind == "source" else grants.database
        floor = grants.schema_levels.get(name, 0)
        level = max(floor, info.column_level)
        required = level if level >= grants.restrict_schemas_from_level else 0
        holders = tuple(sorted(r for r, lv in info.relations.items() if lv and lv == level))
        grant = SchemaGrant(database, name, info.kind, level, floor, required, holders)
        result[grant.fqn] = grant
    return dict(sorted(result.items()))


def _check_coverage(policy: Policy, project: ProjectSchemas) -> None:
    """Every schema the policy names exists; every schema of the project has a writer."""
    grants = _grants(policy)
    known = set(project.schemas)
    for role, rg in grants.roles.items():
        for verb, names in (("read", rg.read), ("write", rg.write)):
            for i, name in enumerate(names):
                if name not in known:
                    raise PolicyError(
                        f"{policy.source}: {GRANTS_KEY}.roles.{role}.{verb}[{i}]: schema {name!r} is not "
                        f"in the dbt project (schemas in {project.manifest}: {', '.join(sorted(known))})")
    for name in grants.schema_levels:
        if name not in known:
            raise PolicyError(
                f"{policy.source}: {GRANTS_KEY}.schema_levels.{name}: schema {name!r} is not in the dbt "
                f"project (schemas in {project.manifest}: {', '.join(sorted(known))})")
    writers: dict[str, list[str]] = {}
    for role, rg in grants.roles.items():
        for name in rg.write:
            writers.setdefault(name, []).append(role)
    for name, info in project.schemas.items():
        if not writers.get(name):
            who = "a loader role (raw_writers)" if info.kind == "source" else "the transformer role"
            raise PolicyError(
                f"{policy.source}: {GRANTS_KEY}.roles: no role writes schema {name!r} ({info.kind} schema in "
                f"{project.manifest}); add it to {who}'s `write` list. A schema with a developer prefix "
                "means the manifest came from a developer target: run with the target that names schemas as production does")


def table_owners(policy: Policy, schemas: dict[str, SchemaGrant]) -> dict[str, str]:
    """db.schema -> the one role that owns the tables in it: for a built schema the writer that is not a raw
    writer (the transformer), for a raw schema the raw writer that writes no built schema (the loader). A
    role writing across layers (the eraser) owns nothing. Two candidates for one schema is a policy error."""
    grants = _grants(policy)
    by_name = {g.schema: g for g in schemas.values()}
    builds_built = {role for role, rg in grants.roles.items() if any(by_name[s].kind == "built" for s in rg.write)}
    owners: dict[str, str] = {}
    for grant in schemas.values():
        writers = sorted(role for role, rg in grants.roles.items() if grant.schema in rg.write)
        if grant.kind == "built":
            candidates = [r for r in writers if r not in grants.raw_writers]
        else:
            candidates = [r for r in writers if r in grants.raw_writers and r not in builds_built]
        if len(candidates) > 1:
            raise PolicyError(f"{policy.source}: {GRANTS_KEY}.roles: {', '.join(candidates)} all write schema "
                              f"{grant.schema!r}; the tables of a schema have one owner (the role that builds it)")
        if candidates:
            owners[grant.fqn] = candidates[0]
    return owners


def build_spec(policy: Policy, project: ProjectSchemas) -> tuple[dict[str, Any], dict[str, SchemaGrant],
                                                                  tuple[Withheld, ...]]:
    grants = _grants(policy)
    _check_coverage(policy, project)
    schemas = schema_grants(policy, project)
    by_name = {g.schema: g for g in schemas.values()}
    owners = table_owners(policy, schemas)
    withheld: list[Withheld] = []

    roles: list[dict[str, Any]] = []
    for name in sorted(policy.roles):
        role = policy.roles[name]
        rg = grants.for_role(name)
        clearance = policy.effective_clearance(name)
        reads: list[SchemaGrant] = []
        for schema in sorted(rg.read):
            grant = by_name[schema]
            if clearance >= grant.required:
                reads.append(grant)
            else:
                withheld.append(Withheld(name, grant.fqn, grant.level, clearance))
        writes = [by_name[schema] for schema in sorted(rg.write)]

        config: dict[str, Any] = {}
        if role.member_of:
            config["member_of"] = sorted(role.member_of)
        if rg.warehouses:
            config["warehouses"] = sorted(rg.warehouses)
        privileges: dict[str, Any] = {}
        # Permifrost wants a schema's database in `databases.read` for a schema read or write. No production
        # role gets `databases.write` (create schema): the schemas exist, created with managed access
        # (snowflake_grants.sql), and a schema a service role created would be its own to grant from. Only
        # a developer role creates schemas, in the development database.
        write_dbs = [grants.dev_database] if rg.develop and grants.dev_database else []
        read_dbs = sorted({g.database for g in reads} | {g.database for g in writes})
        databases = {k: v for k, v in (("read", read_dbs), ("write", write_dbs)) if v}
        if databases:
            privileges["databases"] = databases
        schema_privs = {k: sorted(g.fqn for g in gs) for k, gs in (("read", reads), ("write", writes)) if gs}
        if schema_privs:
            privileges["schemas"] = schema_privs
            privileges["tables"] = {k: [f"{fqn}.*" for fqn in v] for k, v in schema_privs.items()}
        if privileges:
            config["privileges"] = privileges
        owned = sorted(f"{g.fqn}.*" for g in writes if owners.get(g.fqn) == name)
        if owned:
            config["owns"] = {"tables": owned}
        meta: dict[str, Any] = {"kind": role.kind, "sees_clear_up_to_level": clearance}
        if rg.develop:
            meta["develops_in"] = grants.dev_database
        if role.description:
            meta["description"] = role.description
        if role.kind == "clearance":
            meta["clears_level"] = role.clearance
        config["meta"] = meta
        roles.append({name: config})

    roles.append(_masking_admin(policy))
    roles.sort(key=lambda entry: next(iter(entry)))

    users: list[dict[str, Any]] = []
    for name, user in grants.users.items():
        # service users authenticate with a key pair: Permifrost sets PASSWORD = NULL
        config = {"can_login": True, "has_password": False, "member_of": [user.role],
                  "default_role": user.role}
        role_warehouses = grants.for_role(user.role).warehouses
        if role_warehouses:
            config["default_warehouse"] = role_warehouses[0]  # the first the policy lists
        if user.description:
            config["comment"] = user.description
        users.append({name: config})

    databases = [{db: {"shared": False}} for db in sorted({grants.database, grants.source_database}
                                                          | ({grants.dev_database} if grants.dev_database else set()))]
    warehouses = [{wh.name: {"size": wh.size}} for wh in grants.warehouses.values()]
    spec = {"version": SPEC_VERSION, "databases": databases, "warehouses": warehouses, "roles": roles,
            "users": users}
    withheld.sort(key=lambda w: (w.role, w.schema))
    return spec, schemas, tuple(withheld)


def _masking_admin(policy: Policy) -> dict[str, Any]:
    """The masking administrator: owns the masking schema (policies, the key table, the keyed-hash
    function; snowflake_grants.sql grants the rest) and nothing else; on no policy's allow-list."""
    grants = _grants(policy)
    if MASKING_ADMIN_ROLE in policy.roles:
        raise PolicyError(f"{policy.source}: vars.governance.roles.{MASKING_ADMIN_ROLE}: the name is reserved for "
                          "the generated masking administrator role")
    schema = f"{grants.database}.{policy.masking.schema}"
    return {MASKING_ADMIN_ROLE: {
        "privileges": {"databases": {"read": [grants.database]}},
        "owns": {"schemas": [schema], "tables": [f"{schema}.*"]},
        "meta": {"kind": "masking_admin", "sees_clear_up_to_level": 0,
                 "description": "Owns the masking policies and the masking key's vault; reads no data."},
    }}


def _header(policy: Policy, schemas: dict[str, SchemaGrant], withheld: tuple[Withheld, ...],
            spec: dict[str, Any]) -> list[str]:
    grants = _grants(policy)
    readers: dict[str, list[str]] = {}
    for entry in spec["roles"]:
        for role, config in entry.items():
            for fqn in (config.get("privileges", {}).get("schemas", {}) or {}).get("read", []):
                readers.setdefault(fqn, []).append(role)
            for fqn in (config.get("privileges", {}).get("schemas", {}) or {}).get("write", []):
                readers.setdefault(fqn, []).append(f"{role} (writes)")
    lines = [
        f"# GENERATED by `{COMMAND}` from vars.governance in dbt_project.yml and the dbt manifest.",
        "# Do not edit: change the policy or the models, then run `governance roles` again.",
        "# `governance roles --check` fails (exit 1, with a diff) when this file is out of date.",
        "# Apply with Permifrost: `permifrost run roles.yml --dry`, then without --dry (see README).",
        "#",
        f"# Schemas, the highest level each holds, and who reaches them. From level "
        f"{grants.restrict_schemas_from_level} up a schema is",
        "# readable only by roles cleared for its level; below it masking alone protects the columns.",
    ]
    width = max(len(fqn) for fqn in schemas)
    for fqn, grant in schemas.items():
        level = f"level {grant.level}" if grant.level else "unclassified"
        source = " (policy floor)" if grant.floor and grant.floor >= grant.level else ""
        lines.append(f"#   {fqn:<{width}}  {grant.kind:<6}  {level}{source}: "
                     f"{', '.join(sorted(readers.get(fqn, []))) or '-'}")
        if grant.required and grant.holders:
            shown = ", ".join(grant.holders[:MAX_HOLDERS_SHOWN])
            more = len(grant.holders) - MAX_HOLDERS_SHOWN
            lines.append(f"#   {'':<{width}}  level {grant.level} columns in: {shown}"
                         + (f" and {more} more" if more > 0 else ""))
    if withheld:
        lines.append("# Reads the policy asks for but withheld (role not cleared for the schema's level):")
        for w in withheld:
            lines.append(f"#   {w.role} read {w.schema}: holds level {w.level}, "
                         f"role sees clear up to {w.clearance}")
    return lines


class _IndentedDumper(yaml.SafeDumper):
    """Indent list items under their key (the layout of Permifrost's documentation)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def render(policy: Policy, spec: dict[str, Any], schemas: dict[str, SchemaGrant],
           withheld: tuple[Withheld, ...]) -> str:
    parts = ["\n".join(_header(policy, schemas, withheld, spec))]
    for key in ("version", "databases", "warehouses", "roles", "users"):
        text = yaml.dump({key: spec[key]}, Dumper=_IndentedDumper, sort_keys=True, default_flow_style=False,
                         width=4096, indent=2, allow_unicode=True)
        parts.append(text.rstrip("\n"))
    return "\n\n".join(parts) + "\n"


def generate(policy: Policy, project: ProjectSchemas) -> Generated:
    spec, schemas, withheld = build_spec(policy, project)
    return Generated(spec, schemas, withheld, render(policy, spec, schemas, withheld))
