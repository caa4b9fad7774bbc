"""Who is "in session": the account's actual role grants, audited against the policy.

Masking policies clear a session when `IS_ROLE_IN_SESSION` is true for a service or clearance role,
which counts the whole role hierarchy and, with Snowflake's default `DEFAULT_SECONDARY_ROLES =
('ALL')`, every role a user holds. So what matters is the grants the account really has, including
those made outside roles.yml. This reads rows exported from SNOWFLAKE.ACCOUNT_USAGE (or the same
columns from SHOW commands):

- GRANTS_TO_ROLES  (privilege, granted_on, name, table_catalog, grantee_name, granted_to, deleted_on): role
  grants are `USAGE` on `ROLE` <name> to `ROLE` <grantee_name>; schema ownership is `OWNERSHIP` on
  `SCHEMA` <name> (in database <table_catalog>);
- GRANTS_TO_USERS  (role, grantee_name, deleted_on);
- USERS            (name, default_role, type, default_secondary_roles, deleted_on);

and fails (errors) when:
- admin-inherits:   a system role (ACCOUNTADMIN, SYSADMIN, ...) reaches a clearance or service role, so
                    every administrator session sees clear data;
- service-to-human: a user that is not TYPE = SERVICE holds a service role;
- service-user:     a user holding a service role is not TYPE = SERVICE, or has default secondary roles;
- cleared-default:  a person's default role reaches a clearance role, so every session they open
                    (a BI connection included) is cleared without choosing to be;
- service-default:  a person's default role reaches a service role;
- cleared-secondary: a person holds a clearance role and has DEFAULT_SECONDARY_ROLES = ('ALL') (Snowflake's
                    default), so every session has it in session whatever the primary role;
- service-member:   a role that is not a service role (a functional, clearance or any other role, system
                    roles reported by admin-inherits) reaches a service role;
- schema-owner:     a service role owns a schema: a schema's owner may grant on everything in it, managed
                    access or not (the schemas are SYSADMIN's: snowflake_grants.sql).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from governance.policy import Policy
from governance.policy.grants import ADMIN_ROLES
from governance.roles.checks import Finding

# the roles checks' finding (rule, subject, message): one shape for what generation and the audit find
GrantFinding = Finding


def _live(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{str(k).lower(): v for k, v in row.items()} for row in rows
            if not {str(k).lower(): v for k, v in row.items()}.get("deleted_on")]


def role_graph(grants_to_roles: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    """grantee role -> roles granted to it (upper case)."""
    graph: dict[str, set[str]] = {}
    for row in _live(grants_to_roles):
        if str(row.get("granted_on", "")).upper() == "ROLE" and str(row.get("privilege", "")).upper() == "USAGE" \
                and str(row.get("granted_to", "ROLE")).upper() == "ROLE":
            graph.setdefault(str(row["grantee_name"]).upper(), set()).add(str(row["name"]).upper())
    return graph


def reach(role: str, graph: Mapping[str, set[str]]) -> set[str]:
    """`role` and every role it inherits."""
    seen: set[str] = set()
    stack = [role.upper()]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(graph.get(name, ()))
    return seen


def audit_grants(policy: Policy, grants_to_roles: Iterable[Mapping[str, Any]],
                 grants_to_users: Iterable[Mapping[str, Any]], users: Iterable[Mapping[str, Any]]) -> list[GrantFinding]:
    graph = role_graph(grants_to_roles)
    service = {r.upper() for r in policy.service_roles}
    clearance = {name.upper() for name, role in policy.roles.items() if role.kind == "clearance"}
    sensitive = service | clearance
    findings: list[GrantFinding] = []
    admins = {r.upper() for r in ADMIN_ROLES}
    for admin in sorted(admins):
        reached = sorted(reach(admin, graph) & sensitive)
        if reached:
            findings.append(GrantFinding("admin-inherits", f"role {admin}",
                                         f"inherits {', '.join(reached)}: every {admin} session sees clear data"))
    for grantee in sorted(set(graph) - admins - service):
        reached = sorted((reach(grantee, graph) - {grantee}) & service)
        if reached:
            findings.append(GrantFinding("service-member", f"role {grantee}",
                                         f"reaches service role {', '.join(reached)}: every session of {grantee} sees "
                                         "every level in clear"))
    for row in _live(grants_to_roles):
        if str(row.get("privilege", "")).upper() == "OWNERSHIP" and str(row.get("granted_on", "")).upper() == "SCHEMA" \
                and str(row.get("grantee_name", "")).upper() in service:
            schema = ".".join(str(p).upper() for p in (row.get("table_catalog"), row.get("name")) if p)
            findings.append(GrantFinding("schema-owner", f"schema {schema}",
                                         f"owned by service role {str(row['grantee_name']).upper()}, which may grant "
                                         "on everything in it (managed access binds only object owners)"))
    held: dict[str, set[str]] = {}
    for row in _live(grants_to_users):
        held.setdefault(str(row["grantee_name"]).upper(), set()).add(str(row["role"]).upper())
    for user in _live(users):
        name = str(user["name"]).upper()
        roles = set().union(*(reach(r, graph) for r in held.get(name, set()))) if held.get(name) else set()
        is_service = str(user.get("type") or "").upper() == "SERVICE"
        services = sorted(roles & service)
        if services and not is_service:
            findings.append(GrantFinding("service-to-human", f"user {name}",
                                         f"is not TYPE = SERVICE but holds service role {', '.join(services)}"))
        # not set is Snowflake's default, ('ALL'): fail closed
        secondary = str(user.get("default_secondary_roles") or "ALL").replace(" ", "")
        if services and is_service and secondary not in ("[]", "()"):
            findings.append(GrantFinding("service-user", f"user {name}",
                                         f"service user with default secondary roles {secondary}: its sessions "
                                         "act as more than one role"))
        default = str(user.get("default_role") or "").upper()
        cleared = sorted(reach(default, graph) & clearance) if default else []
        if cleared and not is_service:
            findings.append(GrantFinding("cleared-default", f"user {name}",
                                         f"default role {default} reaches clearance role {', '.join(cleared)}: every "
                                         "session is cleared; give a non-cleared default role and USE ROLE when needed"))
        default_services = sorted(reach(default, graph) & service) if default else []
        if default_services and not is_service:
            findings.append(GrantFinding("service-default", f"user {name}",
                                         f"default role {default} reaches service role {', '.join(default_services)}"))
        held_clearance = sorted(roles & clearance)
        if held_clearance and not is_service and "ALL" in secondary.upper():
            findings.append(GrantFinding("cleared-secondary", f"user {name}",
                                         f"holds clearance role {', '.join(held_clearance)} with default secondary roles "
                                         f"{secondary}: every session has it in session; set default_secondary_roles = ()"))
    return sorted(findings)
