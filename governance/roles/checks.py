"""Least-privilege checks on a Permifrost spec (roles.yml), run on every generation and in --check.

They read the spec itself (not the policy's intentions), so a hand edit or a generator bug that
breaks a rule is caught:

- raw-write:       no role but the policy's raw_writers (the loader) writes a source (raw) schema
- clearance:       no non-service role reaches (itself or through member_of) a schema above its clearance
- masking-roles:   every role a masking policy checks (clearance and service roles) exists in the spec
- admin-roles:     no generated role or user is granted ACCOUNTADMIN/SECURITYADMIN/SYSADMIN/... or defines one
- only-service-writes: functional and clearance roles write and own nothing
- masking-admin:   only the masking administrator owns or writes the masking schema (policies, key
                   vault), and it owns or writes nothing else
- references:      every role in a role's or user's member_of, a user's default_role and
                   default_warehouse is defined (Permifrost's own checks miss member_of)
- schema-owner:    no role of the spec owns a schema but the masking administrator (its own): the schemas
                   the service roles write are SYSADMIN's, with managed access (snowflake_grants.sql), so
                   the role that builds them cannot grant on what it builds
- one-owner:       the tables of a schema have one owning role
- service-member:  no role is member_of a service role, and no user but that role's service user holds one
                   (a service role sees every level in clear)
- developer:       a role that creates schemas (the development database) is a functional role, reaches
                   no clearance role, and writes nothing in production
- human-target:    a Snowflake target people log in to (a `dev*` target, password or SSO authentication)
                   in profiles.yml / profiles.yml.example does not default to a service or clearance role;
                   a target that defaults to a service role authenticates with a key pair; a `dev*`
                   target defaults to a developer role

`permifrost_errors` runs Permifrost's offline loader and entity checks on the file.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.findings import Finding as FindingOut
from governance.policy import Policy
from governance.policy.grants import ADMIN_ROLES
from governance.roles.admin_sql import MASKING_ADMIN_ROLE


@dataclass(frozen=True, order=True)
class Finding:
    rule: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.subject}: {self.message}"


def _entries(spec: dict[str, Any], section: str) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for entry in spec.get(section) or []:
        for name, config in (entry or {}).items():
            result[str(name).lower()] = config or {}
    return result


def _member_of(config: dict[str, Any]) -> list[str]:
    value = config.get("member_of") or []
    if isinstance(value, dict):
        value = [*(value.get("include") or []), *(value.get("exclude") or [])]
    return [str(v).lower() for v in value]


def _covers(entry: str, fqn: str) -> bool:
    """Does a privilege entry (db, db.schema, db.*, db.schema.*, db.*.*, db.schema.table) touch db.schema?"""
    parts = entry.lower().split(".")
    db, schema = fqn.lower().split(".")
    if parts[0] != db:
        return False
    return len(parts) == 1 or parts[1] in ("*", schema)


def _written(config: dict[str, Any]) -> list[str]:
    privileges = config.get("privileges") or {}
    owns = config.get("owns") or {}
    return [
        *((privileges.get("schemas") or {}).get("write") or []),
        *((privileges.get("tables") or {}).get("write") or []),
        *(owns.get("schemas") or []),
        *(owns.get("tables") or []),
    ]


def _reached(config: dict[str, Any]) -> list[str]:
    privileges = config.get("privileges") or {}
    entries = list(_written(config))
    for kind in ("schemas", "tables"):
        entries.extend((privileges.get(kind) or {}).get("read") or [])
    return entries


def _closure(role: str, roles: dict[str, dict[str, Any]]) -> set[str]:
    seen: set[str] = set()
    stack = [role]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(_member_of(roles.get(name, {})))
    return seen


def _masking_schema(policy: Policy) -> str | None:
    return f"{policy.grants.database}.{policy.masking.schema}".lower() if policy.grants else None


def roles_reaching(spec: dict[str, Any], fqn: str) -> set[str]:
    """The roles of a roles.yml spec (lower case) that read, write or own `db.schema`, themselves or through
    `member_of`."""
    roles = _entries(spec, "roles")
    return {name for name in roles
            if any(_covers(entry, fqn) for member in _closure(name, roles) for entry in _reached(roles.get(member, {})))}


def check_spec(spec: dict[str, Any], policy: Policy, required_levels: dict[str, int],
               source_schemas: set[str]) -> list[Finding]:
    """All rule violations in `spec`, sorted. `required_levels`: db.schema -> the clearance a
    reader needs (0 when masking alone protects it); `source_schemas`: the raw db.schema names."""
    findings: list[Finding] = []
    roles = _entries(spec, "roles")
    users = _entries(spec, "users")
    warehouses = _entries(spec, "warehouses")
    raw_writers = set(policy.grants.raw_writers) if policy.grants else set()
    service = set(policy.service_roles)
    unmasked = [n for n, lv in policy.levels.items() if not lv.masked]
    baseline = max(unmasked) if unmasked else 0

    grants = policy.grants
    developers = set(grants.developer_roles) if grants else set()
    dev_database = grants.dev_database if grants else None
    service_users = {name: user.role for name, user in grants.users.items()} if grants else {}
    clearance_roles = {r for r, role in policy.roles.items() if role.kind == "clearance"}
    table_owners: dict[str, list[str]] = {}
    for name, config in sorted(roles.items()):
        owns = config.get("owns") or {}
        # schema-owner and one-owner
        for fqn in sorted(owns.get("schemas") or []):
            if not (name == MASKING_ADMIN_ROLE and _masking_schema(policy) == str(fqn).lower()):
                findings.append(Finding("schema-owner", f"role {name}",
                                        f"owns schema {fqn}: a schema's owner grants on everything in it, managed "
                                        "access or not; the schemas are SYSADMIN's (snowflake_grants.sql)"))
        for entry in owns.get("tables") or []:
            table_owners.setdefault(str(entry).lower(), []).append(name)
        # service-member
        for parent in _member_of(config):
            if parent in service:
                findings.append(Finding("service-member", f"role {name}",
                                        f"is granted service role {parent}: every session of {name} would see "
                                        "every level in clear"))
        # developer
        databases_written = [str(d).lower() for d in ((config.get("privileges") or {}).get("databases") or {})
                             .get("write", [])]
        if databases_written:
            if name not in developers or (policy.roles.get(name) and policy.roles[name].kind != "functional"):
                findings.append(Finding("developer", f"role {name}",
                                        f"creates schemas in {', '.join(databases_written)} but is not a developer "
                                        "role of the policy (grants.roles.<role>.develop); a schema's creator owns "
                                        "it and grants from it"))
            elif any(db != dev_database for db in databases_written):
                findings.append(Finding("developer", f"role {name}",
                                        f"creates schemas in {', '.join(d for d in databases_written if d != dev_database)}"
                                        f"; a developer creates schemas only in {dev_database}"))
            cleared = sorted(_closure(name, roles) & clearance_roles)
            if cleared:
                findings.append(Finding("developer", f"role {name}",
                                        f"creates schemas in {', '.join(databases_written)} and reaches clearance "
                                        f"role {', '.join(cleared)}: its sandbox would hold clear data"))
        # raw-write
        if name not in raw_writers:
            for fqn in sorted(source_schemas):
                hits = sorted({e for e in _written(config) if _covers(e, fqn)})
                if hits:
                    findings.append(Finding("raw-write", f"role {name}",
                                            f"writes or owns raw schema {fqn} ({', '.join(hits)}); "
                                            f"only {', '.join(sorted(raw_writers))} may"))
            owned_dbs = (config.get("owns") or {}).get("databases") or []
            for db in sorted({f.split(".")[0] for f in source_schemas} & {d.lower() for d in owned_dbs}):
                findings.append(Finding("raw-write", f"role {name}", f"owns raw database {db}"))
        # masking-admin
        masking = _masking_schema(policy)
        if masking:
            written = sorted({*_written(config)})
            if name != MASKING_ADMIN_ROLE and any(_covers(e, masking) for e in written):
                findings.append(Finding("masking-admin", f"role {name}",
                                        f"writes or owns the masking schema {masking}; only {MASKING_ADMIN_ROLE} may"))
            if name == MASKING_ADMIN_ROLE and any(not _covers(e, masking) for e in written):
                findings.append(Finding("masking-admin", f"role {name}",
                                        f"writes or owns more than the masking schema {masking}"))
        # only-service-writes
        if name not in service and name != MASKING_ADMIN_ROLE:
            # a developer's database write (create schema) in the development database is checked above
            sandbox = {dev_database} if name in developers and dev_database else set()
            written = sorted({*_written(config), *(set(databases_written) - sandbox),
                              *((config.get("owns") or {}).get("databases") or [])})
            if written:
                findings.append(Finding("only-service-writes", f"role {name}",
                                        f"is not a service role but writes or owns {', '.join(written)}"))
        # clearance
        if name not in service:
            reach = _closure(name, roles)
            clearance = max([baseline, *(policy.roles[r].clearance or 0 for r in reach
                                         if r in policy.roles and policy.roles[r].kind == "clearance")])
            for fqn, required in sorted(required_levels.items()):
                if required <= clearance:
                    continue
                via = sorted(r for r in reach if any(_covers(e, fqn) for e in _reached(roles.get(r, {}))))
                if via:
                    through = "" if via == [name] else f" (through {', '.join(via)})"
                    findings.append(Finding("clearance", f"role {name}",
                                            f"reaches {fqn}, which holds level {required}, but is cleared "
                                            f"only up to level {clearance}{through}"))
        # admin-roles and references
        for parent in _member_of(config):
            if parent in ADMIN_ROLES:
                findings.append(Finding("admin-roles", f"role {name}", f"is granted system role {parent}"))
            elif parent not in roles:
                findings.append(Finding("references", f"role {name}",
                                        f"member_of names undefined role {parent!r}"))
        if name in ADMIN_ROLES:
            findings.append(Finding("admin-roles", f"role {name}",
                                    "system roles must not be managed in roles.yml"))

    for entry, owners in sorted(table_owners.items()):
        if len(owners) > 1:
            findings.append(Finding("one-owner", f"tables {entry}", f"owned by {', '.join(sorted(owners))}; "
                                    "ownership is one role's, and the others' grants would be transferred away"))

    for name, config in sorted(users.items()):
        for parent in sorted(set(_member_of(config)) & set(service)):
            if service_users.get(name) != parent:
                findings.append(Finding("service-member", f"user {name}",
                                        f"holds service role {parent} but is not its service user "
                                        f"(grants.users)"))
        for parent in _member_of(config):
            if parent in ADMIN_ROLES:
                findings.append(Finding("admin-roles", f"user {name}", f"is granted system role {parent}"))
            elif parent not in roles:
                findings.append(Finding("references", f"user {name}",
                                        f"member_of names undefined role {parent!r}"))
        default_role = str(config.get("default_role") or "").lower()
        if default_role and default_role not in _member_of(config):
            findings.append(Finding("references", f"user {name}",
                                    f"default_role {default_role!r} is not one of its roles"))
        default_wh = str(config.get("default_warehouse") or "").lower()
        if default_wh and default_wh not in warehouses:
            findings.append(Finding("references", f"user {name}",
                                    f"default_warehouse names undefined warehouse {default_wh!r}"))

    # masking-roles
    masked = policy.masked_levels
    checked = set(service) | {r for level in masked for r in policy.clearance_roles_for(level)}
    for name in sorted(checked - set(roles)):
        findings.append(Finding("masking-roles", f"role {name}",
                                "is checked by the masking policies but is not defined in roles.yml"))
    return sorted(set(findings))


def permifrost_errors(path: Path) -> list[str]:
    """Errors from Permifrost's own offline loader (schema) and entity checks (names, references)."""
    from permifrost.entities import EntityGenerator
    from permifrost.error import SpecLoadingError
    from permifrost.logger import GLOBAL_LOGGER
    from permifrost.spec_file_loader import load_spec

    GLOBAL_LOGGER.setLevel(logging.WARNING)  # its entity walk logs every absent key at DEBUG
    try:
        spec = load_spec(str(path))
        EntityGenerator(spec=spec).inspect_entities()
    except SpecLoadingError as exc:
        return [line for line in str(exc).splitlines() if line.strip()]
    return []


