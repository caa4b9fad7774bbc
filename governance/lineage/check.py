"""`governance check`: what fails (errors) and what is reported (warnings) about classification
along lineage."""

from __future__ import annotations

from dataclasses import replace

from governance.findings import Finding
from governance.lineage.declassification import REGISTER_FILE, DeclassificationRegister, load_register
from governance.lineage.graph import ROOT_NODE_TYPES
from governance.lineage.propagate import MARKER, PropagationResult


def check(result: PropagationResult, register: DeclassificationRegister | None = None) -> list[Finding]:
    """Everything `governance check` reports. Errors (exit 1):
    - a model/snapshot column derived from data at a masked level (3-4) with no classification, or a
      lower one than lineage says, that no human set (`unclassified`, `too_low`);
    - a source/seed column with PII entities (found by the scan) but no classification
      (`source_unclassified`); meta that is not valid (`invalid_meta`);
    - a model whose SQL could not be analysed (`lineage_error`).
    - a part of a model lineage cannot resolve, in a model that handles data at a masked level
      (`lineage_gap`: what it cannot follow may carry that data);
    - a documented column the model's SQL does not produce (`not_in_sql`);
    - a model column reading a source column the YAML does not declare, seen in the warehouse
      (`undeclared_column`: `select *` would carry it unclassified);
    - a classification lower than lineage set by hand without a `classification_note` and an entry
      in the declassification register (`declassified`): lowering needs a human and leaves a trail.
    Warnings: a registered declassification (`manual_lower`), lineage entries that a new
    `governance propagate` would change (`stale`), unresolved parts of models that handle no masked data."""
    findings: list[Finding] = []
    graph = result.graph
    register = register if register is not None else load_register(result.project.root)
    masked = (
        min(result.policy.masked_levels) if result.policy.masked_levels else max(result.policy.levels) + 1
    )
    handles_masked = {uid for (uid, _), state in result.columns.items()
                      if (state.upstream_level or 0) >= masked or (state.lineage and state.lineage.level >= masked)}
    findings.extend(Finding("warning", "lineage_note", result.project.name, None, note) for note in graph.notes)
    for problem in graph.problems:
        node = graph.nodes[problem.unique_id]
        if problem.severity == "error":
            severity, code = "error", "lineage_error"
        elif problem.unique_id in handles_masked:
            severity, code = "error", "lineage_gap"
        else:
            severity, code = "warning", "lineage_warning"
        findings.append(Finding(severity, code, node.display, None, problem.message))
    undeclared = {(uid, c) for uid, n in graph.nodes.items() if n.resource_type == "source"
                  for c in n.columns if c not in n.documented_columns}
    reported: set[tuple[str, str]] = set()
    for (uid, name), edges in graph.edges.items():
        for edge in edges:
            if edge.source in undeclared and (uid, name) not in reported:
                reported.add((uid, name))
                source = graph.nodes[edge.source[0]]
                findings.append(Finding(
                    "error", "undeclared_column", graph.nodes[uid].display, name,
                    f"reads `{source.display}.{edge.source[1]}`, a column of the warehouse table that "
                    f"{source.yaml_path} does not declare: its classification is unknown (declare it, then run "
                    "`governance scan`)"))
    for uid in graph.order:
        node = graph.nodes[uid]
        if node.resource_type in ROOT_NODE_TYPES or uid in result.skipped_nodes or not node.columns:
            continue
        produced = set(node.columns)
        for (column_uid, name), state in result.columns.items():
            if column_uid == uid and name not in produced and state.documented:
                findings.append(Finding("error", "not_in_sql", node.display, name,
                                        f"documented in {node.yaml_path} but the model's SQL produces no such column "
                                        "(a renamed or removed column keeps no protection)"))
    for (uid, name), state in result.columns.items():
        node = graph.nodes[uid]
        if state.meta_error:
            findings.append(Finding("error", "invalid_meta", node.display, name, state.meta_error))
            continue
        if node.resource_type in ROOT_NODE_TYPES:
            if state.meta.get("pii") and state.meta.get("classification") is None:
                findings.append(
                    Finding(
                        "error",
                        "source_unclassified",
                        node.display,
                        name,
                        f"PII {list(state.meta['pii'])} found (classified_by: {state.marker or 'unknown'}) "
                        f"but no classification in {node.yaml_path}",
                    )
                )
            continue
        if uid in result.skipped_nodes:
            continue
        lineage, declared = state.lineage, state.declared
        if state.manual:
            if lineage and declared and declared.level < lineage.level and not register.allows(state, node.display, name):
                findings.append(Finding(
                    "error", "declassified", node.display, name,
                    f"classification {declared.level} set by hand is lower than lineage says ({lineage}): it lost "
                    f"level {lineage.level}. Lowering needs `classified_by: manual`, a `classification_note` and an "
                    f"entry in {REGISTER_FILE} (reviewed by the security owner)"))
                continue
            if lineage and declared and declared.level < lineage.level:
                findings.append(
                    Finding(
                        "warning",
                        "manual_lower",
                        node.display,
                        name,
                        f"manual classification {declared.level} is lower than lineage says ({lineage})",
                    )
                )
            continue
        if lineage is None:
            if state.marker == MARKER:
                findings.append(
                    Finding(
                        "warning",
                        "stale",
                        node.display,
                        name,
                        "lineage no longer derives a classification for it; it keeps its level until a human "
                        "lowers it (classified_by: manual, a classification_note and a register entry)",
                    )
                )
            continue
        upstream = state.upstream_level or 0
        if declared is None or declared.level < lineage.level:
            severe = upstream >= masked or lineage.level >= masked
            what = "no classification" if declared is None else f"classification {declared.level}"
            findings.append(
                Finding(
                    "error" if severe else "warning",
                    "unclassified" if declared is None else "too_low",
                    node.display,
                    name,
                    f"{what} in {node.yaml_path or 'its YAML'}, but lineage says {lineage} (derived from "
                    f"level {upstream} data); run `governance propagate` or classify it by hand "
                    "(classified_by: manual)",
                )
            )
        elif declared != lineage:
            findings.append(
                Finding(
                    "warning",
                    "stale",
                    node.display,
                    name,
                    f"classification {declared} differs from lineage {lineage}; "
                    + ("it is kept until a human lowers it" if declared.level > lineage.level
                       else "run `governance propagate`"),
                )
            )
    return [_located(result, finding) for finding in findings]


def _located(result: PropagationResult, finding: Finding) -> Finding:
    """The finding with the file and line a CI annotation points at: the column's entry in the
    property YAML, else the node's entry, else the node's SQL file."""
    if finding.column is None and finding.code.startswith("lineage"):
        node = next((n for n in result.graph.nodes.values() if n.display == finding.node), None)
        return replace(finding, file=node.file_path) if node is not None else finding
    file, line = locate(result, finding.node, finding.column)
    return replace(finding, file=file, line=line) if file else finding


def locate(result: PropagationResult, node_display: str, column: str | None) -> tuple[str | None, int | None]:
    """(file, line) of a column's entry in the property YAML, else of the node's entry, else the node's file."""
    node = next((n for n in result.graph.nodes.values() if n.display == node_display), None)
    if node is None:
        return None, None
    if node.yaml_path:
        return node.yaml_path, result.project.properties.line_of(node.yaml_path, node.name, column)
    return node.file_path, None
