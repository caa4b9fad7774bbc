"""Masking on the local DuckDB default, proven with a leak matrix on real builds.

A private copy of the project gets classification meta (as lineage would write it) and a view
model on a masked table; it is built, given a second change batch and built again (incremental
models and snapshots run incrementally). Then, for every role in the policy (plus no role and an
unknown role) x every classified column, the protected relation must show the clear value exactly
when the policy clears the role, and otherwise exactly the policy's mask, computed here
independently of the SQL macros. Assertions report counts only, never values.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import AS_OF, BIN_DIR, copy_project, load_raw, run_dbt
from masking_support import HASH_KEY, add_view_model, inject_classification

from governance.masking import keyed_hash
from governance.masking.rules import classified_nodes
from governance.policy import Policy, load_policy
from governance.policy.masking import category_for, type_family
from governance.project import column_meta
from governance.project.yaml_io import YamlFile, clear_classification, column_node

pytestmark = pytest.mark.slow

UNSET = None  # the session declares no role
UNKNOWN_ROLE = "intruder"  # a role the policy does not know


@dataclass(frozen=True)
class Built:
    project: Path
    database: Path
    target: Path
    policy: Policy
    second_run: subprocess.CompletedProcess[str]

    def dbt(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run_dbt(
            list(args),
            self.project,
            self.database,
            self.target,
            check=check,
            GOVERNANCE_MASKING_HASH_KEY=HASH_KEY,
        )

    def manifest(self) -> dict[str, Any]:
        return json.loads((self.target / "manifest.json").read_text())


@pytest.fixture(scope="module", autouse=True)
def key_in_environment() -> Iterator[None]:
    """Readers of join-key masks hold the key in their environment (read at query time, never stored)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVERNANCE_MASKING_HASH_KEY", HASH_KEY)
        yield


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("masking")
    project = copy_project(root / "project")
    add_view_model(project)
    assert inject_classification(project) > 0
    database, target = root / "analytics.duckdb", root / "target"
    load_raw(database, "--change-rows", "4000", "--as-of", AS_OF)
    env = {"GOVERNANCE_MASKING_HASH_KEY": HASH_KEY}
    build = ["build", "--exclude", "resource_type:test", "resource_type:unit_test"]  # data tests: not masking's
    run_dbt(build, project, database, target, **env)
    load_raw(database, "--append-batch", "--fraction", "0.05")
    second = run_dbt(build, project, database, target, **env)
    return Built(project, database, target, load_policy(project), second)


@pytest.fixture
def con(built: Built) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = keyed_hash.connect(str(built.database), read_only=True)
    yield connection
    connection.close()


def act_as(con: duckdb.DuckDBPyConnection, role: str | None) -> None:
    if role is None:
        con.execute("reset variable governance_role")
    else:
        con.execute("set variable governance_role = ?", [role])


def sees_clear(policy: Policy, role: str | None, level: int) -> bool:
    """What the policy says, for any session role."""
    if role is None:
        role = policy.default_role
    if role not in policy.roles:
        return not policy.levels[level].masked
    return policy.is_cleared(role, level)


def expected_mask(mask: str, value: Any) -> Any:
    """The policy's masks, written independently of the SQL macros."""
    if value is None or mask == "nullify":
        return None
    if mask == "redact":
        return "*****"
    if mask == "keep_domain":
        at = value.find("@")
        return "*" + value[at:] if at > 0 else "*****"
    if mask == "keep_last_4":
        return "*" * len(value) if len(value) <= 4 else "*" * (len(value) - 4) + value[-4:]
    if mask == "hash":
        return keyed_hash.keyed_hash(HASH_KEY, str(value))  # HMAC-SHA256, the key from the environment
    if mask == "zero":
        return Decimal(0)
    if mask == "truncate_to_year":
        if isinstance(value, dt.datetime):
            return dt.datetime(value.year, 1, 1)
        return dt.date(value.year, 1, 1)
    raise AssertionError(f"unknown mask {mask}")


@dataclass(frozen=True)
class Classified:
    schema: str
    relation: str
    column: str
    level: int
    meta: dict[str, Any]


def classified_columns(manifest: dict[str, Any]) -> list[Classified]:
    found = []
    for node in classified_nodes(manifest):
        for name, column in (node.get("columns") or {}).items():
            meta = column_meta(column)
            if isinstance(meta.get("classification"), int):
                found.append(
                    Classified(node["schema"], node.get("alias") or node["name"], name, meta["classification"], meta)
                )
    return found


def column_types(con: duckdb.DuckDBPyConnection, schema: str, relation: str) -> dict[str, str]:
    return {
        c: t
        for c, t in con.execute(
            "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?",
            [schema, relation],
        ).fetchall()
    }


