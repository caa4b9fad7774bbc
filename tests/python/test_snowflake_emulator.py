"""The Snowflake production path, exercised against a local Snowflake emulator (fakesnow's server).

One end-to-end scenario on a small raw layer (a few thousand rows), run by `make test-snowflake-emulator`
(and by `make test`): copy the raw layer into the emulator with snowflake-connector-python, then with
dbt-snowflake: seed, build the whole project, snapshot, append a change batch and build again
(incremental merge), snapshot again, test, docs generate. The marts are then compared with a DuckDB
build of the same raw data: same row counts and the same checksum of key columns.

Every dbt run against the emulator has a subprocess timeout: the connector retries for minutes when
the emulator fails. Governance DDL is switched off for the emulator (`--vars {governance_ddl: false}`),
since fakesnow rejects masking policies and grants (that DDL is checked as text elsewhere).

The module is skipped unless SNOWFLAKE_EMULATOR_TESTS=1 (set by the make targets), because the
scenario takes several minutes on a shared machine. The manifest check at the end (the emulator
overrides are absent without DBT_SNOWFLAKE_EMULATOR) is cheap and always runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import AS_OF, BIN_DIR, PROJECT_DIR, load_raw, run_dbt

EMULATOR_ENABLED = os.environ.get("SNOWFLAKE_EMULATOR_TESTS") == "1"
_skip_unless_enabled = pytest.mark.skipif(
    not EMULATOR_ENABLED,
    reason="the Snowflake emulator scenario takes minutes: run `make test-snowflake-emulator` "
           "(or set SNOWFLAKE_EMULATOR_TESTS=1)")


def needs_emulator(test):  # type: ignore[no-untyped-def]
    """Mark a test as part of the emulator scenario (marker `emulator`, skipped unless enabled)."""
    return pytest.mark.emulator(_skip_unless_enabled(test))

DATABASE = "ANALYTICS"
CHANGE_ROWS = "3000"
DBT_TIMEOUT = 420  # seconds; a stuck emulator makes the connector retry far longer than a run takes
EMULATOR_VARS = '{"governance_ddl": false}'
OVERRIDES_DIR = "macros_emulator"

# Key marts and the columns whose values must agree between DuckDB and Snowflake (no nullable
# timestamps: fakesnow's server returns NULL timestamps as 1970-01-01).
MART_KEYS: dict[tuple[str, str], list[str]] = {
    ("marts", "fct_orders"): ["order_id", "customer_id", "order_status", "item_count", "gross_amount",
                              "net_amount", "net_amount_eur", "paid_amount", "refunded_amount",
                              "is_fully_paid", "order_date"],
    ("marts", "fct_order_items"): ["order_item_id", "order_id", "product_id", "quantity", "net_amount",
                                   "net_amount_eur", "order_date"],
    ("marts", "dim_customers"): ["customer_id", "country_name", "is_deleted", "lifetime_orders",
                                 "lifetime_net_revenue_eur"],
    ("marts", "dim_products"): ["product_id", "product_category", "unit_price", "is_active", "is_deleted"],
    ("marts", "fct_daily_revenue_and_marketing"): [
        "date_day", "orders", "ordering_customers", "new_customers", "net_revenue_eur", "marketing_spend_eur",
        "clicks", "return_on_ad_spend"],
    ("marts", "fct_support_tickets"): ["ticket_id", "customer_id", "ticket_status", "priority", "is_open",
                                       "hours_open"],
    ("finance", "fct_payments"): ["payment_id", "order_id", "customer_id", "card_brand", "payment_status",
                                  "amount", "amount_eur"],
}


def normalize(value: object) -> str:
    """One text form per value whatever the engine returned (int, Decimal, float, date, bool)."""
    if value is None:
        return "<null>"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, decimal.Decimal)):
        return f"{decimal.Decimal(str(value)).quantize(decimal.Decimal('0.0001'))}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def checksum(rows: list[tuple]) -> tuple[int, str]:
    """Row count and an order-independent digest of the rows (values never leave this function)."""
    lines = sorted("|".join(normalize(v) for v in row) for row in rows)
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Emulator:
    port: int
    process: subprocess.Popen

    def connect(self):
        import snowflake.connector

        return snowflake.connector.connect(
            account="fakesnow", user="fake", password="snow", host="127.0.0.1", port=self.port,
            protocol="http", network_timeout=60, login_timeout=30,
            session_parameters={"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False})


@contextlib.contextmanager
def fakesnow_server(log: Path) -> Iterator[Emulator]:
    """fakesnow's server on a free local port, in its own process (stopped and reaped on exit)."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen([str(BIN_DIR / "fakesnow"), "-s", "-p", str(port), "--host", "127.0.0.1"],
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.closing(socket.socket()) as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"fakesnow server did not start on port {port}:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield Emulator(port, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def copy_raw(emulator: Emulator, database: Path, append: bool = False) -> dict[str, int]:
    from raw_loader.snowflake_copy import copy_raw_layer

    with duckdb.connect(str(database), read_only=True) as duck, emulator.connect() as snow:
        return copy_raw_layer(duck, snow, DATABASE, append=append)


