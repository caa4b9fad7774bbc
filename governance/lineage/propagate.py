"""Classification propagation along column lineage.

A model (or snapshot) column gets the highest classification and the union of the PII entities of
the columns it is derived from (see :mod:`governance.lineage.graph`). A transformation kind listed in
the policy's ``lineage_rules`` caps the level of what flows through it (and may drop the entities);
every other transformation keeps both. Columns are visited in topological order, so a model reads
the classifications already derived for its upstream models.

Where classifications come from:
- sources and seeds: their YAML ``config: meta:`` (written by the scan, or by hand): ``classification``,
  or else the highest entity level of ``pii``;
- model and snapshot columns: lineage, unless a human classified the column (manual wins; it is
  reported when lower than lineage says, and downstream columns inherit the manual value).

Usage (the API the CLI and the tests use)::

    graph = build_lineage(project.manifests.get("compile"))
    result = propagate(project, graph, policy)   # compute, read the YAML, nothing written
    report = write_back(result, dry_run=False)   # governance.lineage.writeback
    findings = check(result)                     # governance.lineage.check
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.lineage.graph import ROOT_NODE_TYPES, ColumnEdge, ColumnKey, LineageGraph
from governance.policy import Classification, LineageRule, Policy
from governance.policy.meta import declared_classification
from governance.project import DbtProject, column_meta
from governance.project.properties import PropertyIndex
from governance.project.yaml_io import MARKER_KEY, is_manual

MARKER = "lineage"
OWNED_KEYS = ("classification", "pii")


@dataclass(frozen=True)
class Contribution:
    """What one upstream edge brings to a column."""

    edge: ColumnEdge
    upstream: Classification | None
    result: Classification | None
    rules: tuple[LineageRule, ...]  # rules on the path that lowered the level or dropped entities


@dataclass
class ColumnState:
    """One column of a model/snapshot (derived) or of a source/seed (root)."""

    key: ColumnKey
    meta: dict[str, Any]  # its YAML config.meta (empty when not documented)
    documented: bool = False  # listed in the node's property YAML
    lineage: Classification | None = None  # what lineage says (derived columns only)
    contributions: list[Contribution] = field(default_factory=list)
    declared: Classification | None = None  # what the YAML says
    meta_error: str | None = None
    derived: bool = True  # False for sources and seeds, and for models whose SQL was not analysed

    @property
    def manual(self) -> bool:
        return is_manual(self.meta)

    @property
    def marker(self) -> str | None:
        return self.meta.get(MARKER_KEY)

    @property
    def effective(self) -> Classification | None:
        """What downstream columns inherit: the manual classification if a human set one, else lineage
        (roots: their declared classification)."""
        if not self.derived or self.manual:
            return self.declared
        return self.lineage

    @property
    def upstream_level(self) -> int | None:
        """The highest level of the data this column is derived from, before any lowering rule."""
        levels = [c.upstream.level for c in self.contributions if c.upstream is not None]
        return max(levels) if levels else None


@dataclass
class PropagationResult:
    project: DbtProject
    policy: Policy
    graph: LineageGraph
    columns: dict[ColumnKey, ColumnState]
    skipped_nodes: set[str]  # models whose SQL could not be analysed: their YAML is left as is

    def column(self, key: ColumnKey) -> ColumnState:
        return self.columns[key]

    def derived_columns(self) -> list[ColumnState]:
        return [
            state
            for (uid, _), state in self.columns.items()
            if self.graph.nodes[uid].resource_type not in ROOT_NODE_TYPES
        ]


    @property
    def project_dir(self) -> Path:
        return self.project.root

    @property
    def rules(self) -> dict[str, LineageRule]:
        return self.policy.lineage_rules


def _apply(
    rules: dict[str, LineageRule], upstream: Classification, edge: ColumnEdge
) -> tuple[Classification, tuple[LineageRule, ...]]:
    level, pii = upstream.level, upstream.pii
    applied: list[LineageRule] = []
    for step in edge.steps:
        rule = rules.get(step.kind)
        if rule is None or not rule.applies(Classification(level, pii)):
            continue
        if rule.level < level or (rule.drop_pii and pii):
            applied.append(rule)
        level = min(level, rule.level)
        if rule.drop_pii:
            pii = ()
    return Classification(level, pii), tuple(dict.fromkeys(applied))


def _combine(results: list[Classification]) -> Classification | None:
    if not results:
        return None
    entities = sorted({e for r in results for e in r.pii})
    return Classification(max(r.level for r in results), tuple(entities))


def propagate(project: DbtProject, graph: LineageGraph, policy: Policy,
              properties: PropertyIndex | None = None) -> PropagationResult:
    """Compute lineage classifications for every model and snapshot column. Writes nothing."""
    properties = properties or project.properties
    rules = policy.lineage_rules
    failed = {p.unique_id for p in graph.problems if p.severity == "error"}
    columns: dict[ColumnKey, ColumnState] = {}
    for uid in graph.order:
        node = graph.nodes[uid]
        entry, node.yaml_path = properties.node_entry(node.resource_type, node.name, node.yaml_path, node.file_path,
                                                      node.source_name)
        metas: dict[str, dict[str, Any]] = {}
        for column in (entry.get("columns") or []) if isinstance(entry, dict) else []:
            if isinstance(column, dict):
                metas[str(column.get("name", "")).lower()] = column_meta(column)
        for name in dict.fromkeys([*node.columns, *metas]):
            meta = metas.get(name, {})
            declared, error = declared_classification(meta, policy, f"{node.yaml_path}: {node.display}.{name}")
            derived = node.resource_type not in ROOT_NODE_TYPES and uid not in failed
            state = ColumnState((uid, name), meta, name in metas, declared=declared, meta_error=error, derived=derived)
            columns[(uid, name)] = state
            if not derived:
                continue
            for edge in graph.upstream((uid, name)):
                upstream_state = columns.get(edge.source)
                upstream = upstream_state.effective if upstream_state else None
                if upstream is None:
                    state.contributions.append(Contribution(edge, None, None, ()))
                    continue
                result, applied = _apply(rules, upstream, edge)
                state.contributions.append(Contribution(edge, upstream, result, applied))
            state.lineage = _combine([c.result for c in state.contributions if c.result is not None])
    return PropagationResult(project, policy, graph, columns, failed)
