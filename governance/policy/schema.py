"""The governance policy: classification levels, PII entity levels, roles and clearances.

The policy lives in ``dbt_project.yml`` under ``vars: governance:``. This module is its one parser
and validator: every section (levels, entity_levels, roles, default_role, masking, grants,
lineage_rules, scan) is checked before any command compiles anything, and every error names the
file, the line and the key at fault. The dbt macros do not interpret the policy: they read the
resolved policy that `governance policy --write` renders (governance.policy.resolved).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.errors import PolicyError, ProjectError
from governance.policy.erasure import Erasure, parse_erasure
from governance.policy.grants import GrantsPolicy, parse_grants
from governance.policy.location import POLICY_KEY, locating, policy_error
from governance.policy.regimes import Regimes, parse_regimes
from governance.policy.reidentification import Reidentification, parse_reidentification
from governance.policy.sections import (
    LineageRule,
    RetentionRule,
    ScanSettings,
    parse_lineage_rules,
    parse_retention,
    parse_scan_settings,
)
from governance.project import DbtProject

SECTIONS = ("default_role", "entity_levels", "erasure", "grants", "levels", "lineage_rules", "masking", "regimes",
            "reidentification", "retention", "roles", "scan")
ROLE_KINDS = ("service", "clearance", "functional")

# Masking (vars.governance.masking): column categories and the masks each may use.
TEXT_CATEGORIES = ("text", "email", "phone", "join_key")
MASK_CATEGORIES = (*TEXT_CATEGORIES, "number", "date", "timestamp", "boolean", "other")
REQUIRED_CATEGORIES = ("text", "number", "date", "timestamp")
MASKS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "text": ("redact", "keep_last_4", "hash", "nullify"),
    "email": ("redact", "keep_domain", "keep_last_4", "hash", "nullify"),
    "phone": ("redact", "keep_last_4", "hash", "nullify"),
    "join_key": ("redact", "hash", "nullify"),
    "number": ("zero", "nullify"),
    "date": ("truncate_to_year", "nullify"),
    "timestamp": ("truncate_to_year", "nullify"),
    "boolean": ("nullify",),
    "other": ("nullify",),
}


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    description: str
    masked: bool


@dataclass(frozen=True)
class Role:
    name: str
    kind: str
    description: str
    clearance: int | None = None
    member_of: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Masking:
    """How masked levels mask each column category (vars.governance.masking)."""

    schema: str = "governance"
    hash_key_env: str | None = None
    static_targets: tuple[str, ...] = ()
    entity_categories: dict[str, str] = field(default_factory=dict)
    # level -> category -> mask, with every category filled in (fallbacks applied)
    levels: dict[int, dict[str, str]] = field(default_factory=dict)

    def mask_for(self, level: int, category: str) -> str:
        return self.levels[level][category]


@dataclass(frozen=True)
class Policy:
    source: Path
    levels: dict[int, Level]
    entity_levels: dict[str, int]
    roles: dict[str, Role]
    default_role: str
    raw: dict[str, Any]
    # vars.governance.grants (Permifrost roles.yml); None when the policy states no grants
    grants: GrantsPolicy | None = None
    masking: Masking = field(default_factory=Masking)
    lineage_rules: dict[str, LineageRule] = field(default_factory=dict)
    scan: ScanSettings = field(default_factory=ScanSettings)
    # vars.governance.retention: rule name -> rule
    retention: dict[str, RetentionRule] = field(default_factory=dict)
    # vars.governance.erasure: data subjects, the register of erased ones, Time Travel per schema
    erasure: Erasure = field(default_factory=Erasure)
    # vars.governance.regimes: which regulation covers each entity, and its rules; None when not stated
    regimes: Regimes | None = None
    # vars.governance.reidentification: the largest share of people an uncleared role may single out
    reidentification: Reidentification = field(default_factory=Reidentification)

    def retention_rules_for(self, entity: str) -> list[RetentionRule]:
        """The retention rules covering a PII entity (empty when none does), by name."""
        return [rule for name, rule in sorted(self.retention.items()) if rule.covers(entity)]

    @property
    def masked_levels(self) -> list[int]:
        return sorted(n for n, level in self.levels.items() if level.masked)

    @property
    def fail_closed_level(self) -> int:
        """The level a column gets when its classification is not a level of the policy (7, "high",
        "3"): the highest masked level, so an invalid value can only over-protect."""
        return max(self.masked_levels) if self.masked_levels else max(self.levels)

    def level_for_entities(self, entities: list[str] | tuple[str, ...] | set[str]) -> int | None:
        """The highest level of the given entities, or None when none is known to the policy."""
        known = [self.entity_levels[e] for e in entities if e in self.entity_levels]
        return max(known) if known else None

    def effective_clearance(self, role_name: str) -> int:
        """The highest level a role sees in clear: service roles see everything; other roles
        see what they or any role they are a member of (transitively) is cleared for."""
        role = self.roles[role_name]
        if role.kind == "service":
            return max(self.levels)
        best = role.clearance or 0
        for parent in role.member_of:
            best = max(best, self.effective_clearance(parent))
        unmasked = [n for n, level in self.levels.items() if not level.masked]
        return max(best, max(unmasked) if unmasked else 0)

    def is_cleared(self, role_name: str, level: int) -> bool:
        return self.effective_clearance(role_name) >= level

    def clearance_roles_for(self, level: int) -> list[str]:
        """Clearance roles that clear `level` (the roles masking policies check), sorted."""
        return sorted(
            r.name for r in self.roles.values() if r.kind == "clearance" and (r.clearance or 0) >= level
        )

    @property
    def service_roles(self) -> list[str]:
        return sorted(r.name for r in self.roles.values() if r.kind == "service")


_fail = policy_error


def load_policy(project: DbtProject | Path | None = None) -> Policy:
    """Load and validate the policy of a project (a DbtProject, a project directory, or the nearest)."""
    if not isinstance(project, DbtProject):
        try:
            project = DbtProject.locate(project)
        except ProjectError as exc:
            raise PolicyError(str(exc)) from exc
    try:
        document = project.config
    except ProjectError as exc:
        raise PolicyError(str(exc)) from exc
    raw = (document.get("vars") or {}).get("governance") if isinstance(document.get("vars"), dict) else None
    if not isinstance(raw, dict):
        raise PolicyError(f"{project.where('vars')}: {POLICY_KEY}: missing; the governance policy must be a mapping here")
    return parse_policy(raw, project.project_file, lambda *keys: project.where("vars", "governance", *keys))


def parse_policy(raw: dict[str, Any], path: Path, where: Any = None) -> Policy:
    """Validate the whole policy. `where(*keys)` names `file:line` of a key (default: the file)."""
    with locating(where):
        levels = _parse_levels(raw.get("levels"), path)
        entity_levels = _parse_entity_levels(raw.get("entity_levels"), levels, path)
        roles = _parse_roles(raw.get("roles"), levels, path)
        default_role = raw.get("default_role")
        if default_role not in roles:
            raise _fail(path, f"{POLICY_KEY}.default_role", f"undefined role {default_role!r}")
        grants = parse_grants(raw["grants"], levels, roles, path) if "grants" in raw else None
        masking = _parse_masking(raw.get("masking"), levels, path)
        rules = parse_lineage_rules(raw.get("lineage_rules"), levels, entity_levels, path)
        scan = parse_scan_settings(raw.get("scan"), path)
        retention = parse_retention(raw.get("retention"), entity_levels, path)
        erasure = parse_erasure(raw.get("erasure"), path)
        regimes = parse_regimes(raw.get("regimes"), entity_levels, roles, path)
        reidentification = parse_reidentification(raw.get("reidentification"), path)
        _check_service_roles(roles, grants, path)
        unknown = sorted(str(k) for k in raw if k not in SECTIONS)
        if unknown:
            raise _fail(path, f"{POLICY_KEY}.{unknown[0]}", f"unknown section (known: {', '.join(SECTIONS)})")
    return Policy(path, levels, entity_levels, roles, default_role, raw, grants, masking, rules, scan, retention,
                  erasure, regimes, reidentification)


def _check_service_roles(roles: dict[str, Role], grants: GrantsPolicy | None, path: Path) -> None:
    """A service role sees every level in clear, so it must be what a declared service user runs as
    (grants.users): a person's role relabelled `kind: service` is refused."""
    users_of = {user.role for user in (grants.users.values() if grants else [])}
    for role in roles.values():
        if role.kind == "service" and role.name not in users_of:
            raise _fail(path, f"{POLICY_KEY}.roles.{role.name}.kind",
                        "a service role sees every level in clear, so it must be the role of a service user "
                        f"declared under {POLICY_KEY}.grants.users (none runs as {role.name!r})")


