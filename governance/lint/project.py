"""`governance lint-project`: fast project checks a careful team runs on every commit.

Reports, naming the file and the object:
- a model without a primary-key test (`unique` + `not_null` on one column, or a
  `unique_combination_of_columns` test);
- a model, snapshot, seed or source table without a description (a model with no YAML entry
  at all counts as undescribed);
- a documented column without a description (or still carrying the placeholder that a writer of
  this package adds for columns it had to create);
- an exposure without a description, an owner, or anything it depends on;
- governance DDL outside the governance package: GRANT, REVOKE, masking policy or tag DDL in the
  project's models, macros, snapshots, tests or analyses, or a `grants:` config in a property file or
  dbt_project.yml. Grants come from roles.yml and snowflake_grants.sql, masking from the governance
  dbt package; a model or hook that grants or changes a policy could undo either.

It reads the project's files directly (dbt_project.yml paths, the SQL/CSV files, the property
YAML), not the manifest: importing dbt alone costs seconds, and this runs in the pre-commit hook
on every commit. The test suite checks that it agrees with the manifest `dbt parse` writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.findings import Finding
from governance.project import DbtProject
from governance.project.yaml_io import DESCRIPTION_PLACEHOLDER

PK_COMBINATION_TESTS = ("unique_combination_of_columns",)
SNAPSHOT_BLOCK = re.compile(r"{%-?\s*snapshot\s+(\w+)\s*-?%}")
DOC_REFERENCE = re.compile(r"{{\s*doc\(")


@dataclass
class Node:
    """A model, snapshot, seed or source table, with what its property YAML says about it."""

    kind: str
    name: str
    path: str
    yaml_path: str | None = None
    description: str | None = None
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    tests: list[Any] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"


# --- reading the project -------------------------------------------------------------------------

def _files(roots: list[Path], suffixes: tuple[str, ...]) -> Iterator[Path]:
    for base in roots:
        if base.is_dir():
            yield from sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in suffixes)


def read_project(project: DbtProject | Path) -> tuple[dict[tuple[str, str], Node], list[Finding], int]:
    """All nodes keyed by (kind, name), exposure findings, and the number of nodes."""
    project = project if isinstance(project, DbtProject) else DbtProject.locate(project)
    model_paths = project.paths("model-paths")
    seed_paths = project.paths("seed-paths")
    snapshot_paths = project.paths("snapshot-paths")
    rel = lambda p: str(p.relative_to(project.root))  # noqa: E731

    nodes: dict[tuple[str, str], Node] = {}
    for path in _files(model_paths, (".sql", ".py")):
        nodes["model", path.stem] = Node("model", path.stem, rel(path))
    for path in _files(seed_paths, (".csv",)):
        nodes["seed", path.stem] = Node("seed", path.stem, rel(path))
    for path in _files(snapshot_paths, (".sql",)):
        for name in SNAPSHOT_BLOCK.findall(path.read_text(encoding="utf-8")):
            nodes["snapshot", name] = Node("snapshot", name, rel(path))

    exposure_findings: list[Finding] = []
    for path, data in project.properties.documents():
        if not isinstance(data, dict):
            continue
        for kind, key in (("model", "models"), ("seed", "seeds"), ("snapshot", "snapshots")):
            for entry in data.get(key) or []:
                node = nodes.get((kind, entry.get("name")))
                if node is not None:
                    _apply_properties(node, entry, rel(path))
        for source in data.get("sources") or []:
            for table in source.get("tables") or []:
                node = Node("source", f"{source.get('name')}.{table.get('name')}", rel(path))
                _apply_properties(node, table, rel(path))
                nodes["source", node.name] = node
        exposure_findings += [*_exposure_findings(data.get("exposures") or [], rel(path))]
    return nodes, exposure_findings, len(nodes)


def _apply_properties(node: Node, entry: dict[str, Any], yaml_path: str) -> None:
    node.yaml_path = yaml_path
    node.description = entry.get("description")
    node.tests = [*(entry.get("data_tests") or []), *(entry.get("tests") or [])]
    for column in entry.get("columns") or []:
        node.columns[str(column.get("name"))] = column


def _test_name(test: Any) -> str:
    name = test if isinstance(test, str) else next(iter(test), "") if isinstance(test, dict) else ""
    return str(name).rsplit(".", 1)[-1]


# --- checks ---------------------------------------------------------------------------------------

def _described(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    text = text.strip()
    return (bool(text) and text != DESCRIPTION_PLACEHOLDER) or bool(DOC_REFERENCE.search(text))


def has_primary_key_test(node: Node) -> bool:
    if any(_test_name(test) in PK_COMBINATION_TESTS for test in node.tests):
        return True
    for column in node.columns.values():
        names = {_test_name(t) for t in [*(column.get("data_tests") or []), *(column.get("tests") or [])]}
        if {"unique", "not_null"} <= names:
            return True
    return False


def _exposure_findings(exposures: list[dict[str, Any]], path: str) -> Iterator[Finding]:
    for exposure in exposures:
        label = f"exposure {exposure.get('name')}"
        owner = exposure.get("owner") or {}
        if not _described(exposure.get("description")):
            yield _finding(path, label, "no description")
        if not (owner.get("name") or owner.get("email")):
            yield _finding(path, label, "no owner")
        if not exposure.get("depends_on"):
            yield _finding(path, label, "depends on nothing")


def _finding(path: str, label: str, message: str) -> Finding:
    return Finding("error", "lint", label, None, message, file=path)


GOVERNANCE_DDL = re.compile(
    r"\b(grant|revoke)\s+[\w\s,]*\b(on|to|from)\b|\bmasking\s+policy\b"
    r"|\b(create|alter|drop)\s+(or\s+replace\s+)?tag\b|\b(set|unset)\s+tag\b",
    re.IGNORECASE)
COMMENTS = re.compile(r"{#.*?#}|/\*.*?\*/|--[^\n]*", re.DOTALL)
SQL_PATH_KEYS = ("model-paths", "macro-paths", "snapshot-paths", "test-paths", "analysis-paths")


def governance_ddl_findings(project: DbtProject | Path) -> list[Finding]:
    """GRANT/REVOKE, masking policy and tag DDL in the project's SQL, and `grants:` configs."""
    project = project if isinstance(project, DbtProject) else DbtProject.locate(project)
    findings: list[Finding] = []
    seen: set[Path] = set()
    for key in SQL_PATH_KEYS:
        for path in _files(project.paths(key), (".sql",)):
            if path in seen:
                continue
            seen.add(path)
            code = COMMENTS.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"))
            for match in GOVERNANCE_DDL.finditer(code):
                line = code.count("\n", 0, match.start()) + 1
                findings.append(Finding("error", "governance_ddl", path.stem, None,
                                        f"governance DDL `{' '.join(match.group(0).split())}` outside the governance "
                                        "package (grants: roles.yml; masking: the governance dbt package)",
                                        file=str(path.relative_to(project.root)), line=line))
    for path, data in [(project.project_file, project.config), *project.properties.documents()]:
        for trail in _grants_configs(data):
            findings.append(Finding("error", "governance_ddl", trail, None,
                                    "a `grants:` config grants outside roles.yml", file=str(path.relative_to(project.root))))
    return findings


