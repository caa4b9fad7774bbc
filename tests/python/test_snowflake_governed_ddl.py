"""No window of clear data on Snowflake: the statement that creates a relation carries its policies.

dbt-snowflake's real materializations run in process against the Snowflake emulator, with
governance DDL ON, and every statement they send is recorded in order (snowflake_recorder.py: it
runs the data statements on fakesnow and answers only the masking DDL fakesnow does not know). The
recorded statements are parsed with sqlglot's Snowflake dialect and checked against the manifest's
classification and the policy (Python's reading, governance.policy.masking):

- the first statement that creates each consumer-visible relation (table, incremental, view,
  snapshot, seed) already names the right masking policy on every classified column, and no
  ALTER ... SET MASKING POLICY follows (the post-hook finds nothing to do);
- every policy a CREATE names was created earlier in the run;
- a failed pre-flight (the masking key's vault without an active key) stops the run before any CREATE;
- the pre-flight checks themselves (unsupported types, case clashes, dynamic tables, transient
  temp relations) for given inputs, and `governance_ddl: false` refused outside the emulator.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlglot
import yaml
from conftest import AS_OF, PROJECT_DIR, dbt_env, load_raw, run_dbt
from sqlglot import exp

from governance.masking.rules import classified_nodes
from governance.policy import Policy, load_policy
from governance.policy.masking import category_for, snowflake_policy_name, snowflake_policy_types, type_family
from governance.project import column_meta

pytestmark = pytest.mark.slow

RECORDER = Path(__file__).with_name("snowflake_recorder.py")
DATABASE = "ANALYTICS"
POLICY_SCHEMA = f"{DATABASE}.CI_GOVERNANCE"
SELECTION = "+dim_customers +fct_payments +fct_support_tickets"
STATIC = '{"governance_static_masking":true}'  # no spaces: the recorder splits invocations on them
QUERY_COMMENT = re.compile(r"^\s*/\*.*?\*/\s*", re.DOTALL)


@dataclass(frozen=True)
class Recording:
    project: Path
    target: Path
    results: list[dict[str, Any]]
    statements: list[str]

    @property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.target / "manifest.json").read_text())


def record(project: Path, root: Path, invocations: list[str], **env: str) -> Recording:
    source = root / "source.duckdb"
    if not source.exists():
        load_raw(source, "--change-rows", "2000", "--as-of", AS_OF)
    out, target = root / "recorded.json", root / "target"
    environment = dbt_env(project, root / "unused.duckdb", target, DBT_TARGET="snowflake_emulator",
                          DBT_SNOWFLAKE_EMULATOR="1", SNOWFLAKE_EMULATOR_DATABASE=DATABASE, **env)
    args = " ;; ".join(invocations).split(" ")
    result = subprocess.run([sys.executable, str(RECORDER), str(out), str(source), "--", *args], cwd=project,
                            env=environment, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    data = json.loads(out.read_text())
    statements = [QUERY_COMMENT.sub("", s["sql"]).strip() for s in data["statements"]]
    return Recording(project, target, data["results"], statements)


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Recording:
    """seed, then the customer, payment and support marts and everything upstream, then the same
    again (incremental merges), then the snapshots."""
    root = tmp_path_factory.mktemp("governed_ddl")
    invocations = ["seed", f"run --select {SELECTION}", f"run --select {SELECTION}", "snapshot --select snap_customers",
                   f"run --select stg_shop__customers --full-refresh --vars {STATIC}"]
    rec = record(PROJECT_DIR, root, invocations)
    for result in rec.results:
        assert result["success"], result
    return rec


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(PROJECT_DIR)


def creates(statements: list[str]) -> list[tuple[int, exp.Create]]:
    """(position, parsed) of every CREATE TABLE/VIEW a run sent, session-private probes and temporary
    relations left out (no other session can read them)."""
    found = []
    for position, sql in enumerate(statements):
        if not re.match(r"create\s+(or\s+replace\s+)?(transient\s+|secure\s+)?(table|view)\b", sql, re.IGNORECASE):
            continue
        if re.match(r"create\s+(or\s+replace\s+)?\s*temporary", sql, re.IGNORECASE) or "__governance_probe" in sql:
            continue
        parsed = sqlglot.parse_one(sql, read="snowflake")
        assert isinstance(parsed, exp.Create), sql[:200]
        found.append((position, parsed))
    return found


def relation_name(create: exp.Create) -> str:
    table = create.this.this if isinstance(create.this, exp.Schema) else create.this
    return ".".join(part.name for part in table.parts).upper()


def column_policies(create: exp.Create) -> dict[str, str]:
    """COLUMN (upper) -> policy named in the CREATE's column list."""
    if not isinstance(create.this, exp.Schema):
        return {}
    found = {}
    for column in create.this.expressions:
        if not isinstance(column, exp.ColumnDef):
            continue
        for constraint in column.constraints:
            if isinstance(constraint.kind, exp.MaskingPolicyColumnConstraint):
                found[column.name.upper()] = constraint.kind.this.sql("snowflake").replace('"', "").upper()
    return found


