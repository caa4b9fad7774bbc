"""The dbt project end to end on a real DuckDB file: build, change batches, incremental builds that
equal a full refresh, snapshot history, quarantine of malformed change rows, freshness, and
parsing for the Snowflake adapter."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import AS_OF, PROJECT_DIR, Warehouse, load_raw, run_dbt

pytestmark = pytest.mark.slow

# every model whose rows an incremental run must keep equal to a full refresh
COMPARED_RELATIONS = [
    "staging.stg_shop__customers", "staging.stg_shop__customer_addresses", "staging.stg_shop__products",
    "staging.stg_shop__orders", "staging.stg_shop__order_items", "staging.stg_shop__payments",
    "staging.stg_support__tickets", "staging.stg_marketing__ad_spend",
    "marts.dim_customers", "marts.dim_products", "marts.fct_orders", "marts.fct_order_items",
    "finance.fct_payments", "marts.fct_support_tickets", "marts.fct_daily_revenue_and_marketing",
]


@pytest.fixture(scope="module")
def incremental_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """load → build → batch (with malformed rows) → build → batch → build, plus a full-refresh
    build of a copy of the same raw data."""
    root = tmp_path_factory.mktemp("incremental")
    database, target = root / "incremental.duckdb", root / "target"
    load_raw(database, "--change-rows", "12000", "--as-of", AS_OF)
    run_dbt(["build"], PROJECT_DIR, database, target)
    load_raw(database, "--append-batch", "--fraction", "0.05", "--inject-malformed")
    run_dbt(["build"], PROJECT_DIR, database, target)
    load_raw(database, "--append-batch", "--fraction", "0.05")
    run_dbt(["build"], PROJECT_DIR, database, target)

    full = root / "full.duckdb"
    shutil.copy(database, full)
    run_dbt(["build", "--full-refresh"], PROJECT_DIR, full, root / "target-full")
    return database, full


def test_incremental_builds_equal_a_full_refresh_row_for_row(incremental_run: tuple[Path, Path]) -> None:
    incremental, full = incremental_run
    with duckdb.connect(str(incremental), read_only=True) as con:
        con.execute(f"attach '{full}' as full_refresh (read_only)")
        for relation in COMPARED_RELATIONS:
            only_incremental = con.execute(
                f"select count(*) from (select * from {relation} except all select * from full_refresh.{relation})"
            ).fetchone()[0]
            only_full = con.execute(
                f"select count(*) from (select * from full_refresh.{relation} except all select * from {relation})"
            ).fetchone()[0]
            rows = con.execute(f"select count(*) from {relation}").fetchone()[0]
            assert rows > 0, relation
            assert (only_incremental, only_full) == (0, 0), f"{relation}: incremental and full refresh differ"


def test_latest_change_wins_by_sequence_and_deletes_are_handled(incremental_run: tuple[Path, Path]) -> None:
    database, _ = incremental_run
    with duckdb.connect(str(database), read_only=True) as con:
        # every staged order reflects the change with the highest sequence among its valid changes
        mismatches = con.execute("""
            select count(*) from staging.stg_shop__orders s
            join (select id, max(header__change_seq) as seq from raw.shop_orders__ct
                  where header__change_oper in ('I', 'U', 'D') and id is not null group by id) r
              on r.id = s.order_id
            where s._cdc_change_seq <> r.seq""").fetchone()[0]
        assert mismatches == 0
        # a late-arriving update (older timestamp, newer sequence) is the one that won
        late_winners = con.execute("""
            with changes as (
                select id, header__change_seq, header__timestamp,
                    lag(header__timestamp) over (partition by id order by header__change_seq) as previous_ts,
                    row_number() over (partition by id order by header__change_seq desc) as recency
                from raw.shop_orders__ct where header__change_oper in ('I', 'U', 'D') and id is not null)
            select count(*) from changes c join staging.stg_shop__orders s
              on s.order_id = c.id and s._cdc_change_seq = c.header__change_seq
            where c.recency = 1 and c.header__timestamp < c.previous_ts""").fetchone()[0]
        assert late_winners > 0
        # deleted orders are soft-deleted in staging and gone from the marts
        deleted = con.execute("select order_id from staging.stg_shop__orders where is_deleted").fetchall()
        assert deleted
        in_mart = con.execute(
            "select count(*) from marts.fct_orders where order_id in (select order_id from staging.stg_shop__orders "
            "where is_deleted)").fetchone()[0]
        assert in_mart == 0


def test_malformed_change_rows_are_quarantined_never_merged(incremental_run: tuple[Path, Path]) -> None:
    database, _ = incremental_run
    with duckdb.connect(str(database), read_only=True) as con:
        rejected = con.execute(
            "select source_table, rejection_reason, header__change_seq from staging.stg_shop__rejected_changes "
            "order by header__change_seq").fetchall()
        assert [(t, r) for t, r, _ in rejected] == [("orders", "unknown operation code"), ("orders", "missing key")]
        rejected_seqs = [seq for _, _, seq in rejected]
        merged = con.execute(
            "select count(*) from staging.stg_shop__orders where _cdc_change_seq in (?, ?)", rejected_seqs
        ).fetchone()[0]
        assert merged == 0
        # the quarantine keeps headers only, never row values
        columns = [r[0] for r in con.execute("describe staging.stg_shop__rejected_changes").fetchall()]
        assert columns == ["source_table", "header__change_seq", "header__change_oper", "header__timestamp",
                           "rejection_reason", "quarantined_at"]


def test_quarantine_warning_is_raised_by_dbt_build(tmp_path: Path) -> None:
    database, target = tmp_path / "q.duckdb", tmp_path / "target"
    load_raw(database, "--change-rows", "2000", "--as-of", AS_OF)
    load_raw(database, "--append-batch", "--inject-malformed")
    result = run_dbt(["build", "--select", "stg_shop__rejected_changes"], PROJECT_DIR, database, target)
    assert "WARN=1" in result.stdout
    results = json.loads((target / "run_results.json").read_text())["results"]
    warned = [r["unique_id"] for r in results if r["status"] == "warn"]
    assert any("is_empty_stg_shop__rejected_changes" in uid for uid in warned)


def test_snapshots_record_history_and_deletions(incremental_run: tuple[Path, Path]) -> None:
    database, _ = incremental_run
    with duckdb.connect(str(database), read_only=True) as con:
        current = con.execute("select count(*) from snapshots.snap_customers where dbt_valid_to is null "
                              "and not is_deleted").fetchone()[0]
        live = con.execute("select count(*) from staging.stg_shop__customers where not is_deleted").fetchone()[0]
        assert current == live
        # one current version per customer, and it is the customer's latest change
        stale = con.execute("""
            select count(*) from staging.stg_shop__customers c
            left join snapshots.snap_customers s on s.customer_id = c.customer_id and s.dbt_valid_to is null
            where s._cdc_change_seq is distinct from c._cdc_change_seq""").fetchone()[0]
        assert stale == 0
        # customers changed by a batch have a closed earlier version and a current one
        changed = con.execute("""
            select count(*) from (select customer_id from snapshots.snap_customers group by customer_id
                                  having count(*) > 1 and count(*) filter (where dbt_valid_to is null) = 1)""").fetchone()[0]
        assert changed > 0
        # customers deleted after the first build: a live version closed where the deletion's version opens
        deleted_after_first_build = con.execute("""
            select count(*) from staging.stg_shop__customers
            where is_deleted and _cdc_change_seq > (select min(header__change_seq) from raw.shop_customers__ct
                                                    where header__change_seq >= '20261101')""").fetchone()[0]
        recorded = con.execute("""
            select count(*) from snapshots.snap_customers deletion
            join snapshots.snap_customers before
              on before.customer_id = deletion.customer_id and before.dbt_valid_to = deletion.dbt_valid_from
            where deletion.is_deleted and deletion.dbt_valid_to is null and not before.is_deleted
              and deletion._cdc_change_seq >= '20261101'""").fetchone()[0]
        assert recorded == deleted_after_first_build > 0
        overlapping = con.execute("""
            select count(*) from snapshots.snap_customers a join snapshots.snap_customers b
              on a.customer_id = b.customer_id and a.dbt_scd_id <> b.dbt_scd_id
             and a.dbt_valid_from < coalesce(b.dbt_valid_to, timestamp '9999-01-01')
             and b.dbt_valid_from < coalesce(a.dbt_valid_to, timestamp '9999-01-01')""").fetchone()[0]
        assert overlapping == 0


def test_every_model_source_and_column_is_described_and_tested(built_warehouse: Warehouse) -> None:
    manifest = json.loads(built_warehouse.manifest.read_text())
    nodes = {**manifest["nodes"], **manifest["sources"]}
    undocumented = []
    for uid, node in nodes.items():
        if node["resource_type"] not in ("model", "source", "snapshot", "seed"):
            continue
        if not node.get("description"):
            undocumented.append(uid)
        undocumented += [f"{uid}.{c}" for c, col in node["columns"].items() if not col.get("description")]
    assert undocumented == []
    tested = {dep for n in manifest["nodes"].values() if n["resource_type"] == "test"
              for dep in n["depends_on"]["nodes"]}
    untested = [uid for uid, n in manifest["nodes"].items() if n["resource_type"] == "model" and uid not in tested]
    assert untested == []
    marts = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and "marts" in n["fqn"]]
    assert marts and all(n["config"]["contract"]["enforced"] for n in marts)


def test_every_override_of_a_dbt_built_in_is_in_macros_overrides_and_says_what_it_replaces(
        built_warehouse: Warehouse) -> None:
    """A project macro that replaces a dbt built-in (same name, or an adapter's version of a
    dispatched `default__` macro) lives in macros/overrides/, in a file whose opening comment names
    the built-in it replaces."""
    macros = json.loads(built_warehouse.manifest.read_text())["macros"].values()
    built_in = {m["name"] for m in macros if m["package_name"] != "analytics"}
    overrides: dict[str, str] = {}
    for macro in (m for m in macros if m["package_name"] == "analytics"):
        name = macro["name"]
        dispatched = "default__" + name.split("__", 1)[1] if "__" in name else None
        replaced = name if name in built_in else dispatched if dispatched in built_in else None
        if replaced:
            overrides[replaced] = macro["original_file_path"]
    assert {"generate_schema_name", "get_where_subquery", "default__get_table_columns_and_constraints"} <= set(overrides)
    for replaced, path in overrides.items():
        assert path.startswith("macros/overrides/"), f"{path} replaces dbt's {replaced}: move it to macros/overrides/"
        opening = (PROJECT_DIR / path).read_text().split("#}", 1)[0]
        assert opening.startswith("{#") and f"built-in {replaced}" in opening, f"{path}: name {replaced} first"


def _returned_values(sql: str) -> list[str]:
    """The outermost SELECT's projections that are not constants (what a test's failing rows would show)."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb")
    return [p.sql() for p in tree.selects if not isinstance(p.unalias(), (exp.Literal, exp.Null))]