def _parse_masking(raw: Any, levels: dict[int, Level], path: Path) -> Masking:
    from governance.policy.masking import static_masking_allowed  # it reads this module's categories

    key = f"{POLICY_KEY}.masking"
    masked = [n for n, level in levels.items() if level.masked]
    if raw is None:
        # no masking section: fail closed (text redacted, everything else nullified), as the macros do
        return Masking(levels={n: {c: "redact" if c in TEXT_CATEGORIES else "nullify" for c in MASK_CATEGORIES}
                               for n in masked})
    if not isinstance(raw, dict):
        raise _fail(path, key, "must be a mapping")
    schema = raw.get("schema", "governance")
    if not isinstance(schema, str) or not schema.isidentifier():
        raise _fail(path, f"{key}.schema", f"must be a plain identifier; got {schema!r}")
    hash_key_env = raw.get("hash_key_env")
    if hash_key_env is not None and (not isinstance(hash_key_env, str) or not hash_key_env.isidentifier()):
        raise _fail(path, f"{key}.hash_key_env",
                    "must name an environment variable (the key is never stored here)")
    static_targets = raw.get("static_targets") or []
    if not isinstance(static_targets, list) or not all(isinstance(t, str) for t in static_targets):
        raise _fail(path, f"{key}.static_targets", "must be a list of target names")
    for target in static_targets:
        if not static_masking_allowed(target):
            raise _fail(path, f"{key}.static_targets",
                        f"{target!r}: static masking is for non-production targets")
    entity_categories = raw.get("entity_categories") or {}
    if not isinstance(entity_categories, dict):
        raise _fail(path, f"{key}.entity_categories", "must be a mapping of PII entity to a text category")
    for entity, category in entity_categories.items():
        if category not in TEXT_CATEGORIES:
            raise _fail(path, f"{key}.entity_categories.{entity}",
                        f"must be one of {', '.join(TEXT_CATEGORIES)}; got {category!r}")
    raw_levels = raw.get("levels")
    if not isinstance(raw_levels, dict):
        raise _fail(path, f"{key}.levels", "must be a mapping of each masked level to its masks")
    parsed: dict[int, dict[str, str]] = {}
    for number, spec in raw_levels.items():
        level_key = f"{key}.levels.{number}"
        if number not in levels:
            raise _fail(path, level_key, f"unknown level (known levels: {sorted(levels)})")
        if not levels[number].masked:
            raise _fail(path, level_key, f"level {number} is not masked (levels.{number}.masked is false)")
        if not isinstance(spec, dict):
            raise _fail(path, level_key, "must be a mapping of category to mask")
        for category in spec:
            if category not in MASK_CATEGORIES:
                raise _fail(path, f"{level_key}.{category}",
                            f"unknown category (known: {', '.join(MASK_CATEGORIES)})")
        for category in REQUIRED_CATEGORIES:
            if category not in spec:
                raise _fail(path, f"{level_key}.{category}",
                            "missing; every masked level must mask this category")
        masks: dict[str, str] = {}
        for category in MASK_CATEGORIES:
            fallback = "nullify" if category in ("boolean", "other") else spec["text"]
            mask = spec.get(category, fallback)
            allowed = MASKS_BY_CATEGORY[category]
            if mask not in allowed:
                raise _fail(path, f"{level_key}.{category}",
                            f"mask {mask!r} does not fit {category} columns (allowed: {', '.join(allowed)})")
            masks[category] = mask
        parsed[number] = masks
    missing = [n for n in masked if n not in parsed]
    if missing:
        raise _fail(path, f"{key}.levels", f"masked levels {missing} have no masks")
    if any("hash" in m.values() for m in parsed.values()) and not hash_key_env:
        raise _fail(path, f"{key}.hash_key_env",
                    "a level uses the keyed hash, so name the environment variable of its key")
    return Masking(schema, hash_key_env, tuple(static_targets), dict(entity_categories), parsed)