def clearance_drift(policy: Policy, spec: dict[str, Any]) -> list[str]:
    """Roles whose effective clearance under the policy differs from what the committed roles.yml
    grants them (the clearance roles reachable through its member_of): a raised clearance must pass
    through `governance roles` and the security owner's review of roles.yml."""
    roles = _entries(spec, "roles")
    drift = []
    for name, role in sorted(policy.roles.items()):
        if role.kind != "functional" or name.lower() not in roles:
            continue
        reached = _closure(name.lower(), roles)
        granted = max([policy.roles[r].clearance or 0 for r in policy.roles
                       if r.lower() in reached and policy.roles[r].kind == "clearance"] or [0])
        in_policy = {r.lower(): {"member_of": list(policy.roles[r].member_of)} for r in policy.roles}
        wanted = max([policy.roles[r].clearance or 0 for r in policy.roles
                      if r.lower() in _closure(name.lower(), in_policy) and policy.roles[r].kind == "clearance"] or [0])
        if granted != wanted:
            drift.append(f"role {name}: cleared for level {wanted} by the policy, for level {granted} by the committed "
                         "roles.yml; run `governance roles` and have the change reviewed")
    return drift


def committed_clearance_findings(project_dir: Path, policy: Policy) -> list[FindingOut]:
    """`governance check`'s view of roles: a clearance the policy changed since roles.yml was committed."""
    from governance.project.dbt_project import read_yaml

    path = project_dir / "roles.yml"
    if policy.grants is None or not path.is_file():
        return []
    spec = read_yaml(path) or {}
    return [FindingOut("error", "clearance_changed", message.split(":", 1)[0].removeprefix("role "), None,
                       message.split(": ", 1)[1], file="roles.yml") for message in clearance_drift(policy, spec)]


