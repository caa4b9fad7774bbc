"""Where one data subject's data lives, derived from lineage: every relation with a column that carries the
subject's key (followed from the policy's key and references through column lineage), the personal columns
of its rows (their classification, or derived from a personal column), and the free-text columns where
another row may mention the subject's email or phone.

Nothing here reads data: the plan names relations and columns only. `governance.erasure.sql` turns it
into statements and counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from governance.errors import GovernanceError
from governance.lineage.graph import WHOLE_RELATION, ColumnKey, Node
from governance.lineage.propagate import PropagationResult
from governance.policy.erasure import Reference, SourceColumn, Subject
from governance.policy.sections import Classification

# relations that hold rows (a view or an ephemeral model reads through to them)
STORED_MATERIALIZATIONS = ("table", "incremental", "snapshot", "seed")
VALUE_ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER")  # what a free-text mention of the subject is scrubbed of


class PlanError(GovernanceError):
    """The plan cannot be made safely (a relation holds personal data but nothing ties it to the subject)."""


@dataclass(frozen=True)
class KeyColumn:
    """A column of a relation holding the subject's key (or, with `via`, a key of the subject's rows of
    another source), or a JSON field holding it (`json_path`)."""

    column: str
    reference: Reference


@dataclass
class RelationPlan:
    node: Node
    keys: list[KeyColumn] = field(default_factory=list)
    anonymise: list[str] = field(default_factory=list)  # columns set to NULL in the subject's rows
    json_paths: dict[str, list[str]] = field(default_factory=dict)  # JSON column -> fields removed
    scrub: list[str] = field(default_factory=list)  # free-text columns: mentions replaced in every row
    reasons: dict[str, str] = field(default_factory=dict)  # column -> why it is anonymised

    @property
    def name(self) -> str:
        return self.node.display

    @property
    def layer(self) -> str:
        """raw (a source), snapshot, or the schema a model is built in (staging, marts, finance, ...)."""
        if self.node.resource_type == "source":
            return "raw"
        if self.node.resource_type == "snapshot":
            return "snapshot"
        return self.node.relation[1] if self.node.relation else "model"

    @property
    def has_work(self) -> bool:
        return bool(self.anonymise or self.json_paths or self.scrub)


@dataclass
class ErasurePlan:
    subject: Subject
    relations: list[RelationPlan]
    vocabulary: list[tuple[RelationPlan, str]]  # the subject's email and phone columns in the raw layer
    dialect: str

    @property
    def key_relation(self) -> RelationPlan:
        for plan in self.relations:
            if plan.node.resource_type == "source" and _source_column(plan.node, self.subject.key.column) \
                    == self.subject.key:
                return plan
        raise PlanError(f"the subject's key {self.subject.key} is not a documented source column")


def _source_column(node: Node, column: str) -> SourceColumn:
    return SourceColumn(str(node.source_name).lower(), node.name.lower(), column)


def is_personal(classification: Classification | None, masked_levels: list[int]) -> bool:
    if classification is None:
        return False
    return bool(classification.pii) or classification.level in masked_levels


def stored(node: Node) -> bool:
    if node.relation is None:
        return False
    if node.resource_type in ("source", "snapshot", "seed"):
        return True
    return node.config.get("materialized") in STORED_MATERIALIZATIONS


def json_extractions(node: Node, dialect: str) -> dict[str, set[tuple[str, str]]]:
    """Output column -> {(JSON column, dotted path)} for every column the model's SQL extracts from a JSON
    document with a literal path (json_extract_string(payload, '$.a.b'), payload:a.b)."""
    if not node.compiled_sql:
        return {}
    try:
        tree = sqlglot.parse_one(node.compiled_sql, read=dialect)
    except SqlglotError:
        return {}
    found: dict[str, set[tuple[str, str]]] = {}
    for alias in tree.find_all(exp.Alias):
        for extraction in alias.find_all(exp.JSONExtractScalar, exp.JSONExtract):
            document = extraction.this
            if not isinstance(document, exp.Column):
                continue
            path = extraction.expression.sql(dialect=dialect).strip("'\"")
            path = path[2:] if path.startswith("$.") else path
            found.setdefault(alias.alias.lower(), set()).add((document.name.lower(), path))
    return found


class _Planner:
    def __init__(self, result: PropagationResult, subject: Subject):
        self.result = result
        self.graph = result.graph
        self.subject = subject
        self.masked = result.policy.masked_levels
        self.by_source = {
            _source_column(node, "").table_key: node
            for node in self.graph.nodes.values() if node.resource_type == "source"
        }
        self.keys: dict[ColumnKey, Reference] = {}
        self.personal: dict[ColumnKey, str] = {}  # column -> reason
        self.json_references = {ref.column: ref for ref in subject.key_columns if ref.json_path}
        self.json_sources: set[ColumnKey] = set()  # the JSON document columns themselves

    def node_columns(self, node: Node) -> list[str]:
        return list(dict.fromkeys([*node.columns, *node.documented_columns]))

    def classification(self, key: ColumnKey) -> Classification | None:
        state = self.result.columns.get(key)
        return state.effective if state else None

    def source_node(self, column: SourceColumn) -> Node:
        node = self.by_source.get(column.table_key)
        if node is None:
            raise PlanError(f"vars.governance.erasure.subjects.{self.subject.name}: {column.table_key} is not a "
                            "source table of the project")
        if column.column not in self.node_columns(node):
            raise PlanError(f"vars.governance.erasure.subjects.{self.subject.name}: {column} is not a documented "
                            "column of its source")
        return node

    def mark_sources(self) -> None:
        for reference in self.subject.key_columns:
            node = self.source_node(reference.column)
            if reference.via is not None:
                self.source_node(reference.via)
            self.keys[(node.unique_id, reference.column.column)] = reference
            if reference.json_path:
                self.json_sources.add((node.unique_id, reference.column.column))
        for node in self.graph.nodes.values():
            if node.resource_type not in ("source", "seed"):
                continue
            for column in self.node_columns(node):
                if is_personal(self.classification((node.unique_id, column)), self.masked):
                    self.personal[(node.unique_id, column)] = "classified"

    def mark_models(self) -> None:
        for uid in self.graph.order:
            node = self.graph.nodes[uid]
            if node.resource_type in ("source", "seed"):
                continue
            extracted = json_extractions(node, self.graph.dialect)
            for column in self.node_columns(node):
                key = (uid, column)
                self._mark_key(key, extracted.get(column))
                if key in self.keys:
                    continue
                reason = self._personal_reason(key)
                if reason:
                    self.personal[key] = reason

    def _mark_key(self, key: ColumnKey, extraction: set[tuple[str, str]] | None) -> None:
        for edge in self.graph.upstream(key):
            if edge.source[1] == WHOLE_RELATION:
                continue
            upstream = self.keys.get(edge.source)
            copied = all(step.kind == "copy" for step in edge.steps)
            if upstream is not None and copied and (not upstream.json_path or edge.source not in self.json_sources):
                self.keys[key] = upstream
                return
            source = self.graph.nodes[edge.source[0]]
            if source.resource_type == "source" and extraction is not None:
                reference = self.json_references.get(_source_column(source, edge.source[1]))
                if reference is not None and extraction == {(edge.source[1], reference.json_path)}:
                    self.keys[key] = reference
                    return

    def _personal_reason(self, key: ColumnKey) -> str | None:
        if is_personal(self.classification(key), self.masked):
            return "classified"
        for edge in self.graph.upstream(key):
            upstream = self.graph.nodes[edge.source[0]]
            if upstream.resource_type == "source" and _source_column(upstream, edge.source[1]) in self.json_references:
                continue  # a field of the JSON document: its own classification says (above)
            if edge.source in self.personal:
                return f"derived from {upstream.display}.{edge.source[1]}"
            if edge.source[1] == WHOLE_RELATION and any(uid == edge.source[0] for uid, _ in self.personal):
                return f"derived from every column of {upstream.display}"
        return None

    def relation_plan(self, node: Node) -> RelationPlan:
        plan = RelationPlan(node)
        columns = self.node_columns(node)
        plan.keys = [KeyColumn(c, self.keys[(node.unique_id, c)]) for c in columns if (node.unique_id, c) in self.keys]
        json_columns = {ref.column.column for ref in self.json_references.values()
                        if node.resource_type == "source" and _source_column(node, ref.column.column) == ref.column}
        for column in columns:
            key = (node.unique_id, column)
            if key not in self.personal or (key in self.keys and column not in json_columns):
                continue
            if column in json_columns:
                plan.json_paths[column] = self.json_fields(node, column)
                plan.reasons[column] = "JSON fields feeding personal columns"
            else:
                plan.anonymise.append(column)
                plan.reasons[column] = self.personal[key]
            if self._free_text(key, column in json_columns):
                plan.scrub.append(column)
        return plan

    def _free_text(self, key: ColumnKey, is_json: bool) -> bool:
        classification = self.classification(key)
        entities = set(classification.pii) if classification else set()
        return is_json or (bool(entities & set(VALUE_ENTITIES)) and len(entities) > 1)

    def json_fields(self, source: Node, column: str) -> list[str]:
        """The fields of a JSON document column that feed a personal column of a model reading it."""
        fields: list[str] = []
        key_paths = {ref.json_path for ref in self.json_references.values()
                     if ref.column == _source_column(source, column)}
        for uid in self.graph.order:
            node = self.graph.nodes[uid]
            if source.unique_id not in node.depends_on:
                continue
            extracted = json_extractions(node, self.graph.dialect)
            for name in self.node_columns(node):
                if (uid, name) not in self.personal or (uid, name) in self.keys:
                    continue
                if not any(e.source == (source.unique_id, column) for e in self.graph.upstream((uid, name))):
                    continue
                paths = {path for document, path in extracted.get(name, set()) if document == column} - key_paths
                if not paths:
                    raise PlanError(f"{node.display}.{name} is personal and read from {source.display}.{column}, "
                                    "but no JSON field can be told from its SQL; cannot plan what to remove")
                fields.extend(paths)
        return sorted(set(fields))

    def vocabulary(self, plans: list[RelationPlan]) -> list[tuple[RelationPlan, str]]:
        """The subject's own email and phone columns in the raw layer (single-entity value columns)."""
        words = []
        for plan in plans:
            if plan.node.resource_type != "source":
                continue
            for column in plan.anonymise:
                classification = self.classification((plan.node.unique_id, column))
                if classification and len(classification.pii) == 1 and classification.pii[0] in VALUE_ENTITIES:
                    words.append((plan, column))
        return words


