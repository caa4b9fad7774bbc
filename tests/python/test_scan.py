"""`governance scan` end to end: real DuckDB files, real Presidio, real YAML files with comments.

Every test builds a small project (the real policy and profile, its own sources YAML) around a DuckDB
file with personal columns, hard negatives and awkward tables, and runs the command in-process (the
Presidio engine is built once per test session and shared).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import duckdb
import pytest
from ruamel.yaml import YAML

from governance import cli
from governance.scan.sampling import TableRef

PROJECT_DIR = Path(__file__).resolve().parents[2]

SOURCES = """\
version: 2

# Test sources. This comment must survive every scan.
sources:
  - name: crm
    schema: raw
    tables:
      - name: people
        description: People.  # inline comment kept
        columns:
          - name: id
            description: Key.
          - name: first_name
            description: Given name.
          - name: email
            description: Email.
          - name: phone
            description: Phone.
          - name: Date Of Birth
            description: Birthday (a name with spaces).
          - name: notes
            description: Free text; a few rows mention an email.
          - name: order_number
            description: Ten digits that look like a phone number.
          - name: status
            description: Enum.
          - name: created_at
            description: Timestamp.
          - name: amount
            description: Money.
          - name: nickname
            description: A human classified this one.
            config:
              meta:
                classification: 1
                pii: []
      - name: tickets
        columns:
          - name: id
          - name: payload
            description: JSON with a requester.
          - name: avatar
            description: Binary.
          - name: empty_col
            description: Always null.
      - name: CamelCase Table
        columns:
          - name: Email Address
      - name: empty_table
        columns:
          - name: email
      - name: ghost
        description: Dropped between listing and sampling (see the test).