HUMAN_TARGET_PREFIX = "dev"
_ENV_DEFAULT = re.compile(r"env_var\(\s*['\"][^'\"]+['\"]\s*,\s*['\"]([^'\"]*)['\"]\s*\)")


def _role_default(value: Any) -> str:
    """The role a profile value resolves to without the environment: a literal, or env_var's default."""
    text = str(value or "")
    if "{{" not in text:
        return text.strip().upper()
    match = _ENV_DEFAULT.search(text)
    return match.group(1).upper() if match else ""


def _authentication(config: dict[str, Any]) -> str:
    """How a target logs in: `key pair`, `sso` (externalbrowser and other authenticators) or `password`."""
    if config.get("private_key_path") or config.get("private_key"):
        return "key pair"
    authenticator = str(config.get("authenticator") or "").lower()
    if authenticator and authenticator not in ("snowflake", "snowflake_jwt"):
        return "sso"
    return "password"


def profile_role_findings(profile_files: list[Path], policy: Policy) -> list[Finding]:
    """Snowflake targets whose default role is not what their login allows:

    - a target people log in to (`dev*`, SSO or password authentication) that defaults to a service role (its
      sessions see every level in clear) or to a clearance role (cleared without choosing to be);
    - a target defaulting to a service role that does not authenticate with a key pair: service users are
      TYPE = SERVICE (no password, no SSO), so such a target is a person holding a service role;
    - a `dev*` target that does not default to a developer role (grants.roles.<role>.develop): its sessions
      would build sandboxes with whatever role the environment names."""
    from governance.project.dbt_project import read_yaml

    service = {r.upper() for r in policy.service_roles}
    clearance = {name.upper() for name, role in policy.roles.items() if role.kind == "clearance"}
    developers = {r.upper() for r in (policy.grants.developer_roles if policy.grants else [])}
    findings: list[Finding] = []
    for path in profile_files:
        if not path.is_file():
            continue
        for profile in (read_yaml(path) or {}).values():
            outputs = (profile or {}).get("outputs") if isinstance(profile, dict) else None
            for target, config in (outputs or {}).items():
                if not isinstance(config, dict) or config.get("type") != "snowflake":
                    continue
                subject = f"{path.name} target {target}"
                login = _authentication(config)
                dev = str(target).startswith(HUMAN_TARGET_PREFIX)
                human = dev or login != "key pair"
                role = _role_default(config.get("role"))
                if human and role in service | clearance:
                    kind = "service" if role in service else "clearance"
                    findings.append(Finding("human-target", subject,
                                            f"people log in to it ({'a dev target' if dev else login}) but it "
                                            f"defaults to {kind} role {role}; use the person's own functional role"))
                elif role in service and login != "key pair":
                    findings.append(Finding("human-target", subject, f"defaults to service role {role} with {login} "
                                            "authentication; service users authenticate with a key pair only"))
                if dev and developers and role not in developers:
                    findings.append(Finding("human-target", subject,
                                            f"a dev target defaults to {role or 'no role'}; it must default to a "
                                            f"developer role ({', '.join(sorted(developers))})"))
    return sorted(findings)


