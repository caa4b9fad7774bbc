"""The erasure plan as SQL, for DuckDB and Snowflake: counts (what is there), and the statements that erase.

No statement carries a personal value: the subject is named by its key, and the subject's emails and phone
numbers are read inside the database (`vocabulary`) by the statements that scrub free-text mentions of them,
before the statements that anonymise the raw rows they are read from. The order, in one transaction:
scrub mentions, anonymise the subject's rows (raw layer, models, snapshots), then record the subject in the
register.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from governance.erasure.plan import ErasurePlan, KeyColumn, RelationPlan
from governance.errors import GovernanceError
from governance.lineage.graph import Node
from governance.policy.erasure import Erasure, SourceColumn

SUBJECT_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
REDACTED = "[erased]"


def parse_subject(text: str) -> tuple[str, str]:
    """`customer:123` -> ("customer", "123"). The key is a plain identifier (it is rendered into SQL)."""
    kind, sep, key = text.partition(":")
    if not sep or not kind or not SUBJECT_KEY.match(key):
        raise GovernanceError(f"--subject {text!r}: expected TYPE:KEY, e.g. customer:123 (the key: letters, digits, "
                              "_ or -, at most 64)")
    return kind, key


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass
class Renderer:
    plan: ErasurePlan
    key: str
    erasure: Erasure
    register: str  # the register relation, as SQL
    # Snowflake rendered from a plan of another adapter: the databases of dbt's relations and of the sources
    databases: tuple[str, str] | None = None

    @property
    def dialect(self) -> str:
        return self.plan.dialect

    # -- names -------------------------------------------------------------------------------------

    def relation(self, node: Node) -> str:
        assert node.relation is not None
        catalog, schema, name = node.relation
        if self.dialect == "duckdb":
            return f"{schema}.{name}"
        if self.databases is not None:
            catalog = self.databases[1] if node.resource_type == "source" else self.databases[0]
        return f"{catalog}.{schema}.{name}"

    def source_relation(self, column: SourceColumn) -> str:
        for plan in self.plan.relations:
            node = plan.node
            if node.resource_type == "source" and (node.source_name, node.name) == (column.source, column.table):
                return self.relation(node)
        raise GovernanceError(f"source {column.table_key} has no relation in the manifest")

    # -- SQL fragments per dialect ------------------------------------------------------------------

    def as_text(self, expression: str) -> str:
        return f"cast({expression} as varchar)"

    def json_text(self, column: str, path: str) -> str:
        if self.dialect == "duckdb":
            return f"json_extract_string({column}, '$.{path}')"
        return f"{column}:{path}::varchar"

    def json_value(self, column: str, path: str) -> str:
        if self.dialect == "duckdb":
            return f"json_extract({column}, '$.{path}')"
        return f"{column}:{path}"

    def matches(self, column: str) -> str:
        if self.dialect == "duckdb":
            return f"regexp_matches({column}, vocabulary.pattern, 'i')"
        return f"regexp_instr({column}, vocabulary.pattern, 1, 1, 0, 'i') > 0"

    def replaced(self, column: str) -> str:
        if self.dialect == "duckdb":
            return f"regexp_replace({column}, vocabulary.pattern, {literal(REDACTED)}, 'gi')"
        return f"regexp_replace({column}, vocabulary.pattern, {literal(REDACTED)}, 1, 0, 'i')"

    def json_as_text(self, column: str) -> str:
        return f"cast({column} as varchar)" if self.dialect == "duckdb" else f"to_varchar({column})"

    def text_as_json(self, expression: str) -> str:
        return f"cast({expression} as json)" if self.dialect == "duckdb" else f"parse_json({expression})"

    def without_fields(self, column: str, paths: list[str]) -> str:
        """The JSON document without the given fields (dotted paths)."""
        if self.dialect == "duckdb":
            patch: dict = {}
            for path in paths:
                *parents, leaf = path.split(".")
                node = patch
                for parent in parents:
                    node = node.setdefault(parent, {})
                node[leaf] = None
            return f"json_merge_patch({column}, {literal(json.dumps(patch, sort_keys=True))})"
        return _snowflake_without(column, [p.split(".") for p in paths])

    # -- which rows are the subject's ---------------------------------------------------------------

    def key_condition(self, key: KeyColumn, is_source: bool) -> str:
        reference = key.reference
        if reference.via is not None:
            via = reference.via
            owner = self.direct_condition(via.table_key)
            return (f"{key.column} in (select {via.column} from {self.source_relation(via)} where {owner})")
        if reference.json_path and is_source:
            return f"{self.json_text(key.column, reference.json_path)} = {literal(self.key)}"
        return f"{self.as_text(key.column)} = {literal(self.key)}"

    def direct_condition(self, table_key: str) -> str:
        """The subject's rows of a source table holding the key directly (the `via` of another)."""
        for reference in self.plan.subject.key_columns:
            if reference.column.table_key == table_key and reference.via is None:
                return self.key_condition(KeyColumn(reference.column.column, reference), True)
        raise GovernanceError(f"vars.governance.erasure.subjects.{self.plan.subject.name}: the `via` source "
                              f"{table_key} holds no reference to the subject's key")

    def subject_rows(self, plan: RelationPlan) -> str:
        is_source = plan.node.resource_type == "source"
        return " or ".join(f"({self.key_condition(k, is_source)})" for k in plan.keys)

    def holding_values(self, plan: RelationPlan) -> str:
        checks = [f"{c} is not null" for c in plan.anonymise]
        checks += [f"{self.json_value(c, p)} is not null" for c, paths in plan.json_paths.items() for p in paths]
        return " or ".join(checks) if checks else "false"

    # -- the vocabulary of mentions -----------------------------------------------------------------

    def vocabulary(self) -> str:
        """One row, one column `pattern`: the subject's emails and phone numbers (every version in the raw
        layer, as stored and trimmed/lower-cased) as one case-insensitive alternation; NULL when none."""
        words = []
        for plan, column in self.plan.vocabulary:
            rows = f"from {self.relation(plan.node)} where {self.subject_rows(plan)}"
            words += [f"select {column} as word {rows}", f"select lower(trim({column})) as word {rows}"]
        if not words:
            return "(select cast(null as varchar) as pattern) as vocabulary"
        # each regular-expression metacharacter an email or phone number may hold becomes a bracket
        # expression, so that the pattern reads alike in RE2 (DuckDB) and Snowflake
        escaped = (r"regexp_replace(word, '([.+*?()${}|])', '[\1]', 'g')" if self.dialect == "duckdb"
                   else r"regexp_replace(word, '([.+*?()${}|])', '[\\1]')")
        aggregate = (f"string_agg(distinct {escaped}, '|')" if self.dialect == "duckdb"
                     else f"listagg(distinct {escaped}, '|')")
        return (f"(select {aggregate} as pattern from ({' union '.join(words)}) as words "
                "where word is not null and length(word) >= 5) as vocabulary")

    # -- counts -------------------------------------------------------------------------------------

    def count_rows(self, plan: RelationPlan) -> str:
        return f"select count(*) from {self.relation(plan.node)} where {self.subject_rows(plan)}"

    def count_values(self, plan: RelationPlan) -> str:
        return (f"select count(*) from {self.relation(plan.node)} "
                f"where ({self.subject_rows(plan)}) and ({self.holding_values(plan)})")

    def count_mentions(self, plan: RelationPlan, column: str) -> str:
        text = self.json_as_text(column) if column in plan.json_paths else column
        return f"select count(*) from {self.relation(plan.node)}, {self.vocabulary()} where {self.matches(text)}"

    # -- statements ---------------------------------------------------------------------------------

    def scrub(self, plan: RelationPlan, column: str) -> str:
        if column in plan.json_paths:
            text = self.json_as_text(column)
            value = self.text_as_json(self.replaced(text))
        else:
            text, value = column, self.replaced(column)
        return (f"update {self.relation(plan.node)} set {column} = {value} "
                f"from {self.vocabulary()} where {self.matches(text)}")

    def anonymise(self, plan: RelationPlan) -> str:
        assignments = [f"{c} = null" for c in plan.anonymise]
        assignments += [f"{c} = {self.without_fields(c, paths)}" for c, paths in plan.json_paths.items()]
        return (f"update {self.relation(plan.node)} set {', '.join(assignments)} "
                f"where ({self.subject_rows(plan)}) and ({self.holding_values(plan)})")

    def create_register(self) -> list[str]:
        schema = self.register.rsplit(".", 1)[0]
        return [f"create schema if not exists {schema}",
                f"create table if not exists {self.register} (subject varchar not null, subject_key varchar not null, "
                "erased_at timestamp not null)"]

    def record(self) -> str:
        subject, key = literal(self.plan.subject.name), literal(self.key)
        return (f"insert into {self.register} (subject, subject_key, erased_at) "
                f"select {subject}, {key}, current_timestamp where not exists "
                f"(select 1 from {self.register} where subject = {subject} and subject_key = {key})")

    def registered(self) -> str:
        return (f"select max(erased_at) from {self.register} where subject = {literal(self.plan.subject.name)} "
                f"and subject_key = {literal(self.key)}")

    def statements(self) -> list[tuple[str, str]]:
        """(what, statement) in the order they run: scrubs, anonymisations, the register."""
        work: list[tuple[str, str]] = []
        for plan in self.plan.relations:
            for column in plan.scrub:
                work.append((f"scrub {plan.name}.{column}", self.scrub(plan, column)))
        for plan in self.plan.relations:
            if plan.keys and (plan.anonymise or plan.json_paths):
                work.append((f"anonymise {plan.name}", self.anonymise(plan)))
        work.append(("record in the register", self.record()))
        return work

    def script(self) -> str:
        """The whole erasure as one Snowflake (or DuckDB) script, in one transaction."""
        lines = [f"-- governance erase --subject {self.plan.subject.name}:{self.key}",
                 "-- no personal value is written here: the statements read them in the database", ""]
        lines += [statement + ";" for statement in self.create_register()]
        lines += ["begin;"]
        for what, statement in self.statements():
            lines += [f"-- {what}", statement + ";"]
        lines += ["commit;", ""]
        return "\n".join(lines)


def _snowflake_without(column: str, paths: list[list[str]]) -> str:
    """OBJECT_DELETE at each level of the given paths (nested objects re-inserted with OBJECT_INSERT)."""
    leaves = sorted({p[0] for p in paths if len(p) == 1})
    nested: dict[str, list[list[str]]] = {}
    for path in paths:
        if len(path) > 1:
            nested.setdefault(path[0], []).append(path[1:])
    expression = column
    if leaves:
        expression = f"object_delete({expression}, {', '.join(literal(leaf) for leaf in leaves)})"
    for parent, rest in sorted(nested.items()):
        inner = _snowflake_without(f"{column}:{parent}", rest)
        expression = f"object_insert({expression}, {literal(parent)}, {inner}, true)"
    return expression
