"""Lineage of a project, end to end: its compiled manifest, column lineage, classifications carried."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from governance.errors import ProjectError
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
    live_columns: bool = False,
) -> PropagationResult:
    """Compile the project (or reuse a cached compile of the same inputs, or read `manifest`),
    compute column lineage and carry classifications along it. Writes nothing.

    `catalog` / `database` name a dbt catalog.json / a DuckDB file whose columns help expand
    `select *` over undocumented relations; with `live_columns` and neither given, the target's own
    DuckDB file is read when it exists (then a source column the YAML does not declare is seen, and
    `check` fails on it reaching a model). `progress(total, node)` is called with node None first."""
    policy = policy or load_policy(project)
    extra: dict[Relation, list[str]] = {}
    if catalog:
        extra.update(columns_from_catalog(catalog))
    if database is None and catalog is None and live_columns and manifest is None:
        database = project.manifests.local_warehouse()
        if database is not None:
            try:
                live = columns_from_duckdb(database)
            except ProjectError:  # locked by a running dbt: not reachable now
                live = {}
            for relation, columns in live.items():
                extra.setdefault(relation, columns)
            database = None
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
