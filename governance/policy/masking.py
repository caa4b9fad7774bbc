"""The masking rules of the policy, implemented once (in Python).

A column is masked when its meta `classification` is a `masked: true` level. Its category comes from
meta `mask_as`, else its PII entities (`masking.entity_categories`), else its type family; its mask is
`masking.levels[level][category]`. On Snowflake it carries the policy `MASK_L<level>_<type>[_<category>]`.
The dbt macros do not re-implement these rules: `governance policy --write` renders them, resolved
for every level, category, role and type, into a generated macro file (governance.policy.resolved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from governance.policy.schema import TEXT_CATEGORIES

if TYPE_CHECKING:
    from governance.policy.schema import Policy

TEXT_TYPES = {
    "VARCHAR",
    "TEXT",
    "STRING",
    "CHAR",
    "CHARACTER",
    "CHARACTER VARYING",
    "BPCHAR",
    "NVARCHAR",
    "NCHAR",
}
NUMBER_TYPES = {
    "NUMBER",
    "DECIMAL",
    "NUMERIC",
    "INT",
    "INTEGER",
    "BIGINT",
    "SMALLINT",
    "TINYINT",
    "BYTEINT",
    "HUGEINT",
    "UBIGINT",
    "UINTEGER",
    "USMALLINT",
    "UTINYINT",
    "UHUGEINT",
    "FLOAT",
    "FLOAT4",
    "FLOAT8",
    "DOUBLE",
    "DOUBLE PRECISION",
    "REAL",
}
FLOAT_TYPES = {"FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL"}
TIMESTAMP_NTZ_TYPES = {"TIMESTAMP", "DATETIME", "TIMESTAMP_NTZ", "TIMESTAMPNTZ", "TIMESTAMP WITHOUT TIME ZONE"}
TIMESTAMP_LTZ_TYPES = {"TIMESTAMP_LTZ", "TIMESTAMPLTZ", "TIMESTAMP WITH LOCAL TIME ZONE"}
TIMESTAMP_TZ_TYPES = {"TIMESTAMP_TZ", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"}
SEMI_STRUCTURED_TYPES = {"VARIANT", "OBJECT", "ARRAY", "BINARY", "TIME", "GEOGRAPHY", "GEOMETRY"}
MASK_MAX_LENGTH = {"redact": 5, "keep_domain": 5, "hash": 64}
# Static masking (overwriting values at build time) never runs on a target whose name starts so.
PRODUCTION_TARGET_PREFIX = "prod"
# The base Snowflake policies of every masked level besides the VARCHAR ones (one per text
# category): (policy type, the category whose mask it applies).
SNOWFLAKE_BASE_POLICY_TYPES = (
    ("NUMBER", "number"), ("FLOAT", "number"), ("DATE", "date"), ("TIMESTAMP_NTZ", "timestamp"),
    ("TIMESTAMP_LTZ", "timestamp"), ("TIMESTAMP_TZ", "timestamp"), ("BOOLEAN", "boolean"), ("VARIANT", "other"),
    ("OBJECT", "other"), ("ARRAY", "other"), ("TIME", "other"), ("BINARY", "other"), ("GEOGRAPHY", "other"),
    ("GEOMETRY", "other"),
)


def _base_type(data_type: str | None) -> str:
    return (data_type or "").upper().strip().split("(")[0].strip()


def type_family(data_type: str | None) -> str:
    """text, number, date, timestamp, boolean or other (DuckDB or Snowflake spelling)."""
    base = _base_type(data_type)
    if base in TEXT_TYPES:
        return "text"
    if base in NUMBER_TYPES:
        return "number"
    if base == "DATE":
        return "date"
    if base.startswith("TIMESTAMP") or base == "DATETIME":
        return "timestamp"
    if base in ("BOOLEAN", "BOOL"):
        return "boolean"
    return "other"


def category_for(meta: dict[str, Any], family: str, policy: Policy) -> str:
    """The masking category of a column: meta `mask_as`, else the one category all its PII entities
    map to (`masking.entity_categories`), else `text` -- for text columns; else its type family."""
    if family != "text":
        return family
    category = "text"
    mapped = {policy.masking.entity_categories.get(entity, "text") for entity in meta.get("pii") or []}
    if len(mapped) == 1:
        category = mapped.pop()
    if meta.get("mask_as") in TEXT_CATEGORIES:
        category = meta["mask_as"]
    return category


def snowflake_policy_type(data_type: str | None) -> str:
    base = _base_type(data_type)
    family = type_family(base)
    if family == "text":
        return "VARCHAR"
    if base in FLOAT_TYPES:
        return "FLOAT"
    if family == "number":
        return "NUMBER"
    if base in TIMESTAMP_NTZ_TYPES or (family == "timestamp" and base not in TIMESTAMP_LTZ_TYPES | TIMESTAMP_TZ_TYPES):
        # DuckDB's TIMESTAMP_S/_MS/_US/_NS are timestamps without a time zone
        return "TIMESTAMP_NTZ"
    if base in TIMESTAMP_LTZ_TYPES:
        return "TIMESTAMP_LTZ"
    if base in TIMESTAMP_TZ_TYPES:
        return "TIMESTAMP_TZ"
    if family == "date":
        return "DATE"
    if family == "boolean":
        return "BOOLEAN"
    if base in SEMI_STRUCTURED_TYPES:
        return base
    return "BINARY" if base in ("VARBINARY", "BLOB") else "VARIANT"


def snowflake_policy_types() -> list[str]:
    """Every Snowflake type a base policy exists for (VARCHAR per text category, the others once):
    a classified column of any other type is refused before its relation is created."""
    return sorted({"VARCHAR", *(policy_type for policy_type, _ in SNOWFLAKE_BASE_POLICY_TYPES)})


def snowflake_policy_name(
    level: int, data_type: str | None, category: str, mask: str, char_size: int | None = None
) -> str:
    """The unqualified policy name the Snowflake macros attach to such a column."""
    policy_type = snowflake_policy_type(data_type)
    name = f"MASK_L{level}_{policy_type}"
    if policy_type == "VARCHAR":
        name += f"_{category.upper()}"
        longest = MASK_MAX_LENGTH.get(mask)
        if char_size and longest and char_size < longest:
            name += f"_LEN{char_size}"
    return name


def snowflake_policy_roles(policy: Policy, level: int) -> list[str]:
    """The roles a Snowflake policy of `level` checks with IS_ROLE_IN_SESSION, upper case: the service
    roles and the clearance roles of `level` or above (functional roles reach them through the role
    hierarchy). The loaders (`grants.raw_writers`) are left out: they write the raw layer and never
    read modelled data, so no policy on a modelled column lists them."""
    loaders = set(policy.grants.raw_writers) if policy.grants else set()
    service = set(policy.service_roles) - loaders
    return sorted(name.upper() for name in {*service, *policy.clearance_roles_for(level)})


def duckdb_cleared_roles(policy: Policy, level: int) -> list[str]:
    """Every policy role that sees `level` in clear, directly or through membership, lower case (the
    DuckDB `is_cleared` check of the session's declared role)."""
    return sorted(name.lower() for name in policy.roles if policy.is_cleared(name, level))


def static_masking_allowed(target_name: str) -> bool:
    """Static masking never runs on a production (`prod*`) target."""
    return not target_name.startswith(PRODUCTION_TARGET_PREFIX)
