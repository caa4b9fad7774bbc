"""`governance check`: what fails (errors) and what is reported (warnings) about classification
along lineage."""

from __future__ import annotations

from dataclasses import replace

from governance.findings import Finding
from governance.lineage.graph import ROOT_NODE_TYPES
from governance.lineage.propagate import MARKER, PropagationResult


def check(result: PropagationResult) -> list[Finding]:
    """Everything `governance check` reports. Errors (exit 1):
    - a model/snapshot column derived from data at a masked level (3-4) with no classification, or a
      lower one than lineage says, that no human set (`unclassified`, `too_low`);
    - a source/seed column with PII entities (found by the scan) but no classification
      (`source_unclassified`); meta that is not valid (`invalid_meta`);
    - a model whose SQL could not be analysed (`lineage_error`).
    Warnings: a manual classification lower than lineage (`manual_lower`), lineage entries that a
    new `governance propagate` would change (`stale`), columns lineage could not resolve."""
    findings: list[Finding] = []
    graph = result.graph
    masked = (
        min(result.policy.masked_levels) if result.policy.masked_levels else max(result.policy.levels) + 1
    )
    for problem in graph.problems:
        node = graph.nodes[problem.unique_id]
        findings.append(
            Finding(
                "error" if problem.severity == "error" else "warning",
                "lineage_error" if problem.severity == "error" else "lineage_warning",
                node.display,
                None,
                problem.message,
            )
        )
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
                        "lineage classification no longer derived from any classified column; "
                        "run `governance propagate`",
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
                    f"classification {declared} differs from lineage {lineage}; run `governance propagate`",
                )
            )
    return [_located(result, finding) for finding in findings]


def _located(result: PropagationResult, finding: Finding) -> Finding:
    """The finding with the file and line a CI annotation points at: the column's entry in the
    property YAML, else the node's entry, else the node's SQL file."""
    node = next((n for n in result.graph.nodes.values() if n.display == finding.node), None)
    if node is None:
        return finding
    if finding.column is None and finding.code.startswith("lineage"):
        return replace(finding, file=node.file_path)
    if node.yaml_path:
        line = result.project.properties.line_of(node.yaml_path, node.name, finding.column)
        return replace(finding, file=node.yaml_path, line=line)
    return replace(finding, file=node.file_path)
