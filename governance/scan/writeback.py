"""Scan results written into the dbt source YAML (round-trip, atomic; a human's classification kept)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from governance.project import column_meta
from governance.project import yaml_io as dbt_yaml
from governance.scan.results import ColumnResult

if TYPE_CHECKING:
    from governance.scan.pipeline import TableOutcome

SCAN_KEYS = ("classification", "pii", "scan_decided_by")


def write_back(outcomes: list[TableOutcome], dry_run: bool, add_missing: bool, diffs: dict[Path, str]) -> list[str]:
    """Write results into the YAML files that declare the tables. Returns error messages.
    `outcome.yaml_levels` gets the classification each column carries in the YAML afterwards (with
    --dry-run: the one it carries now, since nothing is written)."""
    errors: list[str] = []
    by_file: dict[Path, list[TableOutcome]] = {}
    for outcome in outcomes:
        if outcome.yaml_path and not outcome.error:
            by_file.setdefault(outcome.yaml_path, []).append(outcome)
    for path, file_outcomes in sorted(by_file.items()):
        try:
            document = dbt_yaml.YamlFile.load(path)
        except dbt_yaml.YamlFileError as exc:
            errors.append(str(exc))
            continue
        for outcome in file_outcomes:
            node = document.source_table(str(outcome.ref.source), str(outcome.ref.table))
            if node is None:
                continue
            for result in outcome.results:
                action, before, after = apply(node, result, add_missing)
                if dry_run and action in ("updated", "added"):
                    action, after = {"updated": "would update", "added": "would add"}[action], before
                outcome.actions[result.column] = action
                outcome.yaml_levels[result.column] = after
        if not document.changed:
            continue
        if dry_run:
            diffs[path] = document.diff()
        else:
            document.save()
    return errors


def apply(table_node: Any, result: ColumnResult, add_missing: bool) -> tuple[str, Any, Any]:
    """Set one column's classification. Returns (action, classification before, classification after)."""
    column = dbt_yaml.column_node(table_node, result.column, create=False)
    added = False
    if column is None:
        if not add_missing:
            return "not in YAML", None, None
        column = dbt_yaml.column_node(table_node, result.column, create=True)
        added = True
    meta = column_meta(column)
    before = meta.get("classification")
    if dbt_yaml.is_manual(meta):
        return "manual (kept)", before, before
    if not result.pii:
        # nothing personal found now: an earlier classification stays (a scan never lowers; the table may
        # just hold too little data today). Lowering is a human's decision (classified_by: manual).
        if added:
            return "added", None, None
        return ("kept: lowering needs a human" if before is not None else "unchanged"), before, before
    level = result.classification
    pii = list(result.pii)
    if isinstance(before, int) and not isinstance(before, bool) and level is not None and before > level:
        level = before  # only add or raise
        pii = sorted({*pii, *(str(e) for e in (meta.get("pii") or []))})
    values: dict[str, Any] = {"classification": level, "pii": pii}
    if result.decided_by:
        values["scan_decided_by"] = result.decided_by
    changed = dbt_yaml.set_classification(column, values, "scan")
    if added:
        return "added", None, level
    return ("updated" if changed else "unchanged"), before, level


