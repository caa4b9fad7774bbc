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
- human-target:    a Snowflake target people log in to (a `dev*` target, or SSO via `externalbrowser`)
                   in profiles.yml / profiles.yml.example does not default to a service role

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

    for name, config in sorted(roles.items()):
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
            written = sorted({*_written(config), *((config.get("privileges") or {}).get("databases") or {})
                              .get("write", []), *((config.get("owns") or {}).get("databases") or [])})
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

    for name, config in sorted(users.items()):
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


def profile_role_findings(profile_files: list[Path], policy: Policy) -> list[Finding]:
    """Targets people log in to that default to a service role (whose sessions see clear data)."""
    from governance.project.dbt_project import read_yaml

    service = {r.upper() for r in policy.service_roles}
    findings: list[Finding] = []
    for path in profile_files:
        if not path.is_file():
            continue
        for profile in (read_yaml(path) or {}).values():
            outputs = (profile or {}).get("outputs") if isinstance(profile, dict) else None
            for target, config in (outputs or {}).items():
                if not isinstance(config, dict) or config.get("type") != "snowflake":
                    continue
                human = str(target).startswith(HUMAN_TARGET_PREFIX) or \
                    "externalbrowser" in str(config.get("authenticator") or "").lower()
                role = _role_default(config.get("role"))
                if human and role in service:
                    findings.append(Finding("human-target", f"{path.name} target {target}",
                                            f"people log in to it but it defaults to service role {role}; "
                                            "use the person's own (non-service) role"))
    return sorted(findings)
