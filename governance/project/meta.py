"""The one reading of a column's meta, for property YAML and the manifest alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def column_meta(column: Mapping[str, Any]) -> dict[str, Any]:
    """A column's meta: top-level `meta` overlaid by `config.meta` (dbt 1.10+ keeps it there)."""
    config = column.get("config")
    nested = config.get("meta") if isinstance(config, Mapping) else None
    top = column.get("meta")
    merged: dict[str, Any] = dict(top) if isinstance(top, Mapping) else {}
    if isinstance(nested, Mapping):
        merged.update(nested)
    return merged
