"""Plan, count and apply one erasure; reclaim a DuckDB file's free space.

On DuckDB the statements run in one transaction: an interrupted erasure leaves the database as it was,
and the subject is recorded in the register only by the statement that commits with the rest. A rerun
starts again from the plan (every statement touches only rows that still hold something), so it
completes what an interrupted run did not.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.erasure.plan import ErasurePlan, RelationPlan, build_plan
from governance.erasure.statements import Renderer, parse_subject
from governance.errors import GovernanceError
from governance.lineage.propagate import PropagationResult


class ErasureInterrupted(GovernanceError):
    """The erasure stopped before it committed; nothing of it was kept. Run it again."""


@dataclass
class RelationCount:
    plan: RelationPlan
    rows: int = 0  # the subject's rows
    holding: int = 0  # ... of which still hold a personal value
    mentions: dict[str, int] = field(default_factory=dict)  # free-text column -> rows mentioning the subject

    @property
    def pending(self) -> int:
        return self.holding + sum(self.mentions.values())

    def as_dict(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "relation": plan.name, "layer": plan.layer, "subject_rows": self.rows, "rows_holding_values": self.holding,
            "anonymise": plan.anonymise, "json_fields_removed": plan.json_paths, "scrub_mentions": self.mentions,
            "key_columns": [k.column for k in plan.keys], "reasons": plan.reasons,
        }


@dataclass
class Erasure:
    """One subject's erasure over one warehouse: the plan, its statements and what the data says."""

    renderer: Renderer
    counts: list[RelationCount] = field(default_factory=list)
    erased_at: Any = None  # from the register: when the subject was erased (None: never)

    @property
    def plan(self) -> ErasurePlan:
        return self.renderer.plan

    @property
    def subject(self) -> str:
        return f"{self.plan.subject.name}:{self.renderer.key}"

    @property
    def pending(self) -> int:
        return sum(c.pending for c in self.counts)

    @property
    def known(self) -> bool:
        key = next(c for c in self.counts if c.plan is self.plan.key_relation)
        return key.rows > 0 or self.erased_at is not None


def prepare(result: PropagationResult, subject_text: str, render: str | None = None) -> Renderer:
    """The erasure's statements for the plan's adapter, or rendered for `render` (snowflake) from a plan made
    on another adapter's manifest (databases from the policy's grants)."""
    kind, key = parse_subject(subject_text)
    policy = result.policy
    erasure = policy.erasure
    subject = erasure.subject(kind)
    plan = build_plan(result, subject)
    _check_register_source(result, erasure.register_schema, erasure.register_table)
    databases = None
    if render and render != plan.dialect:
        grants = policy.grants
        model_db = grants.database if grants and grants.database else "analytics"
        databases = (model_db, grants.source_database if grants and grants.source_database else model_db)
        plan.dialect = render
    register = f"{erasure.register_schema}.{erasure.register_table}"
    if plan.dialect != "duckdb":  # the register is a model: in the database dbt builds into
        catalog = databases[0] if databases else _register_relation(result)[0]
        register = f"{catalog}.{register}"
    return Renderer(plan, key, erasure, register, databases)


def _register_relation(result: PropagationResult) -> tuple[str, str, str]:
    for node in result.graph.nodes.values():
        if node.resource_type == "model" and node.name == "erased_subjects" and node.relation:
            return node.relation
    raise GovernanceError("the project has no model erased_subjects (the register of erased subjects)")


def _check_register_source(result: PropagationResult, schema: str, table: str) -> None:
    """The staging models read the register as the model `erased_subjects`; it must be the relation the
    erasure writes, or a late change of an erased subject would not be anonymised."""
    relation = _register_relation(result)
    if (relation[1], relation[2]) != (schema.lower(), table.lower()):
        found = f"{relation[1]}.{relation[2]}"
        raise GovernanceError(f"vars.governance.erasure.register is {schema}.{table} but the staging models read the "
                              f"model erased_subjects ({found}); make them the same")


def count(connection: Any, renderer: Renderer) -> Erasure:
    """What the warehouse holds of the subject, relation by relation (counts only)."""
    erasure = Erasure(renderer)
    for statement in renderer.create_register():
        connection.execute(statement)
    erasure.erased_at = connection.execute(renderer.registered()).fetchone()[0]
    for plan in renderer.plan.relations:
        tally = RelationCount(plan)
        if plan.keys:
            tally.rows = connection.execute(renderer.count_rows(plan)).fetchone()[0]
            if plan.anonymise or plan.json_paths:
                tally.holding = connection.execute(renderer.count_values(plan)).fetchone()[0]
        for column in plan.scrub:
            tally.mentions[column] = connection.execute(renderer.count_mentions(plan, column)).fetchone()[0]
        erasure.counts.append(tally)
    return erasure


def apply(connection: Any, renderer: Renderer,
          after_statement: Callable[[int, str], None] | None = None) -> int:
    """Run every statement in one transaction (DuckDB); returns how many ran. Any failure rolls back."""
    statements = renderer.statements()
    connection.execute("begin transaction")
    try:
        for index, (what, statement) in enumerate(statements):
            connection.execute(statement)
            if after_statement is not None:
                after_statement(index, what)
        connection.execute("commit")
    except BaseException as exc:
        connection.execute("rollback")
        raise ErasureInterrupted(f"erasure of {renderer.plan.subject.name}:{renderer.key} stopped before it "
                                 f"committed ({type(exc).__name__}); nothing of it was kept. Run it again") from exc
    return len(statements)


def reclaim_duckdb(path: Path) -> None:
    """Rewrite a DuckDB file so that no freed block keeps an erased value: every schema, table, view and
    macro is copied into a fresh file (COPY FROM DATABASE), which then replaces the old one. A CHECKPOINT
    alone leaves the old blocks' bytes in the file until they are reused."""
    import duckdb

    path = path.resolve()
    work = path.parent / f".{path.stem}.reclaim"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    fresh = work / path.name
    try:
        with duckdb.connect() as con:
            con.execute(f"attach '{path}' as \"{path.stem}\" (read_only)")
            con.execute(f"attach '{fresh}' as reclaimed")
            con.execute(f"copy from database \"{path.stem}\" to reclaimed")
            con.execute("detach reclaimed")
        os.replace(fresh, path)
        wal = path.with_name(path.name + ".wal")
        if wal.exists():
            wal.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)