def build_plan(result: PropagationResult, subject: Subject) -> ErasurePlan:
    """The erasure plan of a subject type over the project's lineage. Fails closed: a stored relation with a
    personal column and no column tied to the subject is an error, since its rows cannot be told apart."""
    planner = _Planner(result, subject)
    planner.mark_sources()
    planner.mark_models()
    plans: list[RelationPlan] = []
    untied: list[str] = []
    for uid in sorted(planner.graph.nodes, key=lambda u: (_layer_order(planner.graph.nodes[u]), u)):
        node = planner.graph.nodes[uid]
        if not stored(node):
            continue
        plan = planner.relation_plan(node)
        if (plan.anonymise or plan.json_paths) and not plan.keys:
            if node.resource_type == "seed":
                continue  # reference data: never about a data subject
            untied.append(f"{node.display} ({', '.join([*plan.anonymise, *plan.json_paths])})")
            continue
        plans.append(plan)
    if untied:
        raise PlanError("personal columns with no column lineage ties to the subject's key "
                        f"{subject.key} (add a reference in vars.governance.erasure.subjects.{subject.name}): "
                        + "; ".join(untied))
    return ErasurePlan(subject, plans, planner.vocabulary(plans), planner.graph.dialect)


def _layer_order(node: Node) -> int:
    return {"source": 0, "model": 1, "snapshot": 2}.get(node.resource_type, 3)
