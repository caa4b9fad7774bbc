"""Classification fails closed: each attack that used to pass every gate, asserted blocked.

Table-driven: a probe SQL (or project change) that leaked before, and what the gate says now. The
expectations are the fix itself: remove a fix and its probe fails (the mutation check)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from lineage_helpers import copy_fixture, propagated
from sqlglot.schema import MappingSchema

import governance.lineage.graph as g
from governance.lineage import build_lineage, check, propagate
from governance.lineage.graph import STEP_KINDS, parse_relation, sql_lineage
from governance.policy import PolicyError, load_policy
from governance.policy.meta import declared_classification
from governance.policy.sections import LOWERING_KINDS
from governance.project import DbtProject, load_manifest

SCHEMA = {"db": {"raw": {"customers": {"id": "int", "email": "varchar", "name": "varchar", "card": "varchar",
                                       "country": "varchar"}}}}
GOVERNANCE = Path(sys.executable).parent / "governance"

# (probe, output column): the output must carry `email` (or `card`) with no step that may lower it
LEAKS = {
    "row serialised with to_json of the table alias": ("select to_json(customers) as j from db.raw.customers", "j"),
    "a bare relation name is its whole row (DuckDB)": ("select customers from db.raw.customers", "customers"),
    "row() over t.*": ("select row(c.*) as r from db.raw.customers c", "r"),
    "struct_pack of a column": ("select struct_pack(e := c.email) as s from db.raw.customers c", "s"),
    "columns() regex (lineage used to see _col_0)": ("select columns('c.*') from db.raw.customers c", "_col_0"),
    "object_construct(*) (Snowflake)": ("select object_construct(*) as o from db.raw.customers", "o"),
    "unnest of a list of columns": (
        "select u.x from db.raw.customers c, unnest([c.email, c.name]) as u(x)", "x"),
    "lateral alias of a column": ("select email as e, upper(e) as x from db.raw.customers", "x"),
    "CASE spelling out characters by position": (
        "select " + " || ".join(
            f"case when substr(lower(email), {i}, 1) = 'a' then 'a' when substr(lower(email), {i}, 1) = 'b' "
            f"then 'b' end" for i in range(1, 4)) + " as spelled from db.raw.customers", "spelled"),
    "LIKE with a single-character wildcard": ("select case when email like '_a%' then 'a' end as c from "
                                              "db.raw.customers", "c"),
    "binary search by comparisons in one output": (
        "select " + " || ".join(f"(email >= '{c}')::int" for c in "abcdefgh") + " as bits from db.raw.customers",
        "bits"),
    "a hash salted with a literal in git": ("select sha256('some-salt-xyz' || email) as h from db.raw.customers", "h"),
    "a hash keyed by a session variable": (
        "select sha256(getvariable('pepper') || email) as h from db.raw.customers", "h"),
    "hmac with a literal key": ("select hmac('sha256', 'literal-key', email) as h from db.raw.customers", "h"),
}

# legitimate reductions stay lowered (the false-positive side)
LOWERED = {
    "a flag": ("select email is not null as has_email from db.raw.customers", "has_email", "predicate"),
    "a brand from the card's first digits": (
        "select case when card like '4%' then 'visa' when card like '5%' or card like '2%' then 'mastercard' "
        "when card like '34%' or card like '37%' then 'amex' else 'other' end as brand from db.raw.customers",
        "brand", "predicate"),
    "a count": ("select count(distinct email) as n from db.raw.customers", "n", "count"),
    "the approved keyed hash": ("select governance.governance_keyed_hash(email) as k from db.raw.customers", "k",
                                "keyed_hash"),
}


def lineage_of(sql: str, column: str) -> list:
    result = sql_lineage(sql, "duckdb", MappingSchema(SCHEMA, dialect="duckdb"))
    return result.edges[column]


@pytest.mark.parametrize("name", sorted(LEAKS))
def test_attack_keeps_the_upstream_level(name: str) -> None:
    sql, column = LEAKS[name]
    edges = lineage_of(sql, column)
    personal = [e for e in edges if e.column in ("email", "card", "*")]
    assert personal, f"{name}: the output lost its lineage to the personal column"
    lowering = set(load_policy(Path(__file__).resolve().parents[2]).lineage_rules)  # the project's own rules
    assert all(not any(step.kind in lowering for step in e.steps) for e in personal), (
        name, [(e.column, [s.kind for s in e.steps]) for e in personal])


@pytest.mark.parametrize("name", sorted(LOWERED))
def test_legitimate_reductions_stay_lowered(name: str) -> None:
    sql, column, kind = LOWERED[name]
    edges = lineage_of(sql, column)
    assert edges and all(any(step.kind == kind for step in e.steps) for e in edges), (
        name, [(e.column, [s.kind for s in e.steps]) for e in edges])


def test_unresolvable_statement_depends_on_everything_it_reads() -> None:
    result = sql_lineage("select lost.thing as t from db.raw.customers", "duckdb",
                         MappingSchema(SCHEMA, dialect="duckdb"))
    assert result.problems
    assert any(e.column == "*" and e.steps[-1].kind == "unresolved" for e in result.edges["t"])
    assert "unresolved" in STEP_KINDS and "unresolved" not in LOWERING_KINDS and "row" not in LOWERING_KINDS


# --- the project's gates ---------------------------------------------------------------------------

PROBES = {
    "probe_star.sql": "select * from {{ source('app', 'users') }}",
    "probe_row_leak.sql": "select to_json(u) as payload from {{ ref('stg_users') }} as u",
    "probe_spelled.sql": (
        "select " + " || ".join(f"case when substr(email, {i}, 1) = 'a' then 'a' else 'b' end" for i in range(1, 6))
        + " as spelled from {{ ref('stg_users') }}"),
}


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory):
    """The fixture project with probe models added, propagated and compiled once."""
    project = copy_fixture(tmp_path_factory.mktemp("probes") / "fixture")
    for name, sql in PROBES.items():
        (project / "models" / "marts" / name).write_text(sql + "\n")
    # a documented column the SQL does not produce, and an invalid level on a real one
    models = project / "models" / "marts" / "_marts__models.yml"
    models.write_text(models.read_text() + (
        "  - name: probe_row_leak\n    columns:\n      - name: payload\n        description: Row.\n"
        "      - name: renamed_away\n        description: Gone from the SQL.\n"
        "        config: {meta: {classification: 3, pii: [EMAIL_ADDRESS], classified_by: manual}}\n"
        "  - name: probe_spelled\n    columns:\n      - name: spelled\n        description: Spelled.\n"
        "        config: {meta: {classification: high, classified_by: manual}}\n"))
    target = project / "target"
    subprocess.run([str(Path(sys.executable).parent / "dbt"), "compile", "--quiet", "--project-dir", str(project),
                    "--profiles-dir", str(project), "--target-path", str(target)], check=True, capture_output=True,
                   env={"PATH": str(Path(sys.executable).parent), "HOME": str(project),
                        "DBT_DUCKDB_PATH": str(project / "probe.duckdb")}, timeout=600)
    return project, target / "manifest.json"


def test_project_gates_block_the_probes(probed) -> None:
    project, manifest = probed
    result = propagated(project, manifest)
    findings = {(f.code, f.subject): f for f in check(result) if f.severity == "error"}
    # the whole row of stg_users (email, name, date of birth, ...) reaches `payload`: level 3, unclassified
    assert ("unclassified", "probe_row_leak.payload") in findings
    assert ("not_in_sql", "probe_row_leak.renamed_away") in findings
    assert ("invalid_meta", "probe_spelled.spelled") in findings
    spelled = result.column((result.graph.find("probe_spelled").unique_id, "spelled"))
    assert spelled.lineage is not None and spelled.lineage.level == 3  # not lowered to 1 by the CASEs
    assert spelled.declared is not None and spelled.declared.level == 4  # an invalid level over-protects


def test_an_undeclared_warehouse_column_reaching_a_model_fails_the_check(probed) -> None:
    """`select *` over a source whose live table has a column the YAML does not declare: before, star
    expansion used only documented columns and the column passed through unclassified and silently."""
    project, manifest_path = probed
    manifest = load_manifest(manifest_path)
    users = next(n for n in manifest["sources"].values() if n["name"] == "users")
    relation = parse_relation(users["relation_name"], "duckdb")
    live = {relation: [*[c.lower() for c in users["columns"]], "national_id"]}
    project_handle = DbtProject.locate(project)
    result = propagate(project_handle, build_lineage(manifest, live), load_policy(project_handle))
    findings = {(f.code, f.subject): f for f in check(result) if f.severity == "error"}
    assert ("undeclared_column", "probe_star.national_id") in findings
    assert "app.users.national_id" in findings[("undeclared_column", "probe_star.national_id")].message
    # without the live columns (warehouse not reachable) the documented ones pass as before
    quiet = propagate(project_handle, build_lineage(manifest), load_policy(project_handle))
    assert not any(f.code == "undeclared_column" for f in check(quiet))


def test_invalid_levels_over_protect() -> None:
    policy = load_policy(Path(__file__).parent / "fixtures" / "lineage_project")
    for bad in (7, "high", "3", True, 0):
        declared, error = declared_classification({"classification": bad}, policy, "x.yml: m.c")
        assert declared is not None and declared.level == max(policy.levels) and error, bad
    declared, error = declared_classification({"classification": 3, "pii": ["EMAIL_ADRESS"]}, policy, "x.yml: m.c")
    assert declared is not None and declared.level == 3 and "EMAIL_ADRESS" in (error or "")


def test_a_person_relabelled_as_a_service_role_is_refused(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path / "fixture")
    policy_file = project / "dbt_project.yml"
    policy_file.write_text(policy_file.read_text().replace(
        "reporter: {kind: functional, description: Dashboards.}", "reporter: {kind: service, description: Dashboards.}"))
    with pytest.raises(PolicyError, match=r"dbt_project\.yml:\d+: vars\.governance\.roles\.reporter\.kind: a service"):
        load_policy(project)


def leaks() -> set[str]:
    """The LEAKS probes an engine lets through (lowered or lost)."""
    lowering = set(load_policy(Path(__file__).resolve().parents[2]).lineage_rules)
    found = set()
    for name, (sql, column) in LEAKS.items():
        personal = [e for e in lineage_of(sql, column) if e.column in ("email", "card", "*")]
        if not personal or any(step.kind in lowering for e in personal for step in e.steps):
            found.add(name)
    return found


MUTATIONS = {
    "positional conditions lower again": ("_reads_positions", lambda node: False),
    "a literal salt counts as a key again": (
        "_is_keyed", lambda node: any(isinstance(s, g.exp.Literal) and s.is_string and len(s.this) >= 8
                                      for s in node.walk())),
    "no disclosure budget": ("MAX_DISCLOSED_BITS", 1e9),
    "a whole row has no lineage again": ("_StatementLineage._whole_row", lambda self, source, outer, found: None),
    "stars in expressions ignored again": ("_StatementLineage._every_source",
                                           lambda self, scope, table, outer, found: None),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_each_fix_is_held_by_a_probe(mutation: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mutation check: undo one fix of the lineage engine and some probe must leak."""
    assert leaks() == set()
    attribute, value = MUTATIONS[mutation]
    owner, _, name = attribute.rpartition(".")
    monkeypatch.setattr(getattr(g, owner) if owner else g, name, value)
    assert leaks(), f"undoing '{mutation}' leaks nothing: no probe holds that fix"


