"""The masking policies attached in the account: the project's by full name AND by body.

`governance protected --live` used to accept an attached policy by its name alone, so a policy of the right
name whose body was changed in the account (`alter masking policy ... set body -> val`, by anyone holding
its ownership) passed the audit. Now every attached policy's body is compared (a hash of its normal form)
with the body the project's macros render (`governance.render_masking_policy_bodies`, the same builders as
the deployed DDL), and its name must be the full DB.SCHEMA.NAME the project gives it.

Real parts: the project's manifest (a cached `dbt parse`), its macros run by `dbt run-operation`, and rows
recorded from an account (tests/python/fixtures/policy_audit). The live variant runs against a real account
with key-pair authentication and is skipped without one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_DIR

from governance.masking.policy_audit import (
    audit_attached_policies,
    body_hash,
    expected_policies,
    length_entries,
    rendered_policy_bodies,
)
from governance.masking.protected import is_project_policy
from governance.policy import load_policy
from governance.project import DbtProject, load_manifest

FIXTURE = PROJECT_DIR / "tests/python/fixtures/policy_audit/dim_customers.json"
RELATION = "ANALYTICS.MARTS.DIM_CUSTOMERS"


def upper_keys(row: dict[str, Any]) -> dict[str, Any]:
    return {k.upper(): v for k, v in row.items()}


@pytest.fixture(scope="module")
def setup() -> dict[str, Any]:
    project = DbtProject.locate(PROJECT_DIR)
    policy = load_policy(project)
    manifest_path = project.manifests.path("parse", None)
    manifest = load_manifest(manifest_path)
    recorded = json.loads(FIXTURE.read_text())
    wanted = [w for w in expected_policies(manifest, policy, recorded["columns"]) if w.relation == RELATION]
    bodies = rendered_policy_bodies(project, policy, length_entries(wanted))
    return {"policy": policy, "manifest": manifest_path, "recorded": recorded, "wanted": wanted, "bodies": bodies}


def deployed(bodies: dict[str, str], names: set[str]) -> list[dict[str, Any]]:
    """MASKING_POLICIES rows of the deployed policies, their text as an account returns it (re-spaced, keywords
    upper case): the normal form must see through that."""
    rows = []
    for name in sorted(names):
        db, schema, policy_name = name.split(".")
        text = bodies[name].replace("case when", "CASE\n  WHEN").replace(" then ", "\n  THEN ").replace(" else ", " ELSE ")
        rows.append({"POLICY_CATALOG": db, "POLICY_SCHEMA": schema, "POLICY_NAME": policy_name, "POLICY_BODY": text})
    return rows


def statuses(setup: dict[str, Any], references: list[dict[str, Any]], policies: list[dict[str, Any]]) -> dict[str, str]:
    hashes = {name: body_hash(body) for name, body in setup["bodies"].items()}
    rows = audit_attached_policies(setup["wanted"], hashes, references, policies)
    return {row["column"].upper(): row["status"] for row in rows}


def test_recorded_account_passes_with_the_deployed_bodies(setup: dict[str, Any]) -> None:
    wanted = setup["wanted"]
    assert len(wanted) == len(setup["recorded"]["policy_references"]) >= 5
    names = {w.policy for w in wanted}
    assert all(name.startswith("ANALYTICS.GOVERNANCE.MASK_L3_") for name in names)
    got = statuses(setup, setup["recorded"]["policy_references"], deployed(setup["bodies"], names))
    assert set(got.values()) == {"applied"}, got


def test_a_changed_body_under_the_right_name_fails(setup: dict[str, Any]) -> None:
    """The attack that used to pass: the policy keeps its name, its body now shows the value to everyone."""
    recorded = setup["recorded"]
    names = {w.policy for w in setup["wanted"]}
    tampered, opened = recorded["attacks"]["tampered_body"], recorded["attacks"]["opened_body"]
    policies = [row for row in deployed(setup["bodies"], names)
                if row["POLICY_NAME"] not in (tampered["POLICY_NAME"], opened["POLICY_NAME"])] + [tampered, opened]
    got = statuses(setup, recorded["policy_references"], policies)
    text_columns = {w.column.column.upper() for w in setup["wanted"] if w.policy.endswith("MASK_L3_VARCHAR_TEXT")}
    date_columns = {w.column.column.upper() for w in setup["wanted"] if w.policy.endswith("MASK_L3_DATE")}
    assert text_columns and date_columns
    for column in text_columns | date_columns:
        assert got[column].startswith("body differs"), (column, got[column])
    assert got["EMAIL"] == "applied"
    # the name check alone (what the audit did before) accepts the tampered policy
    attached = "ANALYTICS.GOVERNANCE.MASK_L3_VARCHAR_TEXT"
    assert is_project_policy(attached, "analytics", "governance", "MASK_L3_VARCHAR_TEXT")
    # mutation: without the body comparison (the account's hashes taken as the expected ones) it reads as applied
    live = {".".join((p["POLICY_CATALOG"], p["POLICY_SCHEMA"], p["POLICY_NAME"])): body_hash(p["POLICY_BODY"])
            for p in policies}
    rows = audit_attached_policies(setup["wanted"], live, recorded["policy_references"], policies)
    assert {r["status"] for r in rows} == {"applied"}


def test_a_lookalike_policy_name_fails(setup: dict[str, Any]) -> None:
    """A policy whose name only ends with the expected one (another database and schema) is not the project's."""
    recorded = setup["recorded"]
    lookalike = recorded["attacks"]["lookalike_policy"]
    references = [upper_keys(r) | (lookalike if r["REF_COLUMN_NAME"] == lookalike["REF_COLUMN_NAME"] else {})
                  for r in recorded["policy_references"]]
    names = {w.policy for w in setup["wanted"]}
    # even with the project's body recorded under the lookalike name
    body = setup["bodies"]["ANALYTICS.GOVERNANCE.MASK_L3_VARCHAR_EMAIL"]
    lookalike_row = {"POLICY_CATALOG": "SECURITY_DB", "POLICY_SCHEMA": "POLICIES", "POLICY_NAME": "MASK_L3_VARCHAR_EMAIL",
                     "POLICY_BODY": body}
    policies = [*deployed(setup["bodies"], names), lookalike_row]
    got = statuses(setup, references, policies)
    assert got["EMAIL"].startswith("wrong policy SECURITY_DB.POLICIES.MASK_L3_VARCHAR_EMAIL"), got["EMAIL"]
    assert "SECURITY_DB.POLICIES.MASK_L3_VARCHAR_EMAIL".endswith("MASK_L3_VARCHAR_EMAIL")  # what a suffix match took


