"""The project's property YAML (sources, models, snapshots, seeds, exposures): one index, read once.

Reading is plain and fast (libyaml); a file the caller wants to change is loaded round-trip through
`governance.project.yaml_io.YamlFile`, which keeps comments and writes atomically. Errors name the
file and line; an unreadable file is never written.

`column_meta` (governance.project.meta) is the one reading of a column's meta.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from governance.project.dbt_project import parse_yaml
from governance.project.yaml_io import YamlFile, YamlFileError

if TYPE_CHECKING:
    from governance.project.dbt_project import DbtProject

NODE_KEYS = {"model": "models", "snapshot": "snapshots", "seed": "seeds"}


@dataclass
class PlainFile:
    """A property file read for lookups only."""

    path: Path
    data: Any


def load_plain(path: Path) -> PlainFile:
    """Read-only load with libyaml (C) when available; errors name the file and line."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return PlainFile(path, parse_yaml(path, lambda text: yaml.load(text, Loader=loader), YamlFileError,
                                      "; file left untouched"))


@dataclass(frozen=True)
class SourceTable:
    """A source table declared in property YAML, with its names rendered as dbt renders them."""

    source: str
    table: str
    database: str | None
    schema: str
    identifier: str
    yaml_path: Path
    tags: tuple[str, ...] = ()


def entry_in(data: Any, resource_type: str, name: str, source_name: str | None = None) -> Any:
    """The entry of a node in one property document: a source table, or a model/snapshot/seed."""
    if not isinstance(data, dict):
        return None
    if resource_type == "source":
        for source in data.get("sources") or []:
            if isinstance(source, dict) and source.get("name") == source_name:
                for table in source.get("tables") or []:
                    if isinstance(table, dict) and table.get("name") == name:
                        return table
        return None
    for key in NODE_KEYS.values():
        for entry in data.get(key) or []:
            if isinstance(entry, dict) and entry.get("name") == name:
                return entry
    return None


class PropertyIndex:
    """Property files of a project by path relative to it: plain (fast, read-only) or round-trip."""

    def __init__(self, project: DbtProject, round_trip: bool = False):
        self.project = project
        self.root = project.root
        self.round_trip = round_trip
        self.files: dict[str, Any] = {}

    def editable(self) -> PropertyIndex:
        """A fresh index that loads files round-trip, for a writer."""
        return PropertyIndex(self.project, round_trip=True)

    def get(self, relative: str | None) -> Any:
        """The file at `relative` (PlainFile or YamlFile), or None when there is none."""
        if not relative:
            return None
        if relative not in self.files:
            path = self.root / relative
            if not path.is_file():
                return None
            self.files[relative] = YamlFile.load(path) if self.round_trip else load_plain(path)
        return self.files[relative]

    def yaml_files(self) -> Iterator[Path]:
        """Every property file under the model, seed and snapshot paths."""
        for key in ("model-paths", "seed-paths", "snapshot-paths"):
            for root in self.project.paths(key):
                if root.is_dir():
                    yield from sorted(p for p in root.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())

    def documents(self, errors: list[str] | None = None) -> Iterator[tuple[Path, Any]]:
        """(path, data) of every property file; unreadable files go to `errors` (or raise)."""
        for path in self.yaml_files():
            try:
                document = self.get(str(path.relative_to(self.root)))
            except YamlFileError as exc:
                if errors is None:
                    raise
                errors.append(str(exc))
                continue
            yield path, document.data

    def source_tables(self, default_database: str | None, errors: list[str] | None = None) -> list[SourceTable]:
        """Every source table declared in the project's YAML (database, schema and identifier
        rendered by dbt's renderer where they hold Jinja)."""
        renderer = None
        tables: list[SourceTable] = []
        for path, data in self.documents(errors):
            for source in (data.get("sources") or []) if isinstance(data, dict) else []:
                if not isinstance(source, dict):
                    continue
                name = str(source.get("name"))
                for table in source.get("tables") or []:
                    if not isinstance(table, dict):
                        continue
                    values = [source.get("database") or default_database, source.get("schema") or name,
                              table.get("identifier") or table.get("name")]
                    if any(isinstance(v, str) and "{{" in v for v in values):
                        renderer = renderer or _renderer(self.project)
                        values = [renderer.render_value(v) if isinstance(v, str) else v for v in values]
                    database, schema, identifier = values
                    tags = tuple(str(t) for t in [*(source.get("tags") or []), *(table.get("tags") or [])])
                    tables.append(SourceTable(name, str(table.get("name")), None if database is None else str(database),
                                              str(schema), str(identifier), path, tags))
        return tables

    def node_entry(self, resource_type: str, name: str, yaml_path: str | None, file_path: str | None = None,
                   source_name: str | None = None) -> tuple[Any, str | None]:
        """A node's entry in its property file, and that file's relative path. A model the manifest
        knows no property file for is looked up in the YAML files of its own directory."""
        document = self.get(yaml_path)
        if document is not None:
            return entry_in(document.data, resource_type, name, source_name), yaml_path
        if resource_type == "source" or not file_path:
            return None, yaml_path
        directory = self.root / Path(file_path).parent
        for candidate in sorted(directory.glob("*.yml")):
            relative = str(candidate.relative_to(self.root))
            document = self.get(relative)
            entry = entry_in(document.data, resource_type, name) if document is not None else None
            if entry is not None:
                return entry, relative
        return None, yaml_path

    def line_of(self, relative: str, node_name: str, column: str | None = None) -> int | None:
        """The 1-based line of a node's entry (or of one of its columns) in a property file."""
        path = self.root / relative
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return None
        node_line = _name_line(lines, node_name, 0)
        if node_line is None or column is None:
            return None if node_line is None else node_line + 1
        column_line = _name_line(lines, column, node_line + 1)
        return (column_line if column_line is not None else node_line) + 1


def _renderer(project: DbtProject) -> Any:
    import os

    from dbt_common.context import set_invocation_context

    set_invocation_context(os.environ)
    from dbt.config.renderer import BaseRenderer
    from dbt.context.base import generate_base_context

    class _Renderer(BaseRenderer):
        @property
        def name(self) -> str:
            return "Source names"

    return _Renderer(generate_base_context(project.cli_vars))


def _name_line(lines: list[str], name: str, start: int) -> int | None:
    import re

    pattern = re.compile(rf"^\s*(-\s+)?name:\s*['\"]?{re.escape(name)}['\"]?\s*(#.*)?$", re.IGNORECASE)
    for index in range(start, len(lines)):
        if pattern.match(lines[index]):
            return index
    return None
