"""Lineage of a project, end to end: its compiled manifest, column lineage, classifications carried."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from governance.lineage.graph import Node, Relation, build_lineage, columns_from_duckdb
from governance.lineage.propagate import PropagationResult, propagate
from governance.policy import Policy, load_policy
from governance.project import DbtProject
from governance.project.manifest import columns_from_catalog


def analyse(
    project: DbtProject,
    policy: Policy | None = None,
    manifest: Path | None = None,
    catalog: Path | None = None,
    database: Path | None = None,
    on_compile: Callable[[], None] | None = None,
    progress: Callable[[int, Node | None], None] | None = None,
) -> PropagationResult:
    """Compile the project (or reuse a cached compile of the same inputs, or read `manifest`),
    compute column lineage and carry classifications along it. Writes nothing.

    `catalog` / `database` name a dbt catalog.json / a DuckDB file whose columns help expand
    `select *` over undocumented relations. `progress(total, node)` is called with node None first."""
    policy = policy or load_policy(project)
    extra: dict[Relation, list[str]] = {}
    if catalog:
        extra.update(columns_from_catalog(catalog))
    if database:
        for relation, columns in columns_from_duckdb(database).items():
            extra.setdefault(relation, columns)
    if manifest is None and on_compile is not None:
        on_compile()
    data = project.manifests.get("compile", manifest)
    total = sum(1 for n in data.get("nodes", {}).values() if n.get("resource_type") in ("model", "snapshot"))
    if progress:
        progress(total, None)
    graph = build_lineage(data, extra, (lambda node: progress(total, node)) if progress else None)
    return propagate(project, graph, policy)