def test_unknown_body_missing_policy_and_unknown_length_fail_closed(setup: dict[str, Any]) -> None:
    recorded = setup["recorded"]
    names = {w.policy for w in setup["wanted"]}
    policies = [p for p in deployed(setup["bodies"], names) if p["POLICY_NAME"] != "MASK_L3_VARCHAR_PHONE"]
    references = [r for r in recorded["policy_references"] if r["REF_COLUMN_NAME"] != "FIRST_NAME"]
    references = [r | ({"POLICY_NAME": "MASK_L3_VARCHAR_EMAIL_OPEN"} if r["REF_COLUMN_NAME"] == "EMAIL" else {})
                  for r in references]
    got = statuses(setup, references, policies)
    assert got["PHONE_NUMBER"].startswith("body unknown"), got
    assert got["FIRST_NAME"] == "missing: no policy attached"
    assert got["EMAIL"].startswith("wrong policy ANALYTICS.GOVERNANCE.MASK_L3_VARCHAR_EMAIL_OPEN")


def test_body_hash_sees_logic_not_layout() -> None:
    body = "case when is_role_in_session('PII_CONFIDENTIAL') then val else '*****' end"
    assert body_hash(body) == body_hash("CASE WHEN IS_ROLE_IN_SESSION('PII_CONFIDENTIAL')\n THEN val ELSE '*****' END")
    assert body_hash(body) != body_hash(body.replace("PII_CONFIDENTIAL", "PUBLIC"))
    assert body_hash(body) != body_hash(body.replace("'*****'", "val"))


def test_policy_export_command(setup: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from governance.cli import main

    recorded = setup["recorded"]
    names = {w.policy for w in setup["wanted"]}
    attacks = recorded["attacks"]
    export = {"policy_references": recorded["policy_references"], "columns": recorded["columns"],
              "masking_policies": [p for p in deployed(setup["bodies"], names) if p["POLICY_NAME"] != "MASK_L3_DATE"]
              + [attacks["opened_body"]]}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    code = main(["protected", "--policy-export", str(path), "--manifest", str(setup["manifest"]),
                 "--project-dir", str(PROJECT_DIR), "--format", "json"])
    assert code == 1
    out = json.loads(capsys.readouterr().out)
    rows = {r["column"].upper(): r["status"] for r in out["columns"] if r["relation"] == RELATION}
    assert rows["DATE_OF_BIRTH"].startswith("body differs") and rows["EMAIL"] == "applied"
    # every other protected relation of the project is missing from this one-table export: reported, not skipped
    assert any(r["status"].startswith("missing") for r in out["columns"] if r["relation"] != RELATION)


LIVE = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PRIVATE_KEY_PATH")


@pytest.mark.snowflake
@pytest.mark.skipif(not all(os.environ.get(n) for n in LIVE),
                    reason="needs a Snowflake account with key-pair authentication: SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, "
                           "SNOWFLAKE_PRIVATE_KEY_PATH (the project's `snowflake` target; no password)")
def test_live_attached_policies_match_the_rendered_bodies(capsys: pytest.CaptureFixture[str]) -> None:
    from governance.cli import main

    code = main(["protected", "--live", "--target", "snowflake", "--project-dir", str(PROJECT_DIR), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    bad = [r for r in out["columns"] if r["status"].startswith(("body differs", "wrong policy", "body unknown"))]
    assert code in (0, 1) and not bad, bad