def test_generic_tests_return_no_values_of_the_rows_they_find(built_warehouse: Warehouse) -> None:
    """No clear copies: a failing generic test says that rows fail, never which values (dbt's own unique,
    accepted_values and relationships return the duplicated, unexpected or orphan values, which `dbt show`
    of the test, a debugger or a failure table would hold). not_null's rows hold nulls only."""
    nodes = json.loads(built_warehouse.manifest.read_text())["nodes"].values()
    # every generic test the build ran (compiled); a test dbt skipped has no compiled SQL in the manifest
    tests = [n for n in nodes if n["resource_type"] == "test" and n.get("test_metadata") and n.get("compiled_code")]
    names = {n["test_metadata"]["name"] for n in tests}
    assert {"unique", "accepted_values", "relationships", "expression_is_true", "accepted_range"} <= names
    leaking = {n["name"]: _returned_values(n["compiled_code"]) for n in tests
               if n["test_metadata"]["name"] != "not_null" and _returned_values(n["compiled_code"])}
    assert not leaking
    # the check catches dbt's built-in unique test (the attack: its rows are the duplicated values)
    assert _returned_values("select email as unique_field, count(*) as n_records from customers "
                            "where email is not null group by email having count(*) > 1")


def test_boundaries_are_looked_up_from_an_earlier_run_and_stay_exact(tmp_path: Path) -> None:
    """A boundary is searched among the values at or above the one an earlier run logged (the
    database reads only newer storage blocks); a logged value above every row (rows deleted, table
    rebuilt) falls back to the whole column. Either way the boundary is the column's maximum."""
    database, target = tmp_path / "b.duckdb", tmp_path / "target"
    load_raw(database, "--change-rows", "3000", "--as-of", AS_OF)
    run_dbt(["build"], PROJECT_DIR, database, target)
    load_raw(database, "--append-batch")
    run_dbt(["build"], PROJECT_DIR, database, target)  # logs the boundaries it started from
    load_raw(database, "--append-batch")
    node = "model.analytics.fct_orders"
    with duckdb.connect(str(database)) as con:
        earlier = con.execute(
            "select boundary from marts.dbt_incremental_boundaries where node_id = ? and watermark_column = ?",
            [node, "_order_change_seq"]).fetchone()[0]
        orders_max, payments_max = con.execute(
            "select max(_order_change_seq), max(_payments_change_seq) from marts.fct_orders").fetchone()
        newest = {"_order_change_seq": orders_max, "_payments_change_seq": payments_max}
        assert earlier < newest["_order_change_seq"]
        # a logged boundary no row reaches any more
        con.execute("insert into marts.dbt_incremental_boundaries values "
                    "('an-earlier-run', ?, '_payments_change_seq', '9', now()::timestamp)", [node])
    run_dbt(["build"], PROJECT_DIR, database, target)
    invocation = json.loads((target / "run_results.json").read_text())["metadata"]["invocation_id"]
    with duckdb.connect(str(database), read_only=True) as con:
        recorded = dict(con.execute(
            "select watermark_column, boundary from marts.dbt_incremental_boundaries where invocation_id = ? "
            "and node_id = ? and watermark_column in ('_order_change_seq', '_payments_change_seq')",
            [invocation, node]).fetchall())
    assert recorded == newest
    log = (target / "logs" / "dbt.log").read_text()
    assert f"from \"b\".\"marts\".\"fct_orders\" where _order_change_seq >= '{earlier}'" in log
    assert "from \"b\".\"marts\".\"fct_orders\" where _payments_change_seq >= '9'" in log


