"""The `lineage_rules` and `scan` sections of the policy: parsed and validated with the rest of it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.policy.location import POLICY_KEY, policy_error

# The transformation kinds column lineage tells apart (governance.lineage.graph), which a lowering rule
# may name: what flows through such a step may be capped at a lower level.
LOWERING_KINDS = ("count", "predicate", "length", "hash", "keyed_hash", "pan_truncation", "year", "window_key",
                  "aggregate", "transform")
RULES_KEY = f"{POLICY_KEY}.lineage_rules"
SCAN_KEY = f"{POLICY_KEY}.scan"


@dataclass(frozen=True, order=True)
class Classification:
    """A column's level and the PII entities it carries."""

    level: int
    pii: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.level} [{', '.join(self.pii)}]" if self.pii else str(self.level)


@dataclass(frozen=True)
class LineageRule:
    """`lineage_rules.<kind>`: what flows through a step of this kind is capped at `level`."""

    kind: str
    level: int
    drop_pii: bool
    entities: frozenset[str] | None
    description: str

    def applies(self, upstream: Classification) -> bool:
        if self.entities is None:
            return True
        return bool(upstream.pii) and set(upstream.pii) <= self.entities


@dataclass(frozen=True)
class ScanSettings:
    """`scan`: how many rows and distinct values a scan samples per table, with which seed."""

    sample_rows: int = 2000
    distinct_values: int = 100
    seed: int = 42
    max_value_chars: int = 1000  # each sampled value is cut to this length (JSON documents: 64 times more)
    max_column_bytes: int = 262_144  # sampled distinct values kept per column, in bytes
    table_seconds: int = 120  # time budget per table; a table that runs out keeps its classification

    def as_dict(self) -> dict[str, int]:
        return {
            "sample_rows": self.sample_rows,
            "distinct_values": self.distinct_values,
            "seed": self.seed,
            "max_value_chars": self.max_value_chars,
            "max_column_bytes": self.max_column_bytes,
            "table_seconds": self.table_seconds,
        }


def parse_lineage_rules(raw: Any, levels: dict[int, Any], entity_levels: dict[str, int],
                        path: Path) -> dict[str, LineageRule]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise policy_error(path, RULES_KEY, "must be a mapping of transformation kind to rule")
    rules: dict[str, LineageRule] = {}
    for kind, spec in raw.items():
        key = f"{RULES_KEY}.{kind}"
        if kind not in LOWERING_KINDS:
            raise policy_error(path, key, f"unknown transformation kind (known: {', '.join(LOWERING_KINDS)})")
        if not isinstance(spec, dict):
            raise policy_error(path, key, "must be a mapping with `level` (and optional pii, entities)")
        unknown = sorted(set(spec) - {"level", "pii", "entities", "description"})
        if unknown:
            raise policy_error(path, f"{key}.{unknown[0]}", "unknown key (known: description, entities, level, pii)")
        level = spec.get("level")
        if isinstance(level, bool) or level not in levels:
            raise policy_error(path, f"{key}.level", f"unknown level {level!r} (known levels: {sorted(levels)})")
        pii = spec.get("pii", "drop")
        if pii not in ("keep", "drop"):
            raise policy_error(path, f"{key}.pii", f"must be keep or drop; got {pii!r}")
        entities = spec.get("entities")
        if entities is not None:
            if not isinstance(entities, list) or not entities:
                raise policy_error(path, f"{key}.entities", "must be a non-empty list of entity names")
            missing = [e for e in entities if e not in entity_levels]
            if missing:
                raise policy_error(path, f"{key}.entities", f"not in entity_levels: {', '.join(map(str, missing))}")
        rules[kind] = LineageRule(kind, int(level), pii == "drop", frozenset(entities) if entities else None,
                                  " ".join(str(spec.get("description", "")).split()))
    return rules


def parse_scan_settings(raw: Any, path: Path) -> ScanSettings:
    """All keys optional: seed (zero or more); sample_rows, distinct_values, max_value_chars,
    max_column_bytes, table_seconds (positive)."""
    if raw is None:
        return ScanSettings()
    if not isinstance(raw, dict):
        raise policy_error(path, SCAN_KEY, "must be a mapping")
    defaults = ScanSettings().as_dict()
    unknown = sorted(set(raw) - set(defaults))
    if unknown:
        raise policy_error(path, f"{SCAN_KEY}.{unknown[0]}", f"unknown key (known: {', '.join(defaults)})")
    values = {}
    for name, default in defaults.items():
        value = raw.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < (0 if name == "seed" else 1):
            raise policy_error(path, f"{SCAN_KEY}.{name}", f"must be a positive integer; got {value!r}")
        values[name] = value
    return ScanSettings(**values)