def expected(policy: Policy, node: dict[str, Any], types: dict[str, tuple[str, int | None]]) -> dict[str, str]:
    """COLUMN -> qualified policy, from the manifest's meta and the policy (Python's reading)."""
    wanted = {}
    for name, column in node["columns"].items():
        meta = column_meta(column)
        level = meta.get("classification")
        if level not in policy.masked_levels:
            continue
        data_type, char_size = types.get(name.upper(), (column.get("data_type") or "VARCHAR", None))
        category = category_for(meta, type_family(data_type), policy)
        mask = policy.masking.mask_for(level, category)
        wanted[name.upper()] = f"{POLICY_SCHEMA}.{snowflake_policy_name(level, data_type, category, mask, char_size)}"
    return wanted


def declared_types(create: exp.Create) -> dict[str, tuple[str, int | None]]:
    types: dict[str, tuple[str, int | None]] = {}
    if isinstance(create.this, exp.Schema):
        for column in create.this.expressions:
            if isinstance(column, exp.ColumnDef) and column.args.get("kind") is not None:
                kind = column.args["kind"]
                size = kind.expressions[0].this.this if kind.expressions and kind.this == exp.DataType.Type.VARCHAR \
                    else None
                types[column.name.upper()] = (kind.sql("snowflake"), int(size) if size else None)
    return types


def window_violations(statements: list[str], manifest: dict[str, Any], policy: Policy) -> tuple[list[str], list[str]]:
    """(relations whose first CREATE does not name exactly the policies their classification wants,
    classified relations checked)."""
    first_create: dict[str, exp.Create] = {}
    for _, create in creates(statements):
        first_create.setdefault(relation_name(create), create)
    violations, checked = [], []
    for node in classified_nodes(manifest):
        relation = f"{node['database']}.{node['schema']}.{node.get('alias') or node['name']}".upper()
        if relation not in first_create:
            continue
        create = first_create[relation]
        wanted = expected(policy, node, declared_types(create))
        attached = column_policies(create)
        if attached != wanted:
            violations.append(f"{relation}: the CREATE names {attached}, the classification wants {wanted}")
        if wanted:
            checked.append(node["config"]["materialized"] + " " + relation)
    return violations, checked


def test_every_classified_relation_is_created_with_its_policies(recording: Recording, policy: Policy) -> None:
    """The attack that used to work: between `create or replace table ... as select` and the post-hook's
    ALTER, a reader with SELECT on future tables saw clear values. Now the CREATE itself names them."""
    violations, checked = window_violations(recording.statements, recording.manifest, policy)
    assert violations == []
    kinds = {entry.split(" ")[0] for entry in checked}
    assert {"incremental", "view", "snapshot"} <= kinds, f"only {kinds} covered: {checked}"
    assert f"incremental {DATABASE}.CI_MARTS.DIM_CUSTOMERS" in checked
    # mutation: dbt-snowflake's stock statements (no policy in the CREATE) are caught
    stock = [re.sub(r"\s+with masking policy\s+[\w.\"$]+", "", s, flags=re.IGNORECASE)
             for s in recording.statements]
    caught, _ = window_violations(stock, recording.manifest, policy)
    assert len(caught) == len(checked)


