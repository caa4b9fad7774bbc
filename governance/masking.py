"""Which columns are masked, and how: the manifest's classification meta read through the policy.

This mirrors, for reporting and tests, the rule the dbt macros apply (macros/governance/masking.sql):
a column is masked when its meta `classification` is a `masked: true` level; its category comes
from meta `mask_as`, else its PII entities (`masking.entity_categories`), else its type family;
its mask is `masking.levels[level][category]`. Tests check that both agree on real builds.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from governance.errors import ProjectError
from governance.policy import TEXT_CATEGORIES, Policy

RESOURCE_TYPES = ("model", "snapshot", "seed")
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
MASK_MAX_LENGTH = {"redact": 5, "keep_domain": 5, "hash": 64}


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


def column_meta(column: dict[str, Any]) -> dict[str, Any]:
    """A manifest column's meta: config.meta over the deprecated top-level meta."""
    return {**(column.get("meta") or {}), **((column.get("config") or {}).get("meta") or {})}


def category_for(meta: dict[str, Any], family: str, policy: Policy) -> str:
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
    if base in ("TIMESTAMP", "DATETIME", "TIMESTAMP_NTZ", "TIMESTAMPNTZ", "TIMESTAMP WITHOUT TIME ZONE"):
        return "TIMESTAMP_NTZ"
    if base in ("TIMESTAMP_LTZ", "TIMESTAMPLTZ", "TIMESTAMP WITH LOCAL TIME ZONE"):
        return "TIMESTAMP_LTZ"
    if base in ("TIMESTAMP_TZ", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"):
        return "TIMESTAMP_TZ"
    if family in ("date", "boolean"):
        return base
    if base in ("VARIANT", "OBJECT", "ARRAY", "BINARY", "TIME", "GEOGRAPHY", "GEOMETRY"):
        return base
    return "BINARY" if base == "VARBINARY" else "VARIANT"


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


@dataclass(frozen=True)
class ProtectedColumn:
    unique_id: str
    resource_type: str
    materialized: str
    database: str
    schema: str
    relation: str
    column: str
    data_type: str | None
    level: int
    category: str
    mask: str
    pii: tuple[str, ...]

    @property
    def protected_relation(self) -> str:
        """DuckDB: the consumer-facing view that masks this column."""
        return f"{self.schema}_protected.{self.relation}"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["pii"] = list(self.pii)
        return data


def load_manifest(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise ProjectError(f"{path}: manifest not found; run `dbt parse` (or any dbt build) first") from exc
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{path}: not valid JSON: {exc}") from exc


def classified_nodes(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [
        n
        for n in manifest.get("nodes", {}).values()
        if n.get("resource_type") in RESOURCE_TYPES
        and (n.get("config") or {}).get("materialized") != "ephemeral"
    ]
    return sorted(nodes, key=lambda n: n["unique_id"])


def protected_columns(
    manifest: dict[str, Any], policy: Policy, types: dict[tuple[str, str, str], str] | None = None
) -> list[ProtectedColumn]:
    """Every column of every model, snapshot and seed at a masked level.

    `types` maps (schema, relation, column), lower case, to the built column's type; without it
    the YAML `data_type` is used (None when the YAML does not declare one)."""
    masked = set(policy.masked_levels)
    found: list[ProtectedColumn] = []
    for node in classified_nodes(manifest):
        relation = node.get("alias") or node["name"]
        for name, column in (node.get("columns") or {}).items():
            meta = column_meta(column)
            level = meta.get("classification")
            if isinstance(level, bool) or not isinstance(level, int) or level not in masked:
                continue
            data_type = column.get("data_type")
            if types is not None:
                data_type = types.get((node["schema"].lower(), relation.lower(), name.lower()), data_type)
            category = category_for(meta, type_family(data_type), policy) if data_type else "unknown"
            mask = policy.masking.mask_for(level, category) if category != "unknown" else "unknown"
            found.append(
                ProtectedColumn(
                    node["unique_id"],
                    node["resource_type"],
                    (node.get("config") or {}).get("materialized", ""),
                    node.get("database") or "",
                    node["schema"],
                    relation,
                    name,
                    data_type,
                    level,
                    category,
                    mask,
                    tuple(meta.get("pii") or ()),
                )
            )
    return found


VIEW_MASK = re.compile(
    r"is_cleared\((\d+)\)\)?\s+THEN\s+\(?\"?(\w+)\"?\)?\s+ELSE\s+CAST\(\w+\.mask_l(\d+)_(\w+)\(",
    re.IGNORECASE,
)


def masked_in_view(view_sql: str) -> dict[str, tuple[int, str]]:
    """Columns a DuckDB protected view masks: {column: (level, category)}, from its SQL text."""
    return {m.group(2).lower(): (int(m.group(3)), m.group(4).lower()) for m in VIEW_MASK.finditer(view_sql)}
