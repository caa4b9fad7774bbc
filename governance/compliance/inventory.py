"""Where the data each regime covers lives, how it is protected and who reads it in clear.

Built on column lineage (governance.lineage): every column of every source, seed, model and snapshot
carrying a PII entity a regime covers is a *placement*, with its level, its protection (masking, the
PAN truncation, the keyed hash, grants), the roles that read it in clear and the retention rules of
its entities. Never reads a data value.

Who reads a column in clear: the roles the committed roles.yml lets reach its schema (reads, writes,
through `member_of`), and among them those the policy clears for its level (service roles see every
level). A raw (source) table is not masked: every role reaching it reads it in clear. Without a
roles.yml every role of the policy is assumed to reach every schema (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.lineage.graph import ROOT_NODE_TYPES, ColumnKey, Node
from governance.lineage.propagate import ColumnState, PropagationResult
from governance.policy import Policy
from governance.policy.masking import category_for, type_family

# transformations that protect a value itself (not only its display): what a placement's value went through
VALUE_PROTECTIONS = {"pan_truncation": "truncated (first 6, last 4)", "keyed_hash": "keyed hash"}


@dataclass(frozen=True)
class Placement:
    """One column holding entities a regime covers."""

    unique_id: str
    node: str  # display name (source.table for sources)
    resource_type: str
    layer: str  # raw for sources, else the schema dbt builds it in
    relation: str  # database.schema.name in production
    column: str
    level: int
    entities: tuple[str, ...]  # every PII entity of the column
    value_protections: tuple[str, ...]  # pan_truncation / keyed_hash on every path from the source
    mask: str | None  # the mask a role not cleared for `level` sees (None: not masked)
    clear_readers: tuple[str, ...]
    retention: dict[str, tuple[str, ...]]  # entity -> retention rule names
    purpose: str | None
    file: str | None = None
    line: int | None = None

    @property
    def subject(self) -> str:
        return f"{self.node}.{self.column}"

    @property
    def protection(self) -> list[str]:
        shown = [VALUE_PROTECTIONS[kind] for kind in self.value_protections]
        if self.mask:
            shown.append(f"masked ({self.mask}) below level {self.level}")
        if self.layer == "raw":
            shown.append("grants only (raw layer, not masked)")
        return shown or ["none"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "node": self.node, "resource_type": self.resource_type, "layer": self.layer, "relation": self.relation,
            "column": self.column, "level": self.level, "entities": list(self.entities),
            "protection": self.protection, "value_protections": list(self.value_protections), "mask": self.mask,
            "clear_readers": list(self.clear_readers),
            "retention": {entity: list(rules) for entity, rules in self.retention.items()},
            "purpose": self.purpose, "file": self.file, "line": self.line,
        }


class Inventory:
    """Every classified column of a project with what the compliance reports need about it."""

    def __init__(self, result: PropagationResult, roles_spec: dict[str, Any] | None):
        self.result = result
        self.policy: Policy = result.policy
        self.graph = result.graph
        self.roles_spec = roles_spec
        self._protections: dict[ColumnKey, frozenset[str]] = {}
        self._readers: dict[str, tuple[str, ...]] = {}

    # ------------------------------------------------------------------ what a column carries
    def classification(self, state: ColumnState) -> tuple[int, tuple[str, ...]] | None:
        """The column's level and entities: lineage's (or a human's) for models, the YAML's for roots."""
        effective = state.effective or state.lineage
        if effective is None:
            return None
        return effective.level, tuple(effective.pii)

    def value_protections(self, key: ColumnKey) -> frozenset[str]:
        """The protecting transformations (VALUE_PROTECTIONS) on every path by which the column's personal
        content reaches it. Fail closed: a root, a model lineage could not analyse, and a column no personal
        content reaches by lineage have none; one unprotected path (an unresolved part of a statement
        included) leaves the column unprotected."""
        if key in self._protections:
            return self._protections[key]
        self._protections[key] = frozenset()  # guards cycles (snapshots reading themselves)
        state = self.result.columns.get(key)
        found: frozenset[str] = frozenset()
        if state is not None and state.derived:
            carrying = [c for c in state.contributions if c.result is not None and c.result.pii]
            sets = [frozenset(s.kind for s in c.edge.steps if s.kind in VALUE_PROTECTIONS)
                    | self.value_protections(c.edge.source) for c in carrying]
            found = frozenset.intersection(*sets) if sets else frozenset()
        self._protections[key] = found
        return found

    # ------------------------------------------------------------------ where it lives, who reads it
    def relation_of(self, node: Node) -> tuple[str, str, str]:
        grants = self.policy.grants
        schema = node.relation[1] if node.relation else ""
        name = node.relation[2] if node.relation else node.name
        if node.resource_type == "source":
            database = grants.source_database if grants else (node.relation[0] if node.relation else "")
        else:
            database = grants.database if grants else (node.relation[0] if node.relation else "")
        return database, schema, name

    def readers(self, database: str, schema: str) -> tuple[str, ...]:
        """Roles (not clearance roles) that reach database.schema, from roles.yml."""
        from governance.roles.checks import roles_reaching

        fqn = f"{database}.{schema}".lower()
        if fqn not in self._readers:
            candidates = [r.name for r in self.policy.roles.values() if r.kind != "clearance"]
            if self.roles_spec is None:
                self._readers[fqn] = tuple(sorted(candidates))
            else:
                reaching = roles_reaching(self.roles_spec, fqn)
                self._readers[fqn] = tuple(sorted(r for r in candidates if r.lower() in reaching))
        return self._readers[fqn]

    def clear_readers(self, node: Node, level: int) -> tuple[str, ...]:
        database, schema, _ = self.relation_of(node)
        reaching = self.readers(database, schema)
        if node.resource_type == "source" or level not in self.policy.masked_levels:
            return reaching
        return tuple(r for r in reaching if self.policy.is_cleared(r, level))

    def mask(self, node: Node, state: ColumnState, level: int, data_types: dict[ColumnKey, str | None]) -> str | None:
        if node.resource_type == "source" or level not in self.policy.masked_levels:
            return None
        data_type = data_types.get(state.key)
        family = type_family(data_type) if data_type else "text"
        return self.policy.masking.mask_for(level, category_for(state.meta, family, self.policy))

    def purpose(self, node: Node, state: ColumnState) -> str | None:
        for meta in (state.meta, node.config.get("meta") or {}):
            text = " ".join(str(meta.get("purpose") or "").split())
            if text:
                return text
        return None

    def layer(self, node: Node) -> str:
        return "raw" if node.resource_type == "source" else (node.relation[1] if node.relation else node.resource_type)

    # ------------------------------------------------------------------ every placement
    def placements(self, data_types: dict[ColumnKey, str | None] | None = None) -> list[Placement]:
        from governance.lineage.check import locate

        data_types = data_types or {}
        found: list[Placement] = []
        position = {uid: index for index, uid in enumerate(self.graph.order)}
        for key, state in sorted(self.result.columns.items(), key=lambda kv: (position.get(kv[0][0], 0), kv[0][1])):
            uid, column = key
            node = self.graph.nodes[uid]
            classified = self.classification(state)
            if classified is None or not classified[1]:
                continue
            level, entities = classified
            database, schema, name = self.relation_of(node)
            file, line = locate(self.result, node.display, column)
            found.append(Placement(
                unique_id=uid, node=node.display, resource_type=node.resource_type, layer=self.layer(node),
                relation=f"{database}.{schema}.{name}", column=column, level=level, entities=entities,
                value_protections=tuple(sorted(self.value_protections(key))) if node.resource_type not in
                ROOT_NODE_TYPES else (), mask=self.mask(node, state, level, data_types),
                clear_readers=self.clear_readers(node, level),
                retention={e: tuple(r.name for r in self.policy.retention_rules_for(e)) for e in entities},
                purpose=self.purpose(node, state), file=file, line=line))
        return found


def load_roles_spec(project_dir: Path) -> dict[str, Any] | None:
    """The committed roles.yml (None when there is none)."""
    from governance.project.dbt_project import read_yaml

    path = project_dir / "roles.yml"
    return (read_yaml(path) or {}) if path.is_file() else None


def data_types_of(manifest: dict[str, Any]) -> dict[ColumnKey, str | None]:
    """Column data types the YAML declares (the masking category of a column depends on it)."""
    types: dict[ColumnKey, str | None] = {}
    for uid, node in {**manifest.get("nodes", {}), **manifest.get("sources", {})}.items():
        for name, column in (node.get("columns") or {}).items():
            types[(uid, str(name).lower())] = column.get("data_type")
    return types