def test_no_policy_is_attached_after_a_create(recording: Recording) -> None:
    """Nothing is left for the post-hook: a SET MASKING POLICY after the fact means a window existed."""
    late = [s for s in recording.statements if re.search(r"\bset\s+masking\s+policy\b", s, re.IGNORECASE)]
    assert late == []


def test_every_named_policy_was_created_before_the_relation(recording: Recording) -> None:
    created_at: dict[str, int] = {}
    for position, sql in enumerate(recording.statements):
        match = re.match(r"create masking policy if not exists (\S+)", sql, re.IGNORECASE)
        if match:
            created_at.setdefault(match.group(1).upper(), position)
    for position, create in creates(recording.statements):
        for column, name in column_policies(create).items():
            assert name in created_at and created_at[name] < position, \
                f"{relation_name(create)}.{column}: policy {name} is not created before the relation"


def test_a_build_never_rewrites_a_policy(recording: Recording) -> None:
    """Policies belong to the masking administrator: a build creates only missing ones (the first run
    here, on an empty account) and never sets a body, so a model's role cannot change what a policy
    shows; the later runs create none."""
    assert not [s for s in recording.statements if s.lower().startswith("alter masking policy")]
    ends = [i for i, s in enumerate(recording.statements) if s.startswith("-- end of dbt")]
    later = recording.statements[ends[0]:]
    assert not [s for s in later if s.lower().startswith("create masking policy")]


def test_base_policies_cover_every_type_the_mapper_returns(recording: Recording, policy: Policy) -> None:
    """OBJECT, ARRAY, TIME, BINARY, GEOGRAPHY and GEOMETRY columns used to name policies that did not exist."""
    created = {m.group(1).upper() for s in recording.statements
               if (m := re.match(r"create masking policy if not exists (\S+)", s, re.IGNORECASE))}
    for level in policy.masked_levels:
        for policy_type in snowflake_policy_types():
            name = f"{POLICY_SCHEMA}.MASK_L{level}_{policy_type}"
            assert name in created or any(c.startswith(name + "_") for c in created), f"no base policy {name}"


def test_incremental_runs_write_into_the_policy_carrying_table(recording: Recording) -> None:
    """The second run writes into the table created with its policies; it never re-creates it."""
    created = [relation_name(c) for _, c in creates(recording.statements)]
    assert created.count(f"{DATABASE}.CI_MARTS.DIM_CUSTOMERS") == 1
    assert created.count(f"{DATABASE}.CI_FINANCE.FCT_PAYMENTS") == 1
    assert any(s.lower().startswith("delete from analytics.ci_finance.fct_payments") for s in recording.statements)


def test_static_masking_masks_in_the_create_itself(recording: Recording, policy: Policy) -> None:
    """Static masking used to overwrite values after CTAS, so Time Travel kept the clear ones. On a
    static-masking target the CREATE's query now masks every classified column itself."""
    ends = [i for i, s in enumerate(recording.statements) if s.startswith("-- end of dbt")]
    static_run = recording.statements[ends[-2]:]
    create = next(c for _, c in creates(static_run) if relation_name(c) == f"{DATABASE}.CI_STAGING.STG_SHOP__CUSTOMERS")
    node = recording.manifest["nodes"]["model.analytics.stg_shop__customers"]
    classified = {name.upper() for name, column in node["columns"].items()
                  if column_meta(column).get("classification") in policy.masked_levels}
    assert classified
    query = create.expression.this if isinstance(create.expression, exp.Subquery) else create.expression
    assert any(sub.alias == "governance_static" for sub in query.find_all(exp.Subquery))
    projections = {p.alias_or_name.upper(): p for p in query.expressions}
    for name in classified:
        assert isinstance(projections[name].this, exp.Cast), f"{name} is not masked in the CREATE"
    assert all(not isinstance(p.this, exp.Cast) for n, p in projections.items() if n not in classified)
    # and the ordinary (non-static) runs did not mask at build time
    first = next(c for _, c in creates(recording.statements) if relation_name(c) == f"{DATABASE}.CI_STAGING.STG_SHOP__CUSTOMERS")
    assert "governance_static" not in first.sql("snowflake")