"""

FIRST = ["Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Lucas", "Mia", "Ethan"]
LAST = ["Smith", "Johnson", "Garcia", "Miller", "Davis", "Martinez", "Wilson", "Taylor", "Moore", "Clark"]


def build_database(path: Path, rows: int = 300) -> list[str]:
    """The test warehouse. Returns the personal values written (to check that none ever leaks)."""
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    people = []
    secrets: list[str] = []
    for i in range(rows):
        first, last = FIRST[i % 10], LAST[(i * 7) % 10]
        email = f"{first.lower()}.{last.lower()}{i}@example.org"
        phone = f"+44 7911 {i:06d}"
        note = "Called about the delivery." if i % 9 else f"Please write to {first.lower()}{i}@mailbox.org."
        people.append(
            (
                i,
                first,
                email,
                phone,
                f"{1950 + i % 50}-0{1 + i % 9}-1{i % 9}",
                note,
                f"10{i:08d}",
                ["placed", "shipped"][i % 2],
                f"2026-01-{1 + i % 28:02d} 10:00:00",
                round(i * 1.37, 2),
                f"Nick{i}",
            )
        )
        secrets += [email, phone]
    con.execute("""create table raw.people (id integer, first_name varchar, email varchar, phone varchar,
        "Date Of Birth" date, notes varchar, order_number varchar, status varchar, created_at timestamp,
        amount decimal(10, 2), nickname varchar)""")
    con.executemany("insert into raw.people values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", people)
    con.execute("""create table raw.tickets as select i as id,
        json_object('subject', 'Where is my order?', 'requester',
                    json_object('name', 'Jane Doe', 'email', 'requester' || i || '@example.net')) as payload,
        'binary'::blob as avatar, null::varchar as empty_col from range(50) r(i)""")
    secrets += [f"requester{i}@example.net" for i in range(50)]
    con.execute("""create table raw."CamelCase Table" as
        select 'camel' || i || '@example.com' as "Email Address" from range(40) r(i)""")
    con.execute("create table raw.empty_table (email varchar)")
    con.execute("create schema other")
    con.execute(
        "create table other.contacts as "
        "select 'other' || i || '@example.com' as contact_mail from range(30) r(i)"
    )
    con.close()
    return secrets


@pytest.fixture
def scan_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    project = tmp_path / "project"
    (project / "models" / "staging" / "crm").mkdir(parents=True)
    (project / "warehouse").mkdir()
    shutil.copy(PROJECT_DIR / "dbt_project.yml", project / "dbt_project.yml")
    shutil.copy(PROJECT_DIR / "profiles.yml", project / "profiles.yml")
    (project / "models" / "staging" / "crm" / "_crm__sources.yml").write_text(SOURCES)
    secrets = build_database(project / "warehouse" / "analytics.duckdb")
    monkeypatch.delenv("DBT_DUCKDB_PATH", raising=False)
    monkeypatch.delenv("DBT_TARGET", raising=False)
    monkeypatch.setenv("DBT_PROFILES_DIR", str(project))
    return project, secrets


def sources_file(project: Path) -> Path:
    return project / "models" / "staging" / "crm" / "_crm__sources.yml"


def scan(project: Path, *args: str) -> int:
    return cli.main(["scan", "--project-dir", str(project), "--quiet", *args])


def meta(project: Path, table: str, column: str) -> dict:
    document = YAML(typ="safe").load(sources_file(project).read_text())
    for t in document["sources"][0]["tables"]:
        if t["name"] == table:
            for c in t.get("columns") or []:
                if c["name"] == column:
                    return (c.get("config") or {}).get("meta") or {}
    raise KeyError(f"{table}.{column}")


def test_scan_classifies_writes_back_and_is_idempotent(scan_project, capsys) -> None:
    project, _ = scan_project
    assert (
        scan(project, "--select", "crm.people", "crm.tickets", "source:crm.CamelCase*", "crm.empty_table") == 0
    )
    m = lambda column: meta(project, "people", column)  # noqa: E731
    assert m("email") == {
        "classification": 3,
        "pii": ["EMAIL_ADDRESS"],
        "scan_decided_by": "both",
        "classified_by": "scan",
    }
    assert m("phone")["pii"] == ["PHONE_NUMBER"]
    assert m("first_name")["pii"] == ["PERSON"]
    assert m("Date Of Birth")["pii"] == ["DATE_OF_BIRTH"]
    assert m("notes")["pii"] == ["EMAIL_ADDRESS"]  # a minority of free-text rows
    for negative in ("id", "order_number", "status", "created_at", "amount"):
        assert m(negative) == {}, negative  # nothing personal: left unclassified
    assert meta(project, "tickets", "payload")["pii"] == ["EMAIL_ADDRESS", "PERSON"]
    assert meta(project, "CamelCase Table", "Email Address")["pii"] == ["EMAIL_ADDRESS"]
    assert meta(project, "empty_table", "email")["pii"] == ["EMAIL_ADDRESS"]  # judged by its name
    text = sources_file(project).read_text()
    assert "# Test sources. This comment must survive every scan." in text
    assert "# inline comment kept" in text
    # the human's classification is kept
    assert m("nickname") == {"classification": 1, "pii": []}

    capsys.readouterr()
    # a second scan changes nothing: from the re-scan state and from a full rescan
    for extra in ([], ["--full"]):
        assert (
            scan(
                project,
                "--select",
                "crm.people",
                "crm.tickets",
                "source:crm.CamelCase*",
                "crm.empty_table",
                *extra,
            )
            == 0
        )
        assert sources_file(project).read_text() == text
    out = capsys.readouterr().out
    assert "0 column(s) written" in out


def test_dry_run_shows_the_diff_and_writes_nothing(scan_project, capsys) -> None:
    project, _ = scan_project
    before = sources_file(project).read_text()
    assert scan(project, "--select", "crm.people", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "+                classification: 3" in out and "would change" in out
    assert sources_file(project).read_text() == before
    assert not (project / ".governance").exists()


def test_fail_on_unclassified_for_ci(scan_project, capsys) -> None:
    project, _ = scan_project
    assert scan(project, "--select", "crm.people", "--dry-run", "--fail-on-unclassified") == 1
    assert "crm.people.email looks personal" in capsys.readouterr().err
    assert scan(project, "--select", "crm.people") == 0
    assert scan(project, "--select", "crm.people", "--dry-run", "--fail-on-unclassified") == 0


def test_manual_classification_below_the_finding_is_kept_and_reported(scan_project, capsys) -> None:
    project, _ = scan_project
    path = sources_file(project)
    path.write_text(
        path.read_text().replace(
            "          - name: email\n            description: Email.\n",
            "          - name: email\n            description: Email.\n"
            "            config:\n              meta: {classification: 2, classified_by: manual}\n",
        )
    )
    assert scan(project, "--select", "crm.people", "--fail-on-unclassified") == 1
    assert meta(project, "people", "email") == {"classification": 2, "classified_by": "manual"}
    assert "crm.people.email" in capsys.readouterr().err


def test_malformed_yaml_is_reported_with_file_and_line_and_left_untouched(scan_project, capsys) -> None:
    project, _ = scan_project
    broken = project / "models" / "staging" / "crm" / "_broken__sources.yml"
    broken.write_text("version: 2\nsources:\n  - name: bad\n    tables: [\n      - name: x\n")
    before = broken.read_text()
    code = scan(project, "--select", "crm.people")
    err = capsys.readouterr().err
    assert code == 2
    assert "_broken__sources.yml: line" in err and "left untouched" in err
    assert broken.read_text() == before
    assert meta(project, "people", "email")["pii"] == ["EMAIL_ADDRESS"]  # the rest was scanned and written


def test_awkward_tables_get_a_message_and_the_rest_completes(scan_project, capsys, monkeypatch) -> None:
    """Empty table, all-null and BLOB columns, JSON, identifiers with spaces and mixed case, a table
    that disappears between listing and sampling."""
    project, _ = scan_project
    from governance.scan import pipeline as command
    from governance.scan.sampling import ColumnInfo, list_columns

    def listing_then_drop(con, ref: TableRef, cursor=None):
        if ref.name == "ghost":  # it was listed with a column, then dropped before sampling
            return [ColumnInfo("id", "INTEGER")]
        return list_columns(con, ref, cursor)

    monkeypatch.setattr(command, "list_columns", listing_then_drop)
    code = scan(project, "--format", "json")
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert code == 2  # a declared table could not be read
    ghost = [r for r in rows if r["table"] == "crm.ghost"]
    assert ghost == [
        {
            "table": "crm.ghost",
            "relation": "analytics.raw.ghost",
            "column": None,
            "error": "table or column no longer exists (CatalogException)",
        }
    ]
    by_column = {(r["table"], r["column"]): r for r in rows if r["column"]}
    assert by_column[("crm.tickets", "avatar")]["note"].startswith("binary column")
    assert by_column[("crm.tickets", "empty_col")]["pii"] == []
    assert by_column[("crm.tickets", "empty_col")]["classification"] is None
    assert by_column[("crm.tickets", "payload")]["json_paths"] == {
        "requester.email": ["EMAIL_ADDRESS"],
        "requester.name": ["PERSON"],
    }
    assert by_column[("crm.CamelCase Table", "Email Address")]["entities"][0]["type"] == "EMAIL_ADDRESS"
    assert by_column[("crm.empty_table", "email")]["decided_by"] == "name"
    email = by_column[("crm.people", "email")]
    assert set(email) >= {"table", "column", "data_type", "entities", "classification", "decided_by"}
    assert email["entities"][0]["coverage"] == 1.0 and email["data_type"] == "VARCHAR"
    assert meta(project, "people", "email")["classification"] == 3  # the rest was written


def test_never_a_sampled_value_in_output_logs_yaml_or_state(scan_project, capsys, caplog) -> None:
    project, secrets = scan_project
    caplog.set_level(logging.DEBUG)
    outputs = []
    for args in (
        [],
        ["--format", "json"],
        ["--dry-run", "--full"],
        ["--schema", "other", "--format", "json"],
    ):
        scan(project, *args)
        captured = capsys.readouterr()
        outputs += [captured.out, captured.err]
    outputs.append(caplog.text)
    outputs.append(sources_file(project).read_text())
    outputs += [p.read_text() for p in (project / ".governance").rglob("*") if p.is_file()]
    blob = "\n".join(outputs)
    assert "EMAIL_ADDRESS" in blob  # the outputs are not empty
    leaked = [s for s in [*secrets, "other1@example.com", "Olivia", "Jane Doe"] if s in blob]
    assert leaked == []


def test_undeclared_schema_is_reported_only(scan_project, capsys) -> None:
    project, _ = scan_project
    before = sources_file(project).read_text()
    assert scan(project, "--schema", "other", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["table"], r["column"], r["pii"], r["yaml"]) for r in rows] == [
        ("other.contacts", "contact_mail", ["EMAIL_ADDRESS"], "report only")
    ]
    assert sources_file(project).read_text() == before
    # the same schema of a DuckDB file named on the command line
    other_file = project.parent / "copy.duckdb"
    shutil.copy(project / "warehouse" / "analytics.duckdb", other_file)
    assert scan(project, "--database", str(other_file), "--schema", "other", "--format", "json") == 0
    assert [r["relation"] for r in json.loads(capsys.readouterr().out)] == ["copy.other.contacts"]
    assert scan(project, "--schema", "other", "--fail-on-unclassified") == 1
    assert scan(project, "--schema", "nowhere") == 2


def test_add_missing_columns(scan_project) -> None:
    project, _ = scan_project
    path = sources_file(project)
    path.write_text(
        path.read_text().replace("          - name: phone\n            description: Phone.\n", "")
    )
    assert scan(project, "--select", "crm.people") == 0
    with pytest.raises(KeyError):
        meta(project, "people", "phone")
    assert scan(project, "--select", "crm.people", "--add-missing-columns") == 0
    assert meta(project, "people", "phone")["pii"] == ["PHONE_NUMBER"]
    assert "TODO: describe this column" in path.read_text()


def test_invalid_scan_settings_name_the_key(scan_project, capsys) -> None:
    project, _ = scan_project
    path = project / "dbt_project.yml"
    path.write_text(path.read_text().replace("sample_rows: 2000", "sample_rows: 0"))
    assert scan(project) == 2
    assert "vars.governance.scan.sample_rows: must be a positive integer" in capsys.readouterr().err


def test_help_explains_the_command(capsys) -> None:
    assert cli.main(["scan", "--help"]) == 0  # the CLI returns its exit code; it never raises
    out = capsys.readouterr().out
    assert "--fail-on-unclassified" in out and "Exit codes" in out and "ever printed" in out


def test_a_scan_never_lowers_an_earlier_classification(scan_project, capsys) -> None:
    """Declassification needs a human: a column an earlier scan classified keeps its level when the
    data no longer shows it (a purged or sparse table), and the scan says so."""
    project, _ = scan_project
    path = sources_file(project)
    stale = "            config:\n              meta: {classification: 3, pii: [PERSON], classified_by: scan}\n"
    path.write_text(path.read_text().replace("description: Enum.\n", "description: Enum.\n" + stale))
    assert meta(project, "people", "status")["classification"] == 3
    capsys.readouterr()
    assert scan(project, "--select", "crm.people") == 0
    assert meta(project, "people", "status") == {"classification": 3, "pii": ["PERSON"], "classified_by": "scan"}
    assert "kept: lowering needs a human" in capsys.readouterr().out
