"""dbt's node-selection syntax over a manifest, for `--select` / `--exclude` on every command.

Supported, as dbt reads it: space-separated terms are a union, comma-joined terms an intersection;
a term is `[N+]method:value[+N]` or a bare name; methods `source:` (`source:shop`,
`source:shop.orders__ct`), `tag:`, `path:`, `resource_type:`, `package:`, `fqn:` and the bare name
(a node name, `*` globs allowed; a bare `SOURCE.TABLE` is read as `source:SOURCE.TABLE`); `+` before/after adds ancestors/descendants (N limits the depth),
`@` before adds the descendants' ancestors. Unknown methods are an error naming the term.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from governance.errors import GovernanceError

TERM = re.compile(r"^(?P<at>@)?(?:(?P<up>\d*)\+)?(?P<body>[^+]+?)(?:\+(?P<down>\d*))?$")
METHODS = ("source", "tag", "path", "resource_type", "package", "fqn")
SELECTABLE = ("model", "snapshot", "seed", "source", "test", "analysis", "exposure")


class SelectionError(GovernanceError):
    """A --select/--exclude term that cannot be read or matches nothing."""


def _nodes(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    pool = {**manifest.get("nodes", {}), **manifest.get("sources", {}), **manifest.get("exposures", {})}
    return {uid: node for uid, node in pool.items() if node.get("resource_type") in SELECTABLE}


def _matches(node: dict[str, Any], method: str, value: str) -> bool:
    kind = node.get("resource_type")
    if method == "source":
        if kind != "source":
            return False
        name = f"{node.get('source_name')}.{node.get('name')}"
        return fnmatch.fnmatchcase(name, value) or fnmatch.fnmatchcase(str(node.get("source_name")), value)
    if method == "tag":
        return any(fnmatch.fnmatchcase(str(tag), value) for tag in node.get("tags") or [])
    if method == "path":
        path = PurePosixPath(str(node.get("original_file_path") or ""))
        wanted = PurePosixPath(value.rstrip("/"))
        return path == wanted or wanted in path.parents or fnmatch.fnmatchcase(str(path), value)
    if method == "resource_type":
        return kind == value
    if method == "package":
        return node.get("package_name") == value
    fqn = ".".join(str(p) for p in node.get("fqn") or [])
    if method == "fqn":
        return fnmatch.fnmatchcase(fqn, value) or fnmatch.fnmatchcase(fqn, f"*.{value}")
    if kind == "source":  # a bare SOURCE.TABLE reads as source:SOURCE.TABLE
        return "." in value and fnmatch.fnmatchcase(f"{node.get('source_name')}.{node.get('name')}", value)
    return fnmatch.fnmatchcase(str(node.get("name")), value) or fqn == value


def _walk(start: set[str], edges: dict[str, list[str]], depth: int | None) -> set[str]:
    found, frontier, level = set(start), set(start), 0
    while frontier and (depth is None or level < depth):
        frontier = {n for uid in frontier for n in edges.get(uid, [])} - found
        found |= frontier
        level += 1
    return found


def _term(term: str, manifest: dict[str, Any], nodes: dict[str, dict[str, Any]]) -> set[str]:
    match = TERM.match(term)
    if not match:
        raise SelectionError(f"--select/--exclude: cannot read {term!r}")
    body = match["body"]
    method, _, value = body.partition(":") if ":" in body else ("", "", body)
    if method and method not in METHODS:
        raise SelectionError(f"--select/--exclude {term!r}: unknown method {method!r} (known: {', '.join(METHODS)})")
    chosen = {uid for uid, node in nodes.items() if _matches(node, method, value)}
    parents = manifest.get("parent_map") or {}
    children = manifest.get("child_map") or {}
    result = set(chosen)
    if match["up"] is not None:
        result |= _walk(chosen, parents, int(match["up"]) if match["up"] else None)
    if match["down"] is not None:
        result |= _walk(chosen, children, int(match["down"]) if match["down"] else None)
    if match["at"]:
        below = _walk(chosen, children, None)
        result |= below | _walk(below, parents, None)
    return result & set(nodes)


def select(manifest: dict[str, Any], select: Iterable[str] = (), exclude: Iterable[str] = ()) -> set[str]:
    """The unique_ids chosen by dbt-style --select / --exclude (no --select: every node)."""
    nodes = _nodes(manifest)

    def evaluate(terms: Iterable[str]) -> set[str] | None:
        words = [w for t in terms for w in str(t).split()]
        if not words:
            return None
        union: set[str] = set()
        for word in words:
            parts = [_term(part, manifest, nodes) for part in word.split(",") if part]
            union |= set.intersection(*parts) if parts else set()
        return union

    chosen = evaluate(select)
    if chosen is not None and not chosen:
        raise SelectionError(f"--select {' '.join(select)}: matches no node of the project")
    excluded = evaluate(exclude) or set()
    return (set(nodes) if chosen is None else chosen) - excluded


def sources_manifest(tables: Iterable[tuple[str, str, list[str], str]]) -> dict[str, Any]:
    """A manifest-shaped view of declared source tables (source, table, tags, file), so the same
    selection runs over them without dbt (no parents or children: sources are roots)."""
    sources = {}
    for source, table, tags, path in tables:
        uid = f"source.{source}.{table}"
        sources[uid] = {"unique_id": uid, "resource_type": "source", "source_name": source, "name": table,
                        "tags": list(tags), "fqn": [source, table], "original_file_path": path}
    return {"nodes": {}, "sources": sources}


def needs_manifest(terms: Iterable[str]) -> bool:
    """Whether selecting with `terms` needs dbt's manifest (graph operators or non-source methods)."""
    for word in (w for t in terms for w in str(t).split()):
        for part in word.split(","):
            match = TERM.match(part)
            if match is None or match["up"] is not None or match["down"] is not None or match["at"]:
                return True
            method = match["body"].partition(":")[0] if ":" in match["body"] else ""
            if method not in ("", "source", "tag", "path"):
                return True
    return False