# --- a failed pre-flight creates nothing -------------------------------------------------------------

def test_missing_key_stops_the_run_before_any_create(tmp_path: Path) -> None:
    """The hash-key check used to raise only after CTAS, leaving the relation unmasked. Now a vault
    without an active key stops the run at its start: no table or view is created at all."""
    rec = record(PROJECT_DIR, tmp_path, [f"run --select {SELECTION}"], RECORDER_VAULT="empty")
    assert not rec.results[0]["success"]
    assert creates(rec.statements) == []
    assert any("vault_ready" in s for s in rec.statements)
    log = (rec.target / "logs" / "dbt.log").read_text(errors="replace")
    assert "refusing to run" in log and "governance.deploy_masking" in log


# --- the pre-flight checks for given inputs ----------------------------------------------------------

def preflight(tmp_path: Path, cases: list[dict[str, Any]], nodes: list[dict[str, Any]]) -> dict[str, Any]:
    args = json.dumps({"cases": cases, "nodes": nodes})
    result = run_dbt(["run-operation", "governance.render_snowflake_preflight", "--args", args], PROJECT_DIR,
                     tmp_path / "x.duckdb", tmp_path / "target")
    line = next(x for x in result.stdout.splitlines() if "GOVERNANCE_PREFLIGHT " in x)
    return json.loads(line.split("GOVERNANCE_PREFLIGHT ", 1)[1])


def test_preflight_refuses_what_cannot_be_masked(tmp_path: Path) -> None:
    node = "model.analytics.dim_customers"
    ok = [{"name": "EMAIL", "data_type": "VARCHAR(256)", "char_size": 256}]
    cases = [
        {"node": node, "columns": ok},
        {"node": node, "columns": [{"name": "EMAIL", "data_type": "VECTOR(FLOAT, 3)", "char_size": None}]},
        {"node": node, "columns": [{"name": "Email", "data_type": "VARCHAR", "char_size": None},
                                   {"name": "EMAIL", "data_type": "VARCHAR", "char_size": None}]},
        {"node": node, "materialized": "dynamic_table", "columns": ok},
        {"node": node, "columns": ok, "options": {"tmp_relation_type": "transient"}},
        {"node": node, "columns": [{"name": "email", "data_type": "VARCHAR", "char_size": None}]},
        *({"node": node, "columns": [{"name": "DATE_OF_BIRTH", "data_type": t, "char_size": None}]}
          for t in ("OBJECT", "ARRAY", "TIME(9)", "BINARY(8388608)", "GEOGRAPHY", "GEOMETRY", "VARIANT")),
    ]
    classified = {"email": {"name": "email", "config": {"meta": {"classification": 3}}}}
    nodes = [
        {"unique_id": "model.x.dt", "resource_type": "model", "config": {"materialized": "dynamic_table"},
         "columns": classified},
        {"unique_id": "model.x.mv", "resource_type": "model", "config": {"materialized": "materialized_view"},
         "columns": {"id": {"name": "id", "config": {"meta": {"classification": 2}}}}},
        {"unique_id": "model.x.tr", "resource_type": "model",
         "config": {"materialized": "incremental", "tmp_relation_type": "transient"}, "columns": classified},
    ]
    out = preflight(tmp_path, cases, nodes)
    results = out["cases"]
    for result in results:  # the database part is the DuckDB file's name here
        result["policies"] = {column: name.split(".", 1)[1] for column, name in result["policies"].items()}
    assert results[0] == {"problems": [], "policies": {"EMAIL": "GOVERNANCE.MASK_L3_VARCHAR_EMAIL"}}
    assert "VECTOR" in results[1]["problems"][0] and "no masking policy" in results[1]["problems"][0]
    assert "differ only in case" in results[2]["problems"][0]
    assert "dynamic_table" in results[3]["problems"][0]
    assert "transient" in results[4]["problems"][0]
    assert results[5]["policies"] == {"email": "GOVERNANCE.MASK_L3_VARCHAR_EMAIL"}, \
        "a quoted lower-case column keeps its exact name"
    bases = ("OBJECT", "ARRAY", "TIME", "BINARY", "GEOGRAPHY", "GEOMETRY", "VARIANT")
    for result, base in zip(results[6:], bases, strict=True):
        assert result == {"problems": [], "policies": {"DATE_OF_BIRTH": f"GOVERNANCE.MASK_L3_{base}"}}
    assert len(out["graph"]) == 2 and "model.x.dt" in out["graph"][0] and "model.x.tr" in out["graph"][1], \
        "a dynamic table with classified columns and a transient merge are refused; an unclassified view is not"


