"""Column-level lineage over a dbt project's compiled SQL (sqlglot).

For every model and snapshot in ``manifest.json`` (after ``dbt compile``) this module parses the
compiled SQL in the target's dialect (duckdb or snowflake), qualifies it against the columns known
for each upstream relation (``select *`` is expanded with them), and follows every output column
through CTEs, derived tables, joins, aliases, unions, CASE/COALESCE, window functions and scalar
subqueries back to the columns of upstream relations (sources, seeds, models, snapshots).

Each edge records the path of operations between the upstream column and the output column as
:class:`Step` s, and each step has a *kind*; the kinds that can remove personal content are the
ones the policy's ``lineage_rules`` may lower (see :mod:`governance.propagate`):

- ``count``      count / count distinct / approx_count_distinct
- ``predicate``  a boolean made from the value (comparisons, ``is null``, ``like``, ``in``, ``not``,
                 ``and``/``or``) and CASE/IF conditions (the output is chosen by a predicate)
- ``length``     length / char_length
- ``hash``       a hash of the value (md5, sha1, sha2, hash)
- ``keyed_hash`` a hash whose input also carries a key (a string literal of 8 or more characters,
                 or a session variable such as ``getvariable('...')``), or hmac
- ``year``       the year of a date (year(), extract(year ...), date_trunc('year', ...))
- ``window_key`` the value is a partition or order key of a window function (not its argument)
- ``aggregate``  min, max, sum, avg, string_agg, ... (keeps the content)
- ``copy``       cast, coalesce, case/if result branches (keeps the content)
- ``transform``  any other function or operator (keeps the content)

Columns used only in WHERE, JOIN ON, GROUP BY, HAVING or QUALIFY filter rows; they are not part of a
column's lineage (the usual definition of column lineage).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, build_scope
from sqlglot.schema import MappingSchema

from governance.errors import ProjectError
from governance.policy.sections import LOWERING_KINDS

Relation = tuple[str, str, str]  # (catalog, schema, name), lower case
ColumnKey = tuple[str, str]  # (node unique_id, column name lower case)

SQL_NODE_TYPES = ("model", "snapshot")
ROOT_NODE_TYPES = ("source", "seed")
STEP_KINDS = ("copy", *LOWERING_KINDS)
SNAPSHOT_META_COLUMNS = {
    "dbt_scd_id": "dbt_scd_id",
    "dbt_updated_at": "dbt_updated_at",
    "dbt_valid_from": "dbt_valid_from",
    "dbt_valid_to": "dbt_valid_to",
}
SUPPORTED_DIALECTS = ("duckdb", "snowflake")


@dataclass(frozen=True)
class Step:
    """One operation between an upstream column and an output column."""

    kind: str
    op: str

    def __str__(self) -> str:
        return self.op if self.kind in ("copy", "transform") else f"{self.op} [{self.kind}]"


@dataclass(frozen=True)
class SqlEdge:
    """An output column of one SQL statement depends on `column` of the physical `relation`."""

    relation: Relation
    column: str
    steps: tuple[Step, ...]


@dataclass
class SqlLineage:
    """Column lineage of one SQL statement."""

    columns: list[str]
    edges: dict[str, list[SqlEdge]]
    problems: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# one SQL statement
# --------------------------------------------------------------------------------------------------

_PREDICATES: tuple[type[exp.Expression], ...] = tuple(
    cls
    for cls in (
        getattr(exp, name, None)
        for name in (
            "Predicate",
            "Connector",
            "Not",
            "Exists",
            "StartsWith",
            "EndsWith",
            "Xor",
            "RegexpLike",
            "RegexpILike",
            "ArrayContains",
            "IsNan",
            "IsInf",
            "Contains",
        )
    )
    if cls is not None
)
_COUNTS: tuple[type[exp.Expression], ...] = tuple(
    cls for cls in (getattr(exp, n, None) for n in ("Count", "ApproxDistinct", "CountIf")) if cls is not None
)
_HASHES: tuple[type[exp.Expression], ...] = tuple(
    cls
    for cls in (
        getattr(exp, n, None)
        for n in (
            "MD5",
            "MD5Digest",
            "MD5NumberLower64",
            "MD5NumberUpper64",
            "SHA",
            "SHA2",
            "SHA1Digest",
            "SHA2Digest",
            "StandardHash",
            "CityHash64",
        )
    )
    if cls is not None
)
_HASH_NAMES = {
    "hash",
    "sha256",
    "sha512",
    "sha1_hex",
    "sha2_hex",
    "md5_hex",
    "md5_binary",
    "sha1_binary",
    "sha2_binary",
    "xxhash64",
    "murmurhash3",
    "farm_fingerprint",
    "hmac",
    "hmac_sha256",
}
_KEYED_HASH_NAMES = {"hmac", "hmac_sha256"}
_SESSION_VARIABLE_NAMES = {"getvariable", "current_setting", "getenv", "system$get_tag"}
_TRUNCS: tuple[type[exp.Expression], ...] = tuple(
    cls
    for cls in (getattr(exp, n, None) for n in ("TimestampTrunc", "DateTrunc", "DatetimeTrunc"))
    if cls is not None
)
_LENGTHS: tuple[type[exp.Expression], ...] = tuple(
    cls for cls in (getattr(exp, n, None) for n in ("Length", "ByteLength", "BitLength")) if cls is not None
)
_COPIES: tuple[type[exp.Expression], ...] = (exp.Cast, exp.Coalesce)
_TRANSPARENT: tuple[type[exp.Expression], ...] = (exp.Alias, exp.Paren, exp.Distinct, exp.Ordered, exp.Order)
_KEY_LITERAL_MIN_LENGTH = 8


def _op_name(node: exp.Expression) -> str:
    if isinstance(node, (exp.JSONExtract, exp.JSONExtractScalar)) and node.expression is not None:
        return f"{node.sql_name().lower()}({node.expression.sql()})"
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    if isinstance(node, exp.Func):
        return node.sql_name().lower()
    return node.key.lower()


def _is_year_unit(unit: exp.Expression | None) -> bool:
    return unit is not None and str(
        unit.name if isinstance(unit, (exp.Var, exp.Literal)) else unit.sql()
    ).strip("'\"").lower() in ("year", "years", "yyyy", "y", "yr", "yrs")


def _is_hash(node: exp.Expression) -> bool:
    return isinstance(node, _HASHES) or (
        isinstance(node, exp.Anonymous) and str(node.name).lower() in _HASH_NAMES
    )


def _is_keyed(node: exp.Expression) -> bool:
    """A hash is keyed when its input carries a secret besides the data: a long string literal or a
    session variable (a salt/pepper), or the function is an HMAC."""
    if isinstance(node, exp.Anonymous) and str(node.name).lower() in _KEYED_HASH_NAMES:
        return True
    for key, value in node.args.items():
        if isinstance(node, exp.SHA2) and key == "length":
            continue
        for child in value if isinstance(value, list) else [value]:
            if not isinstance(child, exp.Expression):
                continue
            for sub in child.walk():
                if (
                    isinstance(sub, exp.Literal)
                    and sub.is_string
                    and len(sub.this) >= _KEY_LITERAL_MIN_LENGTH
                ):
                    return True
                if isinstance(sub, (exp.Parameter, exp.Placeholder, exp.SessionParameter)):
                    return True
                if isinstance(sub, exp.Anonymous) and str(sub.name).lower() in _SESSION_VARIABLE_NAMES:
                    return True
    return False


def _child_step(node: exp.Expression, key: str) -> Step | bool | None:
    """The step a value takes from `node`'s argument `key` to `node`'s result. None: transparent;
    False: the argument is not part of the value (skip it)."""
    if isinstance(node, (_TRANSPARENT, exp.Column)):
        return None
    if isinstance(node, exp.Window):
        if key in ("partition_by", "order"):
            return Step("window_key", "over")
        if key == "this":
            return None
        return False
    if isinstance(node, exp.Case):
        if key == "this":
            return Step("predicate", "case")
        if key == "default":
            return Step("copy", "case")
        return None  # ifs: each If decides
    if isinstance(node, exp.If):
        if key == "this":
            return Step("predicate", "case when" if isinstance(node.parent, exp.Case) else "if")
        return Step("copy", "case" if isinstance(node.parent, exp.Case) else "if")
    if isinstance(node, _COUNTS):
        return Step("count", _op_name(node))
    if isinstance(node, _PREDICATES):
        return Step("predicate", _op_name(node))
    if isinstance(node, _LENGTHS):
        return Step("length", _op_name(node))
    if _is_hash(node):
        return Step("keyed_hash" if _is_keyed(node) else "hash", _op_name(node))
    if isinstance(node, exp.Year):
        return Step("year", "year")
    if isinstance(node, exp.Extract):
        if key == "this":
            return False
        return Step("year" if _is_year_unit(node.this) else "transform", f"extract({node.this.name.lower()})")
    if isinstance(node, _TRUNCS):
        if key == "unit":
            return False
        unit = node.args.get("unit")
        return Step("year" if _is_year_unit(unit) else "transform", "date_trunc")
    if isinstance(node, exp.Anonymous) and str(node.name).lower() in ("date_part", "datepart"):
        first = node.expressions[0] if node.expressions else None
        return Step("year" if _is_year_unit(first) else "transform", "date_part")
    if isinstance(node, (exp.Cast, exp.TryCast)):
        return Step("copy", "cast") if key == "this" else False
    if isinstance(node, _COPIES):
        return Step("copy", _op_name(node))
    if isinstance(node, exp.AggFunc):
        return Step("aggregate", _op_name(node))
    return Step("transform", _op_name(node))


class _StatementLineage:
    """Lineage of one qualified statement, scope by scope (memoized)."""

    def __init__(self, relation_of: Callable[[exp.Table], Relation]):
        self.relation_of = relation_of
        self.memo: dict[int, tuple[list[str], dict[str, list[SqlEdge]]]] = {}
        self.stars: dict[int, list[Any]] = {}
        self.problems: list[str] = []

    def outputs(self, scope: Scope) -> tuple[list[str], dict[str, list[SqlEdge]]]:
        key = id(scope)
        if key not in self.memo:
            self.memo[key] = ([], {})  # guards against recursive CTE cycles
            self.memo[key] = self._compute(scope)
        return self.memo[key]

    def lookup(self, scope: Scope, name: str) -> list[SqlEdge] | None:
        """The edges of output column `name` of `scope`; through an unexpanded `*` (columns unknown)
        the name is followed into the star's relations."""
        _, edges = self.outputs(scope)
        if name in edges:
            return edges[name]
        for source in self.stars.get(id(scope), []):
            if isinstance(source, Scope):
                found = self.lookup(source, name)
                if found is not None:
                    return found
            elif isinstance(source, exp.Table):
                return [SqlEdge(self.relation_of(source), name, ())]
        return None

    def _compute(self, scope: Scope) -> tuple[list[str], dict[str, list[SqlEdge]]]:
        expression = scope.expression
        if isinstance(expression, exp.SetOperation):
            return self._set_operation(scope)
        if not isinstance(expression, exp.Select):
            self.problems.append(f"unsupported statement part: {expression.key}")
            return [], {}
        names: list[str] = []
        edges: dict[str, list[SqlEdge]] = {}
        for select in expression.selects:
            star_table = None
            if isinstance(select, exp.Column) and isinstance(select.this, exp.Star):
                star_table = select.table
            if isinstance(select, exp.Star) or star_table is not None:
                self.problems.append(
                    f"cannot expand `{select.sql()}`: the columns of its relation are unknown (document them "
                    "in YAML, or pass a catalog or a database); its columns are followed by name"
                )
                selected = scope.selected_sources
                chosen = [selected[star_table]] if star_table in selected else list(selected.values())
                self.stars.setdefault(id(scope), []).extend(source for _, source in chosen)
                continue
            name = select.alias_or_name.lower()
            found: dict[SqlEdge, None] = {}
            self._walk(select, [], scope, found)
            if name not in edges:
                names.append(name)
                edges[name] = list(found)
            else:
                edges[name].extend(e for e in found if e not in edges[name])
        return names, edges

    def _set_operation(self, scope: Scope) -> tuple[list[str], dict[str, list[SqlEdge]]]:
        branches = list(scope.set_operation_scopes)
        if not branches:
            return [], {}
        names, first = self.outputs(branches[0])
        edges = {name: list(first.get(name, [])) for name in names}
        use_right = not isinstance(scope.expression, exp.Except)
        for branch in branches[1:] if use_right else []:
            branch_names, branch_edges = self.outputs(branch)
            if len(branch_names) != len(names):
                self.problems.append(
                    f"set operation branches have {len(names)} and {len(branch_names)} columns"
                )
            for name, other in zip(names, branch_names, strict=False):
                for edge in branch_edges.get(other, []):
                    if edge not in edges[name]:
                        edges[name].append(edge)
        return names, edges

    def _walk(
        self, node: exp.Expression, outer: list[Step], scope: Scope, found: dict[SqlEdge, None]
    ) -> None:
        if isinstance(node, exp.Column):
            if isinstance(node.this, exp.Star):
                return
            self._column(node, outer, scope, found)
            return
        if isinstance(node, (exp.Subquery, exp.Select, exp.SetOperation)):
            self._subquery(node, outer, scope, found)
            return
        if isinstance(node, (exp.Star, exp.Literal, exp.DataType, exp.Null, exp.Boolean)):
            return
        for key, value in node.args.items():
            children = value if isinstance(value, list) else [value]
            step = None
            for child in children:
                if not isinstance(child, exp.Expression):
                    continue
                step = _child_step(node, key)
                if step is False:
                    break
                self._walk(child, [*outer, step] if step is not None else outer, scope, found)

    def _column(
        self, column: exp.Column, outer: list[Step], scope: Scope, found: dict[SqlEdge, None]
    ) -> None:
        table = column.table
        name = column.name.lower()
        path = _path(outer)
        current: Scope | None = scope
        source: Any = None
        while current is not None and source is None:
            if table:
                selected = current.selected_sources.get(table)
                source = selected[1] if selected else current.sources.get(table)
            current = current.parent if source is None else current
        if source is None and not table and len(scope.selected_sources) == 1:
            source = next(iter(scope.selected_sources.values()))[1]
        if source is None:
            if not table:
                self.problems.append(f"column `{column.sql()}` could not be resolved to a relation")
            else:
                self.problems.append(f"column `{column.sql()}`: unknown relation `{table}`")
            return
        if isinstance(source, Scope):
            upstream = self.lookup(source, name)
            if upstream is None:
                names, _ = self.outputs(source)
                self.problems.append(f"column `{name}` not found in `{table}` (known: {', '.join(names)})")
                return
            for edge in upstream:
                found.setdefault(SqlEdge(edge.relation, edge.column, _dedupe((*edge.steps, *path))), None)
        elif isinstance(source, exp.Table):
            found.setdefault(SqlEdge(self.relation_of(source), name, path), None)
        else:
            self.problems.append(
                f"column `{column.sql()}` comes from an unsupported source `{source.sql()[:60]}`"
            )

    def _subquery(
        self, node: exp.Expression, outer: list[Step], scope: Scope, found: dict[SqlEdge, None]
    ) -> None:
        target = node.this if isinstance(node, exp.Subquery) else node
        for child in scope.subquery_scopes + scope.derived_table_scopes + scope.set_operation_scopes:
            if child.expression is target:
                _, edges = self.outputs(child)
                for column_edges in edges.values():
                    for edge in column_edges:
                        found.setdefault(
                            SqlEdge(edge.relation, edge.column, _dedupe((*edge.steps, *_path(outer)))), None
                        )
                return
        self.problems.append(f"subquery not found in scope: {node.sql()[:60]}")