@dataclass
class Scenario:
    root: Path
    duck_db: Path
    duck_target: Path
    snow_target: Path
    emulator: Emulator
    results: dict[str, subprocess.CompletedProcess[str]]
    copied: dict[str, dict[str, int]]

    def emulator_dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        """dbt-snowflake against the emulator, always under a timeout."""
        return run_dbt([*args, "--vars", EMULATOR_VARS], PROJECT_DIR, self.duck_db, self.snow_target,
                       timeout=DBT_TIMEOUT, DBT_TARGET="snowflake_emulator",
                       SNOWFLAKE_EMULATOR_PORT=str(self.emulator.port), DBT_SNOWFLAKE_EMULATOR="1",
                       SNOWFLAKE_EMULATOR_DATABASE=DATABASE)

    def duckdb_dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_dbt(list(args), PROJECT_DIR, self.duck_db, self.duck_target, timeout=DBT_TIMEOUT,
                       DBT_TARGET="dev")

    def snowflake_rows(self, sql: str) -> list[tuple]:
        with self.emulator.connect() as con:
            cur = con.cursor()
            cur.execute(sql)
            return cur.fetchall()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    root = tmp_path_factory.mktemp("snowflake_emulator")
    duck_db = root / "warehouse.duckdb"
    load_raw(duck_db, "--change-rows", CHANGE_ROWS, "--as-of", AS_OF)
    with fakesnow_server(root / "fakesnow.log") as emulator:
        s = Scenario(root, duck_db, root / "target_duckdb", root / "target_snowflake", emulator, {}, {})
        s.copied["first"] = copy_raw(emulator, duck_db)
        s.results["seed"] = s.emulator_dbt("seed")
        s.results["build"] = s.emulator_dbt("build", "--exclude", "resource_type:seed")
        s.results["snapshot_1"] = s.emulator_dbt("snapshot")
        s.duckdb_dbt("build")
        # a change batch: inserts, updates with before-images, deletes, late-arriving changes
        load_raw(duck_db, "--append-batch", "--fraction", "0.05")
        s.copied["batch"] = copy_raw(emulator, duck_db, append=True)
        s.results["build_incremental"] = s.emulator_dbt("build", "--exclude", "resource_type:seed")
        s.results["snapshot_2"] = s.emulator_dbt("snapshot")
        s.results["test"] = s.emulator_dbt("test")
        s.results["docs"] = s.emulator_dbt("docs", "generate")
        s.duckdb_dbt("build")
        yield s


def run_results(target: Path) -> list[dict]:
    return json.loads((target / "run_results.json").read_text())["results"]


@needs_emulator
def test_raw_layer_copied_with_types(scenario: Scenario) -> None:
    duck = duckdb.connect(str(scenario.duck_db), read_only=True)
    for table in ("shop_orders__ct", "support_tickets", "marketing_ad_spend"):
        expected = duck.execute(f"select count(*) from raw.{table}").fetchone()[0]
        got = scenario.snowflake_rows(f"select count(*) as n from {DATABASE}.raw.{table}")[0][0]
        assert got == expected, f"raw.{table}: {got} rows in the emulator, {expected} in DuckDB"
    assert scenario.copied["batch"]["shop_orders__ct"] > 0, "the change batch copied no order changes"
    assert sum(scenario.copied["batch"].values()) < sum(scenario.copied["first"].values()) / 5, \
        "--append copied more than the new batch"
    types = dict(scenario.snowflake_rows(
        f"select column_name, data_type from {DATABASE}.information_schema.columns "
        "where table_schema = 'RAW' and table_name = 'SUPPORT_TICKETS'"))
    assert types["PAYLOAD"] == "VARIANT"
    assert types["_LOADED_AT"].startswith("TIMESTAMP_NTZ")
    # the VARIANT payload is navigable with Snowflake path syntax
    n = scenario.snowflake_rows(
        f"select count(*) as n from {DATABASE}.raw.support_tickets "
        "where payload:requester.email::varchar is not null")
    assert n[0][0] > 0


