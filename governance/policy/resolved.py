"""The resolved policy: every masking rule of the policy, evaluated in Python, rendered for the dbt macros.

`governance policy --write` renders `resolve(policy)` into a GENERATED macro of the project,
`<first macro path>/governance/resolved_policy.sql`: one macro, `governance_resolved_policy()`,
returning a dict literal. The governance dbt package (governance/dbt_package) only looks results up
in it; no rule is implemented in Jinja:

- per masked level and category: the mask (fallbacks applied);
- per role: the effective clearance (service roles, `member_of`, unmasked levels);
- per level: the roles DuckDB's `is_cleared` accepts, and the roles a Snowflake policy checks;
- per data type name: its family and Snowflake policy type (and the names of unlisted ones);
- per masked level: the Snowflake policies to create and the policy name of each (type, category);
- the masking schema, the NAME of the hash key's environment variable (never the key), the
  entity -> category map, the static-masking targets and the production-target guard.

The file lives in the project (it is that project's policy), not in the package. It is project
specific and committed, so a review shows what a policy edit changes.

Staleness. The dict carries a fingerprint: the MD5 of `json.dumps(sections, sort_keys=True)` of the
policy sections it is resolved from (`FINGERPRINT_SECTIONS`). The package computes the same value in
Jinja (`local_md5(tojson(sections, sort_keys=True))` over `var('governance')`: dbt's `tojson` is
`json.dumps`) and refuses to build (a compiler error telling to run `governance policy --write`)
when they differ. Only these sections count, so editing grants, lineage rules or the scan settings
does not force a regeneration. `governance policy --check` (pre-commit, CI) exits 1 with a diff when
the file is not what `--write` would write.

The column -> category rule. A column's category depends on its own meta (`mask_as`, `pii`), read at
build time from the graph, and on its built data type, so it cannot be resolved per policy alone.
Precomputing it per classified column would make this file change with every scan or propagate,
and still leave the type to the build. So the package keeps that one rule as a small lookup in
Jinja (`governance.column_category`: meta `mask_as` if a text category, else the single category
its `pii` entities map to in `entity_categories`, else `text`; non-text columns take their family),
together with the meta merge (config.meta over top-level meta), and tests/python/test_resolved_policy.py
renders it through dbt for every case of `governance.policy.masking.category_for` and
`governance.project.column_meta` and compares.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.policy.masking import (
    FLOAT_TYPES,
    MASK_MAX_LENGTH,
    NUMBER_TYPES,
    PRODUCTION_TARGET_PREFIX,
    SEMI_STRUCTURED_TYPES,
    SNOWFLAKE_BASE_POLICY_TYPES,
    TEXT_TYPES,
    TIMESTAMP_LTZ_TYPES,
    TIMESTAMP_NTZ_TYPES,
    TIMESTAMP_TZ_TYPES,
    duckdb_cleared_roles,
    snowflake_policy_name,
    snowflake_policy_roles,
    snowflake_policy_type,
    snowflake_policy_types,
    type_family,
)
from governance.policy.schema import MASK_CATEGORIES, TEXT_CATEGORIES, Policy
from governance.project import DbtProject

COMMAND = "governance policy --write"
MACRO_NAME = "governance_resolved_policy"
RELATIVE_PATH = Path("governance") / "resolved_policy.sql"  # under the project's first macro path
# The sections of vars.governance the resolved policy is computed from (the fingerprint covers them).
FINGERPRINT_SECTIONS = ("default_role", "entity_levels", "levels", "masking", "roles")
# Type names listed one by one; a name outside the list is looked up by prefix, then `unknown_type`.
KNOWN_TYPES = sorted({
    *TEXT_TYPES, *NUMBER_TYPES, *FLOAT_TYPES, "DATE", *TIMESTAMP_NTZ_TYPES, *TIMESTAMP_LTZ_TYPES,
    *TIMESTAMP_TZ_TYPES, "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_US", "TIMESTAMP_NS", "BOOLEAN", "BOOL",
    *SEMI_STRUCTURED_TYPES, "VARBINARY", "BLOB", "UUID", "JSON", "INTERVAL",
})
# type_family() classes every name starting so as a timestamp (DuckDB's TIMESTAMP_NS, ...).
TYPE_PREFIXES = ("TIMESTAMP",)


def _plain(value: Any) -> Any:
    """YAML round-trip containers and scalars as plain Python values (what dbt's YAML loader gives)."""
    if isinstance(value, Mapping):
        return {(_plain(k) if not isinstance(k, str) else str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def fingerprint(raw: Mapping[str, Any]) -> str:
    """MD5 of the JSON (sorted keys) of the policy sections the resolved policy comes from; the
    package computes the same in Jinja from var('governance')."""
    return sections_fingerprint(raw, FINGERPRINT_SECTIONS)


def sections_fingerprint(raw: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    """MD5 of the JSON (sorted keys) of the given policy sections, as the dbt macros compute it."""
    sections = {key: _plain(raw[key]) for key in keys if key in raw}
    return hashlib.md5(json.dumps(sections, sort_keys=True).encode("utf-8")).hexdigest()


def _type_entry(name: str) -> dict[str, str]:
    return {"family": type_family(name), "snowflake": snowflake_policy_type(name)}


def _snowflake_names(level: int, policy: Policy) -> dict[str, Any]:
    """Per Snowflake policy type: the policy name (VARCHAR: per text category)."""
    masks = policy.masking.levels[level]
    names: dict[str, Any] = {}
    for policy_type in sorted({entry["snowflake"] for entry in resolve_types().values()} | {"VARIANT"}):
        if policy_type == "VARCHAR":
            names[policy_type] = {c: snowflake_policy_name(level, policy_type, c, masks[c]) for c in TEXT_CATEGORIES}
        else:
            names[policy_type] = snowflake_policy_name(level, policy_type, "other", "nullify")
    return names


def resolve_types() -> dict[str, dict[str, str]]:
    return {name: _type_entry(name) for name in KNOWN_TYPES}


def resolve(policy: Policy) -> dict[str, Any]:
    """The resolved policy, as the dbt package reads it."""
    levels = sorted(policy.levels)
    masked = policy.masked_levels
    masking = policy.masking
    return {
        "fingerprint": fingerprint(policy.raw),
        "fingerprint_sections": list(FINGERPRINT_SECTIONS),
        "generated_by": COMMAND,
        "schema": masking.schema,
        "hash_key_env": masking.hash_key_env,
        "static_targets": list(masking.static_targets),
        "production_target_prefix": PRODUCTION_TARGET_PREFIX,
        "default_role": policy.default_role.lower(),
        "levels": levels,
        "masked_levels": masked,
        "fail_closed_level": policy.fail_closed_level,
        "categories": list(MASK_CATEGORIES),
        "text_categories": list(TEXT_CATEGORIES),
        "entity_categories": dict(sorted(masking.entity_categories.items())),
        "entities": sorted(policy.entity_levels),
        "masks": {level: {c: masking.mask_for(level, c) for c in MASK_CATEGORIES} for level in masked},
        "clearance": {name: policy.effective_clearance(name) for name in sorted(policy.roles)},
        "roles_cleared": {level: duckdb_cleared_roles(policy, level) for level in levels},
        "policy_roles": {level: snowflake_policy_roles(policy, level) for level in masked},
        "types": resolve_types(),
        "type_prefixes": {prefix: _type_entry(f"{prefix}_UNLISTED") for prefix in TYPE_PREFIXES},
        "unknown_type": _type_entry(""),
        "mask_max_length": dict(sorted(MASK_MAX_LENGTH.items())),
        "snowflake_policy_types": snowflake_policy_types(),
        "snowflake_policy_names": {level: _snowflake_names(level, policy) for level in masked},
        "snowflake_base_policies": {
            level: [
                *({"type": "VARCHAR", "category": c, "mask": masking.mask_for(level, c)} for c in TEXT_CATEGORIES),
                *({"type": t, "category": c, "mask": masking.mask_for(level, c)} for t, c in SNOWFLAKE_BASE_POLICY_TYPES),
            ]
            for level in masked
        },
    }


# --- rendering as a Jinja dict literal ------------------------------------------------------------

def _scalar(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    raise TypeError(f"cannot render {type(value).__name__} as a Jinja literal")


def jinja_literal(value: Any, indent: int = 0, width: int = 116) -> str:
    """A Jinja literal of `value` (dicts, lists, strings, ints, booleans, None), one line when it fits."""
    if isinstance(value, Mapping):
        items = [f"{_scalar(k)}: {jinja_literal(v, indent + 1, width)}" for k, v in value.items()]
        flat = "{" + ", ".join(items) + "}"
        if "\n" not in flat and len(flat) + 4 * indent <= width:
            return flat
        pad = "    " * (indent + 1)
        return "{\n" + ",\n".join(pad + item for item in items) + ",\n" + "    " * indent + "}"
    if isinstance(value, (list, tuple)):
        items = [jinja_literal(v, indent + 1, width) for v in value]
        flat = "[" + ", ".join(items) + "]"
        if "\n" not in flat and len(flat) + 4 * indent <= width:
            return flat
        pad = "    " * (indent + 1)
        return "[\n" + ",\n".join(pad + item for item in items) + ",\n" + "    " * indent + "]"
    return _scalar(value)


def render(policy: Policy) -> str:
    """The generated macro file."""
    return generated_macro(
        f"    GENERATED by `{COMMAND}` from vars.governance in dbt_project.yml. Do not edit: change the\n"
        f"    policy, then run `{COMMAND}` (`governance policy --check` fails when this file is stale,\n"
        "    and the governance dbt package refuses to build with a stale one).\n"
        "    The masking rules resolved in Python (governance/policy/resolved.py): the package's macros only\n"
        "    look results up here. No secret: `hash_key_env` names the key's environment variable.\n",
        MACRO_NAME, resolve(policy))


def generated_macro(header: str, macro_name: str, value: Any) -> str:
    """A generated macro file: its header comment, and a macro returning `value` (a Jinja literal)."""
    return (f"{{#-\n{header}-#}}\n"
            f"{{% macro {macro_name}() -%}}\n"
            f"{{{{ return({jinja_literal(value)}) }}}}\n"
            "{%- endmacro %}\n")


# --- the file in a project ---------------------------------------------------------------------------

def resolved_path(project: DbtProject) -> Path:
    """Where the generated macro lives: under the project's first macro path."""
    return generated_path(project, RELATIVE_PATH)


def generated_path(project: DbtProject, relative: Path) -> Path:
    """A generated macro file's place: `relative` under the project's first macro path."""
    macro_paths = project.paths("macro-paths")
    return (macro_paths[0] if macro_paths else project.root / "macros") / relative


@dataclass(frozen=True)
class ResolvedFile:
    path: Path
    current: str | None
    wanted: str

    @classmethod
    def at(cls, path: Path, wanted: str) -> ResolvedFile:
        """The generated file at `path` as committed, and as it should read."""
        return cls(path, path.read_text(encoding="utf-8") if path.is_file() else None, wanted)

    @property
    def up_to_date(self) -> bool:
        return self.current == self.wanted

    def diff(self) -> str:
        return "".join(difflib.unified_diff(
            (self.current or "").splitlines(keepends=True), self.wanted.splitlines(keepends=True),
            fromfile=f"{self.path.name} (committed)", tofile=f"{self.path.name} (generated)"))


def resolved_file(project: DbtProject, policy: Policy) -> ResolvedFile:
    return ResolvedFile.at(resolved_path(project), render(policy))
