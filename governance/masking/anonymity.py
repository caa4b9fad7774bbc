"""Re-identification risk of what an uncleared role reads (k-anonymity), measured on the warehouse.

Masking hides each classified value, but what is left (a birth year, an email domain, the last digits of a
phone, a postal code, a country) can still single a person out when read together. For every role that is
not cleared for the lowest masked level, and every relation that role reads, this module finds the
*quasi-identifiers* the role sees and measures, on the protected view the role reads, the share of rows
that are unique on them (k = 1). The policy's `reidentification.max_unique_share` is the most allowed.

A column is a quasi-identifier for a role when
  - its meta lists PII entities (it describes a person) or says `quasi_identifier: true` (not personal on
    its own, but outsiders know it about a person: a country of residence), and
  - the role sees something of its value: in clear (its level is not masked, or the role is cleared) or
    through a mask that keeps part of it (`REVEALING_MASKS`).
Masks that keep nothing an outsider knows do not count: a constant (redact, nullify, zero) and the keyed
hash, a pseudonym no one can compute without the key (held in the masking administrator's vault).

A relation that holds a subject's key in clear (`reidentification.subjects`, e.g. `customer_id`) is
measured joined to the subject's dimension, as a reader can join them: a subject is singled out when one
of their rows is unique on the relation's quasi-identifiers together with the dimension's. The share is
then over subjects.

Fails closed: a relation the role reads with a quasi-identifier whose protected view is missing cannot be
measured and is reported as a problem. Only counts are read; no value leaves the warehouse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from governance.masking.keyed_hash import register
from governance.masking.protected import built_column_types, built_views, open_built_warehouse
from governance.masking.rules import classified_nodes
from governance.policy import Policy
from governance.policy.masking import category_for, type_family
from governance.policy.meta import declared_classification
from governance.project import column_meta

# masks that keep part of a value an outsider may know (the domain of an email, the last digits, the year)
REVEALING_MASKS = frozenset({"keep_domain", "keep_last_4", "truncate_to_year"})


@dataclass(frozen=True)
class QuasiIdentifier:
    column: str
    seen_as: str  # "clear", or the revealing mask the role sees it through


@dataclass(frozen=True)
class Measurement:
    """One relation as one role reads it: what to group on, and the subject join if any."""

    role: str
    schema: str
    relation: str
    quasi_identifiers: tuple[QuasiIdentifier, ...]
    subject: str | None = None  # the subject whose dimension the relation is joined to
    key: str | None = None
    dimension: tuple[str, str] | None = None  # (schema, relation) of the subject's dimension
    dimension_quasi_identifiers: tuple[QuasiIdentifier, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.relation}"


@dataclass(frozen=True)
class Risk:
    role: str
    relation: str
    quasi_identifiers: tuple[str, ...]
    joined_to: str | None
    population: int  # rows, or subjects when joined
    unique: int
    smallest_group: int | None
    max_unique_share: float
    status: str  # "ok", "too identifying", or why it could not be measured

    @property
    def unique_share(self) -> float:
        return self.unique / self.population if self.population else 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["quasi_identifiers"] = list(self.quasi_identifiers)
        data["unique_share"] = round(self.unique_share, 6)
        return data


def uncleared_roles(policy: Policy) -> list[str]:
    """Functional roles that see every masked level masked: the roles masking is meant to anonymise for."""
    lowest = min(policy.masked_levels) if policy.masked_levels else None
    if lowest is None:
        return []
    return sorted(name for name, role in policy.roles.items()
                  if role.kind == "functional" and not policy.is_cleared(name, lowest))


def read_schemas(policy: Policy, role: str) -> set[str]:
    """The schemas a role reads by the policy (the default role, without grants, reads everything)."""
    if policy.grants is None:
        return {"*"}
    return {s.lower() for s in policy.grants.for_role(role).read}


def seen_as(meta: dict[str, Any], data_type: str | None, policy: Policy, role: str, where: str) -> str:
    """How `role` sees a column: "clear", or the mask it reads it through."""
    declared, _ = declared_classification(meta, policy, where)
    if meta.get("classification") is None and not meta.get("pii"):
        return "clear"
    level = declared.level if declared else policy.fail_closed_level
    if level not in policy.masked_levels or policy.is_cleared(role, level):
        return "clear"
    if not data_type:
        return "redact"  # unknown type: the protected view fails closed to a full mask
    return policy.masking.mask_for(level, category_for(meta, type_family(data_type), policy))


def quasi_identifiers(node: dict[str, Any], policy: Policy, role: str,
                      types: dict[tuple[str, str, str], str]) -> tuple[QuasiIdentifier, ...]:
    relation = (node.get("alias") or node["name"]).lower()
    found = []
    for name, column in sorted((node.get("columns") or {}).items()):
        meta = column_meta(column)
        if not (meta.get("pii") or meta.get("quasi_identifier") is True):
            continue
        data_type = types.get((node["schema"].lower(), relation, name.lower()), column.get("data_type"))
        seen = seen_as(meta, data_type, policy, role, f"{node['unique_id']}.{name}")
        if seen == "clear" or seen in REVEALING_MASKS:
            found.append(QuasiIdentifier(name, seen))
    return tuple(found)


def plan(manifest: dict[str, Any], policy: Policy, roles: Iterable[str],
         types: dict[tuple[str, str, str], str] | None = None) -> list[Measurement]:
    """What to measure for each role: every relation it reads that shows it a quasi-identifier."""
    types = types or {}
    nodes = classified_nodes(manifest)
    by_relation = {(n.get("alias") or n["name"]).lower(): n for n in nodes}
    settings = policy.reidentification
    measurements = []
    for role in roles:
        schemas = read_schemas(policy, role)
        for node in nodes:
            if "*" not in schemas and node["schema"].lower() not in schemas:
                continue
            relation = (node.get("alias") or node["name"]).lower()
            own = quasi_identifiers(node, policy, role, types)
            columns = {c.lower(): column_meta(v) for c, v in (node.get("columns") or {}).items()}
            joined = None
            for column, meta in columns.items():
                dimension = settings.dimension_keyed_by(column)
                if dimension is None or dimension.relation.lower() == relation:
                    continue
                if seen_as(meta, types.get((node["schema"].lower(), relation, column)), policy, role,
                           f"{node['unique_id']}.{column}") == "clear" and dimension.relation.lower() in by_relation:
                    joined = dimension
                    break
            if joined is None:
                if own:
                    measurements.append(Measurement(role, node["schema"], relation, own))
                continue
            dimension_node = by_relation[joined.relation.lower()]
            theirs = quasi_identifiers(dimension_node, policy, role, types)
            if own or theirs:
                measurements.append(Measurement(
                    role, node["schema"], relation, own, joined.subject, joined.key,
                    (dimension_node["schema"], joined.relation.lower()), theirs))
    return measurements


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def measure_sql(measurement: Measurement, protected: str) -> str:
    """Counts only: (population, unique, smallest group) of a measurement; `protected` names the view."""
    view = f"{_quote(measurement.schema + protected)}.{_quote(measurement.relation)}"
    own = [_quote(q.column) for q in measurement.quasi_identifiers]
    if measurement.key is None or measurement.dimension is None:
        group = ", ".join(own)
        return (f"select count(*), count(*) filter (where n = 1), min(n) from "
                f"(select count(*) over (partition by {group}) as n from {view}) as groups")
    key = _quote(measurement.key)
    dimension = f"{_quote(measurement.dimension[0] + protected)}.{_quote(measurement.dimension[1])}"
    theirs = [f"d.{_quote(q.column)}" for q in measurement.dimension_quasi_identifiers]
    # a group is the subjects sharing one combination: a subject with many rows is still alone in it
    combination = "row(" + ", ".join([f"r.{c}" for c in own] + theirs) + ")"
    return (f"with joined as (select r.{key} as subject, {combination} as combination "
            f"from {view} as r left join {dimension} as d on r.{key} = d.{key}), "
            "groups as (select combination, count(distinct subject) as n from joined group by combination) "
            "select count(distinct subject), count(distinct subject) filter (where n = 1), min(n) "
            "from joined join groups on joined.combination is not distinct from groups.combination")


def measure(connection: Any, measurement: Measurement, max_share: float, protected: str = "_protected") -> Risk:
    names = tuple(f"{q.column} ({q.seen_as})" for q in measurement.quasi_identifiers)
    if measurement.dimension is not None:
        names += tuple(f"{measurement.dimension[1]}.{q.column} ({q.seen_as})"
                       for q in measurement.dimension_quasi_identifiers)
    joined = f"{measurement.dimension[0]}.{measurement.dimension[1]} on {measurement.key}" if measurement.dimension else None
    population, unique, smallest = connection.execute(measure_sql(measurement, protected)).fetchone()
    risk = Risk(measurement.role, measurement.name, names, joined, int(population or 0), int(unique or 0),
                int(smallest) if smallest is not None else None, max_share, "ok")
    if risk.unique_share > max_share:
        risk = replace(risk, status="too identifying")
    return risk


def duckdb_report(manifest: dict[str, Any], policy: Policy, database: Path,
                  roles: Iterable[str] | None = None) -> list[Risk]:
    """Measure every relation each uncleared role reads, on the protected views in `database`."""
    connection = open_built_warehouse(database)
    # the join-key masks name the keyed hash; it is registered without its key, so nothing here can hash
    register(connection, environ={})
    chosen = list(roles) if roles is not None else uncleared_roles(policy)
    risks = []
    with connection:
        types = built_column_types(connection)
        views = built_views(connection)
        for measurement in plan(manifest, policy, chosen, types):
            needed = [(measurement.schema.lower() + "_protected", measurement.relation)]
            if measurement.dimension is not None:
                needed.append((measurement.dimension[0].lower() + "_protected", measurement.dimension[1]))
            missing = [f"{s}.{r}" for s, r in needed if (s, r) not in views]
            if missing:
                risks.append(Risk(measurement.role, measurement.name,
                                  tuple(q.column for q in measurement.quasi_identifiers), None, 0, 0, None,
                                  policy.reidentification.max_unique_share,
                                  f"not measured: no protected view {', '.join(missing)}"))
                continue
            connection.execute("set variable governance_role = ?", [measurement.role])
            risks.append(measure(connection, measurement, policy.reidentification.max_unique_share))
    return risks