@needs_emulator
@pytest.mark.parametrize(
    "step", ["seed", "build", "snapshot_1", "build_incremental", "snapshot_2", "test", "docs"])
def test_dbt_step_succeeds_on_the_emulator(scenario: Scenario, step: str) -> None:
    result = scenario.results[step]
    assert result.returncode == 0
    assert "ERROR=0" in result.stdout or step == "docs", result.stdout[-3000:]


@needs_emulator
def test_second_build_was_incremental_merge(scenario: Scenario) -> None:
    log = (scenario.snow_target / "logs" / "dbt.log").read_text(errors="replace").lower()
    assert "merge into analytics.ci_marts.fct_orders as dbt_internal_dest" in log
    assert "merge into analytics.ci_staging.stg_shop__orders as dbt_internal_dest" in log


@needs_emulator
@pytest.mark.parametrize(("snapshot", "key"),
                         [("snap_customers", "customer_id"), ("snap_products", "product_id")])
def test_snapshots_match_duckdb(scenario: Scenario, snapshot: str, key: str) -> None:
    """Both engines hold the same versions: per key, which are current and which record a deletion
    (timestamps differ by design: the check strategy stamps versions with the run time)."""
    columns = f"{key}, is_deleted, case when dbt_valid_to is null then 1 else 0 end as is_current"
    with duckdb.connect(str(scenario.duck_db), read_only=True) as duck:
        duck_rows = duck.execute(f"select {columns} from snapshots.{snapshot}").fetchall()
    snow_rows = scenario.snowflake_rows(f"select {columns} from {DATABASE}.ci_snapshots.{snapshot}")
    closed = sum(1 for row in snow_rows if row[2] == 0)
    assert closed > 0, f"{snapshot}: no closed versions although the change batch changed rows"
    assert checksum(snow_rows) == checksum(duck_rows), f"{snapshot}: versions differ from DuckDB's"


@needs_emulator
def test_docs_catalog_lists_the_marts(scenario: Scenario) -> None:
    catalog = json.loads((scenario.snow_target / "catalog.json").read_text())
    assert "model.analytics.fct_orders" in catalog["nodes"]
    columns = {c.lower() for c in catalog["nodes"]["model.analytics.fct_orders"]["columns"]}
    assert {"order_id", "net_amount_eur"} <= columns


@needs_emulator
@pytest.mark.parametrize(("schema", "table"), list(MART_KEYS))
def test_marts_match_duckdb(scenario: Scenario, schema: str, table: str) -> None:
    columns = MART_KEYS[(schema, table)]
    with duckdb.connect(str(scenario.duck_db), read_only=True) as duck:
        duck_rows = duck.execute(f"select {', '.join(columns)} from {schema}.{table}").fetchall()
    snow_rows = scenario.snowflake_rows(
        f"select {', '.join(columns)} from {DATABASE}.ci_{schema}.{table}")
    assert len(duck_rows) > 0
    duck_count, duck_sum = checksum(duck_rows)
    snow_count, snow_sum = checksum(snow_rows)
    assert snow_count == duck_count, f"{table}: {snow_count} rows on Snowflake, {duck_count} on DuckDB"
    assert snow_sum == duck_sum, f"{table}: key columns differ between Snowflake and DuckDB"


def test_checksum_detects_a_changed_value() -> None:
    rows = [(1, decimal.Decimal("10.50"), dt.date(2026, 1, 1)), (2, decimal.Decimal("3.00"), None)]
    assert checksum(rows) == checksum([(2, 3, None), (1, 10.5, dt.date(2026, 1, 1))])
    assert checksum(rows) != checksum([(1, decimal.Decimal("10.51"), dt.date(2026, 1, 1)), rows[1]])


# --- the overrides never reach a real Snowflake account ------------------------------------------

def override_macros(manifest: Path) -> list[str]:
    macros = json.loads(manifest.read_text())["macros"]
    return sorted(m["name"] for m in macros.values() if m["original_file_path"].startswith(OVERRIDES_DIR))