RETENTION_KEY = f"{POLICY_KEY}.retention"
# The events that start a retention clock: the data subject is deleted in the source system (the shop's
# soft delete), or the record was created (e.g. a support ticket's body, kept N days after it was opened).
RETENTION_EVENTS = ("subject_deleted", "created")
RETENTION_ACTIONS = ("anonymise", "delete")


@dataclass(frozen=True)
class RetentionRule:
    """`retention.<name>`: personal data of `entities` is anonymised (or deleted) `days` after `after`."""

    name: str
    entities: frozenset[str]
    days: int
    after: str
    action: str
    description: str
    # scope (optional): only relations derived from this source table (`source_name.table`), and only these
    # column names; empty: every relation and column holding the entities
    source: str | None = None
    columns: tuple[str, ...] = ()
    # after: created: the column holding the creation time in each relation in scope
    created_column: str = "created_at"

    def covers(self, entity: str) -> bool:
        return entity in self.entities


def parse_retention(raw: Any, entity_levels: dict[str, int], path: Path) -> dict[str, RetentionRule]:
    """`retention`: a mapping of rule name to {entities, days, after, action, description}. Every entity must
    be one of `entity_levels`; days a positive integer; after and action from the known lists."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise policy_error(path, RETENTION_KEY, "must be a mapping of rule name to rule")
    known_keys = ("entities", "days", "after", "action", "description", "source", "columns", "created_column")
    rules: dict[str, RetentionRule] = {}
    for name, spec in raw.items():
        key = f"{RETENTION_KEY}.{name}"
        if not isinstance(spec, dict):
            raise policy_error(path, key, f"must be a mapping with {', '.join(known_keys)}")
        unknown = sorted(str(k) for k in set(spec) - set(known_keys))
        if unknown:
            raise policy_error(path, f"{key}.{unknown[0]}", f"unknown key (known: {', '.join(known_keys)})")
        entities = spec.get("entities")
        if not isinstance(entities, list) or not entities:
            raise policy_error(path, f"{key}.entities", "must be a non-empty list of entity names")
        missing = [str(e) for e in entities if e not in entity_levels]
        if missing:
            raise policy_error(path, f"{key}.entities", f"not in entity_levels: {', '.join(missing)}")
        days = spec.get("days")
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise policy_error(path, f"{key}.days", f"must be a whole number of days (0 or more); got {days!r}")
        after = spec.get("after", "subject_deleted")
        if after not in RETENTION_EVENTS:
            raise policy_error(path, f"{key}.after", f"must be one of {', '.join(RETENTION_EVENTS)}; got {after!r}")
        action = spec.get("action", "anonymise")
        if action not in RETENTION_ACTIONS:
            raise policy_error(path, f"{key}.action",
                               f"must be one of {', '.join(RETENTION_ACTIONS)}; got {action!r}")
        source, columns, created_column = _retention_scope(spec, key, path)
        rules[str(name)] = RetentionRule(str(name), frozenset(entities), days, after, action,
                                         " ".join(str(spec.get("description", "")).split()),
                                         source, columns, created_column)
    return rules


def _retention_scope(spec: dict[str, Any], key: str, path: Path) -> tuple[str | None, tuple[str, ...], str]:
    """A rule's optional scope: `source` (`source_name.table`), `columns` (names), `created_column`."""
    source = spec.get("source")
    if source is not None and (not isinstance(source, str) or source.count(".") != 1):
        raise policy_error(path, f"{key}.source", f"must be a source table as source_name.table; got {source!r}")
    columns = spec.get("columns", [])
    if not isinstance(columns, list) or not all(isinstance(c, str) and c for c in columns):
        raise policy_error(path, f"{key}.columns", "must be a list of column names")
    created_column = spec.get("created_column", "created_at")
    if not isinstance(created_column, str) or not created_column:
        raise policy_error(path, f"{key}.created_column", f"must be a column name; got {created_column!r}")
    return source, tuple(c.lower() for c in columns), created_column.lower()
