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
    assert [f.rule for f in check_spec(edited, policy, {}, set())] == ["masking-admin", "schema-owner"]


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
        ("cleared-secondary", "user ASMITH"),         # ... and with secondary roles ALL, whatever role she uses
        ("service-default", "user LOADER_SERVICE"),   # a non-service user defaulting to a service role
    }, [str(f) for f in findings]
    assert "PII_CONFIDENTIAL" in next(f.message for f in findings if f.rule == "admin-inherits")


def test_grants_audit_command(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from governance.cli import main

    clean = PROJECT_DIR / "tests/python/fixtures/grants_audit/account_clean.json"
    attacked = PROJECT_DIR / "tests/python/fixtures/grants_audit/account_attacked.json"
    assert main(["roles", "--audit-grants", str(clean), "--project-dir", str(PROJECT_DIR)]) == 0
    assert main(["roles", "--audit-grants", str(attacked), "--project-dir", str(PROJECT_DIR)]) == 1
    out = capsys.readouterr().out
    assert "[admin-inherits] role SYSADMIN" in out and "7 finding(s)" in out


def test_grants_audit_catches_admin_hierarchy_escalations(policy) -> None:  # type: ignore[no-untyped-def]
    """Recorded GRANTS_TO_ROLES / GRANTS_TO_USERS / USERS rows of an account where each escalation was made by hand
    (outside roles.yml): each must fail the audit, and a deleted grant must not."""
    from governance.roles.audit import audit_grants

    account = load_account("account_escalated.json")
    findings = audit_grants(policy, account["grants_to_roles"], account["grants_to_users"], account["users"])
    assert {(f.rule, f.subject) for f in findings} == {
        ("admin-inherits", "role SECURITYADMIN"),   # PII_RESTRICTED granted straight to SECURITYADMIN
        ("admin-inherits", "role USERADMIN"),       # TRANSFORMER granted to USERADMIN
        ("service-member", "role DEVELOPER"),       # a functional role holding the dbt service role
        ("service-default", "user KLEE"),           # ... so a developer's default role reaches it
        ("service-to-human", "user KLEE"),
        ("schema-owner", "schema ANALYTICS.MARTS"),  # TRANSFORMER owns MARTS again: it can grant from it
        ("cleared-secondary", "user MCHAN"),        # secondary roles ALL: cleared in every session
        ("cleared-secondary", "user PNGUYEN"),      # never set: Snowflake's default is ALL (fail closed)
    }, [str(f) for f in findings]
    assert not any("ACCOUNTADMIN" in f.subject for f in findings), "a deleted grant does not count"
    # mutation: the same rows minus the escalations are the clean account, which passes
    clean = load_account("account_clean.json")
    assert audit_grants(policy, clean["grants_to_roles"], clean["grants_to_users"], clean["users"]) == []


# --- managed access: snowflake_grants.sql --------------------------------------------------------------

def test_every_schema_a_service_role_writes_is_managed_and_sysadmins(policy, spec) -> None:  # type: ignore[no-untyped-def]
    from governance.roles.admin_sql import service_written_schemas
    from governance.roles.checks import check_script

    text = (PROJECT_DIR / admin_sql.FILE_NAME).read_text()
    assert check_script(text, spec, policy) == []
    written = service_written_schemas(spec)
    assert {"ANALYTICS.MARTS", "ANALYTICS.RAW", "ANALYTICS.AUDIT", "ANALYTICS.STAGING"} <= set(written)
    sql = statements()
    for fqn in written:
        assert f"create schema if not exists {fqn} with managed access" in sql
        assert f"alter schema {fqn} enable managed access" in sql
        assert f"grant ownership on schema {fqn} to role SYSADMIN copy current grants" in sql
    # no role of roles.yml owns any of them (a schema's owner grants from it, managed access or not)
    for name, config in roles_of(spec).items():
        owned = {s.upper() for s in (config.get("owns") or {}).get("schemas") or []}
        assert not owned & set(written), name
    # every statement has a known shape and parses as Snowflake SQL
    for statement in sql:
        sqlglot.parse_one(statement, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)


@pytest.mark.parametrize(("mutate", "rule", "expected"), [
    (lambda t: t.replace("create schema if not exists ANALYTICS.MARTS with managed access;\n", ""),
     "managed-access", "schema ANALYTICS.MARTS: a service role writes it but the script has no `create-managed-schema`"),
    (lambda t: t.replace("alter schema ANALYTICS.RAW enable managed access;", "alter schema ANALYTICS.RAW disable managed access;"),
     "grants-script", "is of no known shape: alter schema ANALYTICS.RAW disable managed access"),
    (lambda t: t.replace("grant ownership on schema ANALYTICS.STAGING to role SYSADMIN",
                         "grant ownership on schema ANALYTICS.STAGING to role TRANSFORMER"),
     "managed-access", "schema ANALYTICS.STAGING: handed to TRANSFORMER"),
    (lambda t: t + "grant role TRANSFORMER to role DEVELOPER;\n", "grants-script", "is of no known shape: grant role"),
    (lambda t: t.replace("alter schema ANALYTICS.GOVERNANCE enable managed access;\n", ""),
     "managed-access", "the masking schema is not switched to managed access"),
    (lambda t: t.replace("use role SYSADMIN;", "use role TRANSFORMER;"),
     "managed-access", "no `create-managed-schema` statement for it run as SYSADMIN"),
])
def test_grants_script_check_fails_when_managed_access_is_removed(policy, spec, mutate, rule: str,  # type: ignore[no-untyped-def]
                                                                  expected: str) -> None:
    """Mutations of the generated script that would leave a service role able to grant (or let an unknown statement
    through): each is a finding of `governance roles`."""
    from governance.roles.checks import check_script

    text = (PROJECT_DIR / admin_sql.FILE_NAME).read_text()
    mutated = mutate(text)
    assert mutated != text
    findings = check_script(mutated, spec, policy)
    assert any(f.rule == rule and expected in str(f) for f in findings), [str(f) for f in findings]


def test_targets_people_log_in_to_do_not_default_to_a_service_role(policy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The dev target people log in to with SSO used to default to TRANSFORMER, the dbt service role; the project's
    `snowflake` target logged in to TRANSFORMER with a password (a person, since service users have none)."""
    from governance.roles.checks import profile_role_findings

    committed = [PROJECT_DIR / "profiles.yml", PROJECT_DIR / "profiles.yml.example"]
    assert profile_role_findings(committed, policy) == []
    example = yaml.safe_load((PROJECT_DIR / "profiles.yml.example").read_text())
    assert "DEVELOPER" in example["analytics"]["outputs"]["dev"]["role"]
    old = tmp_path / "profiles.yml"
    old.write_text("analytics:\n  outputs:\n    dev:\n      type: snowflake\n"
                   "      authenticator: \"{{ env_var('SNOWFLAKE_AUTHENTICATOR', 'externalbrowser') }}\"\n"
                   "      role: \"{{ env_var('SNOWFLAKE_ROLE', 'TRANSFORMER') }}\"\n"
                   "    dev_cleared:\n      type: snowflake\n      authenticator: externalbrowser\n"
                   "      role: PII_RESTRICTED\n"
                   "    dev_any:\n      type: snowflake\n      authenticator: externalbrowser\n"
                   "      role: \"{{ env_var('SNOWFLAKE_ROLE') }}\"\n"
                   "    snowflake:\n      type: snowflake\n      password: \"{{ env_var('SNOWFLAKE_PASSWORD') }}\"\n"
                   "      role: \"{{ env_var('SNOWFLAKE_ROLE', 'TRANSFORMER') }}\"\n"
                   "    prod:\n      type: snowflake\n      private_key_path: /keys/dbt.p8\n      role: TRANSFORMER\n")
    findings = profile_role_findings([old], policy)
    got = [(f.subject, f.message.split(";")[0]) for f in findings]
    assert got == [
        ("profiles.yml target dev", "a dev target defaults to TRANSFORMER"),
        ("profiles.yml target dev", "people log in to it (a dev target) but it defaults to service role TRANSFORMER"),
        ("profiles.yml target dev_any", "a dev target defaults to no role"),
        ("profiles.yml target dev_cleared", "a dev target defaults to PII_RESTRICTED"),
        ("profiles.yml target dev_cleared",
         "people log in to it (a dev target) but it defaults to clearance role PII_RESTRICTED"),
        ("profiles.yml target snowflake", "people log in to it (password) but it defaults to service role TRANSFORMER"),
    ], got
    assert all(f.rule == "human-target" for f in findings)


def test_developer_role_is_functional_uncleared_and_builds_only_in_the_dev_database(policy, spec) -> None:  # type: ignore[no-untyped-def]
    developer = roles_of(spec)["developer"]
    assert policy.roles["developer"].kind == "functional" and not policy.roles["developer"].member_of
    assert developer["privileges"]["databases"]["write"] == [policy.grants.dev_database]
    assert developer["meta"]["sees_clear_up_to_level"] == max(n for n, lv in policy.levels.items() if not lv.masked)
    assert "owns" not in developer and "write" not in developer["privileges"].get("tables", {})
    # no production role creates schemas
    for name, config in roles_of(spec).items():
        if name != "developer":
            assert "write" not in ((config.get("privileges") or {}).get("databases") or {}), name


@pytest.mark.parametrize(("role", "message"), [
    ("pharmacist", "must not be cleared"),   # member_of pii_restricted: the sandbox would hold clear data
    ("analyst", "must not be cleared"),
    ("loader", "only a functional role"),    # a service role sees every level in clear
])
def test_policy_refuses_a_cleared_or_service_developer(tmp_path, role: str, message: str) -> None:  # type: ignore[no-untyped-def]
    from conftest import copy_project

    from governance.errors import PolicyError

    project = copy_project(tmp_path / "project")
    config = (project / "dbt_project.yml").read_text()
    marker = f"        {role}:\n          warehouses:"
    assert config.count(marker) == 1
    (project / "dbt_project.yml").write_text(
        config.replace(marker, f"        {role}:\n          develop: true\n          warehouses:"))
    with pytest.raises(PolicyError, match=message) as raised:
        load_policy(project)
    assert f"grants.roles.{role}.develop" in str(raised.value)