def parse_manifest(tmp_path: Path, **env: str) -> Path:
    target = tmp_path / "target"
    base = {k: v for k, v in os.environ.items() if k != "DBT_SNOWFLAKE_EMULATOR"}
    env = {**base, "DBT_PROFILES_DIR": str(PROJECT_DIR), "DBT_TARGET_PATH": str(target),
           "DBT_LOG_PATH": str(target / "logs"), "DBT_DUCKDB_PATH": str(tmp_path / "x.duckdb"), **env}
    result = subprocess.run([str(BIN_DIR / "dbt"), "parse", "--no-partial-parse"], cwd=PROJECT_DIR,
                            capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stdout[-3000:]
    return target / "manifest.json"


def test_emulator_overrides_only_on_the_macro_path_when_enabled(tmp_path: Path) -> None:
    defined = sorted(
        line.split("macro ", 1)[1].split("(", 1)[0].strip()
        for path in (PROJECT_DIR / OVERRIDES_DIR).glob("*.sql")
        for line in path.read_text().splitlines() if line.startswith("{% macro "))
    assert defined, "no override macros found"
    without = override_macros(parse_manifest(tmp_path / "off"))
    assert without == [], f"emulator overrides in a manifest built without DBT_SNOWFLAKE_EMULATOR: {without}"
    with_var = override_macros(parse_manifest(tmp_path / "on", DBT_SNOWFLAKE_EMULATOR="1"))
    assert with_var == defined


def test_every_override_is_listed_in_the_readme() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    section = readme.split("## Snowflake (production) and the emulator", 1)[1]
    for path in (PROJECT_DIR / OVERRIDES_DIR).glob("*.sql"):
        for line in path.read_text().splitlines():
            if line.startswith("{% macro "):
                name = line.split("macro ", 1)[1].split("(", 1)[0].strip()
                assert f"`{name}`" in section, f"override {name} ({path.name}) is not listed in the README"


@needs_emulator
def test_audit_trail_recorded_on_snowflake(scenario: Scenario) -> None:
    """The snowflake__ audit hooks ran in every step: a start and an end row per invocation, and one
    result row per node (schema <target schema>_audit on a non-prod target)."""
    audit = f"{DATABASE}.ci_audit"
    ends = scenario.snowflake_rows(f"select command, status, count(*) as n from {audit}.dbt_invocations "
                                   "where phase = 'end' group by command, status")
    assert {(c, s): n for c, s, n in ends} == {("seed", "success"): 1, ("build", "success"): 2,
                                               ("snapshot", "success"): 2, ("test", "success"): 1}
    starts = scenario.snowflake_rows(f"select count(*) as n from {audit}.dbt_invocations where phase = 'start'")
    assert starts[0][0] == 6
    nodes = scenario.snowflake_rows(
        f"select resource_type, count(*) as n, min(coalesce(rows_affected, 0)) as least_rows "
        f"from {audit}.dbt_node_results group by resource_type")
    by_type = {kind: (n, least) for kind, n, least in nodes}
    assert by_type["model"][0] >= 2 * 19 and by_type["test"][0] > 100 and by_type["model"][1] >= 0


@needs_emulator
def test_lineage_of_the_snowflake_compile_agrees_with_duckdb(scenario: Scenario,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """What runs in production is checked too: `governance check --target <snowflake target>` compiles
    the project for Snowflake (both branches of every incremental model, with no warehouse lookup) and
    reads it in Snowflake's dialect. Every column gets the same classification as on DuckDB, and the
    check finds no error."""
    from governance.lineage import check
    from governance.lineage.compute import analyse
    from governance.project import DbtProject

    for name, value in {"SNOWFLAKE_EMULATOR_PORT": str(scenario.emulator.port), "DBT_SNOWFLAKE_EMULATOR": "1",
                        "SNOWFLAKE_EMULATOR_DATABASE": DATABASE}.items():
        monkeypatch.setenv(name, value)
    snowflake = analyse(DbtProject.locate(PROJECT_DIR, target="snowflake_emulator",
                                          cli_vars=json.loads(EMULATOR_VARS)))
    duck = analyse(DbtProject.locate(PROJECT_DIR, target="dev"))
    assert snowflake.graph.dialect == "snowflake" and duck.graph.dialect == "duckdb"

    def levels(result) -> dict[tuple[str, str], int | None]:
        return {key: (state.lineage.level if state.lineage else None) for key, state in result.columns.items()
                if result.graph.nodes[key[0]].resource_type in ("model", "snapshot")}

    on_snowflake, on_duckdb = levels(snowflake), levels(duck)
    assert on_duckdb.keys() <= on_snowflake.keys()  # Snowflake adds its access-history audit model
    assert {k: (on_snowflake[k], v) for k, v in on_duckdb.items() if v != on_snowflake[k]} == {}
    assert [str(f) for f in check(snowflake) if f.severity == "error"] == []