# ----------------------------------------------------------------------------------------------
# snowflake_grants.sql: every statement of a known shape, and every service-written schema managed
# ----------------------------------------------------------------------------------------------

_ID = r"[A-Z_][A-Z0-9_$]*"
_FQN = rf"{_ID}\.{_ID}"
SCRIPT_SHAPES: dict[str, re.Pattern[str]] = {name: re.compile(pattern) for name, pattern in {
    "use-role": rf"use role (?P<role>{_ID})",
    "create-managed-schema": rf"create schema if not exists (?P<schema>{_FQN}) with managed access",
    "schema-ownership": rf"grant ownership on schema (?P<schema>{_FQN}) to role (?P<role>{_ID}) copy current grants",
    "enable-managed-access": rf"alter schema (?P<schema>{_FQN}) enable managed access",
    "schema-create-privilege": rf"grant create (?:masking policy|table|function) on schema (?P<schema>{_FQN}) "
                               rf"to role (?P<role>{_ID})",
    "account-apply": rf"grant apply masking policy on account to role (?P<role>{_ID})",
    "database-usage": rf"grant usage on database {_ID} to role (?P<role>{_ID})",
    "schema-usage": rf"grant usage on schema (?P<schema>{_FQN}) to role (?P<role>{_ID})",
    "schema-modify": rf"grant modify on schema (?P<schema>{_FQN}) to role (?P<role>{_ID})",
    "function-usage": rf"grant usage on function {_FQN}\.{_ID}\(VARCHAR\) to role (?P<role>{_ID})",
    "policy-apply": rf"grant apply on masking policy {_FQN}\.{_ID} to role (?P<role>{_ID})",
    "insert-only": rf"grant insert on (?:all|future) tables in schema (?P<schema>{_FQN}) to role (?P<role>{_ID})",
    "service-user": rf"alter user {_ID} set type = service default_secondary_roles = \(\)",
}.items()}


