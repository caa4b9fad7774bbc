"""The `erasure` section of the policy: data subjects, where their key lives in the raw layer, the register
of erased subjects, and Snowflake Time Travel per schema.

    erasure:
      register: {schema: governance, table: erased_subjects}
      time_travel_days: {default: 1, snapshots: 1}
      subjects:
        customer:
          key: shop.customers__ct.id                      # the source column that identifies the subject
          references:                                     # source columns that hold the key elsewhere
            - {column: shop.orders__ct.customer_id}
            - {column: shop.payments__ct.order_id, via: shop.orders__ct.id}   # rows of the subject's orders
            - {column: support.tickets.payload, json_path: customer_id}       # a field of a JSON document
          deletion: {model: stg_shop__customers, flag: is_deleted, at: _cdc_changed_at}

Where the key goes downstream (staging, marts, snapshots) is not listed: column lineage follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.policy.location import POLICY_KEY, policy_error

ERASURE_KEY = f"{POLICY_KEY}.erasure"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Snowflake: Time Travel of a permanent table is 0-90 days (Enterprise edition; 0-1 on Standard)
MAX_TIME_TRAVEL_DAYS = 90


@dataclass(frozen=True)
class SourceColumn:
    """`source_name.table.column` of a dbt source."""

    source: str
    table: str
    column: str

    @property
    def table_key(self) -> str:
        return f"{self.source}.{self.table}"

    def __str__(self) -> str:
        return f"{self.source}.{self.table}.{self.column}"


@dataclass(frozen=True)
class Reference:
    """A source column holding the subject's key (`via`: the key of another source's rows that are the
    subject's; `json_path`: a field of a JSON document column)."""

    column: SourceColumn
    via: SourceColumn | None = None
    json_path: str | None = None


@dataclass(frozen=True)
class Deletion:
    """Where the shop's deletion of a subject shows: the model, its deleted flag and the change time."""

    model: str
    flag: str
    at: str


@dataclass(frozen=True)
class Subject:
    name: str
    key: SourceColumn
    references: tuple[Reference, ...]
    deletion: Deletion | None = None

    @property
    def key_columns(self) -> list[Reference]:
        return [Reference(self.key), *self.references]


@dataclass(frozen=True)
class Erasure:
    register_schema: str = "governance"
    register_table: str = "erased_subjects"
    subjects: dict[str, Subject] = field(default_factory=dict)
    # schema name (or `default`) -> Snowflake DATA_RETENTION_TIME_IN_DAYS
    time_travel_days: dict[str, int] = field(default_factory=dict)

    def subject(self, name: str) -> Subject:
        if name not in self.subjects:
            from governance.errors import GovernanceError

            known = ", ".join(sorted(self.subjects)) or "none"
            raise GovernanceError(f"unknown data subject type {name!r} (vars.governance.erasure.subjects: {known})")
        return self.subjects[name]

    def time_travel_for(self, schema: str) -> int | None:
        return self.time_travel_days.get(schema.lower(), self.time_travel_days.get("default"))


def _source_column(value: Any, path: Path, key: str) -> SourceColumn:
    parts = value.split(".") if isinstance(value, str) else []
    if len(parts) != 3 or not all(_IDENTIFIER.match(p) for p in parts):
        raise policy_error(path, key, f"must be a source column as source_name.table.column; got {value!r}")
    return SourceColumn(*(p.lower() for p in parts))


def _identifier(value: Any, path: Path, key: str) -> str:
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        raise policy_error(path, key, f"must be an identifier; got {value!r}")
    return value.lower()


def _reference(spec: Any, path: Path, key: str) -> Reference:
    if not isinstance(spec, dict) or "column" not in spec:
        raise policy_error(path, key, "must be a mapping with `column` (and optional via, json_path)")
    unknown = sorted(str(k) for k in set(spec) - {"column", "via", "json_path"})
    if unknown:
        raise policy_error(path, f"{key}.{unknown[0]}", "unknown key (known: column, json_path, via)")
    via = _source_column(spec["via"], path, f"{key}.via") if spec.get("via") is not None else None
    json_path = spec.get("json_path")
    if json_path is not None and (not isinstance(json_path, str)
                                  or not all(_IDENTIFIER.match(p) for p in json_path.split("."))):
        raise policy_error(path, f"{key}.json_path", f"must be a dotted path of field names; got {json_path!r}")
    return Reference(_source_column(spec["column"], path, f"{key}.column"), via, json_path)


def _subject(name: str, spec: Any, path: Path) -> Subject:
    key = f"{ERASURE_KEY}.subjects.{name}"
    if not isinstance(spec, dict):
        raise policy_error(path, key, "must be a mapping with key, references, deletion")
    unknown = sorted(str(k) for k in set(spec) - {"key", "references", "deletion"})
    if unknown:
        raise policy_error(path, f"{key}.{unknown[0]}", "unknown key (known: deletion, key, references)")
    references = spec.get("references") or []
    if not isinstance(references, list):
        raise policy_error(path, f"{key}.references", "must be a list of {column, via, json_path}")
    deletion = spec.get("deletion")
    parsed_deletion = None
    if deletion is not None:
        if not isinstance(deletion, dict) or set(deletion) != {"model", "flag", "at"}:
            raise policy_error(path, f"{key}.deletion", "must be a mapping with model, flag and at")
        parsed_deletion = Deletion(*(_identifier(deletion[k], path, f"{key}.deletion.{k}") for k in ("model", "flag", "at")))
    return Subject(name, _source_column(spec.get("key"), path, f"{key}.key"),
                   tuple(_reference(r, path, f"{key}.references[{i}]") for i, r in enumerate(references)),
                   parsed_deletion)


def parse_erasure(raw: Any, path: Path) -> Erasure:
    """`erasure`: register (schema, table), time_travel_days (schema -> days), subjects."""
    if raw is None:
        return Erasure()
    if not isinstance(raw, dict):
        raise policy_error(path, ERASURE_KEY, "must be a mapping with register, time_travel_days, subjects")
    unknown = sorted(str(k) for k in set(raw) - {"register", "time_travel_days", "subjects"})
    if unknown:
        raise policy_error(path, f"{ERASURE_KEY}.{unknown[0]}",
                           "unknown key (known: register, subjects, time_travel_days)")
    register = raw.get("register") or {}
    if not isinstance(register, dict) or set(register) - {"schema", "table"}:
        raise policy_error(path, f"{ERASURE_KEY}.register", "must be a mapping with schema and table")
    schema = _identifier(register.get("schema", "governance"), path, f"{ERASURE_KEY}.register.schema")
    table = _identifier(register.get("table", "erased_subjects"), path, f"{ERASURE_KEY}.register.table")
    days = raw.get("time_travel_days") or {}
    if not isinstance(days, dict):
        raise policy_error(path, f"{ERASURE_KEY}.time_travel_days", "must be a mapping of schema to days")
    for name, value in days.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TIME_TRAVEL_DAYS:
            raise policy_error(path, f"{ERASURE_KEY}.time_travel_days.{name}",
                               f"must be a whole number of days from 0 to {MAX_TIME_TRAVEL_DAYS}; got {value!r}")
    subjects = raw.get("subjects") or {}
    if not isinstance(subjects, dict):
        raise policy_error(path, f"{ERASURE_KEY}.subjects", "must be a mapping of subject type to subject")
    return Erasure(schema, table, {str(n): _subject(str(n), s, path) for n, s in subjects.items()},
                   {str(k).lower(): int(v) for k, v in days.items()})