def test_marts_document_their_primary_key_without_a_duckdb_index(built_warehouse: Warehouse) -> None:
    """Every mart declares its primary key (docs, Snowflake DDL); on DuckDB it is not created as an
    index, which would cost every incremental merge and checkpoint. Not-null constraints are."""
    manifest = json.loads(built_warehouse.manifest.read_text())
    marts = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model" and "marts" in n["fqn"]}
    assert marts and all(any(c["type"] == "primary_key" for c in n["constraints"]) for n in marts.values())
    with duckdb.connect(str(built_warehouse.database), read_only=True) as con:
        constraints = con.execute("""
            select table_name, constraint_type, constraint_column_names from duckdb_constraints()
            where schema_name in ('marts', 'finance')""").fetchall()
    assert not [c for c in constraints if c[1] in ("PRIMARY KEY", "UNIQUE")]
    assert ("dim_customers", "NOT NULL", ["customer_id"]) in constraints


def test_source_freshness_passes_on_fresh_data_and_fails_on_stale(tmp_path: Path) -> None:
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")
    fresh, stale = tmp_path / "fresh.duckdb", tmp_path / "stale.duckdb"
    load_raw(fresh, "--change-rows", "2000", "--as-of", today)
    load_raw(stale, "--change-rows", "2000", "--as-of", "2025-01-01")
    assert run_dbt(["source", "freshness"], PROJECT_DIR, fresh, tmp_path / "t1", check=False).returncode == 0
    result = run_dbt(["source", "freshness"], PROJECT_DIR, stale, tmp_path / "t2", check=False)
    assert result.returncode == 1
    assert "ERROR STALE" in result.stdout


