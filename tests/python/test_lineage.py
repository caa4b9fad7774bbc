"""Column lineage (governance.lineage) on deliberately tricky models, and on the real project.

Expected lineage is written out by hand from the fixture models' SQL
(tests/python/fixtures/lineage_project); the manifest comes from a real `dbt compile`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import duckdb
import pytest
from lineage_helpers import FIXTURE_PROJECT, root_sources, upstream

from governance.lineage.graph import LineageGraph, build_lineage, columns_from_duckdb, sql_lineage
from governance.project import load_manifest


@pytest.fixture(scope="module")
def fixture_graph(compiled_manifest) -> LineageGraph:
    return build_lineage(load_manifest(compiled_manifest(FIXTURE_PROJECT)))


@pytest.fixture(scope="module")
def project_graph(compiled_manifest) -> LineageGraph:
    return build_lineage(load_manifest(compiled_manifest()))


# Every output column of the tricky models -> its direct upstream columns, by hand.
EXPECTED_UPSTREAM: dict[str, dict[str, set[str]]] = {
    # nested CTEs + a macro expanding to `select * ... qualify row_number() over (...)` + star selects
    "stg_users.user_id": {"app.users.id"},
    "stg_users.email": {"app.users.email"},
    "stg_users.full_name": {"app.users.full_name"},
    "stg_users.date_of_birth": {"app.users.date_of_birth"},
    "stg_users.country": {"app.users.country"},
    # self-join: two aliases of one relation
    "int_user_pairs.user_id": {"stg_users.user_id"},
    "int_user_pairs.referrer_id": {"stg_users.user_id"},
    "int_user_pairs.referrer_email": {"stg_users.email"},
    "int_user_pairs.same_email": {"stg_users.email"},
    # union of CTEs with different column names, one branch from an ephemeral model (inlined CTE)
    "contacts.contact_id": {"stg_users.user_id", "stg_cards.card_id"},
    "contacts.contact": {"stg_users.email", "stg_cards.card_number"},
    # aggregates, windows, hashes, CASE/COALESCE, scalar subqueries (filters are not lineage)
    "user_metrics.user_id": {"stg_users.user_id"},
    "user_metrics.email_key": {"stg_users.email"},
    "user_metrics.email_md5": {"stg_users.email"},
    "user_metrics.name_length": {"stg_users.full_name"},
    "user_metrics.birth_year": {"stg_users.date_of_birth"},
    "user_metrics.birth_month": {"stg_users.date_of_birth"},
    "user_metrics.has_email": {"stg_users.email"},
    "user_metrics.display_name": {"stg_users.country", "stg_users.full_name"},
    "user_metrics.card_count": {"stg_cards.card_number"},
    "user_metrics.last_card_number": {"stg_cards.card_number"},
    "user_metrics.age_rank_in_country": {"stg_users.country", "stg_users.date_of_birth"},
    "user_metrics.previous_email": {"stg_users.email", "stg_users.country", "stg_users.user_id"},
    "user_metrics.cards_total": set(),
    "user_metrics.max_card_number": {"stg_cards.card_number"},
    # a derived table joined to a seed
    "users_by_country.country_name": {"country_codes.country_name"},
    "users_by_country.users": set(),
    "users_by_country.users_with_email": {"stg_users.email"},
    "users_by_country.emails": {"stg_users.email"},
    # snapshot: the select plus dbt's snapshot columns (no upstream)
    "snap_users.email": {"stg_users.email"},
    "snap_users.dbt_valid_from": set(),
    "snap_users.dbt_is_deleted": set(),
}

EXPECTED_KINDS: dict[tuple[str, str], set[str]] = {
    ("int_user_pairs.same_email", "stg_users.email"): {"predicate"},
    ("user_metrics.email_key", "stg_users.email"): {"keyed_hash"},
    ("user_metrics.email_md5", "stg_users.email"): {"hash"},
    ("user_metrics.name_length", "stg_users.full_name"): {"length"},
    ("user_metrics.birth_year", "stg_users.date_of_birth"): {"year"},
    ("user_metrics.birth_month", "stg_users.date_of_birth"): {"transform"},
    ("user_metrics.has_email", "stg_users.email"): {"predicate"},
    ("user_metrics.display_name", "stg_users.country"): {"predicate", "transform"},
    ("user_metrics.display_name", "stg_users.full_name"): {"copy"},
    ("user_metrics.card_count", "stg_cards.card_number"): {"count", "copy"},
    ("user_metrics.last_card_number", "stg_cards.card_number"): {"aggregate"},
    ("user_metrics.age_rank_in_country", "stg_users.date_of_birth"): {"window_key"},
    ("user_metrics.max_card_number", "stg_cards.card_number"): {"aggregate"},
    ("users_by_country.users_with_email", "stg_users.email"): {"count"},
    ("users_by_country.emails", "stg_users.email"): {"aggregate"},
    ("stg_users.email", "app.users.email"): {"transform"},
    ("stg_users.full_name", "app.users.full_name"): set(),
}


def test_fixture_models_resolve_without_problems(fixture_graph: LineageGraph) -> None:
    assert [(p.unique_id, p.message) for p in fixture_graph.problems] == []


@pytest.mark.parametrize("column", sorted(EXPECTED_UPSTREAM))
def test_fixture_lineage_matches_hand_written(fixture_graph: LineageGraph, column: str) -> None:
    node, name = column.rsplit(".", 1)
    assert set(upstream(fixture_graph, node, name)) == EXPECTED_UPSTREAM[column]


def test_fixture_transformation_kinds(fixture_graph: LineageGraph) -> None:
    for (column, source), kinds in EXPECTED_KINDS.items():
        node, name = column.rsplit(".", 1)
        assert upstream(fixture_graph, node, name)[source] == kinds, (column, source)


def test_fixture_output_columns_and_order(fixture_graph: LineageGraph) -> None:
    assert fixture_graph.find("contacts").columns == ["contact_id", "contact"]  # first branch names them
    assert fixture_graph.find("stg_users").columns == [
        "user_id",
        "email",
        "full_name",
        "date_of_birth",
        "country",
    ]
    snapshot = fixture_graph.find("snap_users").columns
    assert snapshot[:5] == ["user_id", "email", "full_name", "date_of_birth", "country"]
    assert snapshot[5:] == [
        "dbt_scd_id",
        "dbt_updated_at",
        "dbt_valid_from",
        "dbt_valid_to",
        "dbt_is_deleted",
    ]
    order = fixture_graph.order
    assert (
        order.index(fixture_graph.find("stg_users").unique_id)
        < order.index(fixture_graph.find("manual_override").unique_id)
        < order.index(fixture_graph.find("manual_downstream").unique_id)
    )


def test_lineage_through_several_models(fixture_graph: LineageGraph) -> None:
    assert root_sources(fixture_graph, "manual_downstream", "contact_email") == {"app.users.email"}
    assert root_sources(fixture_graph, "contacts", "contact") == {"app.users.email", "app.cards.card_number"}


def test_snowflake_dialect() -> None:
    sql = """
        with src as (
            select id, payload, updated_at from analytics.raw.tickets
            qualify row_number() over (partition by id order by updated_at desc) = 1
        )
        select
            id as ticket_id,
            payload:requester.email::varchar as requester_email,
            iff(payload:requester.email is null, 'none', 'some') as email_state,
            sha2(payload:requester.email::varchar, 256) as email_hash
        from src
    """
    schema = {
        "analytics": {"raw": {"tickets": {"id": "int", "payload": "variant", "updated_at": "timestamp"}}}
    }
    result = sql_lineage(sql, "snowflake", schema)
    assert result.problems == []
    assert result.columns == ["ticket_id", "requester_email", "email_state", "email_hash"]
    relation = ("analytics", "raw", "tickets")
    assert {(e.relation, e.column) for e in result.edges["requester_email"]} == {(relation, "payload")}
    assert {s.kind for e in result.edges["email_state"] for s in e.steps} == {"transform", "predicate"}
    assert {s.kind for e in result.edges["email_hash"] for s in e.steps} >= {"hash"}


def test_star_over_undocumented_source_is_reported_then_expanded_from_duckdb(
    compiled_manifest, tmp_path: Path
) -> None:
    manifest = json.loads(compiled_manifest(FIXTURE_PROJECT).read_text())
    undocumented = copy.deepcopy(manifest)
    users = undocumented["sources"]["source.lineage_fixture.app.users"]
    users["columns"] = {}
    graph = build_lineage(undocumented)
    messages = [p.message for p in graph.problems_for("model.lineage_fixture.stg_users")]
    assert any("cannot expand" in m for m in messages), messages
    assert any("app.users.email`, which is not a known column" in m for m in messages), messages
    assert set(upstream(graph, "stg_users", "email")) == {"app.users.email"}  # followed by name

    database = tmp_path / f"{users['database']}.duckdb"  # the file name is the catalog of the relations
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema raw")
        connection.execute(
            "create table raw.users (id integer, email varchar, full_name varchar, "
            "date_of_birth date, country varchar, updated_at timestamp)"
        )
    expanded = build_lineage(undocumented, columns_from_duckdb(database))
    assert expanded.problems_for("model.lineage_fixture.stg_users") == []
    assert set(upstream(expanded, "stg_users", "email")) == {"app.users.email"}


def test_unparseable_model_is_an_error_not_a_crash(compiled_manifest) -> None:
    manifest = json.loads(compiled_manifest(FIXTURE_PROJECT).read_text())
    broken = copy.deepcopy(manifest)
    broken["nodes"]["model.lineage_fixture.int_user_pairs"]["compiled_code"] = "select from where ((("
    graph = build_lineage(broken)
    errors = [p for p in graph.problems if p.severity == "error"]
    assert [p.unique_id for p in errors] == ["model.lineage_fixture.int_user_pairs"]
    assert set(upstream(graph, "user_metrics", "email_key")) == {"stg_users.email"}  # the others go on


# --- the real project ------------------------------------------------------------------------------


def test_real_project_resolves_every_model(project_graph: LineageGraph) -> None:
    assert [(p.unique_id, p.message) for p in project_graph.problems] == []
    analysed = [n for n in project_graph.nodes.values() if n.resource_type in ("model", "snapshot")]
    assert len(analysed) >= 20
    assert all(n.columns for n in analysed)


ERASURE_GUARD = {"shop.customers__ct.id", "shop.orders__ct.id",
                 "shop.orders__ct.customer_id", "shop.customer_addresses__ct.customer_id", "shop.payments__ct.order_id"}


@pytest.mark.parametrize(
    ("column", "sources"),
    [
        ("dim_customers.email", {"shop.customers__ct.email"}),
        ("fct_payments.card_number", {"shop.payments__ct.card_number"}),
        ("fct_payments.card_brand", {"shop.payments__ct.card_number"}),
        ("fct_support_tickets.requester_email", {"support.tickets.payload"}),
        ("dim_customers.billing_postal_code", {"shop.customer_addresses__ct.postal_code"}),
        ("snap_customers.email", {"shop.customers__ct.email"}),
        ("fct_orders.ip_address", {"shop.orders__ct.ip_address"}),
        ("dim_customers.country_name", {"countries.country_name"}),
    ],
)
def test_real_project_known_paths(project_graph: LineageGraph, column: str, sources: set[str]) -> None:
    node, name = column.rsplit(".", 1)
    found = root_sources(project_graph, node, name)
    # besides the values' sources, only what staging's guard against erased subjects reads (a CASE on the
    # row's subject key, looked up in the register model: macros/governance/erasure.sql)
    assert sources <= found and found - sources <= ERASURE_GUARD, found


def test_real_project_direct_edges(project_graph: LineageGraph) -> None:
    assert upstream(project_graph, "dim_customers", "email") == {"stg_shop__customers.email": {"copy"}}
    assert upstream(project_graph, "fct_payments", "card_brand")["stg_shop__payments.card_number"] >= {
        "predicate"
    }
    assert upstream(project_graph, "fct_daily_revenue_and_marketing", "ordering_customers") == {
        "fct_orders.customer_id": {"count", "copy"}
    }


def test_snowflake_manifest_gives_the_same_lineage(compiled_manifest, fixture_graph: LineageGraph) -> None:
    """dbt-snowflake writes unquoted relation names (normalized to upper case by Snowflake and sqlglot):
    the fixture's manifest turned into a Snowflake one must give the very same lineage."""
    import re

    text = compiled_manifest(FIXTURE_PROJECT).read_text()
    snowflake = json.loads(re.sub(r'\\"(\w+)\\"\.\\"(\w+)\\"\.\\"(\w+)\\"', r"\1.\2.\3", text))
    snowflake["metadata"]["adapter_type"] = "snowflake"
    assert snowflake["nodes"]["model.lineage_fixture.stg_users"]["relation_name"].count('"') == 0
    graph = build_lineage(snowflake)
    assert graph.dialect == "snowflake" and graph.problems == []

    def flat(g: LineageGraph) -> set:
        return {(k, e.source, tuple(s.kind for s in e.steps)) for k, v in g.edges.items() for e in v}

    assert flat(graph) == flat(fixture_graph)
