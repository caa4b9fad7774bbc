"""The grants part of the policy (``vars.governance.grants``): what `governance roles` needs.

It states the production database names, the warehouses, which schemas each role reads and
writes, which roles alone may write the raw (source) schemas, from which level a schema's
contents gate who may read it, the service users, and the development database people build
their sandboxes in (only roles with `develop: true`, which must be functional and cleared for no
masked level). Every error names the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.policy.location import policy_error

GRANTS_KEY = "vars.governance.grants"
WAREHOUSE_SIZES = (
    "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large", "4x-large", "5x-large",
    "6x-large",
)
ADMIN_ROLES = ("accountadmin", "securityadmin", "sysadmin", "useradmin", "orgadmin")


@dataclass(frozen=True)
class Warehouse:
    name: str
    size: str


@dataclass(frozen=True)
class RoleGrants:
    role: str
    warehouses: tuple[str, ...] = ()
    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()
    develop: bool = False  # creates and owns its own schemas in the development database


@dataclass(frozen=True)
class ServiceUser:
    name: str
    role: str
    description: str = ""


@dataclass(frozen=True)
class GrantsPolicy:
    database: str
    source_database: str
    raw_writers: tuple[str, ...]
    restrict_schemas_from_level: int
    schema_levels: dict[str, int]
    warehouses: dict[str, Warehouse]
    roles: dict[str, RoleGrants]
    users: dict[str, ServiceUser]
    dev_database: str | None = None  # where `develop` roles build their sandboxes (never a production one)

    @property
    def developer_roles(self) -> list[str]:
        return sorted(name for name, rg in self.roles.items() if rg.develop)

    def for_role(self, name: str) -> RoleGrants:
        return self.roles.get(name, RoleGrants(name))


_fail = policy_error


def _name(value: Any, path: Path, key: str) -> str:
    if not isinstance(value, str) or not value.strip() or any(c in value for c in ". *\"'"):
        raise _fail(path, key, f"must be a plain identifier (no dots, spaces or quotes); got {value!r}")
    return value.lower()


def _names(value: Any, path: Path, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(path, key, "must be a list of names")
    names = [_name(item, path, f"{key}[{i}]") for i, item in enumerate(value)]
    if len(set(names)) != len(names):
        raise _fail(path, key, "lists a name twice")
    return tuple(names)  # in the policy's order, so error indexes match the file


def _mapping(value: Any, path: Path, key: str, allowed: set[str] | None = None) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _fail(path, key, "must be a mapping")
    if allowed is not None:
        for extra in sorted(set(map(str, value)) - allowed):
            raise _fail(path, f"{key}.{extra}", f"unknown key (known: {', '.join(sorted(allowed))})")
    return value


def _level(value: Any, levels: dict[int, Any], path: Path, key: str) -> int:
    if isinstance(value, bool) or value not in levels:
        raise _fail(path, key, f"unknown level {value!r} (known levels: {sorted(levels)})")
    return int(value)


def _role(value: Any, roles: dict[str, Any], path: Path, key: str) -> str:
    if value not in roles:
        raise _fail(path, key, f"undefined role {value!r} (roles are defined in vars.governance.roles)")
    return str(value)


def _cleared_for(name: str, roles: dict[str, Any]) -> list[str]:
    """The clearance roles `name` reaches through member_of (itself included)."""
    seen: list[str] = []
    stack = [name]
    while stack:
        current = stack.pop()
        if current in seen or current not in roles:
            continue
        seen.append(current)
        stack.extend(roles[current].member_of)
    return sorted(r for r in seen if roles[r].kind == "clearance")


def parse_grants(raw: Any, levels: dict[int, Any], roles: dict[str, Any], path: Path) -> GrantsPolicy:
    """Validate `vars.governance.grants` against the policy's levels and roles."""
    top = _mapping(raw, path, GRANTS_KEY, {
        "database", "source_database", "raw_writers", "restrict_schemas_from_level", "schema_levels",
        "warehouses", "roles", "users", "dev_database",
    })
    if not top:
        raise _fail(path, GRANTS_KEY, "must be a non-empty mapping")
    database = _name(top.get("database"), path, f"{GRANTS_KEY}.database")
    source_database = _name(top.get("source_database", database), path, f"{GRANTS_KEY}.source_database")
    dev_database = _name(top["dev_database"], path, f"{GRANTS_KEY}.dev_database") if "dev_database" in top else None
    if dev_database in (database, source_database):
        raise _fail(path, f"{GRANTS_KEY}.dev_database", "must not be a production database (database, source_database): "
                    "people's sandboxes never share a database with what the service roles build")

    raw_writers = _names(top.get("raw_writers"), path, f"{GRANTS_KEY}.raw_writers")
    if not raw_writers:
        raise _fail(path, f"{GRANTS_KEY}.raw_writers", "name at least one role (the loader)")
    for i, name in enumerate(raw_writers):
        _role(name, roles, path, f"{GRANTS_KEY}.raw_writers[{i}]")
        if roles[name].kind != "service":
            raise _fail(path, f"{GRANTS_KEY}.raw_writers[{i}]",
                        f"only a service role may write raw; {name!r} is {roles[name].kind}")

    restrict = _level(top.get("restrict_schemas_from_level", max(levels)), levels, path,
                      f"{GRANTS_KEY}.restrict_schemas_from_level")
    schema_levels = {
        _name(schema, path, f"{GRANTS_KEY}.schema_levels.{schema}"):
            _level(level, levels, path, f"{GRANTS_KEY}.schema_levels.{schema}")
        for schema, level in _mapping(top.get("schema_levels"), path, f"{GRANTS_KEY}.schema_levels").items()
    }

    warehouses: dict[str, Warehouse] = {}
    for wh, spec in _mapping(top.get("warehouses"), path, f"{GRANTS_KEY}.warehouses").items():
        key = f"{GRANTS_KEY}.warehouses.{wh}"
        spec = _mapping(spec, path, key, {"size", "description"})
        size = str(spec.get("size", "")).lower()
        if size not in WAREHOUSE_SIZES:
            raise _fail(path, f"{key}.size",
                        f"must be one of {', '.join(WAREHOUSE_SIZES)}; got {spec.get('size')!r}")
        name = _name(wh, path, key)
        warehouses[name] = Warehouse(name, size)

    role_grants: dict[str, RoleGrants] = {}
    for role_name, spec in _mapping(top.get("roles"), path, f"{GRANTS_KEY}.roles").items():
        key = f"{GRANTS_KEY}.roles.{role_name}"
        _role(role_name, roles, path, key)
        if str(role_name).lower() in ADMIN_ROLES:
            raise _fail(path, key, "system administrator roles are never managed by this policy")
        spec = _mapping(spec, path, key, {"warehouses", "read", "write", "develop"})
        develop = spec.get("develop", False)
        if not isinstance(develop, bool):
            raise _fail(path, f"{key}.develop", f"must be true or false; got {develop!r}")
        grants = RoleGrants(
            str(role_name),
            _names(spec.get("warehouses"), path, f"{key}.warehouses"),
            _names(spec.get("read"), path, f"{key}.read"),
            _names(spec.get("write"), path, f"{key}.write"),
            develop,
        )
        for i, wh in enumerate(grants.warehouses):
            if wh not in warehouses:
                raise _fail(path, f"{key}.warehouses[{i}]",
                            f"undefined warehouse {wh!r} (warehouses are defined in {GRANTS_KEY}.warehouses)")
        kind = roles[role_name].kind
        if kind == "clearance" and (grants.read or grants.write):
            raise _fail(path, key, "a clearance role gets no grants of its own; grant the schemas to the "
                                   "functional roles that are member_of it")
        if kind != "service" and grants.write:
            raise _fail(path, f"{key}.write", f"only service roles write; {role_name!r} is {kind}")
        if develop:
            if kind != "functional":
                raise _fail(path, f"{key}.develop", f"only a functional role (a person's) develops; {role_name!r} is "
                            f"{kind}: a service role's sessions see every level in clear")
            cleared = _cleared_for(str(role_name), roles)
            if cleared:
                raise _fail(path, f"{key}.develop", f"a role that develops must not be cleared ({role_name!r} is a "
                            f"member of {', '.join(cleared)}): what it builds in its sandbox is what it reads, "
                            "so it must read masked data only")
            if dev_database is None:
                raise _fail(path, f"{key}.develop", f"needs {GRANTS_KEY}.dev_database (where the sandboxes are built)")
        role_grants[str(role_name)] = grants

    users: dict[str, ServiceUser] = {}
    for user, spec in _mapping(top.get("users"), path, f"{GRANTS_KEY}.users").items():
        key = f"{GRANTS_KEY}.users.{user}"
        spec = _mapping(spec, path, key, {"role", "description"})
        role = _role(spec.get("role"), roles, path, f"{key}.role")
        name = _name(user, path, key)
        if name in roles:
            raise _fail(path, key, "a user must not share its name with a role")
        users[name] = ServiceUser(name, role, str(spec.get("description", "")))

    return GrantsPolicy(database, source_database, raw_writers, restrict, dict(sorted(schema_levels.items())),
                        dict(sorted(warehouses.items())), dict(sorted(role_grants.items())),
                        dict(sorted(users.items())), dev_database)
