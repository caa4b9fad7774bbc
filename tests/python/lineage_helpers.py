"""Helpers for the column lineage tests (not fixtures)."""

from __future__ import annotations

import shutil
from pathlib import Path

from governance.lineage import LineageGraph, PropagationResult, build_lineage, propagate
from governance.policy import load_policy
from governance.project import DbtProject, load_manifest

FIXTURE_PROJECT = Path(__file__).parent / "fixtures" / "lineage_project"


def upstream(graph: LineageGraph, node: str, column: str) -> dict[str, set[str]]:
    """Direct upstream columns of NODE.COLUMN as {"upstream.column": {step kinds on the path}}."""
    key = (graph.find(node).unique_id, column)
    assert key in {(graph.find(node).unique_id, c) for c in graph.find(node).columns}, (
        f"{node}.{column} unknown"
    )
    out: dict[str, set[str]] = {}
    for edge in graph.upstream(key):
        name = f"{graph.nodes[edge.source[0]].display}.{edge.source[1]}"
        out.setdefault(name, set()).update(step.kind for step in edge.steps)
    return out


def root_sources(graph: LineageGraph, node: str, column: str) -> set[str]:
    """The source/seed columns NODE.COLUMN is derived from, through any number of models."""
    found: set[str] = set()
    stack = [(graph.find(node).unique_id, column)]
    seen = set()
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        node_obj = graph.nodes[key[0]]
        if node_obj.resource_type in ("source", "seed"):
            found.add(f"{node_obj.display}.{key[1]}")
        stack.extend(edge.source for edge in graph.upstream(key))
    return found


def copy_fixture(destination: Path) -> Path:
    shutil.copytree(
        FIXTURE_PROJECT, destination, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb*")
    )
    return destination


def propagated(project_dir: Path, manifest: Path | dict | LineageGraph) -> PropagationResult:
    """Lineage classifications of a project directory for a manifest (path or data) or a built graph."""
    project = DbtProject.locate(project_dir)
    if not isinstance(manifest, LineageGraph):
        manifest = build_lineage(load_manifest(manifest) if isinstance(manifest, Path) else manifest)
    return propagate(project, manifest, load_policy(project))