def _path(outer: list[Step]) -> tuple[Step, ...]:
    """Steps collected from the output inwards, returned from the source outwards."""
    return _dedupe(tuple(reversed(outer)))


def _dedupe(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    out: list[Step] = []
    for step in steps:
        if not out or out[-1] != step:
            out.append(step)
    return tuple(out)


def relation_key(table: exp.Table) -> Relation:
    return (str(table.catalog).lower(), str(table.db).lower(), str(table.name).lower())


def parse_relation(name: str, dialect: str) -> Relation:
    return relation_key(exp.to_table(name, dialect=dialect))


def sql_lineage(
    sql: str,
    dialect: str,
    schema: MappingSchema | dict[str, Any] | None = None,
    relation_of: Callable[[exp.Table], Relation] = relation_key,
) -> SqlLineage:
    """Column lineage of one SELECT statement (compiled SQL). `schema` knows the columns of the
    relations it reads (needed to expand `select *` and to place unqualified columns)."""
    if not isinstance(schema, MappingSchema):
        schema = MappingSchema(schema or {}, dialect=dialect)
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except SqlglotError as exc:
        raise LineageError(f"cannot parse SQL ({dialect}): {str(exc).splitlines()[0]}") from exc
    if len(statements) != 1:
        raise LineageError(f"expected one SQL statement, found {len(statements)}")
    try:
        qualified = qualify(
            statements[0],
            schema=schema,
            dialect=dialect,
            validate_qualify_columns=False,
            quote_identifiers=False,
            identify=False,
        )
        root = build_scope(qualified)
    except SqlglotError as exc:
        raise LineageError(f"cannot qualify SQL: {str(exc).splitlines()[0]}") from exc
    if root is None:
        raise LineageError("not a query (no SELECT found)")
    walker = _StatementLineage(relation_of)
    names, edges = walker.outputs(root)
    return SqlLineage(names, edges, list(dict.fromkeys(walker.problems)))


class LineageError(Exception):
    """One statement cannot be analysed (reported per model; other models go on)."""


# --------------------------------------------------------------------------------------------------
# the whole project (manifest)
# --------------------------------------------------------------------------------------------------


@dataclass
class Node:
    """A relation in the dbt graph: a source table, seed, model or snapshot."""

    unique_id: str
    resource_type: str
    name: str
    relation: Relation | None
    documented_columns: list[str]
    yaml_path: str | None  # property file, relative to the project directory
    depends_on: list[str]
    compiled_sql: str | None = None
    source_name: str | None = None
    columns: list[str] = field(default_factory=list)  # known or computed output columns
    config: dict[str, Any] = field(default_factory=dict)
    file_path: str | None = None  # the node's own file (SQL, CSV, or the sources YAML)

    @property
    def display(self) -> str:
        return f"{self.source_name}.{self.name}" if self.resource_type == "source" else self.name


@dataclass(frozen=True)
class ColumnEdge:
    source: ColumnKey
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Problem:
    unique_id: str
    severity: str  # error (node not analysed) | warning (some columns unresolved)
    message: str


@dataclass
class LineageGraph:
    dialect: str
    nodes: dict[str, Node]
    edges: dict[ColumnKey, list[ColumnEdge]]
    order: list[str]
    problems: list[Problem]

    def find(self, name: str) -> Node:
        """A node by model/snapshot/seed name, `source_name.table`, or unique id."""
        lowered = name.lower()
        matches = [
            n
            for n in self.nodes.values()
            if lowered in (n.unique_id.lower(), n.name.lower(), n.display.lower())
        ]
        by_name = [n for n in matches if n.resource_type != "source" and n.name.lower() == lowered]
        if len(by_name) == 1:
            return by_name[0]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ProjectError(f"no model, snapshot, seed or source named {name!r} in the manifest")
        raise ProjectError(f"{name!r} is ambiguous: {', '.join(sorted(n.unique_id for n in matches))}")

    def upstream(self, key: ColumnKey) -> list[ColumnEdge]:
        return self.edges.get(key, [])

    def problems_for(self, unique_id: str) -> list[Problem]:
        return [p for p in self.problems if p.unique_id == unique_id]


def _yaml_path(node: dict[str, Any]) -> str | None:
    if node.get("resource_type") == "source":
        return node.get("original_file_path")
    patch = node.get("patch_path")
    if patch and "://" in patch:
        return patch.split("://", 1)[1]
    return patch


def nodes_from_manifest(manifest: dict[str, Any], dialect: str) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for uid, raw in {**manifest.get("nodes", {}), **manifest.get("sources", {})}.items():
        kind = raw.get("resource_type")
        if kind not in SQL_NODE_TYPES + ROOT_NODE_TYPES:
            continue
        if kind == "model" and (raw.get("config") or {}).get("materialized") == "ephemeral":
            relation = None
        else:
            relation = parse_relation(raw["relation_name"], dialect) if raw.get("relation_name") else None
        documented = [str(c).lower() for c in raw.get("columns") or {}]
        if kind == "seed":
            for column in (raw.get("config") or {}).get("column_types") or {}:
                if str(column).lower() not in documented:
                    documented.append(str(column).lower())
        nodes[uid] = Node(
            unique_id=uid,
            resource_type=kind,
            name=raw["name"],
            relation=relation,
            documented_columns=documented,
            yaml_path=_yaml_path(raw),
            depends_on=list((raw.get("depends_on") or {}).get("nodes") or []),
            compiled_sql=raw.get("compiled_code") if kind in SQL_NODE_TYPES else None,
            source_name=raw.get("source_name"),
            config=dict(raw.get("config") or {}),
            file_path=raw.get("original_file_path"),
        )
    return nodes


def snapshot_meta_columns(node: Node) -> list[str]:
    names = dict(SNAPSHOT_META_COLUMNS)
    names.update({k: v for k, v in (node.config.get("snapshot_meta_column_names") or {}).items() if v})
    columns = [str(names[k]).lower() for k in SNAPSHOT_META_COLUMNS]
    if node.config.get("hard_deletes") == "new_record":
        columns.append(str(names.get("dbt_is_deleted", "dbt_is_deleted")).lower())
    return columns


class _RelationIndex:
    """Maps physical relations named in compiled SQL to graph nodes (exact, then without catalog)."""

    def __init__(self, nodes: Iterable[Node]):
        self.exact: dict[Relation, str] = {}
        self.partial: dict[tuple[str, str], list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for node in nodes:
            if node.relation:
                self.exact[node.relation] = node.unique_id
                self.partial.setdefault(node.relation[1:], []).append(node.unique_id)
                self.by_name.setdefault(node.relation[2], []).append(node.unique_id)

    def lookup(self, relation: Relation) -> str | None:
        if relation in self.exact:
            return self.exact[relation]
        found = self.partial.get(relation[1:], []) if relation[1] else self.by_name.get(relation[2], [])
        return found[0] if len(found) == 1 else None


def build_lineage(
    manifest: dict[str, Any],
    extra_columns: dict[Relation, list[str]] | None = None,
    progress: Callable[[Node], None] | None = None,
) -> LineageGraph:
    """Column lineage of every model and snapshot in the manifest, in topological order.

    `extra_columns` adds columns known from the warehouse (a catalog or information_schema) to the
    documented columns of sources and seeds (used to expand `select *`)."""
    dialect = str((manifest.get("metadata") or {}).get("adapter_type") or "duckdb")
    if dialect not in SUPPORTED_DIALECTS:
        raise ProjectError(
            f"manifest: adapter {dialect!r} is not supported (supported: {SUPPORTED_DIALECTS})"
        )
    nodes = nodes_from_manifest(manifest, dialect)
    extra = extra_columns or {}
    index = _RelationIndex(nodes.values())
    schema = MappingSchema(dialect=dialect)
    problems: list[Problem] = []
    edges: dict[ColumnKey, list[ColumnEdge]] = {}

    def register(node: Node) -> None:
        if node.relation and node.columns:
            catalog, db, name = node.relation
            table = exp.Table(
                this=exp.to_identifier(name),
                db=exp.to_identifier(db) if db else None,
                catalog=exp.to_identifier(catalog) if catalog else None,
            )
            schema.add_table(table, dict.fromkeys(node.columns, "UNKNOWN"), dialect=dialect)

    sorter: TopologicalSorter[str] = TopologicalSorter()
    for uid, node in nodes.items():
        sorter.add(uid, *[d for d in node.depends_on if d in nodes and d != uid])
    try:
        order = list(sorter.static_order())
    except CycleError as exc:
        raise ProjectError(f"manifest: dependency cycle {exc.args[1]}") from exc

    for uid in order:
        node = nodes[uid]
        if node.resource_type in ROOT_NODE_TYPES:
            node.columns = list(
                dict.fromkeys([*node.documented_columns, *extra.get(node.relation or ("", "", ""), [])])
            )
            if not node.columns:
                problems.append(
                    Problem(
                        uid,
                        "warning",
                        "no known columns (document them, or pass a catalog or "
                        "a database so `select *` over it can be expanded)",
                    )
                )
            register(node)
            continue
        if progress:
            progress(node)
        self_relation = node.relation
        unknown: set[Relation] = set()
        try:
            result = sql_lineage(_normalize_sql(node.compiled_sql or ""), dialect, schema)
        except LineageError as exc:
            problems.append(Problem(uid, "error", str(exc)))
            node.columns = list(node.documented_columns)
            register(node)
            continue
        columns = list(result.columns)
        for column, sql_edges in result.edges.items():
            column_edges: list[ColumnEdge] = []
            for edge in sql_edges:
                if self_relation is not None and edge.relation == self_relation:
                    continue  # `{{ this }}` in an incremental model: not an upstream
                upstream = index.lookup(edge.relation)
                if upstream is None:
                    unknown.add(edge.relation)
                    continue
                ce = ColumnEdge((upstream, edge.column), edge.steps)
                if ce not in column_edges:
                    column_edges.append(ce)
                if edge.column not in nodes[upstream].columns:
                    problems.append(
                        Problem(
                            uid,
                            "warning",
                            f"column `{column}` reads "
                            f"`{nodes[upstream].display}.{edge.column}`, which is not a known column",
                        )
                    )
            edges[(uid, column)] = column_edges
        if node.resource_type == "snapshot":
            columns += [c for c in snapshot_meta_columns(node) if c not in columns]
        node.columns = columns
        for message in result.problems:
            problems.append(Problem(uid, "warning", message))
        for relation in sorted(unknown):
            problems.append(
                Problem(
                    uid,
                    "warning",
                    f"reads `{'.'.join(p for p in relation if p)}`, which is "
                    "not a source, seed, model or snapshot of this project",
                )
            )
        register(node)
    return LineageGraph(dialect, nodes, edges, order, problems)


_COMMENT_ONLY = re.compile(r"^\s*$")


def _normalize_sql(sql: str) -> str:
    """Compiled SQL may end with a semicolon or carry only whitespace around the statement."""
    text = sql.strip().rstrip(";").strip()
    if _COMMENT_ONLY.match(text):
        raise LineageError("no compiled SQL (run `dbt compile`)")
    return text


# --------------------------------------------------------------------------------------------------
# columns known to the warehouse
# --------------------------------------------------------------------------------------------------


def columns_from_duckdb(path: Path) -> dict[Relation, list[str]]:
    """Columns of every table and view in a DuckDB file (information_schema, read-only)."""
    import duckdb

    if not path.is_file():
        raise ProjectError(f"{path}: DuckDB database not found")
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise ProjectError(f"{path}: cannot open the DuckDB database read-only: {exc}") from exc
    try:
        rows = connection.execute(
            "select table_catalog, table_schema, table_name, column_name from information_schema.columns "
            "order by table_catalog, table_schema, table_name, ordinal_position"
        ).fetchall()
    finally:
        connection.close()
    out: dict[Relation, list[str]] = {}
    for catalog, schema_name, table, column in rows:
        out.setdefault((catalog.lower(), schema_name.lower(), table.lower()), []).append(column.lower())
    return out
