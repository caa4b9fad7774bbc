"""Right to erasure and retention on a real warehouse: `governance erase` planned from lineage and applied on a
copy of the built DuckDB file, a search of every relation and column for the subject's values, incremental
and full-refresh builds afterwards, the reclaim step (file bytes), an interrupted erasure, retention with the
clock moved, the Snowflake rendering (sqlglot), and bad input."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
import sqlglot
from conftest import PROJECT_DIR, Warehouse, connect_reader, load_raw, run_dbt

from governance.cli.main import main
from governance.errors import GovernanceError, PolicyError

pytestmark = pytest.mark.slow

# every model whose rows an incremental run must keep equal to a full refresh
COMPARED_RELATIONS = [
    "staging.stg_shop__customers", "staging.stg_shop__customer_addresses", "staging.stg_shop__orders",
    "staging.stg_shop__payments", "staging.stg_support__tickets", "marts.dim_customers", "marts.fct_orders",
    "finance.fct_payments", "marts.fct_support_tickets",
]
# builds without the data tests (test_dbt_build holds those): models and snapshots only
BUILD = ["build", "--resource-type", "model", "--resource-type", "snapshot"]
# the subject's values that are theirs alone, read from the raw layer before the erasure
VALUE_QUERIES = {
    "email": "select distinct email from raw.shop_customers__ct where id = {k} and email is not null",
    "phone": "select distinct phone from raw.shop_customers__ct where id = {k} and phone is not null",
    "street": "select distinct street_address from raw.shop_customer_addresses__ct where customer_id = {k} "
              "and street_address is not null",
    "ip": "select distinct ip_address from raw.shop_orders__ct where customer_id = {k} and ip_address is not null",
    "card": "select distinct card_number from raw.shop_payments__ct where card_number is not null and order_id in "
            "(select id from raw.shop_orders__ct where customer_id = {k})",
    "iban": "select distinct iban from raw.shop_payments__ct where iban is not null and order_id in "
            "(select id from raw.shop_orders__ct where customer_id = {k})",
    "name": "select distinct first_name || ' ' || last_name from raw.shop_customers__ct where id = {k} "
            "and first_name is not null",
}
# the same kinds of values of every other customer (a value shared with another is not the subject's alone)
OTHERS_QUERIES = {
    "email": "select distinct email from raw.shop_customers__ct where id <> {k}",
    "phone": "select distinct phone from raw.shop_customers__ct where id <> {k}",
    "street": "select distinct street_address from raw.shop_customer_addresses__ct where customer_id <> {k}",
    "ip": "select distinct ip_address from raw.shop_orders__ct where customer_id <> {k}",
    "card": "select distinct card_number from raw.shop_payments__ct where order_id not in "
            "(select id from raw.shop_orders__ct where customer_id = {k})",
    "iban": "select distinct iban from raw.shop_payments__ct where order_id not in "
            "(select id from raw.shop_orders__ct where customer_id = {k})",
    "name": "select distinct first_name || ' ' || last_name from raw.shop_customers__ct where id <> {k}",
}


@dataclass
class Erased:
    database: Path
    target: Path
    manifest: Path
    subject: int
    other: int
    values: list[str]  # the subject's own values (never printed by the tests either)
    other_values: list[str]
    outputs: dict[str, tuple[int, str]] = field(default_factory=dict)


def erase(erased: Erased, subject: str, *args: str, capsys: pytest.CaptureFixture[str] | None = None,
          database: Path | None = None) -> tuple[int, str]:
    code = main(["erase", "--project-dir", str(PROJECT_DIR), "--manifest", str(erased.manifest), "--database",
                 str(database or erased.database), "--subject", subject, *args])
    out = capsys.readouterr() if capsys else None
    return code, (out.out + out.err) if out else ""


def values_of(con: duckdb.DuckDBPyConnection, key: int) -> list[str]:
    values: list[str] = []
    for kind, query in VALUE_QUERIES.items():
        mine = {row[0] for row in con.execute(query.format(k=key)).fetchall()}
        others = {row[0] for row in con.execute(OTHERS_QUERIES[kind].format(k=key)).fetchall()}
        values += sorted(v for v in mine - others if v and len(v) >= 6)
    return values


def find_values(database: Path, values: list[str]) -> dict[str, int]:
    """Every relation (tables and views, every schema) and every column cast to text (JSON included):
    how many rows hold any of the values (case-insensitive), per relation.column."""
    found: dict[str, int] = {}
    needles = [v.lower() for v in values]
    with connect_reader(database) as con:
        relations = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        for schema, table in relations:
            columns = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [schema, table]).fetchall()]
            row_text = "lower(concat_ws(chr(31), " + ", ".join(f'cast("{c}" as varchar)' for c in columns) + "))"
            if not con.execute(f'select count(*) from "{schema}"."{table}" where '
                               + " or ".join(f"contains({row_text}, ?)" for _ in needles), needles).fetchone()[0]:
                continue
            for column in columns:  # name the columns that hold a value
                text = f'lower(cast("{column}" as varchar))'
                condition = " or ".join(f"contains({text}, ?)" for _ in needles)
                hits = con.execute(f'select count(*) from "{schema}"."{table}" where {condition}', needles).fetchone()[0]
                if hits:
                    found[f"{schema}.{table}.{column}"] = hits
    return found


def pick_subjects(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Two live customers with addresses, tickets, and orders paid by card (in the snapshot too)."""
    rows = con.execute("""
        select c.customer_id from marts.dim_customers c
        where not c.is_deleted and c.email is not null and c.billing_street_address is not null
          and c.customer_id in (select customer_id from finance.fct_payments where card_number is not null)
          and c.customer_id in (select customer_id from snapshots.snap_customers)
        order by c.customer_id limit 2""").fetchall()
    assert len(rows) == 2, "the test warehouse has no two customers with every kind of personal data"
    return rows[0][0], rows[1][0]