def test_a_raised_clearance_is_reported_against_the_committed_roles(project_copy: Path) -> None:
    """A one-line policy change (a reporter made a member of the level-3 clearance role) is caught by
    `governance check` before roles.yml is regenerated and reviewed."""
    from governance.roles.checks import committed_clearance_findings

    assert committed_clearance_findings(project_copy, load_policy(project_copy)) == []
    policy_file = project_copy / "dbt_project.yml"
    text = policy_file.read_text()
    marker = "      reporter:\n        kind: functional\n"
    assert marker in text
    policy_file.write_text(text.replace(marker, marker + "        member_of: [pii_confidential]\n", 1))
    findings = committed_clearance_findings(project_copy, load_policy(project_copy))
    assert [(f.code, f.node) for f in findings] == [("clearance_changed", "reporter")]
    assert "level 3 by the policy, for level 0 by the committed roles.yml" in findings[0].message


# --- what runs: both branches of incremental models, every target ---------------------------------

BRANCH_PROBES = {
    # the email only in the incremental branch: one compile (full refresh) saw a null
    "probe_branch.sql": (
        "{{ config(materialized='incremental', unique_key='customer_id', on_schema_change='fail') }}\n"
        "select customer_id,\n    {% if is_incremental() %} email {% else %} null {% endif %} as contact\n"
        "from {{ ref('stg_shop__customers') }}\n"),
    # another target renders other columns
    "probe_target.sql": (
        "select customer_id,\n    {% if target.name == 'prod' %} email {% else %} null {% endif %} as contact\n"
        "from {{ ref('stg_shop__customers') }}\n"),
}
BRANCH_PROBES_YAML = """version: 2
models:
  - name: probe_branch
    description: Probe.
    columns:
      - {name: customer_id, description: Key.}
      - {name: contact, description: Contact.}
  - name: probe_target
    description: Probe.
    columns:
      - {name: customer_id, description: Key.}
      - {name: contact, description: Contact.}
"""


