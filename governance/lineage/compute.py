"""Lineage of a project, end to end: its compiled manifest, column lineage, classifications carried."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from governance.errors import ProjectError
from governance.lineage.graph import (
    SQL_NODE_TYPES,
    LineageGraph,
    Node,
    Problem,
    Relation,
    branch_sql,
    build_lineage,
    columns_from_duckdb,
)
from governance.lineage.propagate import PropagationResult, propagate
from governance.policy import Policy, load_policy
from governance.project import DbtProject
from governance.project.manifest import columns_from_catalog

ROUTED_IS_INCREMENTAL = "macro.governance.is_incremental"
# A Jinja tag or expression that chooses on the dbt target: `{% if target.name == 'prod' %}`,
# `{{ 'email' if target.type == 'snowflake' else 'null' }}`, `{% elif adapter.type() ... %}`.
_JINJA_SEGMENT = re.compile(r"\{%-?(.*?)-?%\}|\{\{-?(.*?)-?\}\}", re.DOTALL)
_CHOOSES = re.compile(r"\b(if|elif)\b")
_ON_TARGET = re.compile(r"\btarget\b|\badapter\s*\.\s*type\s*\(")
_FILTER_ONLY = re.compile(r"^\s*(?:$|(?:where|and|or|limit|qualify|having|order\s+by)\b)", re.IGNORECASE)


def analyse(
    project: DbtProject,
    policy: Policy | None = None,
    manifest: Path | None = None,
    catalog: Path | None = None,
    database: Path | None = None,
    on_compile: Callable[[], None] | None = None,
    progress: Callable[[int, Node | None], None] | None = None,
    live_columns: bool = False,
    branches: bool = True,
) -> PropagationResult:
    """Compile the project (or reuse a cached compile of the same inputs, or read `manifest`),
    compute column lineage and carry classifications along it. Writes nothing.

    `catalog` / `database` name a dbt catalog.json / a DuckDB file whose columns help expand
    `select *` over undocumented relations; with `live_columns` and neither given, the target's own
    DuckDB file is read when it exists (then a source column the YAML does not declare is seen, and
    `check` fails on it reaching a model). `progress(total, node)` is called with node None first.

    With `branches` (and no `manifest` given), the incremental branch of every incremental model and
    snapshot is compiled too (cached like the main compile) and its lineage added, so a column gets the
    highest classification of either branch. A given `manifest` is one compile: only it is analysed."""
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
    branched = nodes_with_branches(data)
    other = {}
    if branches and manifest is None and branched and routes_is_incremental(data):
        other = {"incremental": branch_sql(project.manifests.get("compile", branch="incremental"))}
    total = sum(1 for n in data.get("nodes", {}).values() if n.get("resource_type") in ("model", "snapshot"))
    if progress:
        progress(total, None)
    graph = build_lineage(data, extra, (lambda node: progress(total, node)) if progress else None, other)
    if branched and not other:
        _unanalysed_branches(graph, branched, given_manifest=manifest is not None, asked=branches)
    graph.problems.extend(_target_switch_problems(data, project.target_name or "default"))
    return propagate(project, graph, policy)


def nodes_with_branches(manifest: dict[str, Any]) -> list[str]:
    """Models and snapshots whose SQL calls is_incremental(), directly or through any macro: each
    renders two branches (full refresh, incremental), by unique id."""
    macros = manifest.get("macros") or {}
    reaches: dict[str, bool] = {}

    def calls_is_incremental(uid: str, trail: frozenset[str] = frozenset()) -> bool:
        if uid not in reaches:
            name = str((macros.get(uid) or {}).get("name") or uid.rsplit(".", 1)[-1])
            children = ((macros.get(uid) or {}).get("depends_on") or {}).get("macros") or []
            reaches[uid] = name == "is_incremental" or any(
                calls_is_incremental(child, trail | {uid}) for child in children if child not in trail)
        return reaches[uid]

    return sorted(uid for uid, node in (manifest.get("nodes") or {}).items()
                  if node.get("resource_type") in SQL_NODE_TYPES
                  and any(calls_is_incremental(m) for m in (node.get("depends_on") or {}).get("macros") or []))


def routes_is_incremental(manifest: dict[str, Any]) -> bool:
    """Whether the project's is_incremental() is the governance package's (the one-line override
    `governance init` writes), so that a lineage compile can render the incremental branch."""
    project = (manifest.get("metadata") or {}).get("project_name")
    override = (manifest.get("macros") or {}).get(f"macro.{project}.is_incremental") or {}
    return ROUTED_IS_INCREMENTAL in ((override.get("depends_on") or {}).get("macros") or [])


def _unanalysed_branches(graph: LineageGraph, branched: list[str], given_manifest: bool, asked: bool) -> None:
    """Fail closed on what was not analysed: a node's incremental branch is a part of it that lineage did not
    see (an error where the node handles data at a masked level, like any other unresolved part)."""
    if given_manifest or not asked:
        why = "--manifest names one compile" if given_manifest else "branches were not asked for"
        graph.notes.append(f"the incremental branch of {len(branched)} model(s) and snapshot(s) was not analysed ({why}); "
                           "`governance check` without --manifest analyses both")
        return
    for uid in branched:
        graph.problems.append(Problem(uid, "warning", (
            "its incremental branch (is_incremental() true) is not analysed: the project's is_incremental() is not "
            "the governance package's; add macros/overrides/is_incremental.sql with "
            "`{% macro is_incremental() %}{{ return(governance.is_incremental()) }}{% endmacro %}` "
            "(`governance init` writes it)")))


def _target_switch_problems(manifest: dict[str, Any], target: str) -> list[Problem]:
    """An error per place a model or snapshot chooses its columns on the dbt target (see target_switches)."""
    return [
        Problem(uid, "error", (
            f"line {line} switches its SQL on the dbt target (target.* or adapter.type()): lineage analysed the "
            f"{target} target's compile only, and another target may render other columns; render the same "
            "columns on every target (put dialect differences in an adapter.dispatch macro)"))
        for uid, node in (manifest.get("nodes") or {}).items() if node.get("resource_type") in SQL_NODE_TYPES
        for line in target_switches(str(node.get("raw_code") or ""))
    ]


def target_switches(raw_code: str) -> list[int]:
    """Lines of a model's Jinja that choose its columns on the dbt target (what lineage of one target's
    compile cannot see past): an inline `{{ ... if target... }}`, or an `{% if %}` on the target with a
    branch that is not only a filter (where/and/or/limit/qualify/having/order by). Filters such as
    `{% if target.name == 'dev' %} where ... {% endif %}` change rows, not columns, and pass."""
    lines, judged = [], set()
    tags = list(_JINJA_SEGMENT.finditer(raw_code))
    for position, match in enumerate(tags):
        statement = match.group(1)
        body = statement if statement is not None else match.group(2)
        if position in judged or not (_CHOOSES.search(body) and _ON_TARGET.search(body)):
            continue
        if statement is not None and _keyword(match) == "if":
            branches, elifs = _branches(raw_code, tags, position)
            judged.update(elifs)  # judged with their block
            if all(_FILTER_ONLY.match(branch) for branch in branches):
                continue
        lines.append(raw_code.count("\n", 0, match.start()) + 1)
    return lines


def _keyword(tag: re.Match[str]) -> str:
    words = (tag.group(1) or "").split(maxsplit=1)
    return words[0] if words else ""


def _branches(raw_code: str, tags: list[re.Match[str]], opening: int) -> tuple[list[str], list[int]]:
    """The text of each branch of the `{% if %}` block opened by tags[opening] (nested blocks inside),
    and the positions of its `elif` tags."""
    branches, elifs, depth, start = [], [], 0, tags[opening].end()
    for position in range(opening + 1, len(tags)):
        tag, keyword = tags[position], _keyword(tags[position])
        if keyword == "if":
            depth += 1
        elif keyword == "endif" and depth:
            depth -= 1
        elif keyword in ("elif", "else", "endif") and not depth:
            branches.append(raw_code[start:tag.start()])
            if keyword == "endif":
                return branches, elifs
            if keyword == "elif":
                elifs.append(position)
            start = tag.end()
    return [*branches, raw_code[start:]], elifs  # unclosed: dbt will say so; judged as columns
