"""Classification propagation along lineage, its policy rules, and the YAML write-back.

Runs on copies of the fixture project (tests/python/fixtures/lineage_project, whose sources carry
classifications by hand) and of the real project (classification meta added by hand to a copy's
source YAML; the real source YAML stays unclassified until the scan writes it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import strip_classification
from lineage_helpers import FIXTURE_PROJECT, copy_fixture, propagated
from ruamel.yaml import YAML

from governance.errors import PolicyError
from governance.lineage import PropagationResult, build_lineage, check, write_back
from governance.policy import Classification, load_policy
from governance.project.yaml_io import YamlFile, column_node, set_classification


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path / "fixture")


def level(result: PropagationResult, name: str) -> Classification | None:
    node, column = name.rsplit(".", 1)
    return result.column((result.graph.find(node).unique_id, column)).lineage


def meta(path: Path, node: str, column: str) -> dict:
    document = YAML(typ="safe").load(path.read_text())
    for key in ("models", "snapshots"):
        for entry in document.get(key) or []:
            if entry["name"] == node:
                for col in entry.get("columns") or []:
                    if col["name"] == column:
                        return (col.get("config") or {}).get("meta") or {}
    raise AssertionError(f"{node}.{column} not in {path}")


EXPECTED_LEVELS = {
    "stg_users.email": Classification(3, ("EMAIL_ADDRESS",)),
    "stg_users.user_id": None,  # nothing classified upstream
    "stg_cards.card_number": Classification(4, ("CREDIT_CARD",)),
    "int_user_pairs.referrer_email": Classification(3, ("EMAIL_ADDRESS",)),
    "int_user_pairs.same_email": Classification(1),  # predicate -> 1, entities dropped
    "contacts.contact": Classification(4, ("CREDIT_CARD", "EMAIL_ADDRESS")),  # highest + union
    "user_metrics.email_key": Classification(3, ("EMAIL_ADDRESS",)),  # keyed hash -> policy's 3, pii kept
    "user_metrics.email_md5": Classification(3, ("EMAIL_ADDRESS",)),  # unkeyed hash keeps
    "user_metrics.name_length": Classification(1),
    "user_metrics.birth_year": Classification(2),  # year of a DATE_OF_BIRTH -> 2
    "user_metrics.birth_month": Classification(3, ("DATE_OF_BIRTH",)),  # other truncation keeps
    "user_metrics.has_email": Classification(1),
    "user_metrics.display_name": Classification(3, ("PERSON",)),
    "user_metrics.card_count": Classification(1),  # count distinct
    "user_metrics.last_card_number": Classification(4, ("CREDIT_CARD",)),  # max keeps
    "user_metrics.max_card_number": Classification(4, ("CREDIT_CARD",)),  # scalar subquery
    "user_metrics.age_rank_in_country": Classification(3, ("DATE_OF_BIRTH",)),  # window key: no rule, keeps
    "user_metrics.cards_total": None,
    "users_by_country.users_with_email": Classification(1),
    "users_by_country.emails": Classification(3, ("EMAIL_ADDRESS",)),
    "snap_users.email": Classification(3, ("EMAIL_ADDRESS",)),
    "snap_users.dbt_valid_from": None,
    "manual_override.contact_email": Classification(3, ("EMAIL_ADDRESS",)),  # what lineage says...
    "manual_downstream.contact_email": Classification(2),  # ...but downstream inherits the manual 2
    "manual_downstream.full_name": Classification(3, ("PERSON",)),
}


def test_propagated_levels(fixture_copy: Path, compiled_manifest) -> None:
    result = propagated(fixture_copy, compiled_manifest(FIXTURE_PROJECT))
    assert {name: level(result, name) for name in EXPECTED_LEVELS} == EXPECTED_LEVELS


def test_rules_come_from_the_policy(fixture_copy: Path, compiled_manifest) -> None:
    project = fixture_copy / "dbt_project.yml"
    text = project.read_text()
    # without a count rule, a count keeps the level; a stricter predicate rule gives 2
    project.write_text(
        text.replace(
            '      count: {level: 1, pii: drop, description: "A count tells how many, not which."}\n', ""
        ).replace("predicate: {level: 1,", "predicate: {level: 2,")
    )
    result = propagated(fixture_copy, compiled_manifest(FIXTURE_PROJECT))
    assert level(result, "user_metrics.card_count") == Classification(4, ("CREDIT_CARD",))
    assert level(result, "user_metrics.has_email") == Classification(2)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("sum: {level: 1}", "lineage_rules.sum: unknown transformation kind"),
        ("count: {level: 7}", "lineage_rules.count.level: unknown level 7"),
        ("count: {level: 1, pii: maybe}", "lineage_rules.count.pii: must be keep or drop"),
        (
            "year: {level: 2, entities: [SHOE_SIZE]}",
            "lineage_rules.year.entities: not in entity_levels: SHOE_SIZE",
        ),
    ],
)
def test_invalid_rules_name_the_key(fixture_copy: Path, rule: str, message: str) -> None:
    project = fixture_copy / "dbt_project.yml"
    text = project.read_text()  # the rules are the last block of the fixture's policy
    project.write_text(text[: text.index("    lineage_rules:\n")] + f"    lineage_rules:\n      {rule}\n")
    with pytest.raises(PolicyError, match=r"dbt_project\.yml") as error:
        load_policy(fixture_copy)
    assert message in str(error.value)


def test_write_back_round_trip_idempotent_and_manual_wins(fixture_copy: Path, compiled_manifest) -> None:
    manifest = compiled_manifest(FIXTURE_PROJECT)
    models_yml = fixture_copy / "models" / "marts" / "_marts__models.yml"
    before = models_yml.read_text()

    dry = write_back(propagated(fixture_copy, manifest), dry_run=True)
    assert dry.written == [] and models_yml.read_text() == before
    assert "+            classified_by: lineage" in dry.diffs[models_yml]

    report = write_back(propagated(fixture_copy, manifest))
    assert models_yml in report.written
    after = models_yml.read_text()
    # comments and the rest of the file kept; other meta kept; manual entries untouched
    for line in (
        "# The contact e-mail is a shared mailbox here: a human decided it is Internal.",
        "description: Contact address.  # a comment next to a value",
        "# identifiers",
        "classification: 3   # no marker: set by a human",
        "owner: growth   # meta of someone else: kept",
    ):
        assert line in after
    assert meta(models_yml, "manual_override", "contact_email") == {
        "classification": 2,
        "classified_by": "manual",
        "classification_note": "A shared mailbox, not a person.",
    }
    assert meta(models_yml, "user_metrics", "email_key") == {
        "classification": 3,
        "pii": ["EMAIL_ADDRESS"],
        "classified_by": "lineage",
    }
    assert meta(models_yml, "user_metrics", "has_email") == {
        "owner": "growth",
        "classification": 1,
        "pii": [],
        "classified_by": "lineage",
    }
    # an undocumented column of an uncontracted model is added, with a description placeholder
    assert meta(models_yml, "user_metrics", "last_card_number")["classification"] == 4
    assert meta(fixture_copy / "snapshots" / "_snapshots.yml", "snap_users", "email")["classification"] == 3
    # a model with no YAML entry gets one in its directory's models file
    assert meta(models_yml, "contacts", "contact") == {
        "classification": 4,
        "pii": ["CREDIT_CARD", "EMAIL_ADDRESS"],
        "classified_by": "lineage",
    }
    # the manual override lower than lineage is reported
    lowered = [result_key[1] for result_key in (s.key for s in report.manual_lower)]
    assert lowered == ["contact_email"]

    stamps = {p: p.stat().st_mtime_ns for p in fixture_copy.rglob("*.yml")}
    again = write_back(propagated(fixture_copy, manifest))
    assert again.changes == [] and again.written == [] and again.diffs == {}
    assert {p: p.stat().st_mtime_ns for p in fixture_copy.rglob("*.yml")} == stamps
    # the hand-set lower level carries a note and the security owner's register entry: reported, not an error
    findings = check(propagated(fixture_copy, manifest))
    assert [f for f in findings if f.severity == "error"] == []
    assert any(f.code == "manual_lower" for f in findings)
    # without the register entry (the attack: lower a level by hand, quietly) the check fails naming it
    register = fixture_copy / "governance_declassifications.yml"
    entry = register.read_text()
    register.unlink()
    errors = [f for f in check(propagated(fixture_copy, manifest)) if f.severity == "error"]
    assert [(f.code, f.subject) for f in errors] == [("declassified", "manual_override.contact_email")]
    assert "it lost level 3" in errors[0].message
    # nor does an entry for another level, or a lowered column without its note
    register.write_text(entry.replace("to_level: 2", "to_level: 1"))
    assert any(f.code == "declassified" for f in check(propagated(fixture_copy, manifest)))
    register.write_text(entry)
    models_yml.write_text(models_yml.read_text().replace(
        "            classification_note: A shared mailbox, not a person.\n", "", 1))
    assert any(f.code == "declassified" for f in check(propagated(fixture_copy, manifest)))


def test_lineage_entries_are_kept_when_upstream_loses_classification(
    fixture_copy: Path, compiled_manifest
) -> None:
    """Propagate never lowers on its own: a purge or a rescan that finds less upstream does not
    declassify the models downstream (the incremental marts still hold the history)."""
    manifest = compiled_manifest(FIXTURE_PROJECT)
    write_back(propagated(fixture_copy, manifest))
    models_yml = fixture_copy / "models" / "marts" / "_marts__models.yml"
    assert meta(models_yml, "user_metrics", "email_key")["classified_by"] == "lineage"

    sources = fixture_copy / "models" / "staging" / "_sources.yml"
    sources.write_text(
        sources.read_text().replace(
            "meta: {classification: 3, pii: [EMAIL_ADDRESS], classified_by: scan}", "meta: {}"
        )
    )
    report = write_back(propagated(fixture_copy, manifest))
    assert [c for c in report.changes if c.action == "clear"] == []
    kept = {f"{s.key[0].rsplit('.', 1)[-1]}.{s.key[1]}" for s in report.kept}
    assert {"user_metrics.email_key", "stg_users.email"} <= kept
    assert meta(models_yml, "user_metrics", "email_key")["classification"] == 3
    assert meta(models_yml, "contacts", "contact") == {  # the card number still flows in; the email is kept
        "classification": 4,
        "pii": ["CREDIT_CARD", "EMAIL_ADDRESS"],
        "classified_by": "lineage",
    }
    findings = check(propagated(fixture_copy, manifest))
    assert any(f.code == "stale" and f.subject == "user_metrics.email_key" and "until a human" in f.message
               for f in findings)
    assert meta(models_yml, "manual_override", "contact_email") == {
        "classification": 2,
        "classified_by": "manual",
        "classification_note": "A shared mailbox, not a person.",
    }


def test_model_that_cannot_be_analysed_keeps_its_yaml(fixture_copy: Path, compiled_manifest) -> None:
    import json

    manifest = json.loads(compiled_manifest(FIXTURE_PROJECT).read_text())
    write_back(propagated(fixture_copy, manifest))
    models_yml = fixture_copy / "models" / "marts" / "_marts__models.yml"
    manifest["nodes"]["model.lineage_fixture.user_metrics"]["compiled_code"] = "select from where ((("
    result = propagated(fixture_copy, build_lineage(manifest))
    report = write_back(result)
    assert meta(models_yml, "user_metrics", "email_key")["classification"] == 3
    assert any("user_metrics" in line for line in report.skipped)
    assert any(f.code == "lineage_error" and f.severity == "error" for f in check(result))


# --- the real project --------------------------------------------------------------------------

HAND_CLASSIFIED_SOURCES = [
    ("models/staging/shop/_shop__sources.yml", "shop", "customers__ct", "email", 3, ["EMAIL_ADDRESS"]),
    (
        "models/staging/shop/_shop__sources.yml",
        "shop",
        "customers__ct",
        "date_of_birth",
        3,
        ["DATE_OF_BIRTH"],
    ),
    ("models/staging/shop/_shop__sources.yml", "shop", "payments__ct", "card_number", 4, ["CREDIT_CARD"]),
    (
        "models/staging/support/_support__sources.yml",
        "support",
        "tickets",
        "payload",
        3,
        ["EMAIL_ADDRESS", "PERSON"],
    ),
]


def classify_sources_by_hand(project: Path) -> None:
    for relative, source, table, column, lvl, pii in HAND_CLASSIFIED_SOURCES:
        document = YamlFile.load(project / relative)
        entry = column_node(document.source_table(source, table), column)
        assert entry is not None, (table, column)
        set_classification(entry, {"classification": lvl, "pii": pii}, "scan")
        document.save()


def test_real_project_propagation(project_copy: Path, compiled_manifest) -> None:
    strip_classification(project_copy)  # from a known state: propagate keeps what is already there
    classify_sources_by_hand(project_copy)
    manifest = compiled_manifest()
    result = propagated(project_copy, manifest)
    assert result.graph.problems == []
    write_back(result)
    core = project_copy / "models" / "marts" / "core" / "_core__models.yml"
    finance = project_copy / "models" / "marts" / "finance" / "_finance__models.yml"
    support = project_copy / "models" / "marts" / "support" / "_support__models.yml"
    assert meta(core, "dim_customers", "email") == {
        "classification": 3,
        "pii": ["EMAIL_ADDRESS"],
        "classified_by": "lineage",
    }
    assert meta(core, "dim_customers", "date_of_birth")["classification"] == 3
    assert meta(core, "dim_customers", "customer_id") == {}
    # staging truncates the card number with the named macro (first six, last four): the policy's
    # `pan_truncation` rule lowers it to 3 and keeps the entity
    assert meta(finance, "fct_payments", "card_number") == {
        "classification": 3,
        "pii": ["CREDIT_CARD"],
        "classified_by": "lineage",
    }
    assert meta(finance, "fct_payments", "card_brand") == {
        "classification": 1,
        "pii": [],
        "classified_by": "lineage",
    }
    assert meta(support, "fct_support_tickets", "requester_email") == {
        "classification": 3,
        "pii": ["EMAIL_ADDRESS", "PERSON"],
        "classified_by": "lineage",
    }
    assert meta(support, "fct_support_tickets", "is_open")["classification"] == 1  # `status in (...)`
    assert (
        meta(project_copy / "snapshots" / "_snapshots.yml", "snap_customers", "email")["classification"] == 3
    )
    assert [f for f in check(propagated(project_copy, manifest)) if f.severity == "error"] == []
    assert write_back(propagated(project_copy, manifest)).diffs == {}
