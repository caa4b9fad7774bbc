"""Write lineage classifications into the models' property YAML (`governance propagate`).

The kernel's round-trip writer keeps comments and order and writes atomically; a manual
classification is never changed; an unchanged column loads no file; a re-run writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from governance.lineage.graph import ROOT_NODE_TYPES, Node
from governance.lineage.propagate import MARKER, OWNED_KEYS, ColumnState, PropagationResult
from governance.policy import Classification
from governance.project.properties import PropertyIndex
from governance.project.yaml_io import (
    DESCRIPTION_PLACEHOLDER,
    MARKER_KEY,
    YamlFile,
    clear_classification,
    column_node,
    set_classification,
    unified_diff,
    write_atomic,
)


@dataclass
class Change:
    node: str  # display name
    column: str
    action: str  # set | clear
    before: Classification | None
    after: Classification | None


@dataclass
class WriteReport:
    changes: list[Change] = field(default_factory=list)
    diffs: dict[Path, str] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # why a column could not be written
    manual_lower: list[ColumnState] = field(default_factory=list)
    kept: list[ColumnState] = field(default_factory=list)  # lineage says less: kept until a human lowers it


def _models_file_for(result: PropagationResult, node: Node, cache: PropertyIndex) -> str:
    """The property file a node without a YAML entry gets: the `_*.yml` in its directory that lists
    nodes of its type (models/snapshots), else a new `_<directory>__models.yml` there."""
    key = "snapshots" if node.resource_type == "snapshot" else "models"
    directory = Path(node.file_path or "").parent
    for candidate in sorted((result.project_dir / directory).glob("_*.yml")):
        relative = str(candidate.relative_to(result.project_dir))
        document = cache.get(relative)
        if document is not None and isinstance(document.data, dict) and key in document.data:
            return relative
    name = f"_{directory.name or 'models'}__{key}.yml"
    return str(directory / name)


def write_back(result: PropagationResult, dry_run: bool = False, only: set[str] | None = None) -> WriteReport:
    """Write `classification`, `pii` and `classified_by: lineage` into each model/snapshot column's
    YAML meta, remove lineage entries whose upstream lost its classification, never touch a manual
    classification. Atomic per file, idempotent; with `dry_run` only the diffs are returned; with
    `only`, just those nodes (unique_ids) are written."""
    cache = result.project.properties.editable()
    report = WriteReport()
    graph = result.graph
    by_node: dict[str, list[ColumnState]] = {}
    for (uid, _), state in result.columns.items():
        by_node.setdefault(uid, []).append(state)
    touched: set[str] = set()
    for uid in graph.order:
        node = graph.nodes[uid]
        if only is not None and uid not in only:
            continue
        if node.resource_type in ROOT_NODE_TYPES or uid in result.skipped_nodes:
            if uid in result.skipped_nodes:
                report.skipped.append(f"{node.display}: SQL not analysed; its YAML is left as is")
            continue
        states = by_node.get(uid, [])
        for state in states:
            if (
                state.manual
                and state.lineage
                and state.declared
                and state.declared.level < state.lineage.level
            ):
                report.manual_lower.append(state)
        report.kept += [state for state in states if _kept(state)]
        pending = [state for state in states if not _kept(state) and _needs_write(state)]
        if not pending:
            continue  # nothing to change: the file is not even loaded round-trip
        changes_before = len(report.changes)
        entry, node.yaml_path = cache.node_entry(node.resource_type, node.name, node.yaml_path, node.file_path,
                                                 node.source_name)
        for state in pending:
            if entry is None:
                if state.lineage is None:
                    continue
                entry = _create_entry(result, node, cache)
            column = column_node(entry, state.key[1], create=False)
            if column is None:
                if state.lineage is None:
                    continue
                if (node.config.get("contract") or {}).get("enforced"):
                    report.skipped.append(
                        f"{node.display}.{state.key[1]}: not in the YAML of a model with an "
                        "enforced contract (add it with its data_type)"
                    )
                    continue
                column = column_node(entry, state.key[1], create=True)
            assert column is not None
            if state.lineage is None:
                if clear_classification(column, MARKER, OWNED_KEYS):
                    report.changes.append(Change(node.display, state.key[1], "clear", state.declared, None))
            else:
                values = {"classification": state.lineage.level, "pii": list(_pii_kept(state))}
                if set_classification(column, values, MARKER):
                    report.changes.append(
                        Change(node.display, state.key[1], "set", state.declared, state.lineage)
                    )
        if node.yaml_path and len(report.changes) > changes_before:
            touched.add(node.yaml_path)
    for relative in sorted(touched):
        document = cache.files[relative]
        text = document.render()  # once: comparing, diffing and writing a large file all need it
        if text == document.original_text:
            continue
        report.diffs[document.path] = unified_diff(document.original_text, text, document.path)
        if not dry_run:
            write_atomic(document.path, text)
            document.original_text = text
            report.written.append(document.path)
    return report


def _kept(state: ColumnState) -> bool:
    """Propagate never lowers on its own: a lineage entry whose upstream now says less (or nothing)
    keeps its level until a human lowers it (classified_by: manual, a note and a register entry)."""
    if state.manual or state.marker != MARKER or state.declared is None:
        return False
    return state.lineage is None or state.lineage.level < state.declared.level


def _pii_kept(state: ColumnState) -> tuple[str, ...]:
    """Entities lineage says, plus those the entry carries at the same level (none is dropped silently)."""
    lineage = state.lineage
    assert lineage is not None
    if state.marker == MARKER and state.declared is not None and state.declared.level == lineage.level:
        return tuple(sorted({*lineage.pii, *state.declared.pii}))
    return lineage.pii


def _needs_write(state: ColumnState) -> bool:
    """Whether the write-back would change this column's YAML (decided on the plain meta)."""
    if state.manual:
        return False
    meta = state.meta
    if state.lineage is None:
        return state.marker == MARKER
    return not (
        meta.get("classification") == state.lineage.level
        and isinstance(meta.get("pii"), list)
        and list(meta["pii"]) == list(_pii_kept(state))
        and meta.get(MARKER_KEY) == MARKER
    )


def _create_entry(result: PropagationResult, node: Node, cache: PropertyIndex) -> CommentedMap:
    relative = _models_file_for(result, node, cache)
    key = "snapshots" if node.resource_type == "snapshot" else "models"
    document = cache.get(relative)
    if document is None:
        path = result.project_dir / relative
        document = YamlFile(path, "", CommentedMap([("version", 2), (key, CommentedSeq())]))
        cache.files[relative] = document
    if document.data.get(key) is None:
        document.data[key] = CommentedSeq()
    entry = CommentedMap(
        [("name", node.name), ("description", DESCRIPTION_PLACEHOLDER), ("columns", CommentedSeq())]
    )
    document.data[key].append(entry)
    node.yaml_path = relative
    return entry


# --------------------------------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------------------------------
