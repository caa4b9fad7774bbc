"""The raw-layer generator: deterministic, Qlik-shaped, appendable, safe to re-run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import BIN_DIR, load_raw

from raw_loader.generate import HEADER_COLUMNS, SHOP_SPECS, SHOP_TABLES

QLIK_HEADER = ["header__change_seq", "header__change_oper", "header__change_mask", "header__stream_position",
               "header__operation", "header__transaction_id", "header__timestamp"]


def table_checksums(database: Path) -> dict[str, tuple[int, int]]:
    with duckdb.connect(str(database), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' "
            "and table_name <> '_load_batches' order by 1").fetchall()]
        return {t: con.execute(f"select count(*), sum(hash(r)) from raw.{t} r").fetchone() for t in tables}


def test_same_seed_and_as_of_give_identical_data_and_another_seed_does_not(tmp_path: Path) -> None:
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        load_raw(tmp_path / f"{name}.duckdb", "--change-rows", "3000", "--seed", seed, "--as-of", "2026-06-01")
        load_raw(tmp_path / f"{name}.duckdb", "--append-batch")
    a, b, c = (table_checksums(tmp_path / f"{n}.duckdb") for n in "abc")
    assert a == b
    assert set(a) == {f"shop_{t}__ct" for t in SHOP_TABLES} | {"support_tickets", "marketing_ad_spend",
                                                              "pharmacy_prescriptions"}
    assert a["shop_customers__ct"] != c["shop_customers__ct"]


# The data of one small raw layer (seed 11, 200 customers, as of 2026-06-01, then a 10% batch with the
# malformed rows), as (rows, sum of row hashes) per table. Pinned so that a change to the generator's
# code that changes its data fails here, not only in a comparison of two runs of the same code. The
# hashes are DuckDB's: a DuckDB upgrade that changes hash() needs them pinned again (after checking
# that nothing but the DuckDB version changed).
PINNED_CHECKSUMS = {
    "marketing_ad_spend": (5505, 51380464524503324331471),
    "pharmacy_prescriptions": (44, 406902164601395650534),
    "shop_customer_addresses__ct": (454, 4154217412697320277606),
    "shop_customers__ct": (350, 3208901840842174599912),
    "shop_order_items__ct": (1783, 16684620575737032298227),
    "shop_orders__ct": (2957, 27708536574828965475828),
    "shop_payments__ct": (2023, 18658473655007707666590),
    "shop_products__ct": (107, 1003369659822001085225),
    "support_tickets": (72, 676549400706689063456),
}


def test_generated_data_is_pinned(tmp_path: Path) -> None:
    database = tmp_path / "pinned.duckdb"
    load_raw(database, "--customers", "200", "--seed", "11", "--as-of", "2026-06-01")
    load_raw(database, "--append-batch", "--fraction", "0.1", "--inject-malformed")
    assert table_checksums(database) == PINNED_CHECKSUMS


def test_change_tables_have_the_qlik_header_and_operations(tmp_path: Path) -> None:
    database = tmp_path / "layer.duckdb"
    load_raw(database, "--change-rows", "3000", "--as-of", "2026-06-01")
    load_raw(database, "--append-batch", "--fraction", "0.05")
    with duckdb.connect(str(database), read_only=True) as con:
        for spec in SHOP_SPECS:
            columns = [r[0] for r in con.execute(f"describe {spec.relation}").fetchall()]
            assert columns[:len(QLIK_HEADER)] == QLIK_HEADER
            assert columns == [c.name for c in HEADER_COLUMNS] + spec.column_names  # the DDL is the spec's
        operations = dict(con.execute(
            "select header__change_oper, count(*) from raw.shop_orders__ct group by 1").fetchall())
        assert set(operations) == {"I", "U", "D", "B"}
        assert operations["B"] == operations["U"]  # every update comes with its before-image
        # sequences are unique, 35 characters, and every batch's are above every earlier one's
        assert con.execute("select count(*) = count(distinct header__change_seq), min(length(header__change_seq)), "
                           "max(length(header__change_seq)) from raw.shop_orders__ct").fetchone() == (True, 35, 35)
        late = con.execute("""
            with ordered as (
                select id, header__change_oper, header__timestamp,
                    lag(header__timestamp) over (partition by id order by header__change_seq) as previous_ts
                from raw.shop_orders__ct where header__change_oper in ('I', 'U', 'D'))
            select count(*) from ordered where header__timestamp < previous_ts""").fetchone()[0]
        assert late > 0, "a batch must contain late-arriving changes (older timestamp, newer sequence)"


def test_scale_follows_change_rows(tmp_path: Path) -> None:
    small, large = tmp_path / "small.duckdb", tmp_path / "large.duckdb"
    load_raw(small, "--change-rows", "2000", "--as-of", "2026-06-01")
    load_raw(large, "--change-rows", "20000", "--as-of", "2026-06-01")
    with duckdb.connect(str(small)) as s, duckdb.connect(str(large)) as big:
        n_small = s.execute("select change_rows from raw._load_batches").fetchone()[0]
        n_large = big.execute("select change_rows from raw._load_batches").fetchone()[0]
    assert 1500 <= n_small <= 2600
    assert 17000 <= n_large <= 23000


def run_loader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN_DIR / "load-raw"), "--quiet", *args], capture_output=True, text=True)


def test_existing_raw_layer_is_never_overwritten_by_accident(tmp_path: Path) -> None:
    database = tmp_path / "layer.duckdb"
    load_raw(database, "--change-rows", "2000", "--as-of", "2026-06-01")
    before = table_checksums(database)

    again = run_loader("--database", str(database), "--change-rows", "2000")
    assert again.returncode == 2 and "--replace" in again.stderr
    assert run_loader("--database", str(database), "--if-missing").returncode == 0
    assert table_checksums(database) == before

    assert run_loader("--database", str(tmp_path / "empty.duckdb"), "--append-batch").returncode == 2
    clash = run_loader("--database", str(tmp_path / "raw.duckdb"))
    assert clash.returncode == 2 and "clashes with the schema 'raw'" in clash.stderr


@pytest.mark.parametrize("args", [["--fraction", "0"], ["--change-rows", "-5"], ["--inject-malformed"]])
def test_bad_arguments_exit_2_with_a_message(tmp_path: Path, args: list[str]) -> None:
    result = run_loader("--database", str(tmp_path / "x.duckdb"), *args)
    assert result.returncode == 2
    assert "error" in result.stderr
