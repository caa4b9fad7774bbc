"""Bad input for `governance scan`: very long values, mixed scripts, undecodable bytes, hundreds of
columns, deep and map-like JSON, a table out of time. Each gets a clear per-column outcome, none crashes
the scan, and no value appears in any output."""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import pytest

from governance import cli
from governance.scan.classifier import Classifier

PROJECT_DIR = Path(__file__).resolve().parents[2]
MARKERS = ("ZZSECRETZZ", "Ünïcødé-Zeichen-ZZ", "zz.hidden@example.org")


@pytest.fixture(scope="module")
def bad_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bad") / "awkward.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema bad")
    # 200 rows of 1 MB strings: cut to the value cap in the database, never read whole
    con.execute(f"create table bad.huge as select i as id, repeat('{MARKERS[0]} ', 90000) || i as blob_text "
                "from range(200) r(i)")
    # mixed scripts and a BLOB of bytes that are not UTF-8
    con.execute(
        "create table bad.scripts as select i as id, "
        f"(['Иван Петров', '王小明', 'محمد علي', '{MARKERS[1]}', 'Ελένη'])[1 + i % 5] || ' ' || i as name_mix, "
        "'\\xFF\\xFE\\x80'::blob as raw_bytes from range(50) r(i)"
    )
    # hundreds of columns
    columns = ", ".join(f"'v' || i || '_{n}' as c{n:03d}" for n in range(300))
    con.execute(f"create table bad.wide as select {columns} from range(20) r(i)")
    # deep JSON and a map-like object whose keys are e-mail addresses
    deep = "[" * 300 + "1" + "]" * 300
    con.execute(
        "create table bad.documents as select i as id, "
        "('{\"by_email\": {\"' || i || '" + MARKERS[2].replace("zz", "zz' || i || '", 1) + "\": {\"orders\": ' || i || '}}, "
        "\"user\": {\"email\": \"u' || i || '@example.com\"}}')::json as doc, "
        f"'{deep}' as deep_text from range(60) r(i)"
    )
    con.close()
    return path


def scan(database: Path, *args: str) -> int:
    return cli.main(["scan", "--project-dir", str(PROJECT_DIR), "--database", str(database), "--schema", "bad",
                     "--full", "--state-file", str(database.with_suffix(".state.json")), *args])


def test_bad_input_gets_an_outcome_per_column_and_no_value_anywhere(bad_database: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DBT_PROFILES_DIR", str(PROJECT_DIR))
    started = time.perf_counter()
    assert scan(bad_database, "--format", "json") == 0
    assert time.perf_counter() - started < 90  # 200 MB of text is never read whole
    captured = capsys.readouterr()
    for marker in MARKERS:
        assert marker not in captured.out and marker not in captured.err
    assert "example.com" not in captured.out
    rows = json.loads(captured.out)
    by_column = {(r["table"], r["column"]): r for r in rows}
    assert by_column[("bad.huge", "blob_text")]["sampled_values"] >= 1
    assert sum(1 for table, _ in by_column if table == "bad.wide") == 300
    assert by_column[("bad.scripts", "raw_bytes")]["note"].startswith("binary column")
    doc = by_column[("bad.documents", "doc")]
    assert doc["json_paths"] == {"user.email": ["EMAIL_ADDRESS"]}  # the map's keys are `<key>`, not values
    assert "deep_text" in {c for _, c in by_column}


def test_progress_lines_without_a_terminal(bad_database: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DBT_PROFILES_DIR", str(PROJECT_DIR))
    assert scan(bad_database, "--format", "json") == 0
    err = capsys.readouterr().err
    assert err.count("scan: table name=") == 4 and "done=4/4" in err


def test_a_table_out_of_time_keeps_its_classification_and_fails_ci(bad_database: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DBT_PROFILES_DIR", str(PROJECT_DIR))
    original = Classifier.classify_table

    def slow_wide(self, columns, values, deadline=None):
        if len(columns) == 300:
            raise TimeoutError
        return original(self, columns, values, deadline)

    monkeypatch.setattr(Classifier, "classify_table", slow_wide)
    assert scan(bad_database, "--quiet", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    wide = [r for r in rows if r["table"] == "bad.wide"]
    assert wide == [{"table": "bad.wide", "relation": wide[0]["relation"], "column": None, "incomplete": True,
                     "note": "time budget exhausted: not classified, existing classification kept"}]
    assert scan(bad_database, "--quiet", "--fail-on-unclassified") == 1
    assert "incomplete: bad.wide ran out of its time budget" in capsys.readouterr().err.replace("\n", " ")