def test_manifest_has_masked_columns_at_levels_3_and_4(built: Built) -> None:
    levels = {c.level for c in classified_columns(built.manifest())}
    assert {3, 4} <= levels, f"the leak matrix needs classified columns at levels 3 and 4, found {sorted(levels)}"
    assert any(not built.policy.levels[level].masked for level in levels), "an unmasked level must be covered too"


def test_second_run_was_incremental(built: Built) -> None:
    results = json.loads((built.target / "run_results.json").read_text())
    compiled = {r["unique_id"]: r.get("compiled_code") or "" for r in results["results"]}
    # an incremental run compares upstream changes with the model's boundary, as a literal
    assert "where _cdc_change_seq > '" in compiled["model.analytics.fct_payments"]
    assert "where _loaded_at > '" in compiled["model.analytics.fct_support_tickets"]


def test_leak_matrix_every_role_every_classified_column(built: Built, con: duckdb.DuckDBPyConnection) -> None:
    policy = built.policy
    columns = classified_columns(built.manifest())
    roles: list[str | None] = [*policy.roles, UNSET, UNKNOWN_ROLE]
    by_relation: dict[tuple[str, str], list[Classified]] = {}
    for column in columns:
        by_relation.setdefault((column.schema, column.relation), []).append(column)
    checked = leaks = wrong = 0
    problems: list[str] = []
    for (schema, relation), cols in sorted(by_relation.items()):
        types = column_types(con, schema, relation)
        names = ", ".join(f'"{c.column}"' for c in cols)
        clear_rows = con.execute(f'select {names} from "{schema}"."{relation}"').fetchall()
        for index, col in enumerate(cols):
            assert any(row[index] is not None for row in clear_rows), f"{schema}.{relation}.{col.column}: no values"
        for role in roles:
            act_as(con, role)
            shown_rows = con.execute(f'select {names} from "{schema}_protected"."{relation}"').fetchall()
            assert len(shown_rows) == len(clear_rows), f"{schema}_protected.{relation}: row count differs"
            for index, col in enumerate(cols):
                clear_expected = sees_clear(policy, role, col.level)
                mask = None
                if not clear_expected:
                    mask = policy.masking.mask_for(
                        col.level, category_for(col.meta, type_family(types[col.column]), policy)
                    )
                col_leaks = col_wrong = 0
                for clear_row, shown_row in zip(clear_rows, shown_rows, strict=True):
                    clear, shown = clear_row[index], shown_row[index]
                    checked += 1
                    if clear_expected:
                        col_wrong += shown != clear
                    else:
                        want = expected_mask(mask, clear)
                        col_leaks += clear is not None and shown == clear and want != clear
                        col_wrong += shown != want
                if col_leaks or col_wrong:
                    problems.append(
                        f"role {role}: {schema}.{relation}.{col.column} (level {col.level}, "
                        f"{'clear' if clear_expected else mask}): {col_leaks} leaked, {col_wrong} wrong"
                    )
                leaks += col_leaks
                wrong += col_wrong
    assert checked > 0
    assert leaks == 0 and wrong == 0, f"{leaks} leaked and {wrong} wrong cells of {checked}:\n" + "\n".join(problems)


def test_type_of_every_protected_column_matches_its_table(built: Built, con: duckdb.DuckDBPyConnection) -> None:
    for column in classified_columns(built.manifest()):
        table = column_types(con, column.schema, column.relation)
        view = column_types(con, f"{column.schema}_protected", column.relation)
        assert view == table, f"{column.schema}_protected.{column.relation}: column types differ from the table"


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    return con.execute(sql).fetchall()[0][0]


def test_joins_on_masked_join_keys_match_like_clear_values(con: duckdb.DuckDBPyConnection) -> None:
    join = (
        "select count(*) from {s}.fct_support_tickets as t "
        "inner join {s}.dim_customers as c on t.requester_email = c.email"
    )
    clear_matches = scalar(con, join.format(s="marts"))
    assert clear_matches > 0
    for role in ("reporter", "analyst", UNSET):
        act_as(con, role)
        assert scalar(con, join.format(s="marts_protected")) == clear_matches, role
    act_as(con, "reporter")
    # the hashed key is not the clear value: no protected email equals any clear email
    assert (
        scalar(
            con,
            "select count(*) from marts_protected.dim_customers where email in (select email from marts.dim_customers)",
        )
        == 0
    )