@pytest.fixture(scope="module")
def branch_probes(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """A copy of the real project with the branch probes, compiled (both branches) once."""
    from conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("branches") / "project")
    for name, sql in BRANCH_PROBES.items():
        (root / "models" / "marts" / name).write_text(sql)
    (root / "models" / "marts" / "_probes.yml").write_text(BRANCH_PROBES_YAML)
    project = DbtProject.locate(root, profiles_dir=root)
    from governance.lineage.compute import analyse

    analyse(project)  # compiles and caches both branches
    return project


def branch_findings(project: DbtProject) -> dict[tuple[str, str], object]:
    from governance.lineage.compute import analyse

    result = analyse(project)
    return {(f.code, f.subject): f for f in check(result) if f.severity == "error"}, result


def test_the_incremental_branch_is_analysed(branch_probes: DbtProject) -> None:
    """`{% if is_incremental() %} email {% else %} null {% endif %}`: before, lineage compiled once against
    an empty warehouse (the full-refresh branch) and classified `contact` as nothing."""
    findings, result = branch_findings(branch_probes)
    contact = result.column((result.graph.find("probe_branch").unique_id, "contact"))
    assert contact.lineage is not None and contact.lineage.level == 3 and "EMAIL_ADDRESS" in contact.lineage.pii
    assert ("unclassified", "probe_branch.contact") in findings
    # the project's own incremental models pass: no new error on them
    assert {subject.split(".")[0] for _, subject in findings} <= {"probe_branch", "probe_target"}


