"""Separation of duties in the generated grants: a masking administrator owns the policies and the
key's vault, the transformer only attaches and hashes, the loader is on no masking allow-list, and
service users act as exactly one role.

Real parts: the committed roles.yml and snowflake_grants.sql (both checked current by
`governance roles --check` in test_roles.py and here), the real policy, sqlglot's Snowflake dialect.
"""

from __future__ import annotations

import copy
import re

import pytest
import sqlglot
import yaml
from conftest import PROJECT_DIR

from governance.policy import load_policy
from governance.policy.masking import snowflake_policy_roles
from governance.roles import admin_sql
from governance.roles.admin_sql import MASKING_ADMIN_ROLE
from governance.roles.checks import check_spec

pytestmark = pytest.mark.filterwarnings("ignore:The rule 'keyschema' was renamed:DeprecationWarning")


@pytest.fixture(scope="module")
def policy():  # type: ignore[no-untyped-def]
    return load_policy(PROJECT_DIR)


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load((PROJECT_DIR / "roles.yml").read_text())


def roles_of(spec: dict) -> dict[str, dict]:
    return {name: config for entry in spec["roles"] for name, config in entry.items()}


def statements() -> list[str]:
    text = (PROJECT_DIR / admin_sql.FILE_NAME).read_text()
    body = "\n".join(line for line in text.splitlines() if not line.startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def test_committed_grants_script_is_current(policy) -> None:  # type: ignore[no-untyped-def]
    spec = yaml.safe_load((PROJECT_DIR / "roles.yml").read_text())
    assert (PROJECT_DIR / admin_sql.FILE_NAME).read_text() == admin_sql.render(policy, spec)


def test_grants_script_parses_as_snowflake(policy) -> None:  # type: ignore[no-untyped-def]
    for statement in statements():
        parsed = sqlglot.parse_one(statement, read="snowflake")
        assert parsed is not None, statement


def test_masking_admin_owns_policies_transformer_only_applies(policy) -> None:  # type: ignore[no-untyped-def]
    sql = statements()
    admin = MASKING_ADMIN_ROLE.upper()
    account_apply = [s for s in sql if re.match(r"grant apply masking policy on account", s, re.IGNORECASE)]
    assert account_apply == [f"grant apply masking policy on account to role {admin}"]
    assert any(s.startswith("grant create masking policy on schema") and s.endswith(admin) for s in sql)
    transformer = [s for s in sql if s.endswith("to role TRANSFORMER")]
    assert transformer and all(
        s.startswith(("grant apply on masking policy", "grant usage on", "grant modify on schema")) for s in transformer), \
        "the transformer gets object-level APPLY, USAGE and MODIFY (Time Travel) only"
    assert not [s for s in sql if "ownership" in s and "TRANSFORMER" in s]
    applied = {s.split()[5] for s in transformer if s.startswith("grant apply on masking policy")}
    assert applied == {f"{admin_sql.masking_schema(policy)}.{n}" for n in admin_sql.base_policy_names(policy)}
    assert not [s for s in sql if "MASKING_KEYS" in s.upper()], "nobody is granted the key table"
    assert not [s for s in sql if s.endswith("to role LOADER")], "the loader attaches and hashes nothing"


def test_service_users_are_service_type_without_secondary_roles(policy) -> None:  # type: ignore[no-untyped-def]
    sql = statements()
    for user in policy.grants.users:
        assert f"alter user {user.upper()} set type = service default_secondary_roles = ()" in sql


def test_masking_admin_role_in_roles_yml(spec: dict, policy) -> None:  # type: ignore[no-untyped-def]
    roles = roles_of(spec)
    admin = roles[MASKING_ADMIN_ROLE]
    schema = f"{policy.grants.database}.{policy.masking.schema}"
    assert admin["owns"] == {"schemas": [schema], "tables": [f"{schema}.*"]}
    assert "member_of" not in admin and admin["meta"]["sees_clear_up_to_level"] == 0
    assert MASKING_ADMIN_ROLE.upper() not in {r for level in policy.masked_levels
                                              for r in snowflake_policy_roles(policy, level)}


def test_check_catches_a_transformer_owning_the_masking_schema(spec: dict, policy) -> None:  # type: ignore[no-untyped-def]
    """The attack: the transformer owned the policies, so any model hook could
    `alter masking policy ... set body -> val`."""
    assert check_spec(spec, policy, {}, set()) == []
    edited = copy.deepcopy(spec)
    schema = f"{policy.grants.database}.{policy.masking.schema}"
    transformer = next(e["transformer"] for e in edited["roles"] if "transformer" in e)
    transformer["owns"]["tables"].append(f"{schema}.*")
    findings = check_spec(edited, policy, {}, set())
    assert [f.rule for f in findings] == ["masking-admin", "one-owner"] and "transformer" in findings[0].subject
    edited = copy.deepcopy(spec)
    admin = next(e[MASKING_ADMIN_ROLE] for e in edited["roles"] if MASKING_ADMIN_ROLE in e)
    admin["owns"]["schemas"].append(f"{policy.grants.database}.marts")
    assert [f.rule for f in check_spec(edited, policy, {}, set())] == ["masking-admin"]


def test_loader_is_on_no_allow_list_transformer_still_is(policy) -> None:  # type: ignore[no-untyped-def]
    for level in policy.masked_levels:
        allowed = snowflake_policy_roles(policy, level)
        assert not set(policy.grants.raw_writers) & {r.lower() for r in allowed}
        assert "TRANSFORMER" in allowed  # dbt reads upstream models in clear to build downstream ones


def test_live_audit_accepts_only_the_projects_policy_in_its_schema() -> None:
    """`governance protected --live` used to accept any policy whose name ended with the expected one."""
    from governance.masking.protected import is_project_policy

    name = "MASK_L3_VARCHAR_EMAIL"
    assert is_project_policy(f"ANALYTICS.GOVERNANCE.{name}", "analytics", "governance", name)
    assert is_project_policy(f"ANALYTICS.GOVERNANCE.{name}_LEN3", "analytics", "governance", name)
    assert is_project_policy(f"ANALYTICS_DEV.DBT_JDOE_GOVERNANCE.{name}", "analytics_dev", "governance", name)
    for other in (f"SECURITY_DB.POLICIES.{name}", f"ANALYTICS.PUBLIC.{name}", f"ANALYTICS.GOVERNANCE.X_{name}",
                  f"ANALYTICS.GOVERNANCE.{name}_OPEN", "ANALYTICS.GOVERNANCE.MASK_L3_VARCHAR_TEXT"):
        assert not is_project_policy(other, "analytics", "governance", name), other


def test_lint_refuses_governance_ddl_outside_the_package(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A hook or macro that grants, or changes a masking policy or tag, could undo roles.yml or masking."""
    from conftest import copy_project

    from governance.lint.project import check_project

    project = copy_project(tmp_path / "project")
    assert [f for f in check_project(project)[0] if f.code == "governance_ddl"] == []
    (project / "macros" / "sneaky.sql").write_text(
        "{# grant select on x to role y -- in a comment: fine #}\n"
        "{% macro sneaky() %}\n  grant select on all tables in schema marts to role reporter;\n"
        "  alter table marts.dim_customers modify column email unset masking policy;\n"
        "  alter table marts.dim_customers set tag pii = 'none';\n{% endmacro %}\n")
    config = (project / "dbt_project.yml").read_text()
    (project / "dbt_project.yml").write_text(config.replace("    marts:\n", "    marts:\n      +grants:\n"
                                                            "        select: [reporter]\n", 1))
    found = [f for f in check_project(project)[0] if f.code == "governance_ddl"]
    assert sorted((f.file, f.line or 0) for f in found) == [
        ("dbt_project.yml", 0), ("macros/sneaky.sql", 3), ("macros/sneaky.sql", 4), ("macros/sneaky.sql", 5)], \
        [(f.file, f.line, f.message) for f in found]


# --- the account's actual grants (recorded ACCOUNT_USAGE rows) ----------------------------------------

def load_account(name: str) -> dict:
    import json

    return json.loads((PROJECT_DIR / "tests/python/fixtures/grants_audit" / name).read_text())


def test_grants_audit_passes_an_account_set_up_from_the_generated_files(policy) -> None:  # type: ignore[no-untyped-def]
    from governance.roles.audit import audit_grants

    account = load_account("account_clean.json")
    assert audit_grants(policy, account["grants_to_roles"], account["grants_to_users"], account["users"]) == []


def test_grants_audit_catches_admin_inheritance_and_human_service_roles(policy) -> None:  # type: ignore[no-untyped-def]
    from governance.roles.audit import audit_grants

    account = load_account("account_attacked.json")
    findings = audit_grants(policy, account["grants_to_roles"], account["grants_to_users"], account["users"])
    got = {(f.rule, f.subject) for f in findings}
    assert got == {
        ("admin-inherits", "role SYSADMIN"),          # ANALYST -> PII_CONFIDENTIAL reaches every admin session
        ("service-to-human", "user JDOE"),            # a person holds TRANSFORMER
        ("service-to-human", "user LOADER_SERVICE"),  # a service user that is not TYPE = SERVICE
        ("service-user", "user DBT_SERVICE"),         # default secondary roles: more than one role in session
        ("cleared-default", "user ASMITH"),           # every session of the analyst is cleared
    }, [str(f) for f in findings]
    assert "PII_CONFIDENTIAL" in next(f.message for f in findings if f.rule == "admin-inherits")


def test_grants_audit_command(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from governance.cli import main

    clean = PROJECT_DIR / "tests/python/fixtures/grants_audit/account_clean.json"
    attacked = PROJECT_DIR / "tests/python/fixtures/grants_audit/account_attacked.json"
    assert main(["roles", "--audit-grants", str(clean), "--project-dir", str(PROJECT_DIR)]) == 0
    assert main(["roles", "--audit-grants", str(attacked), "--project-dir", str(PROJECT_DIR)]) == 1
    out = capsys.readouterr().out
    assert "[admin-inherits] role SYSADMIN" in out and "5 finding(s)" in out


def test_targets_people_log_in_to_do_not_default_to_a_service_role(policy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The dev target people log in to with SSO used to default to TRANSFORMER, the dbt service role."""
    from governance.roles.checks import profile_role_findings

    committed = [PROJECT_DIR / "profiles.yml", PROJECT_DIR / "profiles.yml.example"]
    assert profile_role_findings(committed, policy) == []
    old = tmp_path / "profiles.yml"
    old.write_text("analytics:\n  outputs:\n    dev:\n      type: snowflake\n"
                   "      authenticator: \"{{ env_var('SNOWFLAKE_AUTHENTICATOR', 'externalbrowser') }}\"\n"
                   "      role: \"{{ env_var('SNOWFLAKE_ROLE', 'TRANSFORMER') }}\"\n"
                   "    prod:\n      type: snowflake\n      role: TRANSFORMER\n")
    findings = profile_role_findings([old], policy)
    assert [(f.rule, f.subject) for f in findings] == [("human-target", "profiles.yml target dev")]