def test_project_parses_for_snowflake_with_the_example_profile(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    shutil.copy(PROJECT_DIR / "profiles.yml.example", profiles / "profiles.yml")
    result = run_dbt(
        ["parse", "--target", "prod", "--profiles-dir", str(profiles)], PROJECT_DIR, tmp_path / "unused.duckdb",
        tmp_path / "target", SNOWFLAKE_ACCOUNT="example-account",
        SNOWFLAKE_PRIVATE_KEY_PATH=str(tmp_path / "no-such-key.p8"))
    assert result.returncode == 0
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    assert manifest["metadata"]["adapter_type"] == "snowflake"
    stg = manifest["nodes"]["model.analytics.stg_shop__orders"]
    assert stg["config"]["incremental_strategy"] == "merge"


def test_build_tests_the_rows_it_wrote_and_dbt_test_the_whole_table(tmp_path: Path) -> None:
    """In `dbt build`, tests of an incremental model check the rows the build wrote: a bad value
    in a changed row fails the build, one in a row the build did not touch is left to `dbt test`
    (and to `test_changed_rows_only: false`), which check the whole table."""
    database, target = tmp_path / "w.duckdb", tmp_path / "target"
    load_raw(database, "--change-rows", "3000", "--as-of", AS_OF)
    run_dbt(["build"], PROJECT_DIR, database, target)
    load_raw(database, "--append-batch", "--fraction", "0.05")
    with duckdb.connect(str(database)) as con:
        boundary_before = con.execute("select max(_order_change_seq) from marts.fct_orders").fetchone()[0]
        # an order the batch does not touch (neither the order, its lines nor its payments)
        untouched = con.execute("""
            select min(order_id) from marts.fct_orders where order_id not in (
                select id from raw.shop_orders__ct where header__change_seq > ?
                union select order_id from raw.shop_order_items__ct where header__change_seq > ?
                union select order_id from raw.shop_payments__ct where header__change_seq > ?)""",
                                [boundary_before] * 3).fetchone()[0]
        con.execute("update marts.fct_orders set order_status = 'lost' where order_id = ?", [untouched])

    build = run_dbt(["build"], PROJECT_DIR, database, target)
    assert "ERROR=0" in build.stdout
    compiled = (target / "compiled" / "analytics" / "models" / "marts" / "core" / "_core__models.yml")
    windowed = [p.read_text() for p in compiled.glob("accepted_values_fct_orders_*.sql")]
    assert windowed and f"_order_change_seq > '{boundary_before}'" in windowed[0]
    with duckdb.connect(str(database), read_only=True) as con:
        recorded = con.execute("""
            select boundary from marts.dbt_incremental_boundaries
            where node_id = 'model.analytics.fct_orders' and watermark_column = '_order_change_seq'""").fetchall()
        assert recorded == [(boundary_before,)]  # one boundary per build, taken before the model ran
        assert con.execute("select count(*) from marts.fct_orders where order_id = ?", [untouched]).fetchone()[0] == 1

    whole_table = run_dbt(["test", "--select", "fct_orders"], PROJECT_DIR, database, target, check=False)
    assert whole_table.returncode == 1
    assert "FAIL 1 accepted_values_fct_orders_order_status" in whole_table.stdout
    # as a string, as a scheduler's --vars often passes it (var_is_true reads both)
    unwindowed = run_dbt(["build", "--select", "fct_orders", "--vars", '{test_changed_rows_only: "false"}'],
                         PROJECT_DIR, database, target, check=False)
    assert unwindowed.returncode == 1
    assert "FAIL 1 accepted_values_fct_orders_order_status" in unwindowed.stdout

    # a bad value in a change the next build merges fails that build (at staging, the first model
    # it reaches; everything downstream of the failed test is skipped)
    with duckdb.connect(str(database)) as con:
        con.execute("update marts.fct_orders set order_status = 'placed' where order_id = ?", [untouched])
        # the log keeps 30 days: a row from an old run goes with the next run's start
        con.execute("insert into marts.dbt_incremental_boundaries values "
                    "('old-run', 'model.analytics.fct_orders', '_order_change_seq', '0', now()::timestamp - interval 31 days)")
        con.execute("""
            insert into raw.shop_orders__ct
            select * replace (
                (select max(header__change_seq) from raw.shop_orders__ct) || '1' as header__change_seq,
                'U' as header__change_oper, 'lost' as status)
            from raw.shop_orders__ct
            where id = (select max(order_id) from marts.fct_orders) and header__change_oper in ('I', 'U')
            qualify row_number() over (order by header__change_seq desc) = 1""")
    changed = run_dbt(["build"], PROJECT_DIR, database, target, check=False)
    assert changed.returncode == 1
    assert "FAIL 1 accepted_values_stg_shop__orders_order_status" in changed.stdout
    with duckdb.connect(str(database), read_only=True) as con:
        invocations = {row[0] for row in con.execute("select invocation_id from marts.dbt_incremental_boundaries").fetchall()}
    assert "old-run" not in invocations and len(invocations) >= 2


# a flag as --vars may pass it (YAML), and whether var_is_true takes it for on
VAR_FLAGS = [("false", False), ('"false"', False), ('"False"', False), ("0", False), ('"0"', False),
             ("true", True), ('"true"', True), ("1", True)]


def test_var_is_true_reads_flags_passed_as_booleans_numbers_or_strings(tmp_path: Path) -> None:
    names = [f"flag_{n}" for n in range(len(VAR_FLAGS))]
    inline = ("select {% for name in " + json.dumps([*names, "not_set"]) + " %}"
              "{{ var_is_true(name, true) }} as {{ name }}{{ ', ' if not loop.last }}{% endfor %}")
    passed = "{" + ", ".join(f"flag_{n}: {value}" for n, (value, _) in enumerate(VAR_FLAGS)) + "}"
    result = run_dbt(["compile", "--quiet", "--inline", inline, "--vars", passed], PROJECT_DIR,
                     tmp_path / "v.duckdb", tmp_path / "target")
    expected = ", ".join(f"{is_on} as flag_{n}" for n, (_, is_on) in enumerate(VAR_FLAGS))
    assert result.stdout.strip() == f"select {expected}, True as not_set"
