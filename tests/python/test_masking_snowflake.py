"""Snowflake masking DDL, rendered by the real snowflake__ macros without an account.

`dbt run-operation governance.render_snowflake_masking` (on the DuckDB target: it only prints)
calls the same statement builders the Snowflake post-hook and on-run-start use, for a project
copy with classification meta injected. The SQL is checked as text and with sqlglot's Snowflake
dialect: policy bodies, SET/UNSET per materialization, idempotence, length-fitting and static
masking. Expectations come from the policy and the manifest, not from fixed strings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from conftest import copy_project, run_dbt
from masking_support import HASH_KEY, add_view_model, inject_classification
from sqlglot import exp

from governance.masking.rules import classified_nodes
from governance.policy import MASK_CATEGORIES, Policy, load_policy
from governance.policy.masking import (
    SNOWFLAKE_BASE_POLICY_TYPES,
    category_for,
    snowflake_policy_name,
    type_family,
)
from governance.project import column_meta

pytestmark = pytest.mark.slow

DB = "ANALYTICS"
ALTER = re.compile(
    r'^alter (table|view) (\S+) modify column "(\w+)" '
    r"(?:set masking policy (\S+) force|(unset) masking policy)$"
)
OTHER_POLICY = "SECURITY_DB.POLICIES.SOMEONE_ELSES_POLICY"

# Snowflake column types of the relations the cases render (as get_columns_in_relation reports them)
TYPES: dict[str, list[tuple[str, str, int | None]]] = {
    "dim_customers": [
        ("CUSTOMER_ID", "NUMBER", None),
        ("FIRST_NAME", "VARCHAR", 16777216),
        ("LAST_NAME", "TEXT", 16777216),
        ("EMAIL", "VARCHAR", 16777216),
        ("PHONE_NUMBER", "VARCHAR", 32),
        ("DATE_OF_BIRTH", "DATE", None),
        ("BILLING_STREET_ADDRESS", "VARCHAR", 3),
        ("BILLING_CITY", "VARCHAR", 16777216),
        ("BILLING_POSTAL_CODE", "VARCHAR", 10),
        ("COUNTRY_CODE", "VARCHAR", 2),
        ("HAS_MARKETING_OPT_IN", "BOOLEAN", None),
        ("LIFETIME_NET_REVENUE_EUR", "NUMBER", None),
        ("CREATED_AT", "TIMESTAMP_NTZ", None),
    ],
    "dim_products": [
        ("PRODUCT_ID", "NUMBER", None),
        ("UNIT_PRICE", "NUMBER", None),
    ],
    "customer_contacts": [
        ("CUSTOMER_ID", "NUMBER", None),
        ("EMAIL", "VARCHAR", 16777216),
        ("PHONE_NUMBER", "VARCHAR", 16777216),
        ("COUNTRY_CODE", "VARCHAR", 2),
    ],
    "fct_payments": [
        ("PAYMENT_ID", "NUMBER", None),
        ("CARD_NUMBER", "VARCHAR", 19),
        ("CARD_BRAND", "VARCHAR", 16777216),
        ("IBAN", "VARCHAR", 34),
        ("AMOUNT", "NUMBER", None),
        ("PAID_AT", "TIMESTAMP_NTZ", None),
    ],
    "fct_support_tickets": [
        ("TICKET_ID", "NUMBER", None),
        ("CUSTOMER_ID", "NUMBER", None),
        ("SUBJECT", "VARCHAR", 16777216),
        ("TICKET_STATUS", "VARCHAR", 16777216),
        ("PRIORITY", "VARCHAR", 16777216),
        ("CHANNEL", "VARCHAR", 16777216),
        ("IS_OPEN", "BOOLEAN", None),
        ("CREATED_AT", "TIMESTAMP_NTZ", None),
        ("UPDATED_AT", "TIMESTAMP_NTZ", None),
        ("HOURS_OPEN", "NUMBER", None),
        ("REQUESTER_NAME", "VARCHAR", 16777216),
        ("REQUESTER_EMAIL", "VARCHAR", 16777216),
        ("DESCRIPTION", "VARCHAR", 16777216),
    ],
    "snap_customers": [
        ("CUSTOMER_ID", "NUMBER", None),
        ("FIRST_NAME", "VARCHAR", 16777216),
        ("LAST_NAME", "VARCHAR", 16777216),
        ("EMAIL", "VARCHAR", 16777216),
        ("PHONE_NUMBER", "VARCHAR", 16777216),
        ("DATE_OF_BIRTH", "DATE", None),
    ],
    "currencies": [("CURRENCY_CODE", "VARCHAR", 16777216), ("EUR_PER_UNIT", "NUMBER", None)],
}


@dataclass(frozen=True)
class Node:
    unique_id: str
    name: str
    relation: str
    relation_type: str
    materialized: str
    columns: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Rendered:
    policy: Policy
    nodes: dict[str, Node]
    create: list[str]
    policy_schema: str
    cases: list[list[str]]
    case_specs: list[dict[str, Any]]


def columns_of(name: str) -> list[dict[str, Any]]:
    return [{"name": n, "data_type": t, "char_size": s} for n, t, s in TYPES[name]]


def expected_policies(rendered_policy: Policy, node: Node, schema: str) -> dict[str, str]:
    """COLUMN -> qualified policy, from the manifest's meta and the policy (Python's reading)."""
    wanted = {}
    for name, data_type, char_size in TYPES[node.name]:
        meta = next((column_meta(c) for n, c in node.columns.items() if n.upper() == name), {})
        level = meta.get("classification")
        if level in rendered_policy.masked_levels:
            category = category_for(meta, type_family(data_type), rendered_policy)
            mask = rendered_policy.masking.mask_for(level, category)
            wanted[name] = f"{schema}." + snowflake_policy_name(level, data_type, category, mask, char_size)
    return wanted


def render(project: Path, root: Path, cases: list[dict[str, Any]], **env: str) -> Any:
    result = run_dbt(
        ["run-operation", "governance.render_snowflake_masking", "--args", json.dumps({"cases": cases})],
        project,
        root / "analytics.duckdb",
        root / "target",
        check=False,
        **env,
    )
    return result


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    root = tmp_path_factory.mktemp("snowflake_render")
    project = copy_project(root / "project")
    add_view_model(project)
    inject_classification(project)
    run_dbt(["parse"], project, root / "analytics.duckdb", root / "target")
    manifest = json.loads((root / "target/manifest.json").read_text())
    policy = load_policy(project)
    nodes = {}
    for node in classified_nodes(manifest):
        if node["name"] in TYPES:
            materialized = node["config"]["materialized"]
            relation = f"{DB}.{node['schema']}.{node.get('alias') or node['name']}".upper()
            nodes[node["name"]] = Node(
                node["unique_id"],
                node["name"],
                relation,
                "view" if materialized == "view" else "table",
                materialized,
                node["columns"],
            )
    assert {n.materialized for n in nodes.values()} >= {"table", "view", "incremental", "snapshot", "seed"}
    schema = f"{DB}.{policy.masking.schema}".upper()
    specs: list[dict[str, Any]] = []
    for node in nodes.values():  # 1. a fresh build: nothing attached yet
        specs.append(
            {
                "node": node.unique_id,
                "relation": node.relation,
                "relation_type": node.relation_type,
                "columns": columns_of(node.name),
                "current": {},
                "kind": "fresh",
            }
        )
    for node in nodes.values():  # 2. a rebuild where everything is already right
        specs.append(
            {
                **specs[len(specs) - len(nodes)],
                "current": expected_policies(policy, node, schema),
                "kind": "unchanged",
            }
        )
    customers = nodes["dim_customers"]
    wanted = expected_policies(policy, customers, schema)
    drifted = {
        **wanted,
        "CUSTOMER_ID": f"{schema}.MASK_L3_NUMBER",
        "COUNTRY_CODE": OTHER_POLICY,
        "EMAIL": f"{schema}.MASK_L4_VARCHAR_TEXT",
    }
    specs.append(
        {
            "node": customers.unique_id,
            "relation": customers.relation,
            "relation_type": "table",
            "columns": columns_of("dim_customers"),
            "current": drifted,
            "kind": "drifted",
        }
    )
    for name in ("fct_payments", "customer_contacts"):
        node = nodes[name]
        specs.append(
            {
                "node": node.unique_id,
                "relation": node.relation,
                "relation_type": node.relation_type,
                "columns": columns_of(name),
                "current": {},
                "static": True,
                "kind": "static",
            }
        )
    cases = [{k: v for k, v in spec.items() if k != "kind"} for spec in specs]
    result = render(project, root, cases, GOVERNANCE_MASKING_HASH_KEY=HASH_KEY)
    assert result.returncode == 0, result.stdout[-4000:]
    assert f"{DB}.{policy.masking.schema}".upper() in result.stdout
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("GOVERNANCE_RENDER "))
    out = json.loads(line.removeprefix("GOVERNANCE_RENDER "))
    # the key lives in the warehouse's vault: the rendered SQL is the same with or without it in the
    # environment, and never contains it
    assert HASH_KEY not in result.stdout
    no_key = render(project, root, cases, GOVERNANCE_MASKING_HASH_KEY="")
    assert no_key.returncode == 0 and no_key.stdout.count("GOVERNANCE_KEYED_HASH") == \
        result.stdout.count("GOVERNANCE_KEYED_HASH") > 0
    return Rendered(policy, nodes, out["create"], out["policy_schema"], out["cases"], specs)


def parse_snowflake(sql: str) -> None:
    statements = sqlglot.parse(sql, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
    assert len(statements) == 1 and statements[0] is not None, sql[:200]


def policy_parts(statement: str) -> tuple[str, str, str]:
    """(qualified name, signature type, body) of a CREATE MASKING POLICY statement."""
    match = re.match(
        r"^create masking policy if not exists (\S+) as \(val (\w+)\) returns (\w+) -> (.*) "
        r"comment = '[^']*'$",
        statement,
    )
    assert match, statement[:200]
    assert match.group(2) == match.group(3), "a policy must return its input type"
    return match.group(1), match.group(2), match.group(4)


def body_expression(body: str) -> exp.Expression:
    return sqlglot.parse_one(f"select {body} as v", read="snowflake").selects[0].this


def test_every_statement_parses_as_snowflake(rendered: Rendered) -> None:
    for statement in rendered.create + [s for case in rendered.cases for s in case]:
        parse_snowflake(statement)


def test_policies_exist_for_every_masked_level_type_and_category(rendered: Rendered) -> None:
    policy = rendered.policy
    created = {policy_parts(s)[0] for s in rendered.create if s.startswith("create masking policy")}
    altered = {s.split()[3] for s in rendered.create if s.startswith("alter masking policy")}
    assert created == altered, "every policy's body is brought up to date each run"
    assert rendered.create[0] == f"create schema if not exists {rendered.policy_schema}"
    for level in policy.masked_levels:
        for category in ("text", "email", "phone", "join_key"):
            assert f"{rendered.policy_schema}.MASK_L{level}_VARCHAR_{category.upper()}" in created
        for policy_type in (
            "NUMBER",
            "FLOAT",
            "DATE",
            "TIMESTAMP_NTZ",
            "TIMESTAMP_LTZ",
            "TIMESTAMP_TZ",
            "BOOLEAN",
        ):
            assert f"{rendered.policy_schema}.MASK_L{level}_{policy_type}" in created
        for policy_type, _ in SNOWFLAKE_BASE_POLICY_TYPES:  # OBJECT, ARRAY, TIME, BINARY, GEOGRAPHY, GEOMETRY too
            assert f"{rendered.policy_schema}.MASK_L{level}_{policy_type}" in created
    assert len(created) == len(policy.masked_levels) * (4 + len(SNOWFLAKE_BASE_POLICY_TYPES))


def test_policy_bodies_check_the_policy_roles_and_mask_by_type(rendered: Rendered) -> None:
    policy = rendered.policy
    category_of_type = dict(SNOWFLAKE_BASE_POLICY_TYPES)
    for statement in rendered.create:
        if not statement.startswith("create masking policy"):
            continue
        name, policy_type, body = policy_parts(statement)
        level = int(re.search(r"MASK_L(\d+)_", name).group(1))
        category = (
            name.rsplit("_", 1)[-1].lower() if policy_type == "VARCHAR" else category_of_type[policy_type]
        )
        category = "join_key" if name.endswith("JOIN_KEY") else category
        assert category in MASK_CATEGORIES
        mask = policy.masking.mask_for(level, category)
        case = body_expression(body)
        assert isinstance(case, exp.Case)
        condition = case.args["ifs"][0].this
        checked = {
            c.expressions[0].name
            for c in condition.find_all(exp.Anonymous)
            if c.name.upper() == "IS_ROLE_IN_SESSION"
        }
        # service roles except the loaders (they never read modelled data), and clearance roles of the level
        loaders = set(policy.grants.raw_writers)
        wanted = {r.upper() for r in (*(set(policy.service_roles) - loaders), *policy.clearance_roles_for(level))}
        assert "LOADER" not in checked
        assert checked == wanted, f"{name}: checks {sorted(checked)}, policy says {sorted(wanted)}"
        assert case.args["ifs"][0].args["true"].name.lower() == "val", (
            f"{name}: cleared roles must see the value"
        )
        masked_sql = case.args["default"].sql("snowflake")
        if mask == "nullify":
            assert isinstance(case.args["default"], exp.Null), name
        elif mask == "redact":
            assert masked_sql == "CASE WHEN val IS NULL THEN NULL ELSE '*****' END", name
        elif mask == "keep_domain":
            assert "'@'" in masked_sql and "SUBSTR" in masked_sql.upper(), name
        elif mask == "keep_last_4":
            assert "RIGHT(val, 4)" in masked_sql, name
        elif mask == "hash":
            # the vault's secure function, never a key literal (the key was visible in DESCRIBE, GET_DDL,
            # ACCOUNT_USAGE.MASKING_POLICIES and query history)
            assert f"{rendered.policy_schema}.GOVERNANCE_KEYED_HASH(val)" in masked_sql, name
            assert HASH_KEY not in statement, name
        elif mask == "zero":
            assert re.search(r"ELSE 0 END", masked_sql), name
        elif mask == "truncate_to_year":
            assert "DATE_TRUNC('YEAR', val)".lower() in masked_sql.lower(), name


def alters(statements: list[str]) -> list[tuple[str, str, str, str | None, bool]]:
    found = []
    for statement in statements:
        match = ALTER.match(statement)
        if match:
            kind, relation, column, policy_name, unset = match.groups()
            found.append((kind, relation, column, policy_name, bool(unset)))
    return found


def test_fresh_build_sets_the_right_policy_on_every_classified_column(rendered: Rendered) -> None:
    schema = rendered.policy_schema
    for spec, statements in zip(rendered.case_specs, rendered.cases, strict=True):
        if spec["kind"] != "fresh":
            continue
        node = next(n for n in rendered.nodes.values() if n.unique_id == spec["node"])
        wanted = expected_policies(rendered.policy, node, schema)
        assert wanted, f"{node.name}: no masked column to render"
        found = alters(statements)
        assert {(c, p) for _, _, c, p, _ in found} == set(wanted.items()), node.name
        assert all(kind == node.relation_type and relation == node.relation for kind, relation, *_ in found)
        assert not any(unset for *_, unset in found)
        assert not any(s.startswith("update") for s in statements), "no static masking unless asked"


def test_columns_at_unmasked_levels_get_no_policy(rendered: Rendered) -> None:
    fresh = next(
        c
        for s, c in zip(rendered.case_specs, rendered.cases, strict=True)
        if s["kind"] == "fresh" and s["node"].endswith("dim_customers")
    )
    meta = column_meta(rendered.nodes["dim_customers"].columns["billing_postal_code"])
    assert meta["classification"] not in rendered.policy.masked_levels
    assert not any(c == "BILLING_POSTAL_CODE" for _, _, c, _, _ in alters(fresh))


def test_short_varchar_gets_a_policy_cut_to_its_length(rendered: Rendered) -> None:
    fresh = next(
        c
        for s, c in zip(rendered.case_specs, rendered.cases, strict=True)
        if s["kind"] == "fresh" and s["node"].endswith("dim_customers")
    )
    creates = [s for s in fresh if s.startswith("create masking policy")]
    assert len(creates) == 1
    name, _, body = policy_parts(creates[0])
    assert name.endswith("_LEN3")
    masked = body_expression(body).args["default"]
    assert "LEFT(" in masked.sql("snowflake").upper() and ", 3)" in masked.sql("snowflake")
    assert any(c == "BILLING_STREET_ADDRESS" and p == name for _, _, c, p, _ in alters(fresh))


def test_rebuild_with_policies_in_place_alters_nothing(rendered: Rendered) -> None:
    unchanged = [
        c for s, c in zip(rendered.case_specs, rendered.cases, strict=True) if s["kind"] == "unchanged"
    ]
    assert len(unchanged) == len(rendered.nodes)
    assert all(statements == [] for statements in unchanged)


def test_drift_is_repaired_and_removed_classification_unset(rendered: Rendered) -> None:
    statements = next(
        c for s, c in zip(rendered.case_specs, rendered.cases, strict=True) if s["kind"] == "drifted"
    )
    found = alters(statements)
    assert ("table", rendered.nodes["dim_customers"].relation, "CUSTOMER_ID", None, True) in found
    email = [p for _, _, c, p, _ in found if c == "EMAIL"]
    assert email == [f"{rendered.policy_schema}.MASK_L3_VARCHAR_JOIN_KEY"]
    assert len(found) == 2, "only the drifted and the declassified column are altered"
    assert not any("COUNTRY_CODE" in s for s in statements), "a policy that is not ours is left alone"


def test_static_masking_updates_tables_only(rendered: Rendered) -> None:
    static = {
        s["node"]: c
        for s, c in zip(rendered.case_specs, rendered.cases, strict=True)
        if s["kind"] == "static"
    }
    payments = static[rendered.nodes["fct_payments"].unique_id]
    updates = [s for s in payments if s.startswith("update")]
    wanted = expected_policies(rendered.policy, rendered.nodes["fct_payments"], rendered.policy_schema)
    assert {re.match(r'update \S+ set "(\w+)"', s).group(1) for s in updates} == set(wanted)
    for statement in updates:
        update = sqlglot.parse_one(statement, read="snowflake")
        assert isinstance(update, exp.Update) and update.args.get("where") is not None
    view = static[rendered.nodes["customer_contacts"].unique_id]
    assert not any(s.startswith("update") for s in view) and alters(view)
