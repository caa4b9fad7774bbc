"""Which columns of a built project are protected, and how: the manifest's classification meta read
through the policy's masking rules (governance.policy.masking)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from governance.policy import Policy
from governance.policy.masking import category_for, type_family
from governance.policy.meta import declared_classification
from governance.project import column_meta

RESOURCE_TYPES = ("model", "snapshot", "seed")


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
            if meta.get("classification") is None:
                continue
            # an invalid level reads as the highest one: it must be protected (and `check` fails on it)
            declared, _ = declared_classification(meta, policy, name)
            level = declared.level if declared else policy.fail_closed_level
            if level not in masked:
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
