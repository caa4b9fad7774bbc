"""Explain one column: the path back to its source columns and why it has its level."""

from __future__ import annotations

from typing import Any

from governance.lineage.graph import ColumnKey
from governance.lineage.propagate import MARKER, ColumnState, PropagationResult
from governance.policy import Classification


def _cls(value: Classification | None) -> dict[str, Any] | None:
    return None if value is None else {"level": value.level, "pii": list(value.pii)}


def explain(result: PropagationResult, target: str) -> dict[str, Any]:
    """`target` is `NODE.COLUMN` (NODE a model, snapshot, seed, or `source_name.table`)."""
    from governance.errors import ProjectError

    if "." not in target:
        raise ProjectError(f"{target!r}: give MODEL.COLUMN (for a source: SOURCE.TABLE.COLUMN)")
    node_name, column = target.rsplit(".", 1)
    node = result.graph.find(node_name)
    key = (node.unique_id, column.lower())
    if key not in result.columns:
        known = ", ".join(node.columns) or "none"
        raise ProjectError(f"{node.display} has no column {column!r} (known columns: {known})")
    sources: dict[ColumnKey, ColumnState] = {}
    tree = _tree(result, key, set(), sources)
    state = result.columns[key]
    return {
        "column": f"{node.display}.{key[1]}",
        "node_type": node.resource_type,
        "effective": _cls(state.effective),
        "lineage": _cls(state.lineage),
        "declared": _cls(state.declared),
        "classified_by": state.marker,
        "manual": state.manual,
        "why": _why(result, state),
        "sources": [
            {"column": _name(result, k), "classification": _cls(s.declared), "classified_by": s.marker}
            for k, s in sources.items()
        ],
        "tree": tree,
    }


def _name(result: PropagationResult, key: ColumnKey) -> str:
    return f"{result.graph.nodes[key[0]].display}.{key[1]}"


def _tree(
    result: PropagationResult, key: ColumnKey, seen: set[ColumnKey], sources: dict[ColumnKey, ColumnState]
) -> dict[str, Any]:
    state = result.columns.get(key)
    node = result.graph.nodes[key[0]]
    entry: dict[str, Any] = {
        "column": _name(result, key),
        "node_type": node.resource_type,
        "classification": _cls(state.effective if state else None),
        "classified_by": state.marker if state else None,
        "upstream": [],
    }
    if state is None:
        return entry
    if not state.contributions:
        if node.resource_type in ("source", "seed") or state.declared is not None:
            sources.setdefault(key, state)
        return entry
    if key in seen:
        entry["repeated"] = True
        return entry
    seen.add(key)
    for contribution in state.contributions:
        child = _tree(result, contribution.edge.source, seen, sources)
        child["via"] = [str(step) for step in contribution.edge.steps]
        child["rules"] = [rule.kind for rule in contribution.rules]
        child["contributes"] = _cls(contribution.result)
        entry["upstream"].append(child)
    return entry


def _why(result: PropagationResult, state: ColumnState) -> list[str]:
    node = result.graph.nodes[state.key[0]]
    lines: list[str] = []
    if not state.derived:
        if node.resource_type in ("source", "seed"):
            if state.declared is None:
                return [
                    "a source/seed column with no classification in its YAML (the scan or a human sets it)"
                ]
            return [
                f"classified {state.declared} in {node.yaml_path} (classified_by: {state.marker or 'manual'})"
            ]
        return [f"the SQL of {node.display} could not be analysed; its YAML is taken as it is"]
    lineage = state.lineage
    if lineage is None:
        lines.append("no classified column upstream: lineage gives no classification")
    else:
        top = [c for c in state.contributions if c.result is not None and c.result.level == lineage.level]
        names = sorted({_name(result, c.edge.source) for c in top})
        lines.append(
            f"lineage level {lineage.level} ({result.policy.levels[lineage.level].name}): the highest "
            f"level flowing in, from {', '.join(names)}"
        )
        if lineage.pii:
            lines.append(
                f"PII entities: the union of its upstream columns' entities: {', '.join(lineage.pii)}"
            )
    for contribution in state.contributions:
        if contribution.rules and contribution.upstream and contribution.result:
            for rule in contribution.rules:
                lines.append(
                    f"{_name(result, contribution.edge.source)} ({contribution.upstream}) lowered to "
                    f"{contribution.result} by lineage rule `{rule.kind}`: {rule.description}"
                )
    if state.manual:
        declared = state.declared
        lines.append(
            f"set by hand to {declared} (classified_by: manual, or no marker): a manual classification wins"
        )
        if declared and lineage and declared.level < lineage.level:
            lines.append(
                f"NOTE: the manual level {declared.level} is lower than lineage says ({lineage.level})"
            )
    elif state.marker == MARKER or lineage is not None:
        written = state.declared
        if written == lineage:
            lines.append("the YAML holds this classification (classified_by: lineage)")
        else:
            lines.append(
                f"the YAML holds {written if written else 'no classification'}; run `governance propagate`"
            )
    return list(dict.fromkeys(lines))


def render(explanation: dict[str, Any]) -> str:
    out: list[str] = []
    eff = explanation["effective"]
    level = (
        f"level {eff['level']}" + (f" [{', '.join(eff['pii'])}]" if eff and eff["pii"] else "")
        if eff
        else "not classified"
    )
    out.append(f"{explanation['column']}: {level}")
    _render_tree(explanation["tree"], "", out, root=True)
    out.append("why:")
    out.extend(f"  - {line}" for line in explanation["why"])
    if explanation["sources"]:
        out.append("source columns:")
        for source in explanation["sources"]:
            cls = source["classification"]
            text = (
                f"{cls['level']}" + (f" [{', '.join(cls['pii'])}]" if cls["pii"] else "")
                if cls
                else "not classified"
            )
            out.append(
                f"  - {source['column']}: {text}"
                + (f" ({source['classified_by']})" if source["classified_by"] else "")
            )
    return "\n".join(out)


def _render_tree(entry: dict[str, Any], prefix: str, out: list[str], root: bool = False) -> None:
    children = entry["upstream"]
    for i, child in enumerate(children):
        last = i == len(children) - 1
        cls = child["classification"]
        level = f"{cls['level']}" + (f" [{', '.join(cls['pii'])}]" if cls["pii"] else "") if cls else "-"
        via = f"via {' → '.join(child['via'])}" if child.get("via") else "as is"
        rules = f"  lowered by {', '.join(child['rules'])}" if child.get("rules") else ""
        kind = "source " if child["node_type"] == "source" else ""
        repeated = " (see above)" if child.get("repeated") else ""
        out.append(
            f"{prefix}{'└─' if last else '├─'} {kind}{child['column']}  level {level}  {via}{rules}"
            f"{repeated}"
        )
        _render_tree(child, prefix + ("   " if last else "│  "), out)
