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
- ``pan_truncation`` a card number truncated to its first six and last four digits, exactly as the
                 project's macro ``truncate_pan`` writes it (``_is_pan_truncation``); any other slice is a
                 ``transform``
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
# `row`: a whole row serialised into one value (to_json(t), struct_pack, `select t`): a copy of every
# column; `unresolved`: a statement lineage could not fully analyse, so every output depends on every
# column it reads (fail closed). Neither can be named by a lowering rule.
STEP_KINDS = ("copy", "row", "unresolved", *LOWERING_KINDS)
WHOLE_RELATION = "*"  # an edge to every column of its relation
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
APPROVED_KEYED_HASH = "governance_keyed_hash"
# Conditions (predicates, and CASEs whose branches all return constants) lower an output column only
# while together they can disclose at most this many bits per row: a CASE of k constants discloses
# log2(k), a bare predicate 1. More can spell a value out (a binary search over its characters, or one
# CASE per character concatenated), so past the budget the conditions keep the upstream level.
MAX_DISCLOSED_BITS = 4.0
_POSITIONAL: tuple[type[exp.Expression], ...] = tuple(
    cls for cls in (getattr(exp, n, None) for n in (
        "Substring", "Left", "Right", "StrPosition", "SplitPart", "RegexpExtract", "RegexpExtractAll", "RegexpLike",
        "RegexpILike", "SimilarTo", "Ascii", "Unicode", "Bracket")) if cls is not None
)
_PATTERNS: tuple[type[exp.Expression], ...] = tuple(
    cls for cls in (getattr(exp, n, None) for n in ("Like", "ILike", "Glob")) if cls is not None)
_POSITIONAL_NAMES = {"substr", "substring", "left", "right", "strpos", "instr", "charindex", "position", "split_part",
                     "regexp_extract", "regexp_substr", "regexp_like", "regexp_matches", "regexp_instr",
                     "array_extract", "list_extract", "ord", "ascii", "unicode", "mid"}
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
# a schema-qualified function call (`governance.governance_keyed_hash(x)`) is a Dot around the call


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
    """A hash is keyed only when it is the project's approved secret reference: the function
    `governance_keyed_hash(value)` (the dbt macro of the same name compiles to it; its key lives in the
    warehouse's secret handling, never in model SQL). A salt from a literal or a session variable in
    model SQL is not a key: whoever reads the repository or sets the variable can rebuild the value."""
    return isinstance(node, exp.Anonymous) and str(node.name).lower() == APPROVED_KEYED_HASH


PAN_TRUNCATION_MACRO = "truncate_pan"
PAN_KEPT = (6, 4)  # first six and last four digits (PCI DSS's most that may be shown)
PAN_LENGTHS = (13, 19)  # a card number's length; anything else truncates to NULL


def _int_literal(node: exp.Expression | None) -> int | None:
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
        return int(node.this)
    return None


def _is_pan_truncation(node: exp.Expression) -> bool:
    """Whether `node` is exactly what the macro `truncate_pan(value)` compiles to (macros/pci/truncate_pan.sql):
    `case when length(v) between 13 and 19 then left(v, 6) || '******' || right(v, 4) end`, the same `v`
    three times. Nothing else that slices a value is recognised: another cut (`left(v, 8)`), a missing
    length guard (a short value would be shown whole) or two different values keep the upstream level."""
    ifs = node.args.get("ifs") if isinstance(node, exp.Case) else None
    if not ifs or len(ifs) != 1 or node.this is not None or node.args.get("default") is not None:
        return False
    condition, output = ifs[0].this, ifs[0].args.get("true")
    if not (isinstance(condition, exp.Between) and isinstance(condition.this, exp.Length)
            and (_int_literal(condition.args.get("low")), _int_literal(condition.args.get("high"))) == PAN_LENGTHS):
        return False
    if not (isinstance(output, exp.DPipe) and isinstance(output.this, exp.DPipe)
            and isinstance(output.this.this, exp.Left) and isinstance(output.expression, exp.Right)):
        return False
    middle = output.this.expression
    if not (isinstance(middle, exp.Literal) and middle.is_string and set(middle.this) == {"*"}):
        return False
    if (_int_literal(output.this.this.expression), _int_literal(output.expression.expression)) != PAN_KEPT:
        return False
    values = (condition.this.this, output.this.this.this, output.expression.this)
    return len({value.sql() for value in values}) == 1


