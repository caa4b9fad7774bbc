"""`governance roles`: Permifrost's roles.yml generated from the policy and the dbt manifest.

Real parts only: real `dbt parse` manifests of the real project (and of edited copies), the real
policy in dbt_project.yml, Permifrost's own offline loader and entity checks.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_DIR, run_dbt
from permifrost.entities import EntityGenerator
from permifrost.spec_file_loader import load_spec

from governance.cli import main
from governance.errors import PolicyError
from governance.policy import load_policy
from governance.project import load_manifest
from governance.project.yaml_io import YamlFile, column_node
from governance.roles.checks import check_spec, permifrost_errors
from governance.roles.spec import generate, read_manifest

# Permifrost's cerberus schema uses a rule name cerberus deprecates; not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore:The rule 'keyschema' was renamed:DeprecationWarning")


def parse(project_dir: Path, work: Path) -> Path:
    run_dbt(["parse"], project_dir, work / "parse.duckdb", work / "target")
    return work / "target" / "manifest.json"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh manifest of the committed project (dbt parse, no database connection)."""
    return parse(PROJECT_DIR, tmp_path_factory.mktemp("roles-parse"))


def roles_of(spec: dict) -> dict[str, dict]:
    return {name: config for entry in spec["roles"] for name, config in entry.items()}


def schema_readers(spec: dict, fqn: str) -> set[str]:
    return {name for name, config in roles_of(spec).items()
            if fqn in config.get("privileges", {}).get("schemas", {}).get("read", [])}


def generated_for(project_dir: Path, manifest_path: Path):
    policy = load_policy(project_dir)
    return policy, generate(policy, read_manifest(load_manifest(manifest_path), manifest_path, policy))


def check_args(generated) -> tuple[dict[str, int], set[str]]:
    required = {fqn: g.required for fqn, g in generated.schemas.items() if g.required}
    return required, {fqn for fqn, g in generated.schemas.items() if g.kind == "source"}


# ---- the committed file ----------------------------------------------------------------------

def test_committed_roles_yml_is_current(manifest: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["roles", "--check", "--project-dir", str(PROJECT_DIR), "--manifest", str(manifest)])
    out = capsys.readouterr().out
    assert code == 0, f"roles.yml is out of date; run `governance roles` and commit it:\n{out}"
    assert "up to date" in out


def test_permifrost_offline_validation_passes_and_design_holds(manifest: Path) -> None:
    roles_yml = PROJECT_DIR / "roles.yml"
    assert permifrost_errors(roles_yml) == []
    spec = load_spec(str(roles_yml))
    entities = EntityGenerator(spec=spec).inspect_entities()
    assert {"loader", "transformer", "pii_confidential", "pii_restricted", "reporter", "analyst",
            "finance_analyst"} <= entities["roles"]
    assert entities["warehouses"] == {"loading", "transforming", "reporting", "analysing", "developing"}
    assert entities["users"] == {"loader_service", "dbt_service", "bi_service", "erasure_service"}
    roles = roles_of(spec)
    # loader writes raw only; the transformer reads raw and writes every schema dbt builds into
    assert roles["loader"]["privileges"]["tables"]["write"] == ["analytics.raw.*"]
    assert "write" not in roles["transformer"]["privileges"]["schemas"] or \
        "analytics.raw" not in roles["transformer"]["privileges"]["schemas"]["write"]
    assert roles["transformer"]["privileges"]["tables"]["read"] == ["analytics.raw.*"]
    # the erasure operator writes raw, and the relations dbt builds (anonymised rows, the register in staging)
    assert {"analytics.raw.*", "analytics.staging.*"} <= set(roles["eraser"]["privileges"]["tables"]["write"])
    assert set(roles["transformer"]["privileges"]["schemas"]["write"]) == {
        f"analytics.{s}" for s in ("staging", "intermediate", "marts", "finance", "health", "snapshots", "reference",
                                   "audit")}
    # the audit trail: written by the transformer (dbt's hooks, the governance commands), read by the auditor only
    assert schema_readers(spec, "analytics.audit") == {"auditor"}
    # health holds health data (level 4 floor): readable only by the pharmacist (HIPAA's cleared role)
    assert schema_readers(spec, "analytics.health") == {"pharmacist"}
    # finance holds level 4: readable only by level-4-cleared roles; marts by every reader
    assert schema_readers(spec, "analytics.finance") == {"finance_analyst"}
    assert schema_readers(spec, "analytics.marts") == {"reporter", "analyst", "finance_analyst", "developer"}
    assert "analytics.finance.*" in roles["finance_analyst"]["privileges"]["tables"]["read"]
    # clearance roles carry no grants; functional roles are members of them
    assert "privileges" not in roles["pii_confidential"] and "privileges" not in roles["pii_restricted"]
    assert roles["analyst"]["member_of"] == ["pii_confidential"]
    assert roles["pii_restricted"]["member_of"] == ["pii_confidential"]
    users = {n: c for e in spec["users"] for n, c in e.items()}
    assert users["bi_service"]["member_of"] == ["reporter"]
    assert users["dbt_service"]["default_warehouse"] == "transforming"


