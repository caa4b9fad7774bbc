"""Reading dbt's target/manifest.json (after a fast `dbt parse`, which needs no database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from governance.errors import GovernanceError
from governance.policy import find_project_dir


class ManifestError(GovernanceError):
    """The manifest cannot be produced or read; the message names the file."""


def default_target_path(project_dir: Path) -> Path:
    target = os.environ.get("DBT_TARGET_PATH")
    path = Path(target) if target else Path("target")
    return path if path.is_absolute() else project_dir / path


def parse_project(project_dir: Path, target_path: Path | None = None) -> Path:
    """Run `dbt parse` (no database needed; partial parsing keeps it fast) and return the manifest."""
    target_path = target_path or default_target_path(project_dir)
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt) if dbt.exists() else "dbt", "parse", "--quiet", "--target-path", str(target_path)]
    env = {**os.environ, "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(project_dir))}
    result = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise ManifestError(f"{project_dir / 'dbt_project.yml'}: `dbt parse` failed:\n{output[-4000:]}")
    return target_path / "manifest.json"


def load_manifest(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read the dbt manifest ({exc.strerror}); run `dbt parse`") from exc
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path}: not a valid dbt manifest ({exc})") from exc


def manifest_for(project_dir: Path | None, manifest: Path | None, parse: bool = True) -> tuple[Path, dict[str, Any]]:
    """The project's manifest: the given file, or a fresh `dbt parse` (unless parse is False)."""
    project = find_project_dir(project_dir)
    if manifest is None:
        manifest = parse_project(project) if parse else default_target_path(project) / "manifest.json"
    return project, load_manifest(manifest)


def project_nodes(manifest: dict[str, Any], resource_types: tuple[str, ...]) -> list[dict[str, Any]]:
    """The project's own nodes (and sources) of the given resource types, sorted by unique_id."""
    project = manifest.get("metadata", {}).get("project_name")
    pool = {**manifest.get("nodes", {}), **manifest.get("sources", {})}
    return sorted(
        (node for node in pool.values()
         if node.get("resource_type") in resource_types and (project is None or node.get("package_name") == project)),
        key=lambda node: node["unique_id"],
    )


def column_meta(column: dict[str, Any]) -> dict[str, Any]:
    """A manifest column's meta (dbt 1.10+ mirrors config.meta into meta; read both)."""
    return {**(column.get("meta") or {}), **((column.get("config") or {}).get("meta") or {})}