def _constant(node: exp.Expression | None) -> bool:
    return node is None or isinstance(node, (exp.Literal, exp.Null, exp.Boolean)) or (
        isinstance(node, (exp.Paren, exp.Cast)) and _constant(node.this))


def _reads_positions(node: exp.Expression) -> bool:
    """Whether a condition looks at one position of a value (substr, left/right, strpos, regexp, a LIKE
    pattern with single-character wildcards): such conditions can spell the value out one character at
    a time, so they remove nothing. Prefix, suffix and containment tests of literals do not."""
    for sub in node.walk():
        if isinstance(sub, _POSITIONAL):
            return True
        if isinstance(sub, exp.Anonymous) and str(sub.name).lower() in _POSITIONAL_NAMES:
            return True
        if isinstance(sub, _PATTERNS):
            pattern = sub.expression
            if not (isinstance(pattern, exp.Literal) and pattern.is_string):
                return True
            wildcards = "_" if not isinstance(sub, exp.Glob) else "?["
            if any(w in pattern.this.replace("\\_", "") for w in wildcards) or "%" in pattern.this.strip("%"):
                return True
    return False


def _bounded_case(case: exp.Expression) -> bool:
    """A CASE (or IF) whose every branch returns a constant and whose conditions do not read parts of
    a value: its output is one of a few constants, so it reveals a bounded fact, not the value."""
    if isinstance(case, exp.Case):
        branches = [branch.args.get("true") for branch in case.args.get("ifs") or []]
        conditions = [branch.this for branch in case.args.get("ifs") or []]
        if case.this is not None:
            conditions.append(case.this)
        outputs = [*branches, case.args.get("default")]
    else:
        outputs = [case.args.get("true"), case.args.get("false")]
        conditions = [case.this]
    return all(_constant(o) for o in outputs) and not any(c is not None and _reads_positions(c) for c in conditions)


def _distinct_outputs(case: exp.Expression) -> int:
    if isinstance(case, exp.Case):
        outputs = [branch.args.get("true") for branch in case.args.get("ifs") or []] + [case.args.get("default")]
    else:
        outputs = [case.args.get("true"), case.args.get("false")]
    return len({"null" if o is None else o.sql() for o in outputs})


def disclosed_bits(expression: exp.Expression) -> float:
    """How many bits per row the conditions of an output expression can disclose at most."""
    import math

    bits = 0.0
    stack = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, (exp.Case, exp.If)) and not isinstance(node.parent, exp.Case) and _bounded_case(node):
            bits += math.log2(max(2, _distinct_outputs(node)))
            continue
        if isinstance(node, _PREDICATES) and not isinstance(node.parent, _PREDICATES):
            bits += 1.0
        stack.extend(child for child in node.iter_expressions())
    return bits