# ---- determinism and drift -------------------------------------------------------------------

def _reverse_mapping_block(text: str, start: str) -> str:
    """Reverse the order of the entries of the indented YAML mapping that follows the line `start`
    (the same policy, written in another order)."""
    head, rest = text.split(start, 1)
    lines = rest.splitlines(keepends=True)
    indent = len(lines[0]) - len(lines[0].lstrip())
    entries: list[list[str]] = []
    consumed = 0
    for line in lines:
        depth = len(line) - len(line.lstrip())
        if line.strip() and depth < indent:
            break
        if line.strip() and depth == indent and not line.lstrip().startswith("#"):
            entries.append([line])
        elif entries:
            entries[-1].append(line)
        else:
            break
        consumed += 1
    assert len(entries) > 1
    return head + start + "".join("".join(e) for e in reversed(entries)) + "".join(lines[consumed:])


def test_generation_is_deterministic(manifest: Path, project_copy: Path) -> None:
    _, first = generated_for(PROJECT_DIR, manifest)
    _, second = generated_for(PROJECT_DIR, manifest)
    assert first.text == second.text
    # the same policy with its grants and users written in reverse order gives the same bytes
    policy_file = project_copy / "dbt_project.yml"
    text = policy_file.read_text()
    reordered = _reverse_mapping_block(text, "      roles:\n")
    reordered = _reverse_mapping_block(reordered, "      users:\n")
    reordered = _reverse_mapping_block(reordered, "      warehouses:\n")
    reordered = reordered.replace("write: [staging, intermediate, marts, finance, snapshots, reference]",
                                  "write: [reference, snapshots, finance, marts, intermediate, staging]")
    assert reordered != text
    assert load_policy(project_copy).grants is not None
    policy_file.write_text(reordered)
    _, third = generated_for(project_copy, manifest)
    assert third.text == first.text
    assert first.text.startswith("# GENERATED by `governance roles`")