def script_statements(text: str) -> list[str]:
    """The statements of a SQL script (comment lines dropped), without their semicolons."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [" ".join(s.split()) for s in body.split(";") if s.strip()]


def check_script(text: str, spec: dict[str, Any], policy: Policy) -> list[Finding]:
    """snowflake_grants.sql against the roles.yml spec it goes with:

    - grants-script:  every statement parses with sqlglot's Snowflake dialect and has one of the known shapes
                      (nothing else can slip in: no grant of a role, no DISABLE MANAGED ACCESS);
    - managed-access: every schema a service role writes is created `with managed access` as SYSADMIN, handed to
                      SYSADMIN and switched to managed access as SECURITYADMIN; no schema is handed to another
                      role; the masking schema is managed too."""
    import sqlglot
    from sqlglot.errors import ParseError, TokenError

    from governance.roles.admin_sql import SCHEMA_OWNER, masking_schema, service_written_schemas

    findings: list[Finding] = []
    seen: dict[str, list[tuple[str, str]]] = {}  # shape -> [(schema, acting role)]
    acting = ""
    # sqlglot parses most of these statements as a generic command and logs a warning for each: the shape match
    # below is what checks them, so its warnings are kept off the command's output
    sqlglot_logger = logging.getLogger("sqlglot")
    for number, statement in enumerate(script_statements(text), 1):
        subject = f"statement {number}"
        level = sqlglot_logger.level
        sqlglot_logger.setLevel(logging.ERROR)
        try:
            sqlglot.parse_one(statement, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
        except (ParseError, TokenError) as exc:
            findings.append(Finding("grants-script", subject, f"does not parse as Snowflake SQL ({type(exc).__name__})"))
            continue
        finally:
            sqlglot_logger.setLevel(level)
        shape = next(((name, m) for name, pattern in SCRIPT_SHAPES.items() if (m := pattern.fullmatch(statement))), None)
        if shape is None:
            findings.append(Finding("grants-script", subject, f"is of no known shape: {statement[:120]}"))
            continue
        name, match = shape
        groups = match.groupdict()
        if name == "use-role":
            acting = groups["role"]
            continue
        if name == "schema-ownership" and groups["role"] != SCHEMA_OWNER:
            findings.append(Finding("managed-access", f"schema {groups['schema']}",
                                    f"handed to {groups['role']}; the schemas the service roles write are "
                                    f"{SCHEMA_OWNER}'s"))
        seen.setdefault(name, []).append((groups.get("schema") or "", acting))
    wanted = {"create-managed-schema": SCHEMA_OWNER, "schema-ownership": "SECURITYADMIN",
              "enable-managed-access": "SECURITYADMIN"}
    for fqn in service_written_schemas(spec):
        for shape, role in wanted.items():
            if (fqn, role) not in seen.get(shape, []):
                findings.append(Finding("managed-access", f"schema {fqn}",
                                        f"a service role writes it but the script has no `{shape}` statement for it "
                                        f"run as {role}"))
    if policy.grants is not None and (masking_schema(policy), "SECURITYADMIN") not in seen.get("enable-managed-access", []):
        findings.append(Finding("managed-access", f"schema {masking_schema(policy)}",
                                "the masking schema is not switched to managed access"))
    return sorted(set(findings))