def test_governance_ddl_off_is_refused_outside_the_emulator(tmp_path: Path) -> None:
    """`--vars {governance_ddl: false}` used to switch masking off on any target, silently."""
    result = run_dbt(["run", "--select", "stg_shop__products", "--vars", '{"governance_ddl": false}'], PROJECT_DIR,
                     tmp_path / "x.duckdb", tmp_path / "target", check=False)
    assert result.returncode != 0
    assert "governance_ddl: false" in result.stdout and "emulator" in result.stdout


def test_store_failures_is_refused(tmp_path: Path) -> None:
    """`dbt test --store-failures` used to copy failing rows, clear classified values included, into an
    audit schema with no masking and no place in roles.yml."""
    result = run_dbt(["test", "--store-failures", "--select", "stg_shop__products"], PROJECT_DIR,
                     tmp_path / "x.duckdb", tmp_path / "target", check=False)
    assert result.returncode != 0
    assert "refusing to run" in result.stdout and "--store-failures" in result.stdout


def test_a_foreign_policy_is_never_forced_over(tmp_path: Path) -> None:
    """`SET ... FORCE` used to replace silently a stricter policy a security administrator had attached
    by hand. A policy from outside the project's masking schema is now left in place (and reported)."""
    foreign = "SECURITY_DB.POLICIES.STRICTER_EMAIL"
    properties = yaml.safe_load((PROJECT_DIR / "models/marts/core/_core__models.yml").read_text())
    node = next(m for m in properties["models"] if m["name"] == "dim_customers")
    columns = [{"name": c["name"].upper(), "data_type": c.get("data_type") or "varchar", "char_size": None}
               for c in node["columns"]]  # every column: the build refuses a classified one it does not see
    case = {"node": "model.analytics.dim_customers", "relation": "ANALYTICS.MARTS.DIM_CUSTOMERS",
            "columns": columns, "current": {"EMAIL": foreign}}
    result = run_dbt(["run-operation", "governance.render_snowflake_masking", "--args", json.dumps({"cases": [case]})],
                     PROJECT_DIR, tmp_path / "x.duckdb", tmp_path / "target")
    line = next(x for x in result.stdout.splitlines() if "GOVERNANCE_RENDER " in x)
    statements = json.loads(line.split("GOVERNANCE_RENDER ", 1)[1])["cases"][0]
    assert not [s for s in statements if '"EMAIL"' in s], statements
    assert [s for s in statements if '"PHONE_NUMBER" set masking policy' in s], "an unprotected column still gets ours"
    assert f"carries {foreign}" in result.stdout