def test_check_reports_drift_with_a_diff(manifest: Path, project_copy: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    args = ["roles", "--project-dir", str(project_copy), "--manifest", str(manifest)]
    (project_copy / "roles.yml").unlink()
    assert main([*args, "--check"]) == 1  # missing
    capsys.readouterr()
    assert main(args) == 0
    assert main([*args, "--check"]) == 0
    roles_yml = project_copy / "roles.yml"
    # a hand edit: give the reporter read on the restricted finance schema
    text = roles_yml.read_text()
    head, reporter = text.split("  - reporter:\n", 1)
    line = "            - analytics.marts\n"
    assert line in reporter
    roles_yml.write_text(head + "  - reporter:\n" + reporter.replace(
        line, "            - analytics.finance\n" + line, 1))
    capsys.readouterr()
    assert main([*args, "--check"]) == 1
    out = capsys.readouterr().out
    assert "--- roles.yml (committed)" in out and "+++ roles.yml (generated)" in out
    assert "\n-            - analytics.finance\n" in out
    # regenerating restores it, after which --check passes again
    assert main(args) == 0
    assert main([*args, "--check"]) == 0


# ---- the project moves the grants ------------------------------------------------------------

RESTRICTED_SQL = """with payments as (

    select * from {{ ref('fct_payments') }}

),

final as (

    select
        customer_id,
        iban
    from payments
    where iban is not null

)

select * from final
"""

RESTRICTED_YML = """version: 2

models:
  - name: dim_customer_bank_accounts
    description: Customers' bank accounts (restricted).
    columns:
      - name: customer_id
        description: The customer.
        data_type: bigint
      - name: iban
        description: Payer's IBAN.
        data_type: varchar
        config:
          meta:
            classification: 4
            pii: [IBAN_CODE]
            classified_by: manual
"""


def test_new_restricted_model_moves_its_schemas_readers(project_copy: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    args = ["roles", "--project-dir", str(project_copy)]
    roles_yml = project_copy / "roles.yml"
    # level 3 meta in marts (as lineage will add) keeps marts readable: masking protects level 3
    core = project_copy / "models" / "marts" / "core" / "_core__models.yml"
    core_text = core.read_text()
    needle = "      - name: email\n"
    assert needle in core_text
    core.write_text(core_text.replace(
        needle, needle + "        config:\n          meta:\n            classification: 3\n", 1))
    assert main(args) == 0  # stale manifest: a fresh `dbt parse`
    assert "fresh `dbt parse`" in capsys.readouterr().out
    spec = yaml.safe_load(roles_yml.read_text())
    assert "analytics.marts         built   level 3:" in roles_yml.read_text()
    assert schema_readers(spec, "analytics.marts") == {"reporter", "analyst", "finance_analyst", "developer"}

    # a new level-4 model in marts: marts becomes readable only by level-4-cleared roles
    folder = project_copy / "models" / "marts" / "core"
    (folder / "dim_customer_bank_accounts.sql").write_text(RESTRICTED_SQL)
    (folder / "_bank_accounts__models.yml").write_text(RESTRICTED_YML)
    assert main([*args, "--check"]) == 1  # the model changed, so the file is out of date
    out = capsys.readouterr().out
    assert "fresh `dbt parse`" in out
    assert "withheld: reporter read analytics.marts (holds level 4" in out
    assert "withheld: analyst read analytics.marts (holds level 4" in out
    assert "\n-            - analytics.marts.*\n" in out  # the diff drops the readers' grants
    assert main(args) == 0
    assert "fresh `dbt parse`" not in capsys.readouterr().out  # the cached manifest is fresh now
    spec = yaml.safe_load(roles_yml.read_text())
    assert schema_readers(spec, "analytics.marts") == {"finance_analyst"}
    assert "level 4 columns in: dim_customer_bank_accounts\n" in roles_yml.read_text()
    assert "privileges" not in roles_of(spec)["reporter"]
    assert "analytics.marts.*" in roles_of(spec)["transformer"]["privileges"]["tables"]["write"]
    assert permifrost_errors(roles_yml) == []
    assert main([*args, "--check"]) == 0


def test_unknown_classification_in_model_yaml_names_the_file(manifest: Path, project_copy: Path,
                                                              tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    finance = project_copy / "models" / "marts" / "finance" / "_finance__models.yml"
    document = YamlFile.load(finance)
    iban = column_node(document.model("fct_payments"), "iban")
    iban.setdefault("config", {}).setdefault("meta", {})["classification"] = 9
    document.save()
    bad = parse(project_copy, tmp_path)
    assert main(["roles", "--project-dir", str(project_copy), "--manifest", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "_finance__models.yml" in err and "fct_payments.iban" in err and "unknown level 9" in err


# ---- policy errors name the file and key -----------------------------------------------------

@pytest.mark.parametrize(("old", "new", "key", "message"), [
    ("        finance: 4                 # card", "        finance: 7                 # card",
     "vars.governance.grants.schema_levels.finance", "unknown level 7"),
    ("      restrict_schemas_from_level: 4", "      restrict_schemas_from_level: 0",
     "vars.governance.grants.restrict_schemas_from_level", "unknown level 0"),
    ("{role: reporter, description", "{role: ghost, description",
     "vars.governance.grants.users.bi_service.role", "undefined role 'ghost'"),
    ("      raw_writers: [loader, eraser]", "      raw_writers: [loadr, eraser]",
     "vars.governance.grants.raw_writers[0]", "undefined role 'loadr'"),
    ("      raw_writers: [loader, eraser]", "      raw_writers: [loader, eraser, analyst]",
     "vars.governance.grants.raw_writers[2]", "only a service role may write raw; 'analyst' is functional"),
    ("        finance_analyst:\n          warehouses: [analysing]",
     "        finance_analysts:\n          warehouses: [analysing]",
     "vars.governance.grants.roles.finance_analysts", "undefined role 'finance_analysts'"),
    ("        member_of: [pii_restricted]\n        description: Finance",
     "        member_of: [pii_restrictd]\n        description: Finance",
     "vars.governance.roles.finance_analyst.member_of", "undefined role 'pii_restrictd'"),
    ("          warehouses: [reporting]", "          warehouses: [reportng]",
     "vars.governance.grants.roles.reporter.warehouses[0]", "undefined warehouse 'reportng'"),
    ("          read: [raw]", "          read: [raw]\n          reed: [marts]",
     "vars.governance.grants.roles.transformer.reed", "unknown key"),
    ("        reporter:\n          warehouses: [reporting]\n",
     "        reporter:\n          warehouses: [reporting]\n          write: [marts]\n",
     "vars.governance.grants.roles.reporter.write", "only service roles write"),
])
def test_policy_errors_name_file_and_key(project_copy: Path, old: str, new: str, key: str, message: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    policy_file = project_copy / "dbt_project.yml"
    text = policy_file.read_text()
    assert text.count(old) == 1, old
    policy_file.write_text(text.replace(old, new))
    with pytest.raises(PolicyError) as caught:
        load_policy(project_copy)
    location, _, rest = str(caught.value).partition(f": {key}: ")
    file, _, line = location.rpartition(":")
    assert file == str(policy_file) and rest, caught.value
    # the line named is the line of the key at fault
    named = text.replace(old, new).splitlines()[int(line) - 1]
    assert re.sub(r"\[\d+\]$", "", key.rsplit(".", 1)[-1]) in named, (line, named, caught.value)
    assert message in str(caught.value)
    assert main(["roles", "--project-dir", str(project_copy), "--manifest", "unused.json"]) == 2
    assert re.search(rf"{re.escape(str(policy_file))}:\d+: {re.escape(key)}", capsys.readouterr().err)


def test_policy_naming_a_schema_missing_from_the_project_is_an_error(
        manifest: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy_file = project_copy / "dbt_project.yml"
    text = policy_file.read_text()
    old = "          read: [marts, finance]\n        finance_analyst"
    assert old in text
    policy_file.write_text(text.replace(old, "          read: [mart, finance]\n        finance_analyst", 1))
    assert main(["roles", "--project-dir", str(project_copy), "--manifest", str(manifest)]) == 2
    err = capsys.readouterr().err
    assert "vars.governance.grants.roles.analyst.read[0]: schema 'mart' is not in the dbt project" in err
    policy_file.write_text(text.replace("        finance: 4   ", "        financ: 4    ", 1))
    assert main(["roles", "--project-dir", str(project_copy), "--manifest", str(manifest)]) == 2
    assert "vars.governance.grants.schema_levels.financ: schema 'financ' is not in the dbt project" in \
        capsys.readouterr().err


def test_generation_refuses_a_policy_that_lets_the_transformer_write_raw(
        manifest: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy_file = project_copy / "dbt_project.yml"
    text = policy_file.read_text()
    policy_file.write_text(text.replace("          write: [staging,", "          write: [raw, staging,", 1))
    before = (project_copy / "roles.yml").read_text()
    assert main(["roles", "--project-dir", str(project_copy), "--manifest", str(manifest)]) == 1
    out = capsys.readouterr().out
    assert "[raw-write] role transformer: writes or owns raw schema analytics.raw" in out
    assert (project_copy / "roles.yml").read_text() == before  # nothing written


# ---- least-privilege rules, each on a crafted violating spec ---------------------------------

@pytest.fixture(scope="module")
def clean(manifest: Path):
    policy, generated = generated_for(PROJECT_DIR, manifest)
    required, sources = check_args(generated)
    assert check_spec(generated.spec, policy, required, sources) == []
    return policy, generated.spec, required, sources


def _role(spec: dict, name: str) -> dict:
    return roles_of(spec)[name]


def _raw_write(spec: dict) -> None:
    _role(spec, "transformer")["privileges"]["tables"]["write"].append("analytics.*.*")


def _raw_owns(spec: dict) -> None:
    _role(spec, "transformer")["owns"].setdefault("schemas", []).append("analytics.raw")


def _transformer_owns_its_schema(spec: dict) -> None:
    """The old layout: the transformer owned marts, so it could grant anything in it to anyone (managed access
    binds object owners, never the schema's owner)."""
    _role(spec, "transformer")["owns"]["schemas"] = ["analytics.marts"]


def _eraser_owns_built_tables(spec: dict) -> None:
    """The old layout: eraser and transformer both owned analytics.marts.* (each Permifrost run moved ownership)."""
    _role(spec, "eraser")["owns"] = {"tables": ["analytics.marts.*"]}


def _person_holds_service_role(spec: dict) -> None:
    spec["users"].append({"jdoe": {"can_login": True, "member_of": ["transformer"]}})


def _developer_cleared(spec: dict) -> None:
    _role(spec, "developer")["member_of"] = ["pii_confidential"]


def _developer_creates_production_schemas(spec: dict) -> None:
    _role(spec, "developer")["privileges"]["databases"]["write"].append("analytics")


def _analyst_creates_schemas(spec: dict) -> None:
    _role(spec, "analyst")["privileges"]["databases"]["write"] = ["analytics_dev"]


def _reporter_reads_finance(spec: dict) -> None:
    privileges = _role(spec, "reporter")["privileges"]
    privileges["schemas"]["read"].append("analytics.finance")
    privileges["tables"]["read"].append("analytics.finance.*")


def _reporter_through_member_of(spec: dict) -> None:
    _role(spec, "reporter").setdefault("member_of", []).append("transformer")


def _drop_clearance_role(spec: dict) -> None:
    spec["roles"] = [e for e in spec["roles"] if "pii_restricted" not in e]
    _role(spec, "finance_analyst")["member_of"] = ["pii_confidential"]


def _admin_role(spec: dict) -> None:
    _role(spec, "analyst")["member_of"].append("sysadmin")


def _admin_user(spec: dict) -> None:
    spec["users"][0][next(iter(spec["users"][0]))]["member_of"].append("accountadmin")


def _undefined_member_of(spec: dict) -> None:
    _role(spec, "reporter")["member_of"] = ["bi_readers"]


def _functional_writes(spec: dict) -> None:
    _role(spec, "analyst")["privileges"]["tables"]["write"] = ["analytics.marts.*"]


@pytest.mark.parametrize(("violate", "rule", "expected"), [
    (_raw_write, "raw-write", "role transformer: writes or owns raw schema analytics.raw (analytics.*.*)"),
    (_raw_owns, "raw-write", "role transformer: writes or owns raw schema analytics.raw (analytics.raw)"),
    (_reporter_reads_finance, "clearance", "role reporter: reaches analytics.finance, which holds level 4, "
                                           "but is cleared only up to level 2"),
    (_reporter_through_member_of, "clearance",
     "role reporter: reaches analytics.finance, which holds level 4, but is cleared only up to level 2 "
     "(through transformer)"),
    (_reporter_through_member_of, "service-member", "role reporter: is granted service role transformer"),
    (_transformer_owns_its_schema, "schema-owner", "role transformer: owns schema analytics.marts"),
    (_eraser_owns_built_tables, "one-owner", "tables analytics.marts.*: owned by eraser, transformer"),
    (_person_holds_service_role, "service-member", "user jdoe: holds service role transformer but is not its "
                                                   "service user"),
    (_developer_cleared, "developer", "role developer: creates schemas in analytics_dev and reaches clearance "
                                      "role pii_confidential"),
    (_developer_creates_production_schemas, "developer", "role developer: creates schemas in analytics;"),
    (_analyst_creates_schemas, "developer", "role analyst: creates schemas in analytics_dev but is not a developer"),
    (_drop_clearance_role, "masking-roles", "role pii_restricted: is checked by the masking policies"),
    (_admin_role, "admin-roles", "role analyst: is granted system role sysadmin"),
    (_admin_user, "admin-roles", "is granted system role accountadmin"),
    (_undefined_member_of, "references", "role reporter: member_of names undefined role 'bi_readers'"),
    (_functional_writes, "only-service-writes", "role analyst: is not a service role but writes or owns "
                                                "analytics.marts.*"),
])
def test_least_privilege_rule_fails_on_a_violating_spec(clean, violate, rule: str, expected: str) -> None:
    policy, spec, required, sources = clean
    spec = copy.deepcopy(spec)
    violate(spec)
    findings = check_spec(spec, policy, required, sources)
    assert any(f.rule == rule and expected in str(f) for f in findings), [str(f) for f in findings]


def test_permifrost_misses_an_undefined_member_of_that_the_check_catches(clean, tmp_path: Path) -> None:
    policy, spec, required, sources = clean
    spec = copy.deepcopy(spec)
    _undefined_member_of(spec)
    path = tmp_path / "roles.yml"
    path.write_text(yaml.safe_dump(spec))
    assert permifrost_errors(path) == []  # Permifrost's own checks let it through
    assert [f.rule for f in check_spec(spec, policy, required, sources)] == ["references"]
    # while an undefined warehouse is one Permifrost does catch
    _role(spec, "reporter")["warehouses"] = ["nowhere"]
    path.write_text(yaml.safe_dump(spec))
    assert any("Warehouse nowhere" in e for e in permifrost_errors(path))
