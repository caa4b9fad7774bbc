"""`governance propagate`, `governance lineage MODEL.COLUMN` and `governance check` on the fixture project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lineage_helpers import FIXTURE_PROJECT, copy_fixture

from governance.cli import main


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path / "fixture")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def args(project: Path, manifest: Path, *extra: str) -> list[str]:
    return ["--project-dir", str(project), "--manifest", str(manifest), *extra]


def test_check_fails_until_propagated(fixture_copy: Path, compiled_manifest, capsys) -> None:
    manifest = compiled_manifest(FIXTURE_PROJECT)
    code, out, _ = run(capsys, "check", *args(fixture_copy, manifest))
    assert code == 1
    assert "ERROR   unclassified        user_metrics.email_key: no classification" in out
    assert "user_metrics.has_email" in out  # lowered to 1, but derived from level 3 data: must be written
    assert "user_metrics.cards_total" not in out
    assert "check FAILED" in out

    before = {p: p.read_text() for p in fixture_copy.rglob("*.yml")}
    code, out, _ = run(capsys, "propagate", *args(fixture_copy, manifest, "--dry-run"))
    assert code == 0
    assert "+            classified_by: lineage" in out and "would change" in out
    assert {p: p.read_text() for p in fixture_copy.rglob("*.yml")} == before

    code, out, _ = run(capsys, "propagate", *args(fixture_copy, manifest))
    assert code == 0
    assert "set   user_metrics.email_key -> 3 [EMAIL_ADDRESS]" in out
    assert (
        "manual manual_override.contact_email: 2 set by hand, lower than lineage (3 [EMAIL_ADDRESS])" in out
    )

    code, out, _ = run(capsys, "check", *args(fixture_copy, manifest))
    assert code == 0, out
    assert "WARNING manual_lower        manual_override.contact_email" in out
    assert "check passed" in out


def test_check_fails_on_a_lower_classification_without_manual_override(
    fixture_copy: Path, compiled_manifest, capsys
) -> None:
    manifest = compiled_manifest(FIXTURE_PROJECT)
    assert run(capsys, "propagate", *args(fixture_copy, manifest))[0] == 0
    models = fixture_copy / "models" / "marts" / "_marts__models.yml"
    text = models.read_text()
    lowered = text.replace(
        "      - name: email_key\n        description: Keyed hash of the e-mail (join key).\n"
        "        config:\n          meta:\n            classification: 3",
        "      - name: email_key\n        description: Keyed hash of the e-mail (join key).\n"
        "        config:\n          meta:\n            classification: 2",
    )
    assert lowered != text
    models.write_text(lowered)
    code, out, _ = run(capsys, "check", *args(fixture_copy, manifest, "--format", "json"))
    assert code == 1
    findings = json.loads(out)["findings"]
    assert {
        "severity": "error",
        "code": "too_low",
        "node": "user_metrics",
        "column": "email_key",
    }.items() <= next(f for f in findings if f["column"] == "email_key").items()

    # marking it manual is not enough: lowering needs a note and the security owner's register entry
    manual = lowered.replace(
        "classification: 2\n            pii: [EMAIL_ADDRESS]\n            classified_by: lineage",
        "classification: 2\n            pii: [EMAIL_ADDRESS]\n            classified_by: manual",
    )
    models.write_text(manual)
    code, out, _ = run(capsys, "check", *args(fixture_copy, manifest))
    assert code == 1 and "declassified        user_metrics.email_key" in out and "it lost level 3" in out
    models.write_text(manual.replace(
        "pii: [EMAIL_ADDRESS]\n            classified_by: manual\n", "pii: [EMAIL_ADDRESS]\n            classified_by: manual\n"
        "            classification_note: Pseudonymous join key, decided with the DPO.\n", 1))
    register = fixture_copy / "governance_declassifications.yml"
    register.write_text(register.read_text() + "  - column: user_metrics.email_key\n    from_level: 3\n    to_level: 2\n"
                        "    approved_by: security-owner\n    reason: Pseudonymous join key.\n")
    code, out, _ = run(capsys, "check", *args(fixture_copy, manifest))
    assert code == 0, out
    assert "manual_lower        user_metrics.email_key" in out


def test_check_fails_on_a_personal_source_column_without_classification(
    fixture_copy: Path, compiled_manifest, capsys
) -> None:
    manifest = compiled_manifest(FIXTURE_PROJECT)
    assert run(capsys, "propagate", *args(fixture_copy, manifest))[0] == 0
    sources = fixture_copy / "models" / "staging" / "_sources.yml"
    sources.write_text(
        sources.read_text().replace(
            "          - name: country\n",
            "          - name: country\n            config:\n"
            "              meta: {pii: [PERSON], classified_by: scan}\n",
        )
    )
    code, out, _ = run(capsys, "check", *args(fixture_copy, manifest))
    assert code == 1
    assert (
        "source_unclassified" in out
        and "app.users.country: PII ['PERSON'] found (classified_by: scan)" in out
    )


def test_bad_input_exits_2(fixture_copy: Path, compiled_manifest, capsys, tmp_path: Path) -> None:
    manifest = compiled_manifest(FIXTURE_PROJECT)
    code, _, err = run(capsys, "check", *args(fixture_copy, tmp_path / "missing.json"))
    assert code == 2 and "missing.json: manifest not found" in err
    code, _, err = run(capsys, "lineage", "user_metrics.nope", *args(fixture_copy, manifest))
    assert code == 2 and "user_metrics has no column 'nope'" in err
    models = fixture_copy / "models" / "marts" / "_marts__models.yml"
    models.write_text(models.read_text() + "  - name: [broken\n")
    code, _, err = run(capsys, "propagate", *args(fixture_copy, manifest))
    assert code == 2 and "_marts__models.yml" in err and "not valid YAML" in err


def test_lineage_explains_path_and_level(fixture_copy: Path, compiled_manifest, capsys) -> None:
    manifest = compiled_manifest(FIXTURE_PROJECT)
    code, out, _ = run(capsys, "lineage", "user_metrics.card_count", *args(fixture_copy, manifest))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "user_metrics.card_count: level 1"
    assert lines[1].startswith(
        "└─ stg_cards.card_number  level 4 [CREDIT_CARD]  via count [count] → coalesce"
    )
    assert "lowered by count" in lines[1]
    assert lines[2].strip().startswith("└─ source app.cards.card_number  level 4 [CREDIT_CARD]  via replace")
    assert (
        "stg_cards.card_number (4 [CREDIT_CARD]) lowered to 1 by lineage rule `count`: "
        "A count tells how many, not which."
    ) in out
    assert "  - app.cards.card_number: 4 [CREDIT_CARD] (scan)" in out

    code, out, _ = run(
        capsys,
        "lineage",
        "manual_downstream.contact_email",
        *args(fixture_copy, manifest, "--format", "json"),
    )
    explanation = json.loads(out)
    assert explanation["effective"] == {"level": 2, "pii": []}
    assert explanation["sources"][0]["column"] == "app.users.email"
    path = explanation["tree"]["upstream"][0]
    assert path["column"] == "manual_override.contact_email" and path["classified_by"] == "manual"
    assert path["upstream"][0]["column"] == "stg_users.email"


def test_commands_explain_themselves(capsys) -> None:
    for command in ("propagate", "lineage", "check"):
        assert main([command, "--help"]) == 0  # the CLI returns its exit code; it never raises
        out = capsys.readouterr().out
        assert "--manifest" in out and "--project-dir" in out


def test_check_compiles_the_project_itself(fixture_copy: Path, tmp_path: Path) -> None:
    """The console script, compiling into a private target path (no --manifest): what CI runs."""
    governance = Path(sys.executable).parent / "governance"
    result = subprocess.run(
        [str(governance), "check", "--project-dir", str(fixture_copy)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env={"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "unclassified" in result.stdout
    # compiled elsewhere, against a DuckDB file of its own (the profile's default would be fixture.duckdb)
    leftovers = {p.name for p in (*fixture_copy.iterdir(), *tmp_path.iterdir())}
    assert not leftovers & {"target", "logs", "fixture.duckdb"}, leftovers