def _grants_configs(data: Any, trail: str = "") -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if str(key).lstrip("+") == "grants" and trail != "vars":
                yield f"{trail}.{key}".lstrip(".")
            elif key != "vars":
                yield from _grants_configs(value, f"{trail}.{key}".lstrip("."))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _grants_configs(value, f"{trail}[{index}]")


def check_project(project: DbtProject | Path) -> tuple[list[Finding], int]:
    project = project if isinstance(project, DbtProject) else DbtProject.locate(project)
    nodes, findings, checked = read_project(project)
    findings += governance_ddl_findings(project)
    for node in nodes.values():
        where = node.yaml_path or node.path
        if node.kind == "model" and not has_primary_key_test(node):
            findings.append(_finding(where, node.label, "no primary-key test "
                                    "(unique + not_null on one column, or unique_combination_of_columns)"))
        if node.yaml_path is None:
            findings.append(_finding(where, node.label, "no description (no entry in any property YAML file)"))
            continue
        if not _described(node.description):
            findings.append(_finding(where, node.label, "no description"))
        for name, column in node.columns.items():
            if not _described(column.get("description")):
                findings.append(_finding(where, node.label, f"column {name}: no description"))
    return sorted(findings, key=lambda f: (f.file or '', f.node, f.message)), checked