def test_joins_and_aggregations_do_not_reveal_restricted_values(con: duckdb.DuckDBPyConnection) -> None:
    query = (
        "select count(distinct p.card_number), count(*) filter (where p.card_number in "
        "(select card_number from finance.fct_payments)), sum(p.amount) "
        "from finance_protected.fct_payments as p "
        "inner join marts_protected.dim_customers as c on p.customer_id = c.customer_id"
    )
    clear_distinct = scalar(con, "select count(distinct card_number) from finance.fct_payments")
    assert clear_distinct > 1
    for role in ("reporter", "analyst", UNKNOWN_ROLE):
        act_as(con, role)
        distinct, matches, total = con.execute(query).fetchall()[0]
        assert distinct <= 1 and matches == 0 and total is None, f"{role} sees level 4 payment data"
    act_as(con, "finance_analyst")
    distinct, matches, total = con.execute(query).fetchall()[0]
    assert distinct == clear_distinct and matches > 0 and total is not None


def test_aggregations_on_masked_columns(con: duckdb.DuckDBPyConnection) -> None:
    query = (
        "select sum(lifetime_net_revenue_eur), count(has_marketing_opt_in), "
        "count(*) filter (where month(date_of_birth) <> 1 or day(date_of_birth) <> 1), "
        "count(distinct phone_number) from marts_protected.dim_customers"
    )
    act_as(con, "reporter")
    revenue, opt_ins, exact_birthdays, _ = con.execute(query).fetchall()[0]
    assert revenue == 0 and opt_ins == 0 and exact_birthdays == 0
    act_as(con, "analyst")
    clear = con.execute(query.replace("marts_protected", "marts")).fetchall()[0]
    assert con.execute(query).fetchall()[0] == clear and clear[0] > 0 and clear[2] > 0
    # grouping by a masked email keeps only domains
    act_as(con, "reporter")
    keys = con.execute("select email, count(*) from snapshots_protected.snap_customers group by email").fetchall()
    assert keys and all(key is None or key.startswith("*@") for key, _ in keys)
    assert (
        scalar(
            con,
            "select count(*) from snapshots_protected.snap_customers "
            "where email in (select email from snapshots.snap_customers)",
        )
        == 0
    )


def test_consumer_view_on_a_protected_relation_stays_protected(built: Built) -> None:
    with keyed_hash.connect(str(built.database)) as con:
        con.execute("create schema if not exists consumer")
        con.execute(
            "create or replace view consumer.customer_phones as "
            "select customer_id, phone_number from marts_protected.dim_customers"
        )
        query = (
            "select count(*) filter (where v.phone_number = c.phone_number) "
            "from consumer.customer_phones as v "
            "inner join marts.dim_customers as c on v.customer_id = c.customer_id"
        )
        total = scalar(con, "select count(phone_number) from marts.dim_customers")
        act_as(con, "reporter")
        assert scalar(con, query) == 0
        act_as(con, "analyst")
        assert scalar(con, query) == total > 0


def governance(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN_DIR / "governance"), *args], capture_output=True, text=True, env=env, timeout=300)


