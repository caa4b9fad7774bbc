"""The governance policy in dbt_project.yml: loaded, validated, errors that name file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROJECT_DIR
from ruamel.yaml import YAML

from governance.errors import PolicyError
from governance.policy import load_policy


def test_the_project_policy_is_valid_and_clearances_follow_membership() -> None:
    policy = load_policy(PROJECT_DIR)
    assert sorted(policy.levels) == [1, 2, 3, 4]
    assert policy.masked_levels == [3, 4]
    assert policy.level_for_entities(["EMAIL_ADDRESS", "CREDIT_CARD"]) == 4
    assert policy.level_for_entities(["NOT_AN_ENTITY"]) is None
    assert policy.effective_clearance("transformer") == 4
    assert policy.effective_clearance("reporter") == 2
    assert policy.effective_clearance("analyst") == 3  # member of pii_confidential
    assert policy.effective_clearance("finance_analyst") == 4  # via pii_restricted
    assert policy.clearance_roles_for(3) == ["pii_confidential", "pii_restricted"]
    assert policy.clearance_roles_for(4) == ["pii_restricted"]
    assert not policy.is_cleared(policy.default_role, 3)


def write_policy_variant(tmp_path: Path, edit) -> Path:
    yaml = YAML()
    document = yaml.load((PROJECT_DIR / "dbt_project.yml").read_text())
    edit(document["vars"]["governance"])
    with (tmp_path / "dbt_project.yml").open("w") as handle:
        yaml.dump(document, handle)
    return tmp_path


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda g: g["entity_levels"].__setitem__("EMAIL_ADDRESS", 7),
         "vars.governance.entity_levels.EMAIL_ADDRESS: unknown level 7"),
        (lambda g: g["roles"]["analyst"].__setitem__("member_of", ["pii_nobody"]),
         "vars.governance.roles.analyst.member_of: undefined role 'pii_nobody'"),
        (lambda g: g["roles"]["pii_confidential"].__setitem__("member_of", ["pii_restricted"]),
         "membership cycle"),
        (lambda g: g["roles"]["reporter"].__setitem__("kind", "boss"),
         "vars.governance.roles.reporter.kind: must be one of"),
        (lambda g: g.__setitem__("default_role", "ghost"),
         "vars.governance.default_role: undefined role 'ghost'"),
    ],
)
def test_invalid_policy_names_the_file_and_key(tmp_path: Path, edit, expected: str) -> None:
    project = write_policy_variant(tmp_path, edit)
    with pytest.raises(PolicyError) as error:
        load_policy(project)
    assert str(project / "dbt_project.yml") in str(error.value)
    assert expected in str(error.value)


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from governance.cli import main

    assert main(["policy", "--project-dir", str(PROJECT_DIR)]) == 0
    project = write_policy_variant(tmp_path, lambda g: g["entity_levels"].__setitem__("PERSON", 0))
    assert main(["policy", "--project-dir", str(project)]) == 2
    assert "entity_levels.PERSON" in capsys.readouterr().err