def add_tickets(con: duckdb.DuckDBPyConnection, subject: int, other: int) -> None:
    """A ticket of another customer whose body mentions the subject's email (upper case) and phone, and a new
    ticket of the subject's own, delivered by the API after the last build."""
    email, phone = con.execute(
        "select email, phone from raw.shop_customers__ct where id = ? order by header__change_seq desc limit 1",
        [subject]).fetchone()
    loaded = con.execute("select max(_loaded_at) + interval 1 hour from raw.support_tickets").fetchone()[0]
    created = (loaded - dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    first = con.execute("select max(id) + 1 from raw.support_tickets").fetchone()[0]
    for offset, (customer, body, requester) in enumerate([
        (other, f"Please call my neighbour at {phone} or write to {email.upper()}, thanks", "Other Person"),
        (subject, f"My new address: write to {email}", "Subject Person"),
    ]):
        payload = {"id": first + offset, "subject": "Delivery question", "description": body, "status": "open",
                   "priority": "normal", "channel": "email", "customer_id": customer,
                   "requester": {"name": requester, "email": email if customer == subject else "x@example.org"},
                   "created_at": created, "updated_at": created, "tags": ["shop", "open"]}
        con.execute("insert into raw.support_tickets (id, payload, _batch_id, _loaded_at) values (?, ?, 99, ?)",
                    [first + offset, json.dumps(payload), loaded])


@pytest.fixture(scope="module")
def erased(built_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Erased:
    """A copy of the built warehouse with two new ticket deliveries built in, and its chosen subjects."""
    root = tmp_path_factory.mktemp("erasure")
    database, target = root / "analytics.duckdb", root / "target"
    shutil.copy(built_warehouse.database, database)
    with duckdb.connect(str(database)) as con:
        subject, other = pick_subjects(con)
        add_tickets(con, subject, other)
    run_dbt(BUILD, PROJECT_DIR, database, target)
    with duckdb.connect(str(database), read_only=True) as con:
        values, other_values = values_of(con, subject), values_of(con, other)
    return Erased(database, target, target / "manifest.json", subject, other, values, other_values)


def test_plan_lists_every_layer_from_lineage_and_prints_no_value(erased: Erased,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert len(erased.values) >= 5 and find_values(erased.database, erased.values), "nothing to look for"
    code, out = erase(erased, f"customer:{erased.subject}", capsys=capsys)
    assert code == 1, out  # data still to erase, not applied
    for relation in ("shop.customers__ct", "shop.payments__ct", "support.tickets", "stg_shop__customers",
                     "dim_customers", "fct_payments", "fct_support_tickets", "snap_customers"):
        assert f" {relation} " in out, relation
    assert "remove JSON fields of payload: description, requester.email, requester.name" in out
    assert "scrub mentions of email/phone in description" in out
    assert "no personal column (nothing to do):" in out and "stg_shop__rejected_changes" in out  # the quarantine
    assert not [v for v in erased.values if v.lower() in out.lower()]


def test_erase_leaves_no_value_of_the_subject_in_any_relation(erased: Erased,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out = erase(erased, f"customer:{erased.subject}", "--apply", capsys=capsys)
    assert code == 0, out
    assert "recorded in the register" in out
    assert not [v for v in erased.values if v.lower() in out.lower()]
    assert find_values(erased.database, erased.values) == {}
    # another subject is untouched, and the other customer's ticket keeps its text around the scrubbed mention
    assert find_values(erased.database, erased.other_values)
    with duckdb.connect(str(erased.database), read_only=True) as con:
        bodies = [r[0] for r in con.execute(
            "select description from marts.fct_support_tickets where customer_id = ? and description like '%[erased]%'",
            [erased.other]).fetchall()]
        assert bodies and all(b.startswith("Please call my neighbour at [erased] or write to [erased]") for b in bodies)
        register = con.execute("select * from staging.erased_subjects").fetchall()
        assert [(r[0], r[1]) for r in register] == [("customer", str(erased.subject))]
        assert len(register[0]) == 3  # subject type, key, time: nothing else
        # the rows stay (orders and payments keep their amounts), without the person
        assert con.execute("select count(*) from finance.fct_payments where customer_id = ?",
                           [erased.subject]).fetchone()[0] > 0


def test_second_erase_says_already_erased(erased: Erased, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = erase(erased, f"customer:{erased.subject}", "--apply", capsys=capsys)
    assert code == 0 and "already erased" in out, out


def test_incremental_and_full_refresh_agree_and_never_bring_the_subject_back(erased: Erased) -> None:
    run_dbt(BUILD, PROJECT_DIR, erased.database, erased.target)
    assert find_values(erased.database, erased.values) == {}
    full = erased.database.with_name("full.duckdb")
    shutil.copy(erased.database, full)
    run_dbt([*BUILD, "--full-refresh"], PROJECT_DIR, full, erased.target.with_name("target-full"))
    assert find_values(full, erased.values) == {}
    with duckdb.connect(str(erased.database), read_only=True) as con:
        con.execute(f"attach '{full}' as full_refresh (read_only)")
        for relation in COMPARED_RELATIONS:
            differ = con.execute(
                f"select count(*) from ((select * from {relation} except all select * from full_refresh.{relation}) "
                f"union all (select * from full_refresh.{relation} except all select * from {relation}))").fetchone()[0]
            assert differ == 0, f"{relation}: incremental and full refresh differ after the erasure"


def test_a_late_change_of_an_erased_subject_is_anonymised_and_a_rerun_removes_it(
        erased: Erased, capsys: pytest.CaptureFixture[str]) -> None:
    """The shop replicates one more change of the erased customer (old values): staging anonymises it on the
    way in (the register), and a rerun of the erasure removes it from the raw layer."""
    with duckdb.connect(str(erased.database)) as con:
        columns = [r[0] for r in con.execute("select column_name from information_schema.columns "
                                             "where table_schema = 'raw' and table_name = 'shop_customers__ct'"
                                             " order by ordinal_position").fetchall()]
        con.execute("""
            insert into raw.shop_customers__ct
            select * replace (
                (select max(header__change_seq) from raw.shop_customers__ct) || 'z' as header__change_seq,
                'U' as header__change_oper, ? as email, 'Late' as first_name)
            from raw.shop_customers__ct where id = ? order by header__change_seq desc limit 1""",
                    [next(v for v in erased.values if "@" in v), erased.subject])
        assert len(columns) > 5
    run_dbt(BUILD, PROJECT_DIR, erased.database, erased.target)
    found = find_values(erased.database, erased.values)
    assert found and all(relation.startswith("raw.") for relation in found), found
    code, out = erase(erased, f"customer:{erased.subject}", "--apply", capsys=capsys)
    assert code == 0 and "erased customer" in out, out
    assert find_values(erased.database, erased.values) == {}


def test_reclaim_removes_the_values_from_the_file_bytes(erased: Erased, capsys: pytest.CaptureFixture[str]) -> None:
    def in_bytes() -> list[str]:
        data = erased.database.read_bytes()
        return [v for v in erased.values if v.encode() in data]

    assert in_bytes(), "erased values should still be in freed blocks before the reclaim step"
    code, out = erase(erased, f"customer:{erased.subject}", "--apply", "--reclaim", capsys=capsys)
    assert code == 0 and "database file rewritten" in out, out
    assert in_bytes() == []
    assert find_values(erased.database, erased.other_values)  # the rest survived the rewrite


def test_an_interrupted_erase_keeps_nothing_and_a_rerun_completes(erased: Erased, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from governance.erasure import run as erasure_run

    subject = erased.other
    original = erasure_run.apply

    def fail_midway(connection, renderer, after_statement=None):  # type: ignore[no-untyped-def]
        def stop(index: int, what: str) -> None:
            if index == 5:
                raise RuntimeError("killed")
        return original(connection, renderer, stop)

    monkeypatch.setattr(erasure_run, "apply", fail_midway)
    code, out = erase(erased, f"customer:{subject}", "--apply", capsys=capsys)
    assert code == 2 and "stopped before it committed" in out and "erased customer" not in out, out
    assert find_values(erased.database, erased.other_values)
    with duckdb.connect(str(erased.database), read_only=True) as con:
        assert con.execute("select count(*) from staging.erased_subjects where subject_key = ?",
                           [str(subject)]).fetchone()[0] == 0
    monkeypatch.setattr(erasure_run, "apply", original)
    code, out = erase(erased, f"customer:{subject}", "--apply", capsys=capsys)
    assert code == 0, out
    assert find_values(erased.database, erased.other_values) == {}


def test_unknown_subject_and_bad_input_are_clear_errors(erased: Erased, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = erase(erased, "customer:99999999", capsys=capsys)
    assert code == 2 and "no customer with key 99999999 in shop.customers__ct" in out, out
    code, out = erase(erased, "person:1", capsys=capsys)
    assert code == 2 and "unknown data subject type 'person'" in out, out
    code, out = erase(erased, "customer:1;drop table x", capsys=capsys)
    assert code == 2 and "expected TYPE:KEY" in out, out


def test_snowflake_script_parses_and_holds_no_value(erased: Erased, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "erase.sql"
    code, out = erase(erased, f"customer:{erased.other}", "--render", "snowflake", "--sql", str(script),
                      capsys=capsys)
    assert code == 0, out
    text = script.read_text()
    statements = [s for s in sqlglot.parse(text, read="snowflake") if s is not None]
    assert len(statements) > 10
    assert "begin;" in text and text.rstrip().endswith("commit;")
    assert "analytics.raw.shop_customers__ct" in text and "object_delete(payload, 'description')" in text
    assert not [v for v in erased.other_values if v.lower() in text.lower()]


# --- retention ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def retained(built_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the built warehouse after a change batch (some customers deleted: a second SCD2 version)."""
    root = tmp_path_factory.mktemp("retention")
    database, target = root / "analytics.duckdb", root / "target"
    shutil.copy(built_warehouse.database, database)
    load_raw(database, "--append-batch", "--fraction", "0.05")
    run_dbt([*BUILD, "--vars", "{governance_retention: false}"], PROJECT_DIR, database, target)
    return database, target


def personal_left(con: duckdb.DuckDBPyConnection, customers: list[int]) -> dict[str, int]:
    ids = ", ".join(map(str, customers))
    return {
        "dim": con.execute(f"select count(*) from marts.dim_customers where customer_id in ({ids}) "
                           "and (email is not null or last_name is not null or billing_street_address is not null)"
                           ).fetchone()[0],
        "snapshot": con.execute(f"select count(*) from snapshots.snap_customers where customer_id in ({ids}) "
                                "and (email is not null or phone_number is not null)").fetchone()[0],
        "staging": con.execute(f"select count(*) from staging.stg_shop__customers where customer_id in ({ids}) "
                               "and email is not null").fetchone()[0],
    }


def test_retention_with_the_clock_moved_clears_expired_data_and_keeps_the_rest(retained: tuple[Path, Path]) -> None:
    database, target = retained
    with duckdb.connect(str(database), read_only=True) as con:
        deleted = con.execute("""
            select customer_id, _cdc_changed_at from staging.stg_shop__customers where is_deleted
              and customer_id in (select customer_id from snapshots.snap_customers group by 1 having count(*) > 1)
            order by _cdc_changed_at desc limit 1""").fetchone()
        assert deleted, "the change batch deleted no customer with history"
        key, deleted_at = deleted
        live = [r[0] for r in con.execute("select customer_id from marts.dim_customers where not is_deleted "
                                          "and email is not null order by customer_id limit 20").fetchall()]
        assert personal_left(con, [key])["snapshot"] == 2
    before_expiry = (deleted_at + dt.timedelta(days=29)).strftime("%Y-%m-%d %H:%M:%S")
    after_expiry = (deleted_at + dt.timedelta(days=31)).strftime("%Y-%m-%d %H:%M:%S")

    run_dbt(["run", "--select", "dim_products", "--vars", f"{{governance_as_of: '{before_expiry}'}}"],
            PROJECT_DIR, database, target)
    with duckdb.connect(str(database), read_only=True) as con:
        assert personal_left(con, [key]) == {"dim": 1, "snapshot": 2, "staging": 1}

    run_dbt(["run", "--select", "dim_products", "--vars", f"{{governance_as_of: '{after_expiry}'}}"],
            PROJECT_DIR, database, target)
    with duckdb.connect(str(database), read_only=True) as con:
        assert personal_left(con, [key]) == {"dim": 0, "snapshot": 0, "staging": 0}
        # the rows stay (keys, flags, history), without the person
        assert con.execute("select count(*) from snapshots.snap_customers where customer_id = ?", [key]).fetchone()[0] == 2
        kept = personal_left(con, live)
        assert (kept["dim"], kept["staging"]) == (20, 20) and kept["snapshot"] >= 20
        # ticket bodies: older than a year before the clock cleared, newer ones kept
        cutoff = deleted_at + dt.timedelta(days=31) - dt.timedelta(days=365)
        old, new = con.execute(
            "select count(description) filter (where created_at < ?), count(description) filter (where created_at >= ?) "
            "from marts.fct_support_tickets", [cutoff, cutoff]).fetchone()
        assert old == 0 and new > 0


def test_retention_rule_naming_an_unknown_entity_is_an_error_with_its_line(tmp_path: Path) -> None:
    from governance.policy import load_policy

    text = (PROJECT_DIR / "dbt_project.yml").read_text()
    broken = text.replace("entities: [EMAIL_ADDRESS, PERSON, PHONE_NUMBER]\n        source: support.tickets",
                          "entities: [EMAIL_ADDRESS, PERSONA]\n        source: support.tickets")
    assert broken != text
    (tmp_path / "dbt_project.yml").write_text(broken)
    with pytest.raises(PolicyError) as error:
        load_policy(tmp_path)
    message = str(error.value)
    assert "dbt_project.yml:" in message and "retention.support_ticket_bodies.entities" in message
    assert "PERSONA" in message
    # the interface other checks build on: the rules covering an entity
    policy = load_policy(PROJECT_DIR)
    assert [r.name for r in policy.retention_rules_for("PERSON")] == ["deleted_customers", "support_ticket_bodies"]
    assert policy.retention["support_ticket_bodies"].columns == ("description",)


def test_a_personal_relation_no_reference_ties_to_the_subject_fails_closed(erased: Erased) -> None:
    """Without the tickets' JSON reference, the tickets' personal columns cannot be tied to a customer: the plan
    refuses (mutation check of the lineage-derived plan)."""
    from dataclasses import replace

    from governance.erasure.plan import PlanError, build_plan
    from governance.lineage import analyse
    from governance.project import DbtProject

    result = analyse(DbtProject.locate(PROJECT_DIR), manifest=erased.manifest)
    subject = result.policy.erasure.subject("customer")
    without_tickets = replace(subject, references=tuple(r for r in subject.references if not r.json_path))
    with pytest.raises(PlanError, match="stg_support__tickets"):
        build_plan(result, without_tickets)
    assert isinstance(PlanError("x"), GovernanceError)


def test_time_travel_per_schema_renders_for_snowflake(tmp_path: Path) -> None:
    result = run_dbt(["compile", "--quiet", "--inline",
                      "{% for s in time_travel_statements(governance_resolved_retention()) %}{{ s }};\n{% endfor %}"],
                     PROJECT_DIR, tmp_path / "c.duckdb", tmp_path / "target")
    statements = [s for s in sqlglot.parse(result.stdout, read="snowflake") if s is not None]
    rendered = [s.sql(dialect="snowflake").lower() for s in statements]
    assert rendered and all("set data_retention_time_in_days = 1" in s for s in rendered), rendered
    assert any(".snapshots" in s for s in rendered) and any(".marts" in s for s in rendered)


def test_retention_deletes_prescriptions_ten_years_after_they_were_written(retained: tuple[Path, Path]) -> None:
    """`action: delete` of a `created` rule (vars.governance.retention.prescriptions): with the clock ten years
    after the median prescription, the older half is gone from staging and the health mart, the rest stays."""
    database, target = retained
    relations = ("staging.stg_pharmacy__prescriptions", "health.fct_prescriptions")
    with duckdb.connect(str(database), read_only=True) as con:
        median = con.execute("select quantile_disc(prescribed_at, 0.5) from staging.stg_pharmacy__prescriptions"
                             ).fetchone()[0]
    clock = median + dt.timedelta(days=3650)
    run_dbt(["run", "--select", "dim_products", "--vars", f"{{governance_as_of: '{clock:%Y-%m-%d %H:%M:%S}'}}"],
            PROJECT_DIR, database, target)
    with duckdb.connect(str(database), read_only=True) as con:
        for relation in relations:
            old, kept = con.execute(f"select count(*) filter (where prescribed_at < ?), "
                                    f"count(*) filter (where prescribed_at >= ?) from {relation}",
                                    [median, median]).fetchone()
            assert old == 0 and kept > 0, relation


def test_a_retention_rule_that_applies_to_nothing_is_an_error(erased: Erased) -> None:
    """A rule whose clock column no relation has (the prescriptions rule once read `created_at`, which the
    pharmacy models do not have) erased nothing, yet counted as the entities' retention rule for GDPR."""
    from dataclasses import replace

    from governance.erasure.plan import PlanError
    from governance.erasure.retention import resolve_retention
    from governance.lineage import analyse
    from governance.project import DbtProject

    result = analyse(DbtProject.locate(PROJECT_DIR), manifest=erased.manifest)
    assert any(e["rule"] == "prescriptions" for e in resolve_retention(result)["entries"])
    rule = replace(result.policy.retention["prescriptions"], created_column="created_at")
    broken = replace(result, policy=replace(result.policy, retention={**result.policy.retention,
                                                                       "prescriptions": rule}))
    with pytest.raises(PlanError, match=r"retention\.prescriptions: applies to nothing"):
        resolve_retention(broken)


def test_a_build_refuses_retention_rules_it_cannot_apply(tmp_path: Path) -> None:
    """Rules in the policy but no generated retention macro: the build used to skip retention silently;
    now its on-run-end fails naming the command that writes it."""
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    (project / "macros" / "governance" / "resolved_retention.sql").unlink()
    result = run_dbt(["run", "--select", "erased_subjects"], project, tmp_path / "r.duckdb", tmp_path / "target",
                     check=False)
    assert result.returncode != 0
    assert "resolved_retention.sql is missing; run `governance retention --write`" in result.stdout