def _child_step(node: exp.Expression, key: str) -> Step | bool | None:
    """The step a value takes from `node`'s argument `key` to `node`'s result. None: transparent;
    False: the argument is not part of the value (skip it)."""
    if isinstance(node, (_TRANSPARENT, exp.Column)):
        return None
    if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Func):
        return None if key == "expression" else False
    if isinstance(node, exp.Window):
        if key in ("partition_by", "order"):
            return Step("window_key", "over")
        if key == "this":
            return None
        return False
    if isinstance(node, exp.Case) and _is_pan_truncation(node):
        return Step("pan_truncation", PAN_TRUNCATION_MACRO)
    if isinstance(node, exp.Case):
        if key == "this":
            return Step("predicate" if _bounded_case(node) else "transform", "case")
        if key == "default":
            return Step("copy", "case")
        return None  # ifs: each If decides
    if isinstance(node, exp.If):
        case = node.parent if isinstance(node.parent, exp.Case) else node
        if key == "this":
            return Step("predicate" if _bounded_case(case) else "transform",
                        "case when" if case is not node else "if")
        return Step("copy", "case" if case is not node else "if")
    if isinstance(node, _COUNTS):
        return Step("count", _op_name(node))
    if isinstance(node, _PREDICATES):
        return Step("transform" if _reads_positions(node) else "predicate", _op_name(node))
    if isinstance(node, _LENGTHS):
        return Step("length", _op_name(node))
    if _is_keyed(node):
        return Step("keyed_hash", _op_name(node))
    if _is_hash(node):
        return Step("hash", _op_name(node))
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

    def __init__(self, relation_of: Callable[[exp.Table], Relation], schema: MappingSchema):
        self.relation_of = relation_of
        self.schema = schema
        self.memo: dict[int, tuple[list[str], dict[str, list[SqlEdge]]]] = {}
        self.stars: dict[int, list[Any]] = {}
        self.problems: list[str] = []
        self.table_functions: set[int] = set()

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
        if id(scope) in self.table_functions:  # a table function's columns all read the same inputs
            return [e for column_edges in edges.values() for e in column_edges]
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
        if isinstance(expression, (exp.Unnest, exp.Lateral, exp.Values)) or (
                isinstance(expression, exp.Func) and not isinstance(expression, exp.Select)):
            return self._table_function(scope)
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
            if disclosed_bits(select) > MAX_DISCLOSED_BITS:
                found = _without_lowering_conditions(found)
            if name not in edges:
                names.append(name)
                edges[name] = list(found)
            else:
                edges[name].extend(e for e in found if e not in edges[name])
        return names, edges

    def _table_function(self, scope: Scope) -> tuple[list[str], dict[str, list[SqlEdge]]]:
        """UNNEST, LATERAL, FLATTEN, VALUES and other table functions: each output column depends on
        every column their arguments read (VALUES of constants: on nothing)."""
        expression = scope.expression
        alias = expression.args.get("alias")
        names = [c.name.lower() for c in (alias.columns if alias is not None else [])] or ["value"]
        found: dict[SqlEdge, None] = {}
        outer = scope.parent or scope
        for key, value in expression.args.items():
            if key == "alias":
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, exp.Expression):
                    self._walk(child, [Step("transform", expression.key)], outer, found)
        edges = {name: list(found) for name in names}
        self.table_functions.add(id(scope))
        return names, edges

    def _whole_row(self, source: Any, outer: list[Step], found: dict[SqlEdge, None]) -> None:
        """`source` used as a value (a whole row): the value depends on every column of it."""
        path = _path([*outer, Step("row", "row")])
        if isinstance(source, Scope):
            _, edges = self.outputs(source)
            for column_edges in edges.values():
                for edge in column_edges:
                    found.setdefault(SqlEdge(edge.relation, edge.column, _dedupe((*edge.steps, *path))), None)
            for inner in self.stars.get(id(source), []):
                self._whole_row(inner, outer, found)
        elif isinstance(source, exp.Table):
            found.setdefault(SqlEdge(self.relation_of(source), WHOLE_RELATION, path), None)
        elif isinstance(source, exp.Expression):
            self._walk(source, [*outer, Step("row", "row")], None, found)

    def _every_source(self, scope: Scope | None, table: str | None, outer: list[Step],
                      found: dict[SqlEdge, None]) -> None:
        """A star inside an expression (`object_construct(*)`, `row(t.*)`, `columns('.*')`)."""
        if scope is None:
            self.problems.append("a star outside any query scope")
            return
        selected = scope.selected_sources
        chosen = [selected[table]] if table and table in selected else list(selected.values())
        if table and table not in selected:
            self.problems.append(f"`{table}.*`: unknown relation `{table}`")
        for _, source in chosen:
            self._whole_row(source, outer, found)

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
        self, node: exp.Expression, outer: list[Step], scope: Scope | None, found: dict[SqlEdge, None]
    ) -> None:
        if isinstance(node, exp.Column):
            if isinstance(node.this, exp.Star):
                self._every_source(scope, node.table or None, outer, found)
                return
            self._column(node, outer, scope, found)
            return
        if isinstance(node, exp.Star) and isinstance(node.parent, _COUNTS):
            return  # count(*) counts rows: it reads no column
        if isinstance(node, exp.Star) or (_COLUMNS is not None and isinstance(node, _COLUMNS)):
            self._every_source(scope, None, [*outer, Step("row", _op_name(node))], found)
            return
        if _TABLE_COLUMN is not None and isinstance(node, _TABLE_COLUMN):
            self._table_as_value(node.name, outer, scope, found)
            return
        if isinstance(node, (exp.Subquery, exp.Select, exp.SetOperation)):
            self._subquery(node, outer, scope, found)
            return
        if isinstance(node, (exp.Literal, exp.DataType, exp.Null, exp.Boolean)):
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

    def _table_as_value(self, name: str, outer: list[Step], scope: Scope | None,
                        found: dict[SqlEdge, None]) -> None:
        current = scope
        while current is not None:
            selected = current.selected_sources.get(name) or current.selected_sources.get(name.lower())
            if selected:
                self._whole_row(selected[1], outer, found)
                return
            for _, source in current.selected_sources.values():
                if isinstance(source, exp.Table) and source.name.lower() == name.lower():
                    self._whole_row(source, outer, found)
                    return
            current = current.parent
        self.problems.append(f"`{name}` used as a value, but it names no relation of the query")

    def _is_column_of(self, source: Any, name: str) -> bool:
        if isinstance(source, Scope):
            names, _ = self.outputs(source)
            return name in names or bool(self.stars.get(id(source))) or id(source) in self.table_functions
        if isinstance(source, exp.Table):
            try:
                known = [c.lower() for c in self.schema.column_names(source)]
            except Exception:
                return True
            return not known or name in known
        return True

    def _column(
        self, column: exp.Column, outer: list[Step], scope: Scope | None, found: dict[SqlEdge, None]
    ) -> None:
        if scope is None:
            self.problems.append(f"column `{column.sql()}` outside any query scope")
            return
        table = column.table
        name = column.name.lower()
        if not table:
            # DuckDB reads a bare relation name as its whole row (`select customers from customers`)
            names = {alias.lower() for alias in scope.selected_sources} | {
                s.name.lower() for _, s in scope.selected_sources.values() if isinstance(s, exp.Table)}
            if name in names and not any(self._is_column_of(s, name) for _, s in scope.selected_sources.values()):
                self._table_as_value(name, outer, scope, found)
                return
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


