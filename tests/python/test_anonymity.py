"""Re-identification (k-anonymity) of what the reporter role reads, on the built warehouse.

The attack that used to work: as the reporter (BI), the masked customer dimension still showed the last
four digits of each phone number, the birth year, the clear postal code and the unclassified external
reference that other systems know a customer by; any one of these singled out most customers. The policy
now masks them (phone redacted, date of birth nulled, postal code at level 3, the external reference a
keyed join key) and `governance anonymity` measures the share of customers unique on what is left.
Mutations: the old phone mask put back into a copy of the warehouse must fail the check, and a check that
ignores partly revealing masks must miss it (so the check's rule is what catches it).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BIN_DIR, PROJECT_DIR, Warehouse

from governance.errors import PolicyError
from governance.masking import anonymity
from governance.masking.anonymity import duckdb_report, plan, uncleared_roles
from governance.policy import load_policy
from governance.policy.reidentification import parse_reidentification
from governance.project import DbtProject, load_manifest

# the phone mask of level 3 before this check existed: same length, last four digits kept
KEEP_LAST_4 = "case when val is null then null else repeat('*', greatest(length(val) - 4, 0)) || right(val, 4) end"


@pytest.fixture(scope="module")
def policy():
    return load_policy(DbtProject.locate(PROJECT_DIR))


def _governance(*args: str, warehouse: Warehouse) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN_DIR / "governance"), *args], cwd=PROJECT_DIR, env=warehouse.env(),
                          capture_output=True, text=True, timeout=300)


def test_the_reporter_cannot_single_customers_out(built_warehouse: Warehouse, policy) -> None:
    result = _governance("anonymity", "--manifest", str(built_warehouse.manifest), "--database",
                         str(built_warehouse.database), "--format", "json", warehouse=built_warehouse)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["roles"] == ["auditor", "developer", "reporter"] and report["max_unique_share"] == 0.05
    assert all(r["status"] == "ok" and r["unique_share"] < 0.05 for r in report["relations"])
    by_relation = {r["relation"]: r for r in report["relations"] if r["role"] == "reporter"}
    customers = by_relation["marts.dim_customers"]
    assert customers["population"] > 500 and customers["unique_share"] < 0.05, customers
    # what the reporter still sees of a customer: the email domain and the country, nothing more
    assert customers["quasi_identifiers"] == ["country_code (clear)", "country_name (clear)", "email (keep_domain)"]
    # facts holding the customer key in clear are measured joined to the customer dimension, per customer
    orders = by_relation["marts.fct_orders"]
    assert orders["joined_to"] == "marts.dim_customers on customer_id" and orders["unique_share"] < 0.05
    # counts only: no value of the warehouse in the output
    assert "@" not in result.stdout.replace("email (keep_domain)", "")


def test_external_reference_is_a_join_key_not_a_quasi_identifier(built_warehouse: Warehouse, policy) -> None:
    manifest = load_manifest(built_warehouse.manifest)
    node = manifest["nodes"]["model.analytics.dim_customers"]
    meta = node["columns"]["customer_external_ref"]["config"]["meta"]
    assert meta["classification"] == 3 and meta["pii"] == ["EXTERNAL_ID"]
    assert anonymity.seen_as(meta, "VARCHAR", policy, "reporter", "dim_customers.customer_external_ref") == "hash"
    assert anonymity.seen_as(meta, "VARCHAR", policy, "analyst", "dim_customers.customer_external_ref") == "clear"


def _with_old_phone_mask(built_warehouse: Warehouse, tmp_path: Path) -> Path:
    import duckdb

    copy = tmp_path / "analytics.duckdb"
    shutil.copy(built_warehouse.database, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(f"create or replace macro governance.mask_l3_phone(val) as {KEEP_LAST_4}")
    return copy


def test_the_old_phone_mask_fails_the_check(built_warehouse: Warehouse, policy, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    database = _with_old_phone_mask(built_warehouse, tmp_path)
    levels = {n: dict(masks) for n, masks in policy.masking.levels.items()}
    levels[3]["phone"] = "keep_last_4"
    old = dataclasses.replace(policy, masking=dataclasses.replace(policy.masking, levels=levels))
    manifest = load_manifest(built_warehouse.manifest)
    risks = {r.relation: r for r in duckdb_report(manifest, old, database, ["reporter"])}
    customers = risks["marts.dim_customers"]
    assert "phone_number (keep_last_4)" in customers.quasi_identifiers
    assert customers.status == "too identifying" and customers.unique_share > 0.5, customers
    # mutation: a check that ignores partly revealing masks misses the attack
    monkeypatch.setattr(anonymity, "REVEALING_MASKS", frozenset())
    blind = {r.relation: r for r in duckdb_report(manifest, old, database, ["reporter"])}
    assert blind["marts.dim_customers"].status == "ok"


def test_a_missing_protected_view_is_not_measured_and_fails(built_warehouse: Warehouse, policy, tmp_path: Path) -> None:
    import duckdb

    copy = tmp_path / "analytics.duckdb"
    shutil.copy(built_warehouse.database, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("drop view marts_protected.dim_customers")
    risks = duckdb_report(load_manifest(built_warehouse.manifest), policy, copy)
    assert any(r.relation == "marts.dim_customers" and r.status.startswith("not measured") for r in risks)


def test_uncleared_roles_and_plan(policy) -> None:
    assert uncleared_roles(policy) == ["auditor", "developer", "reporter"]
    # a column marked quasi_identifier counts even though it is not personal on its own
    node = {"unique_id": "model.p.people", "name": "people", "schema": "marts", "resource_type": "model",
            "config": {"materialized": "table"},
            "columns": {"country": {"config": {"meta": {"quasi_identifier": True}}},
                        "city": {"config": {"meta": {"classification": 3, "pii": ["LOCATION"]}}},
                        "email": {"config": {"meta": {"classification": 3, "pii": ["EMAIL_ADDRESS"]}}},
                        "notes": {}}}
    measured = plan({"nodes": {node["unique_id"]: node}}, policy, ["reporter"], {
        ("marts", "people", "country"): "VARCHAR", ("marts", "people", "city"): "VARCHAR",
        ("marts", "people", "email"): "VARCHAR"})
    assert [(q.column, q.seen_as) for q in measured[0].quasi_identifiers] == [
        ("country", "clear"), ("email", "keep_domain")]


@pytest.mark.parametrize("raw, message", [
    ({"max_unique_share": 1.5}, "max_unique_share"),
    ({"max_unique_share": True}, "max_unique_share"),
    ({"subjects": {"customer": {"relation": "dim_customers"}}}, "subjects.customer"),
    ({"subjects": {"customer": {"relation": "dim customers", "key": "id"}}}, "subjects.customer.relation"),
    ({"thresholds": 1}, "reidentification.thresholds"),
])
def test_bad_reidentification_section_names_the_key(raw, message) -> None:
    with pytest.raises(PolicyError, match=message):
        parse_reidentification(raw, Path("dbt_project.yml"))