def protected_report(project: Path, manifest: Path, database: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`governance protected` for a project, a manifest and the DuckDB file it reports on."""
    return governance("protected", "--project-dir", str(project), "--manifest", str(manifest),
                      "--database", str(database), *extra)


def test_report_lists_every_protected_column_as_applied(built: Built) -> None:
    result = protected_report(built.project, built.target / "manifest.json", built.database, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    masked_levels = set(built.policy.masked_levels)
    expected = {
        (f"{c.schema}.{c.relation}", c.column, c.level)
        for c in classified_columns(built.manifest())
        if c.level in masked_levels
    }
    assert {(r["relation"], r["column"], r["level"]) for r in report["columns"]} == expected
    assert all(r["status"] == "applied" for r in report["columns"]) and report["problems"] == 0
    text = protected_report(built.project, built.target / "manifest.json", built.database)
    assert text.returncode == 0 and "all as the policy says" in text.stdout


def test_removed_classification_is_unmasked_and_reported_until_rebuilt(built: Built, tmp_path: Path) -> None:
    before_db, before_manifest = tmp_path / "before.duckdb", tmp_path / "before_manifest.json"
    shutil.copyfile(built.database, before_db)
    shutil.copyfile(built.target / "manifest.json", before_manifest)
    document = YamlFile.load(built.project / "models/marts/core/_core__models.yml")
    column = column_node(document.model("fct_orders"), "ip_address")
    assert clear_classification(column, "lineage", ("classification", "pii", "mask_as"))
    document.save()
    built.dbt("run", "--select", "fct_orders")

    def report(manifest: Path, database: Path) -> subprocess.CompletedProcess[str]:
        return protected_report(built.project, manifest, database, "--format", "json")

    def status_of_ip_address(result: subprocess.CompletedProcess[str]) -> list[str]:
        return [r["status"] for r in json.loads(result.stdout)["columns"]
                if r["relation"] == "marts.fct_orders" and r["column"] == "ip_address"]

    # declassified, but the warehouse still masks it (not rebuilt yet): reported stale
    stale = report(built.target / "manifest.json", before_db)
    assert stale.returncode == 1 and status_of_ip_address(stale)[0].startswith("stale"), stale.stderr
    # classified, but the warehouse does not mask it: reported missing
    missing = report(before_manifest, built.database)
    assert missing.returncode == 1 and status_of_ip_address(missing)[0].startswith("missing"), missing.stderr
    fixed = report(built.target / "manifest.json", built.database)
    assert fixed.returncode == 0 and status_of_ip_address(fixed) == [], fixed.stdout
    with keyed_hash.connect(str(built.database), read_only=True) as con:
        act_as(con, "reporter")
        same = scalar(
            con,
            "select count(*) filter (where p.ip_address = t.ip_address) from "
            "marts_protected.fct_orders as p inner join marts.fct_orders as t using (order_id)",
        )
        assert same == scalar(con, "select count(ip_address) from marts.fct_orders") > 0


def test_an_invalid_level_over_protects_in_dbt_and_in_python(built: Built) -> None:
    """`classification: high` (or 7, or "3") used to unmask the column: dbt read it as 0. Now dbt and
    Python both read it as the policy's fail-closed level: masked for everyone not cleared for it,
    reported by `protected` at that level, and an error in `governance check`."""
    document = YamlFile.load(built.project / "models/marts/core/_core__models.yml")
    meta = column_node(document.model("dim_customers"), "email")["config"]["meta"]
    meta["classification"], meta["classified_by"] = "high", "manual"
    document.save()
    built.dbt("run", "--select", "dim_customers")
    with keyed_hash.connect(str(built.database), read_only=True) as con:
        con.execute("set variable governance_role = 'analyst'")  # cleared for 3, not for 4
        clear = con.execute(
            "select count(*) from marts_protected.dim_customers p join marts.dim_customers t using (customer_id) "
            "where t.email is not null and p.email is not distinct from t.email").fetchone()[0]
    assert clear == 0
    report = json.loads(protected_report(built.project, built.target / "manifest.json", built.database,
                                         "--format", "json").stdout)
    row = next(r for r in report["columns"] if r["relation"] == "marts.dim_customers" and r["column"] == "email")
    assert row["level"] == built.policy.fail_closed_level and row["status"] == "applied"


@pytest.mark.parametrize(("change", "model", "message"), [
    ("entity", "dim_customers", "column email: unknown PII entity 'EMAIL_ADRESS'"),
    ("renamed", "stg_shop__customers", "column email is classified in the YAML but the relation has no such column"),
])
def test_meta_the_check_rejects_fails_the_build_before_publishing(built: Built, change: str, model: str,
                                                                   message: str) -> None:
    """A misspelled entity next to a level, or a classified column the SQL no longer produces (renamed, in a
    model without a contract, which dbt's contract check would otherwise catch): before, `dbt build` passed
    (the entity copied downstream, the renamed column published unclassified); now the build of that model
    fails naming its file and the column, and its protected view is not replaced."""
    folder = "models/marts/core" if model == "dim_customers" else "models/staging/shop"
    yaml_path = built.project / folder / ("_core__models.yml" if model == "dim_customers" else "_shop__models.yml")
    sql_path = built.project / folder / f"{model}.sql"
    saved = {path: path.read_text() for path in (yaml_path, sql_path)}
    try:
        if change == "entity":
            document = YamlFile.load(yaml_path)
            column_node(document.model(model), "email")["config"]["meta"]["pii"] = ["EMAIL_ADRESS"]
            document.save()
        else:
            sql_path.write_text(saved[sql_path].replace(" as email,", " as contact_email,", 1))
            assert "contact_email" in sql_path.read_text()
        result = built.dbt("run", "--select", model, "--full-refresh", check=False)
        assert result.returncode != 0
        assert message in result.stdout and f"{folder}/{model}.sql" in result.stdout, result.stdout[-3000:]
        with duckdb.connect(str(built.database), read_only=True) as con:
            columns = {r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_name = ? "
                "and table_schema like '%_protected'", [model]).fetchall()}
        assert columns and "contact_email" not in columns  # never published through the protected view
    finally:
        for path, text in saved.items():
            path.write_text(text)
        if change == "renamed":
            built.dbt("run", "--select", model, "--full-refresh")