def _without_lowering_conditions(found: dict[SqlEdge, None]) -> dict[SqlEdge, None]:
    """The edges of an output whose conditions disclose too much: predicate steps read as the value."""
    kept: dict[SqlEdge, None] = {}
    for edge in found:
        steps = tuple(Step("transform", f"{s.op} (conditions over the disclosure budget)") if s.kind == "predicate"
                      else s for s in edge.steps)
        kept.setdefault(SqlEdge(edge.relation, edge.column, steps), None)
    return kept


_COLUMNS = getattr(exp, "Columns", None)
_TABLE_COLUMN = getattr(exp, "TableColumn", None)


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
    walker = _StatementLineage(relation_of, schema)
    names, edges = walker.outputs(root)
    problems = list(dict.fromkeys(walker.problems))
    if problems:
        # fail closed: what could not be analysed may carry anything the statement reads
        taint = Step("unresolved", "not fully analysed")
        reads = {relation_of(table) for table in qualified.find_all(exp.Table) if table.name}
        for name in names:
            for relation in sorted(reads):
                edge = SqlEdge(relation, WHOLE_RELATION, (taint,))
                if edge not in edges[name]:
                    edges[name].append(edge)
    return SqlLineage(names, edges, problems)


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
    notes: list[str] = field(default_factory=list)  # about the whole analysis (reported as warnings)

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
    branches: dict[str, dict[str, str]] | None = None,
) -> LineageGraph:
    """Column lineage of every model and snapshot in the manifest, in topological order.

    `extra_columns` adds columns known from the warehouse (a catalog or information_schema) to the
    documented columns of sources and seeds (used to expand `select *`). `branches` maps a branch name
    (e.g. "incremental") to the compiled SQL of each node in that branch: where it differs from the
    manifest's, its lineage is added to the node's (a column depends on what either branch reads), so a
    column gets the highest classification of what runs."""
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

    def add_edges(node: Node, result: SqlLineage, label: str) -> None:
        """The statement's edges onto graph nodes, added to the node's (problems named with `label`)."""
        uid, unknown = node.unique_id, set()
        for column, sql_edges in result.edges.items():
            column_edges = edges.setdefault((uid, column), [])
            for edge in sql_edges:
                if node.relation is not None and edge.relation == node.relation:
                    continue  # `{{ this }}` in an incremental model: not an upstream
                upstream = index.lookup(edge.relation)
                if upstream is None:
                    unknown.add(edge.relation)
                    continue
                if edge.column == WHOLE_RELATION:
                    if not nodes[upstream].columns:
                        problems.append(Problem(uid, "error", f"{label}column `{column}` reads every column of "
                                                f"`{nodes[upstream].display}`, whose columns are unknown"))
                    for upstream_column in nodes[upstream].columns:
                        ce = ColumnEdge((upstream, upstream_column), edge.steps)
                        if ce not in column_edges:
                            column_edges.append(ce)
                    continue
                ce = ColumnEdge((upstream, edge.column), edge.steps)
                if ce not in column_edges:
                    column_edges.append(ce)
                if edge.column not in nodes[upstream].columns:
                    problems.append(Problem(uid, "warning", f"{label}column `{column}` reads "
                                            f"`{nodes[upstream].display}.{edge.column}`, which is not a known column"))
        problems.extend(Problem(uid, "warning", f"{label}{message}") for message in result.problems)
        problems.extend(
            Problem(uid, "error", f"{label}reads `{'.'.join(p for p in relation if p)}`, which is not a source, "
                    "seed, model or snapshot of this project")
            for relation in sorted(unknown))

    sorter: TopologicalSorter[str] = TopologicalSorter()
    for uid, node in sorted(nodes.items()):  # the manifest's order varies (dbt's partial parsing): never follow it
        sorter.add(uid, *sorted(d for d in node.depends_on if d in nodes and d != uid))
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
        try:
            sql = _normalize_sql(node.compiled_sql or "")
            result = sql_lineage(sql, dialect, schema)
        except LineageError as exc:
            problems.append(Problem(uid, "error", str(exc)))
            node.columns = list(node.documented_columns)
            register(node)
            continue
        add_edges(node, result, "")
        columns = list(result.columns)
        for branch, compiled in sorted((branches or {}).items()):
            other = compiled.get(uid)
            if other is None or _normalize_sql(other) == sql:
                continue
            label = f"in its {branch.replace('_', '-')} branch: "
            try:
                branch_result = sql_lineage(_normalize_sql(other), dialect, schema)
            except LineageError as exc:
                problems.append(Problem(uid, "error", f"{label}{exc}"))
                continue
            add_edges(node, branch_result, label)
            columns += [c for c in branch_result.columns if c not in columns]
        if node.resource_type == "snapshot":
            columns += [c for c in snapshot_meta_columns(node) if c not in columns]
        node.columns = columns
        register(node)
    return LineageGraph(dialect, nodes, edges, order, problems)


def branch_sql(manifest: dict[str, Any]) -> dict[str, str]:
    """The compiled SQL of every model and snapshot of a manifest (of another branch), by unique id."""
    return {uid: str(raw.get("compiled_code") or "") for uid, raw in manifest.get("nodes", {}).items()
            if raw.get("resource_type") in SQL_NODE_TYPES and raw.get("compiled_code")}


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
