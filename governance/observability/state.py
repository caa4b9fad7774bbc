"""Governance state for the exporter, computed by the governance package's own functions.

Nothing here re-implements a rule: roles drift is `governance roles --check`'s computation (generate
the spec from the policy and the manifest, compare with roles.yml, run the least-privilege checks);
unmasked columns are `governance protected`'s rows whose status is not `applied`/`expected`.
These imports are the one place that knows where those functions live.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from governance.policy import load_policy
from governance.project import DbtProject, column_meta, load_manifest, project_nodes

RESOURCE_TYPES = ("model", "seed", "snapshot", "source")


@dataclass(frozen=True)
class RolesState:
    drift: bool
    findings: int


def roles_state(project_dir: Path, manifest: Path) -> RolesState:
    """What `governance roles --check` computes, without `dbt parse`: the given manifest is used."""
    from governance.roles.checks import check_spec
    from governance.roles.spec import generate, read_manifest

    policy = load_policy(project_dir)
    generated = generate(policy, read_manifest(load_manifest(manifest), manifest, policy))
    output = project_dir / "roles.yml"
    current = output.read_text(encoding="utf-8") if output.is_file() else None
    required = {fqn: g.required for fqn, g in generated.schemas.items() if g.required}
    sources = {fqn for fqn, g in generated.schemas.items() if g.kind == "source"}
    findings = check_spec(yaml.safe_load(generated.text), policy, required, sources)
    return RolesState(current != generated.text, len(findings))


def protected_statuses(project_dir: Path, manifest: Path, target_type: str, database: Path | None) -> list[str]:
    """The status of every protected (level 3-4) column, as `governance protected` reports it."""
    from governance.masking.protected import duckdb_rows, snowflake_rows
    from governance.project.profiles import load_target
    from governance.project.warehouse import connect

    policy = load_policy(project_dir)
    data = load_manifest(manifest)
    if target_type == "duckdb":
        if database is None:
            raise ValueError("a DuckDB target needs its database file")
        rows = duckdb_rows(data, policy, database)
    else:
        with connect(load_target(DbtProject.locate(project_dir))) as connection:
            rows = snowflake_rows(data, policy, connection)
    return [str(row["status"]) for row in rows]


def unmasked(statuses: list[str]) -> int:
    return sum(1 for status in statuses if status not in ("applied", "expected"))


def classification_coverage(manifest: dict[str, Any],
                            warehouse_columns: dict[tuple[str, str], set[str]] | None) -> dict[tuple[str, str], int]:
    """Columns per (resource type, level): level "0" is unclassified. Relations are the project's
    models, seeds, snapshots and sources; their columns are the warehouse's (`warehouse_columns`,
    keyed by lower-case (schema, relation)) when known, so an undocumented column counts as
    unclassified, else the documented ones."""
    counts: dict[tuple[str, str], int] = {}
    for node in project_nodes(manifest, RESOURCE_TYPES):
        kind = node["resource_type"]
        if (node.get("config") or {}).get("materialized") == "ephemeral":
            continue
        relation = str(node.get("identifier") if kind == "source" else node.get("alias") or node["name"])
        levels: dict[str, str] = {}
        for name, column in (node.get("columns") or {}).items():
            level = column_meta(column).get("classification")
            levels[name.lower()] = str(level) if isinstance(level, int) and not isinstance(level, bool) else "0"
        names = set(levels)
        if warehouse_columns is not None:
            names = warehouse_columns.get((str(node["schema"]).lower(), relation.lower()), names)
        for name in names:
            key = (kind, levels.get(name, "0"))
            counts[key] = counts.get(key, 0) + 1
    return counts
