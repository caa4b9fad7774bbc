"""The masking section of the policy (vars.governance.masking): parsing, validation, errors."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import BIN_DIR, PROJECT_DIR
from ruamel.yaml import YAML

from governance.errors import PolicyError
from governance.policy import MASK_CATEGORIES, load_policy, parse_policy
from governance.policy.masking import category_for, snowflake_policy_name, type_family

SOURCE = PROJECT_DIR / "dbt_project.yml"


def raw_policy() -> dict[str, Any]:
    return copy.deepcopy(YAML(typ="safe").load(SOURCE.read_text())["vars"]["governance"])


def test_project_policy_masks_every_category_of_every_masked_level() -> None:
    policy = load_policy(PROJECT_DIR)
    assert policy.masked_levels and set(policy.masking.levels) == set(policy.masked_levels)
    for level in policy.masked_levels:
        assert set(policy.masking.levels[level]) == set(MASK_CATEGORIES)
    assert policy.masking.hash_key_env and not any(
        t.startswith("prod") for t in policy.masking.static_targets
    )


def test_missing_optional_categories_fall_back() -> None:
    raw = raw_policy()
    level = max(raw["masking"]["levels"])
    raw["masking"]["levels"][level] = {
        "text": "nullify",
        "number": "zero",
        "date": "nullify",
        "timestamp": "nullify",
    }
    masks = parse_policy(raw, SOURCE).masking.levels[level]
    assert masks["email"] == masks["phone"] == masks["join_key"] == "nullify"
    assert masks["boolean"] == masks["other"] == "nullify"


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (lambda m: m["levels"][3].update(number="keep_domain"), "masking.levels.3.number", "does not fit"),
        (lambda m: m["levels"][3].update(text="truncate_to_year"), "masking.levels.3.text", "does not fit"),
        (lambda m: m["levels"][3].pop("date"), "masking.levels.3.date", "missing"),
        (lambda m: m["levels"][3].update(money="zero"), "masking.levels.3.money", "unknown category"),
        (lambda m: m["levels"].update({2: {"text": "redact"}}), "masking.levels.2", "not masked"),
        (lambda m: m["levels"].update({9: {"text": "redact"}}), "masking.levels.9", "unknown level"),
        (lambda m: m["levels"].pop(4), "masking.levels", "[4]"),
        (lambda m: m.update(static_targets=["prod"]), "masking.static_targets", "non-production"),
        (lambda m: m.pop("hash_key_env"), "masking.hash_key_env", "keyed hash"),
        (
            lambda m: m["entity_categories"].update(CREDIT_CARD="card"),
            "entity_categories.CREDIT_CARD",
            "one of",
        ),
        (lambda m: m.update(schema="gov schema"), "masking.schema", "identifier"),
    ],
)
def test_invalid_masking_is_reported_with_file_and_key(change: Any, key: str, words: str) -> None:
    raw = raw_policy()
    change(raw["masking"])
    with pytest.raises(PolicyError) as error:
        parse_policy(raw, SOURCE)
    message = str(error.value)
    assert str(SOURCE) in message and key in message and words in message, message


def test_without_a_masking_section_masked_levels_fail_closed() -> None:
    raw = raw_policy()
    del raw["masking"]
    policy = parse_policy(raw, SOURCE)
    for level in policy.masked_levels:
        assert policy.masking.mask_for(level, "email") == "redact"
        assert policy.masking.mask_for(level, "number") == "nullify"


def test_category_and_snowflake_policy_name() -> None:
    policy = load_policy(PROJECT_DIR)
    assert type_family("DECIMAL(18,2)") == "number" and type_family("TIMESTAMP_LTZ") == "timestamp"
    assert category_for({"pii": ["EMAIL_ADDRESS"]}, "text", policy) == "email"
    assert category_for({"pii": ["EMAIL_ADDRESS", "PHONE_NUMBER"]}, "text", policy) == "text"
    assert category_for({"pii": ["EMAIL_ADDRESS"], "mask_as": "join_key"}, "text", policy) == "join_key"
    assert category_for({"pii": ["EMAIL_ADDRESS"]}, "number", policy) == "number"
    assert snowflake_policy_name(3, "VARCHAR", "email", "keep_domain", 16777216) == "MASK_L3_VARCHAR_EMAIL"
    assert snowflake_policy_name(4, "VARCHAR(3)", "text", "redact", 3) == "MASK_L4_VARCHAR_TEXT_LEN3"
    assert snowflake_policy_name(3, "VARCHAR", "phone", "keep_last_4", 3) == "MASK_L3_VARCHAR_PHONE"
    assert snowflake_policy_name(3, "TIMESTAMP", "timestamp", "truncate_to_year") == "MASK_L3_TIMESTAMP_NTZ"


def test_protected_command_without_manifest_exits_2_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "manifest.json"
    result = subprocess.run(
        [
            str(BIN_DIR / "governance"),
            "protected",
            "--project-dir",
            str(PROJECT_DIR),
            "--manifest",
            str(missing),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and str(missing) in result.stderr
    help_text = subprocess.run(
        [str(BIN_DIR / "governance"), "protected", "--help"], capture_output=True, text=True
    )
    assert help_text.returncode == 0 and "_protected" in help_text.stdout