def test_mutation_without_the_incremental_branch_the_probe_leaks(branch_probes: DbtProject,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import governance.lineage.compute as compute

    monkeypatch.setattr(compute, "branch_sql", lambda manifest: {})
    findings, _ = branch_findings(branch_probes)
    assert ("unclassified", "probe_branch.contact") not in findings


def test_sql_switching_its_columns_on_the_target_fails_the_check(branch_probes: DbtProject) -> None:
    """Lineage analyses the compile of one target; `{% if target.name == 'prod' %} email ...` renders
    other columns on another: before, it classified as nothing and passed."""
    findings, _ = branch_findings(branch_probes)
    error = findings.get(("lineage_error", "probe_target"))
    assert error is not None and "line 2 switches its SQL on the dbt target" in error.message


@pytest.mark.parametrize(("sql", "lines"), [
    ("select a,\n  {% if target.name == 'prod' %} email {% else %} null {% endif %} as c from t", [2]),
    ("select {{ 'email' if target.type == 'snowflake' else 'null' }} as c from t", [1]),
    ("select a {% if var('x') %}, b {% elif adapter.type() == 'duckdb' %}, email {% endif %} from t", [1]),
    # filters change rows, not columns: they pass
    ("select a from t\n{% if target.name == 'dev' %} where d > 1 {% if var('y') %} and z {% endif %}"
     "{% elif target.name == 'ci' %} limit 10 {% endif %}", []),
    ("select a from t {% if is_incremental() %} where d > 1 {% endif %}", []),
])
def test_target_switches(sql: str, lines: list[int]) -> None:
    from governance.lineage.compute import target_switches

    assert target_switches(sql) == lines


def test_an_is_incremental_not_routed_through_governance_leaves_branches_unanalysed(
        branch_probes: DbtProject) -> None:
    """A project whose is_incremental() is dbt's own cannot render the incremental branch: the models with
    one are reported as not analysed (an error where they handle personal data), never passed."""
    from governance.lineage.compute import nodes_with_branches, routes_is_incremental

    manifest = branch_probes.manifests.get("compile")
    assert routes_is_incremental(manifest)
    assert {"model.analytics.probe_branch", "model.analytics.dim_customers",
            "snapshot.analytics.snap_customers"} <= set(nodes_with_branches(manifest))
    (branch_probes.root / "macros" / "overrides" / "is_incremental.sql").unlink()
    unrouted = DbtProject.locate(branch_probes.root, profiles_dir=branch_probes.root)
    assert not routes_is_incremental(unrouted.manifests.get("compile"))
    findings, _ = branch_findings(unrouted)
    gap = findings.get(("lineage_gap", "dim_customers"))
    assert gap is not None and "incremental branch (is_incremental() true) is not analysed" in gap.message


# --- no value-derived keys ---------------------------------------------------------------------------

def json_key_leaks(documents: list[str], values: list[str]) -> set[str]:
    from governance.scan.classifier import flatten_json

    leaves, _ = flatten_json("doc", documents)
    return {value for value in values if any(value in path for path in leaves)}


def test_json_keys_that_are_data_never_become_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """A map keyed by e-mail addresses or by user names (identifier-like, but data): before, each key was
    written as a JSON path into the scan's --format json output and state file."""
    import governance.scan.classifier as classifier

    emails = [f"person{i}@example.org" for i in range(3)]  # too few to look like a map
    handles = [f"user_{name}{i}" for i, name in enumerate(("anna", "jan", "lena", "marco", "ines") * 6)]
    documents = [f'{{"by_email": {{"{emails[i % 3]}": 1}}, "by_handle": {{"{h}": {{"plan": "a"}}}}}}'
                 for i, h in enumerate(handles)]
    assert json_key_leaks(documents, emails + handles) == set()
    # the handles pass the identifier rule: only the map-like rule (keys vary across documents) holds them
    assert all(classifier._IDENTIFIER_KEY.match(handle) for handle in handles)
    # mutation check: without the identifier rule the e-mail keys leak
    monkeypatch.setattr(classifier, "_IDENTIFIER_KEY", re.compile(r".*"))
    assert json_key_leaks(documents, emails) == set(emails) and not json_key_leaks(documents, handles)