def _parse_levels(raw: Any, path: Path) -> dict[int, Level]:
    key = f"{POLICY_KEY}.levels"
    if not isinstance(raw, dict) or not raw:
        raise _fail(path, key, "must be a non-empty mapping of level number to its definition")
    levels: dict[int, Level] = {}
    for number, spec in raw.items():
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise _fail(path, f"{key}.{number}", "level keys must be positive integers")
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            raise _fail(path, f"{key}.{number}", "must be a mapping with at least a `name`")
        masked = spec.get("masked", False)
        if not isinstance(masked, bool):
            raise _fail(path, f"{key}.{number}.masked", "must be true or false")
        levels[number] = Level(number, spec["name"], str(spec.get("description", "")), masked)
    return dict(sorted(levels.items()))


def _check_level(value: Any, levels: dict[int, Level], path: Path, key: str) -> int:
    if isinstance(value, bool) or value not in levels:
        raise _fail(path, key, f"unknown level {value!r} (known levels: {sorted(levels)})")
    return int(value)


def _parse_entity_levels(raw: Any, levels: dict[int, Level], path: Path) -> dict[str, int]:
    key = f"{POLICY_KEY}.entity_levels"
    if not isinstance(raw, dict):
        raise _fail(path, key, "must be a mapping of PII entity name to level")
    return {str(entity): _check_level(lvl, levels, path, f"{key}.{entity}") for entity, lvl in raw.items()}


