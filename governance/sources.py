"""Find the dbt source tables declared in the project's property YAML files."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from governance.connection import _jinja, render
from governance.dbt_yaml import YamlFile, YamlFileError
from governance.errors import ProjectError
from governance.scan import TableRef


@dataclass(frozen=True)
class DeclaredTable:
    ref: TableRef
    yaml_path: Path


def model_paths(project_dir: Path) -> list[Path]:
    path = project_dir / "dbt_project.yml"
    try:
        project = YAML(typ="safe").load(path.read_text()) or {}
    except (OSError, YAMLError) as exc:
        raise ProjectError(f"{path}: cannot read the dbt project: {exc}") from exc
    return [project_dir / p for p in project.get("model-paths", ["models"])]


def declared_tables(project_dir: Path, default_database: str) -> tuple[list[DeclaredTable], list[str]]:
    """Every source table in the project's YAML, and an error message per unreadable file."""
    tables: list[DeclaredTable] = []
    errors: list[str] = []
    jinja = _jinja()
    for root in model_paths(project_dir):
        for path in sorted([*root.rglob("*.yml"), *root.rglob("*.yaml")]):
            text = path.read_text(encoding="utf-8", errors="replace")
            if "sources:" not in text:
                continue
            try:
                document = YamlFile.load(path).data
            except YamlFileError as exc:
                errors.append(str(exc))
                continue
            for source in (document.get("sources") or []) if hasattr(document, "get") else []:
                source_name = str(source.get("name"))
                database = str(render(source.get("database") or default_database, jinja))
                schema = str(render(source.get("schema") or source_name, jinja))
                for table in source.get("tables") or []:
                    name = str(table.get("name"))
                    identifier = str(render(table.get("identifier") or name, jinja))
                    tables.append(
                        DeclaredTable(TableRef(database, schema, identifier, source_name, name), path)
                    )
    return tables, errors


def select(tables: list[DeclaredTable], patterns: list[str]) -> list[DeclaredTable]:
    """Tables matching any pattern: `source`, `source.table`, globs (`shop.*`, `*__ct`)."""
    if not patterns:
        return tables
    chosen = []
    for table in tables:
        name = f"{table.ref.source}.{table.ref.table}"
        if any(
            fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(str(table.ref.source), p) for p in patterns
        ):
            chosen.append(table)
    unmatched = [
        p
        for p in patterns
        if not any(
            fnmatch.fnmatchcase(f"{t.ref.source}.{t.ref.table}", p)
            or fnmatch.fnmatchcase(str(t.ref.source), p)
            for t in tables
        )
    ]
    if unmatched:
        known = ", ".join(sorted({str(t.ref.source) for t in tables}))
        raise ProjectError(
            f"--select {', '.join(unmatched)}: no declared source table matches (sources: {known})"
        )
    return chosen
