"""Retention resolved in Python for the daily build: which relation dbt builds, which columns, which rows
and when, for every rule of `vars.governance.retention`; rendered into the generated macro
`macros/governance/resolved_retention.sql` that `apply_retention()` (on-run-end) executes on DuckDB and
Snowflake.

The relations and columns come from lineage, as for an erasure: a rule started by `subject_deleted`
covers every relation whose rows carry the key of a subject with a `deletion` (the shop's soft delete),
and in them the personal columns holding the rule's entities (or derived from personal columns); a rule
started by `created` covers the relations derived from its `source` that have its `created_column`.
Only relations dbt builds are written (models and snapshots; the raw layer is the loaders').
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from governance.erasure.plan import KeyColumn, PlanError, _Planner, stored
from governance.lineage.graph import Node
from governance.lineage.propagate import PropagationResult
from governance.policy.resolved import ResolvedFile, generated_macro, generated_path, sections_fingerprint
from governance.policy.sections import RetentionRule
from governance.project import DbtProject

COMMAND = "governance retention --write"
MACRO_NAME = "governance_resolved_retention"
RELATIVE_PATH = Path("governance") / "resolved_retention.sql"
FINGERPRINT_SECTIONS = ("erasure", "retention")
AS_OF_VAR = "governance_as_of"


def _downstream_of(planner: _Planner, source_uid: str) -> set[str]:
    reached = {source_uid}
    for uid in planner.graph.order:
        if any(parent in reached for parent in planner.graph.nodes[uid].depends_on):
            reached.add(uid)
    return reached


def _covered(planner: _Planner, node: Node, column: str, rule: RetentionRule) -> bool:
    if rule.columns and column not in rule.columns:
        return False
    classification = planner.classification((node.unique_id, column))
    if classification and classification.pii:
        return bool(set(classification.pii) & rule.entities)
    return True  # personal by derivation or by level only: covered (fail closed)


def _key_entry(key: KeyColumn, planner: _Planner) -> dict[str, Any]:
    via = key.reference.via
    if via is None:
        return {"column": key.column}
    via_node = planner.source_node(via)
    direct = next(r for r in planner.subject.key_columns if r.column.table_key == via.table_key and r.via is None)
    return {"column": key.column, "via": {"node": via_node.unique_id, "column": via.column,
                                           "key": direct.column.column}}


def _deleted_rules(planner: _Planner, rule: RetentionRule, scope: set[str] | None) -> list[dict[str, Any]]:
    deletion = planner.subject.deletion
    if deletion is None:
        return []
    event_node = next((n for n in planner.graph.nodes.values()
                       if n.resource_type == "model" and n.name == deletion.model), None)
    if event_node is None:
        raise PlanError(f"vars.governance.erasure.subjects.{planner.subject.name}.deletion.model: no model "
                        f"{deletion.model!r} in the project")
    event_keys = [c for c in planner.node_columns(event_node) if (event_node.unique_id, c) in planner.keys]
    if not event_keys:
        raise PlanError(f"{deletion.model} carries no column with the key of {planner.subject.name}")
    event = {"kind": "subject_deleted", "node": event_node.unique_id, "key": event_keys[0], "flag": deletion.flag,
             "at": deletion.at}
    entries = []
    for uid in planner.graph.order:
        node = planner.graph.nodes[uid]
        if node.resource_type not in ("model", "snapshot") or not stored(node) or (scope and uid not in scope):
            continue
        plan = planner.relation_plan(node)
        columns = [c for c in plan.anonymise if _covered(planner, node, c, rule)]
        keys = [k for k in plan.keys if not k.reference.json_path or node.resource_type != "source"]
        if not columns or not keys:
            continue
        keys.sort(key=lambda k: k.reference.via is not None)
        entries.append({"rule": rule.name, "node": uid, "columns": columns, "key": _key_entry(keys[0], planner),
                        "event": event, "days": rule.days, "action": rule.action})
    return entries


def _created_rules(planner: _Planner, rule: RetentionRule, scope: set[str] | None) -> list[dict[str, Any]]:
    entries = []
    for uid in planner.graph.order:
        node = planner.graph.nodes[uid]
        if node.resource_type not in ("model", "snapshot") or not stored(node) or (scope and uid not in scope):
            continue
        columns = [c for c in planner.node_columns(node)
                   if (uid, c) in planner.personal and (uid, c) not in planner.keys and _covered(planner, node, c, rule)]
        if not columns or rule.created_column not in planner.node_columns(node):
            continue
        entries.append({"rule": rule.name, "node": uid, "columns": columns, "key": None,
                        "event": {"kind": "created", "at": rule.created_column}, "days": rule.days,
                        "action": rule.action})
    return entries


def resolve_retention(result: PropagationResult) -> dict[str, Any]:
    """The resolved retention: one entry per (rule, relation), and Time Travel per schema."""
    policy = result.policy
    entries: list[dict[str, Any]] = []
    for name, rule in sorted(policy.retention.items()):
        for subject in policy.erasure.subjects.values():
            planner = _Planner(result, subject)
            planner.mark_sources()
            planner.mark_models()
            scope = None
            if rule.source:
                source = planner.by_source.get(rule.source.lower())
                if source is None:
                    raise PlanError(f"vars.governance.retention.{name}.source: no source table {rule.source!r}")
                scope = _downstream_of(planner, source.unique_id)
            found = _deleted_rules(planner, rule, scope) if rule.after == "subject_deleted" \
                else _created_rules(planner, rule, scope)
            entries += [e for e in found if e not in entries]
        if not any(entry["rule"] == name for entry in entries):
            # fail closed: a rule that erases nothing would still count as the entities' retention rule
            where = (f"no relation dbt builds from {rule.source or 'any source'} has `{rule.created_column}` and a personal column "
                     "of its entities" if rule.after == "created" else
                     "no relation dbt builds carries a data subject's key and a personal column of its entities")
            raise PlanError(f"vars.governance.retention.{name}: applies to nothing: {where} (set `source`, "
                            "`created_column` or `columns`, or the erasure subjects)")
    return {
        "fingerprint": sections_fingerprint(policy.raw, FINGERPRINT_SECTIONS),
        "fingerprint_sections": list(FINGERPRINT_SECTIONS),
        "generated_by": COMMAND,
        "as_of_var": AS_OF_VAR,
        "entries": entries,
        "time_travel_days": dict(sorted(policy.erasure.time_travel_days.items())),
    }


def render(result: PropagationResult) -> str:
    return generated_macro(
        f"    GENERATED by `{COMMAND}` from vars.governance (retention, erasure) and the project's lineage. Do not\n"
        f"    edit: change the policy or the models, then run `{COMMAND}` (`governance retention --check` fails\n"
        "    when this file is stale; `apply_retention()` refuses to run when the policy sections changed).\n"
        "    One entry per retention rule and relation dbt builds: the columns, the key and the event.\n",
        MACRO_NAME, resolve_retention(result))


def retention_path(project: DbtProject) -> Path:
    return generated_path(project, RELATIVE_PATH)


def retention_file(project: DbtProject, result: PropagationResult) -> ResolvedFile:
    return ResolvedFile.at(retention_path(project), render(result))
