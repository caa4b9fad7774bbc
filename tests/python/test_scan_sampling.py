"""Sampling (deterministic, bounded cost) on DuckDB, and the Snowflake connector path on fakesnow:
profile rendering, INFORMATION_SCHEMA listing, the sampling SQL, and the whole command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import fakesnow
import pytest
import snowflake.connector
from ruamel.yaml import YAML

from governance import cli
from governance.project import DbtProject
from governance.project.profiles import Target, load_target
from governance.project.warehouse import Connection, snowflake_arguments
from governance.scan.sampling import TableRef, list_columns, row_count, sample_table, sampling_sql

PROJECT_DIR = Path(__file__).resolve().parents[2]


def duckdb_connection(path: Path) -> Connection:
    target = Target("t", "t", "duckdb", {"path": str(path)}, path.parent, path.parent / "profiles.yml")
    return Connection(target, duckdb.connect(str(path), read_only=True), "duckdb")


def test_duckdb_sampling_is_deterministic_and_bounded_for_large_tables(tmp_path: Path) -> None:
    path = tmp_path / "big.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw")
        con.execute(
            "create table raw.big as select i as id, 'user' || i || '@example.com' as email "
            "from range(300000) r(i)"
        )
    con = duckdb_connection(path)
    ref = TableRef("big", "raw", "big")
    columns = list_columns(con, ref)
    rows = row_count(con, ref)
    sql, method = sampling_sql(ref, columns, "duckdb", 2000, rows, 42)
    assert "tablesample" in sql and "(system, 42)" in sql and "repeatable (42)" in sql
    assert method.startswith("system")
    first = sample_table(con, ref, columns, rows, 2000, 100, 42)
    second = sample_table(con, ref, columns, rows, 2000, 100, 42)
    assert first.sampled_rows == 2000
    assert first.values == second.values and len(first.values["email"]) == 100
    other_seed = sample_table(con, ref, columns, rows, 2000, 100, 7)
    assert other_seed.values != first.values
    con.close()


SNOWFLAKE_PROFILE = """\
analytics:
  target: sf
  outputs:
    sf:
      type: snowflake
      account: "{{ env_var('TEST_SF_ACCOUNT') }}"
      user: "{{ env_var('TEST_SF_USER') }}"
      password: "{{ env_var('TEST_SF_PASSWORD') }}"
      role: "{{ env_var('TEST_SF_ROLE', 'TRANSFORMER') }}"
      database: "{{ env_var('TEST_SF_DATABASE', 'ANALYTICS') }}"
      warehouse: WH
      schema: PUBLIC
      threads: 4
"""

SNOWFLAKE_SOURCES = """\
version: 2
sources:
  - name: crm
    database: ANALYTICS
    schema: RAW
    tables:
      - name: people
        identifier: PEOPLE
        columns:
          - name: ID
          - name: EMAIL  # from the CRM
          - name: DOC
          - name: CREATED_AT
"""


@pytest.fixture
def snowflake_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    project = tmp_path / "project"
    (project / "models" / "staging" / "crm").mkdir(parents=True)
    shutil.copy(PROJECT_DIR / "dbt_project.yml", project / "dbt_project.yml")
    (project / "profiles.yml").write_text(SNOWFLAKE_PROFILE)
    (project / "models" / "staging" / "crm" / "_crm__sources.yml").write_text(SNOWFLAKE_SOURCES)
    monkeypatch.setenv("DBT_PROFILES_DIR", str(project))
    monkeypatch.setenv("TEST_SF_ACCOUNT", "fakesnow")
    monkeypatch.setenv("TEST_SF_USER", "scanner")
    monkeypatch.setenv("TEST_SF_PASSWORD", "not-a-secret")
    monkeypatch.delenv("DBT_TARGET", raising=False)
    with fakesnow.patch():
        con = snowflake.connector.connect(account="fakesnow", user="scanner", password="x")
        cur = con.cursor()
        cur.execute("create database ANALYTICS")
        cur.execute("create schema ANALYTICS.RAW")
        cur.execute(
            "create table ANALYTICS.RAW.PEOPLE (ID number, EMAIL varchar, DOC variant, "
            "CREATED_AT timestamp_ntz)"
        )
        cur.execute(
            "insert into ANALYTICS.RAW.PEOPLE select seq4(), 'person' || seq4() || '@example.com', "
            "object_construct('requester', object_construct('email', 'req' || seq4() || '@example.net')), "
            "'2026-01-01'::timestamp_ntz from table(generator(rowcount => 3000))"
        )
        yield project, con
        con.close()


def test_profile_env_vars_are_rendered_for_the_connector(snowflake_project) -> None:
    project, _ = snowflake_project
    target = load_target(DbtProject.locate(project))
    kwargs = snowflake_arguments(target)
    assert kwargs["account"] == "fakesnow" and kwargs["user"] == "scanner" and kwargs["role"] == "TRANSFORMER"
    assert kwargs["password"] == "not-a-secret" and target.threads == 4
    assert "not-a-secret" not in target.describe()


def test_snowflake_listing_and_sampling_sql_on_fakesnow(snowflake_project) -> None:
    _, raw = snowflake_project
    con = Connection(Target("a", "sf", "snowflake", {}, Path("."), Path(".")), raw, "snowflake")
    ref = TableRef("ANALYTICS", "RAW", "PEOPLE")
    columns = list_columns(con, ref)
    assert [(c.name, c.kind) for c in columns] == [
        ("ID", "numeric"),
        ("EMAIL", "text"),
        ("DOC", "json"),
        ("CREATED_AT", "temporal"),
    ]
    rows = row_count(con, ref)
    assert rows == 3000
    sql, _ = sampling_sql(ref, columns, "snowflake", 500, rows, 42)
    assert "sample bernoulli (20.000000) seed (42)" in sql and 'to_json("DOC")' in sql
    first = sample_table(con, ref, columns, rows, 500, 100, 42)
    second = sample_table(con, ref, columns, rows, 500, 100, 42)
    assert 0 < first.sampled_rows <= 500 and first.values == second.values
    assert all(v.startswith("person") for v in first.values["EMAIL"])
    big_sql, big_method = sampling_sql(ref, columns, "snowflake", 500, 50_000_000, 42)
    assert "sample system (0.100000) seed (42)" in big_sql and big_method.startswith("system")


def test_scan_command_on_fakesnow_writes_the_yaml(snowflake_project, capsys) -> None:
    project, _ = snowflake_project
    code = cli.main(["scan", "--project-dir", str(project), "--quiet", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    found = {r["column"]: r["pii"] for r in rows}
    assert found == {"ID": [], "EMAIL": ["EMAIL_ADDRESS"], "DOC": ["EMAIL_ADDRESS"], "CREATED_AT": []}
    text = (project / "models" / "staging" / "crm" / "_crm__sources.yml").read_text()
    assert "# from the CRM" in text
    document = YAML(typ="safe").load(text)
    columns = {
        c["name"]: c.get("config", {}).get("meta") for c in document["sources"][0]["tables"][0]["columns"]
    }
    assert columns["EMAIL"]["classification"] == 3 and columns["EMAIL"]["classified_by"] == "scan"
    # unchanged tables are not sampled again
    assert cli.main(["scan", "--project-dir", str(project), "--quiet", "--format", "json"]) == 0
    assert all(r["unchanged_since_last_scan"] for r in json.loads(capsys.readouterr().out))