def _parse_roles(raw: Any, levels: dict[int, Level], path: Path) -> dict[str, Role]:
    key = f"{POLICY_KEY}.roles"
    if not isinstance(raw, dict) or not raw:
        raise _fail(path, key, "must be a non-empty mapping of role name to its definition")
    roles: dict[str, Role] = {}
    for name, spec in raw.items():
        role_key = f"{key}.{name}"
        if not isinstance(spec, dict):
            raise _fail(path, role_key, "must be a mapping")
        kind = spec.get("kind")
        if kind not in ROLE_KINDS:
            raise _fail(path, f"{role_key}.kind", f"must be one of {', '.join(ROLE_KINDS)}; got {kind!r}")
        clearance = spec.get("clearance")
        if clearance is not None:
            clearance = _check_level(clearance, levels, path, f"{role_key}.clearance")
        if kind == "clearance" and clearance is None:
            raise _fail(path, f"{role_key}.clearance", "a clearance role must state its level")
        member_of = spec.get("member_of") or []
        if not isinstance(member_of, list):
            raise _fail(path, f"{role_key}.member_of", "must be a list of role names")
        known = {"kind", "clearance", "member_of", "description"}
        extra = {k: v for k, v in spec.items() if k not in known}
        roles[str(name)] = Role(
            str(name), kind, str(spec.get("description", "")), clearance, tuple(member_of), extra
        )
    for role in roles.values():
        for parent in role.member_of:
            if parent not in roles:
                raise _fail(path, f"{key}.{role.name}.member_of", f"undefined role {parent!r}")
    _check_no_cycles(roles, path, key)
    return roles


def _check_no_cycles(roles: dict[str, Role], path: Path, key: str) -> None:
    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in trail:
            cycle = " -> ".join((*trail[trail.index(name):], name))
            raise _fail(path, f"{key}.{name}.member_of", f"membership cycle: {cycle}")
        for parent in roles[name].member_of:
            visit(parent, (*trail, name))

    for name in roles:
        visit(name, ())
