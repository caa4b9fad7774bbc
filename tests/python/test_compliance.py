"""Compliance: the regime reports asserted on the built local warehouse, the PAN truncation proven at rest,
planted violations failing `governance check` by name, and the regimes section's bad input."""

from __future__ import annotations

import copy
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import BIN_DIR, PROJECT_DIR, Warehouse, copy_project, dbt_env

from governance.errors import PolicyError
from governance.lineage import graph as lineage_graph
from governance.lineage.graph import sql_lineage
from governance.policy import load_policy, parse_policy
from governance.project import DbtProject
from governance.project.yaml_io import YamlFile

PAN_TRUNCATED = re.compile(r"^\d{6}\*{6}\d{4}$")
HEALTH_COLUMNS = {"medication", "prescription_note", "prescriber_license", "prescriber_name", "note"}


def governance(project: Path, database: Path, target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN_DIR / "governance"), *args, "--project-dir", str(project)], cwd=project,
                          env=dbt_env(project, database, target), capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def report(built_warehouse: Warehouse) -> dict[str, Any]:
    """Every regime's report of the project, as JSON, against the built local warehouse."""
    result = governance(PROJECT_DIR, built_warehouse.database, built_warehouse.target_path,
                        "report", "--regime", "all", "--format", "json", "--quiet")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    data = json.loads(result.stdout)
    assert data["ok"] is True
    return {r["regime"]: r for r in data["reports"]}


def columns_of(regime_report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{c['node']}.{c['column']}": c for section in regime_report["entities"] for c in section["columns"]}


def regulated_columns(regime: str) -> set[str]:
    """Independently of the report: every source column whose YAML meta names an entity the regime covers,
    and every model/snapshot column whose YAML meta (written by lineage) does."""
    policy = load_policy(DbtProject.locate(PROJECT_DIR))
    assert policy.regimes is not None
    found = set()
    for path in [*PROJECT_DIR.glob("models/**/*.yml"), *PROJECT_DIR.glob("snapshots/*.yml")]:
        document = YamlFile.load(path).data or {}
        for source in document.get("sources") or []:
            for table in source.get("tables") or []:
                for column in table.get("columns") or []:
                    pii = ((column.get("config") or {}).get("meta") or {}).get("pii") or []
                    if policy.regimes.covered(regime, pii):
                        found.add(f"{source['name']}.{table['name']}.{column['name']}")
        for kind in ("models", "snapshots"):
            for node in document.get(kind) or []:
                for column in node.get("columns") or []:
                    pii = ((column.get("config") or {}).get("meta") or {}).get("pii") or []
                    if policy.regimes.covered(regime, pii):
                        found.add(f"{node['name']}.{column['name']}")
    return found


# --------------------------------------------------------------------------------------------------
# the reports on the local warehouse
# --------------------------------------------------------------------------------------------------

def test_pci_report_every_card_column_with_its_protection_and_readers(report: dict[str, Any]) -> None:
    pci = report["pci"]
    assert [s["entity"] for s in pci["entities"]] == ["CREDIT_CARD"] and pci["violations"] == []
    columns = columns_of(pci)
    assert set(columns) == regulated_columns("pci") == {
        "shop.payments__ct.card_number", "stg_shop__payments.card_number", "fct_payments.card_number"}
    raw = columns["shop.payments__ct.card_number"]
    assert (raw["layer"], raw["level"], raw["clear_readers"]) == ("raw", 4, ["eraser", "loader", "transformer"])
    assert raw["value_protections"] == [] and raw["mask"] is None
    # eraser: the erasure service, which rewrites an erased subject's rows wherever they are stored
    for name, readers in (("stg_shop__payments.card_number", ["eraser", "transformer"]),
                          ("fct_payments.card_number", ["eraser", "finance_analyst", "transformer"])):
        column = columns[name]
        assert column["value_protections"] == ["pan_truncation"], name
        assert (column["level"], column["mask"], column["clear_readers"]) == (3, "redact", readers), name
        assert column["retention"] == {"CREDIT_CARD": ["deleted_customers"]}


def test_no_full_pan_at_rest_after_raw_in_the_warehouse(built_warehouse: Warehouse, report: dict[str, Any]) -> None:
    """What the report claims, read from the built tables: every stored card number after raw is 6 digits,
    6 stars, 4 digits, none equals a raw card number, and masking is applied as reported. Values are
    compared in the database and never printed."""
    with duckdb.connect(str(built_warehouse.database), read_only=True) as con:
        raw_cards = con.execute("select count(card_number) from raw.shop_payments__ct").fetchone()[0]
        assert raw_cards > 100
        for relation in ("staging.stg_shop__payments", "finance.fct_payments"):
            values = [v for (v,) in con.execute(f"select card_number from {relation} where card_number is not null").fetchall()]
            assert len(values) > 50, relation
            assert all(PAN_TRUNCATED.match(v) for v in values), f"{relation}: a card number is not truncated"
            clear = con.execute(
                f"select count(*) from {relation} t join raw.shop_payments__ct r "
                "on t.card_number = replace(r.card_number, ' ', '')").fetchone()[0]
            assert clear == 0, f"{relation} holds full card numbers"
        applied = dict(con.execute("select column_name, mask from governance.masking_applied "
                                   "where relation_schema = 'finance' and relation_name = 'fct_payments'").fetchall())
    assert applied["card_number"] == columns_of(report["pci"])["fct_payments.card_number"]["mask"]


def test_hipaa_report_health_data_read_in_clear_only_by_cleared_roles(built_warehouse: Warehouse,
                                                                      report: dict[str, Any]) -> None:
    hipaa = report["hipaa"]
    columns = columns_of(hipaa)
    assert {s["entity"] for s in hipaa["entities"]} == {"MEDICATION", "MEDICAL_CONDITION", "MEDICAL_LICENSE", "PERSON"}
    expected = {f"{node}.{column}" for node in ("stg_pharmacy__prescriptions", "fct_prescriptions")
                for column in ("medication", "prescription_note", "prescriber_license", "prescriber_name")}
    expected |= {f"pharmacy.prescriptions.{c}" for c in ("medication", "note", "prescriber_license", "prescriber_name")}
    assert set(columns) == expected
    # identifiers of customers outside health data are not protected health information
    assert not any(name.startswith(("dim_customers", "shop.")) for name in columns)
    cleared = set(hipaa["rules"]["cleared_roles"])
    assert cleared == {"loader", "transformer", "eraser", "pharmacist"}
    for name, column in columns.items():
        assert set(column["clear_readers"]) <= cleared, name
        assert column["retention"], name
    assert columns["fct_prescriptions.medication"]["clear_readers"] == ["eraser", "pharmacist", "transformer"]
    assert columns["fct_prescriptions.medication"]["mask"] == "redact"
    # the warehouse agrees: the protected view shows health data masked to the reporter, clear to a pharmacist
    with duckdb.connect(str(built_warehouse.database), read_only=True) as con:
        con.execute("set variable governance_role = 'reporter'")
        masked = con.execute("select count(*), count(*) filter (where medication not like '*%') "
                             "from health_protected.fct_prescriptions").fetchone()
        con.execute("set variable governance_role = 'pharmacist'")
        clear = con.execute("select count(*) filter (where medication like '*%') "
                            "from health_protected.fct_prescriptions").fetchone()[0]
    assert masked[0] > 10 and masked[1] == 0 and clear == 0


@pytest.mark.parametrize("regime", ["gdpr", "ccpa"])
def test_gdpr_and_ccpa_reports_list_every_personal_column(report: dict[str, Any], regime: str) -> None:
    columns = columns_of(report[regime])
    assert set(columns) == regulated_columns(regime)
    assert report[regime]["violations"] == []
    for name, column in columns.items():
        assert column["retention"] and all(column["retention"].values()), name
        assert column["purpose"], name
        if column["layer"] != "raw" and column["level"] >= 3:
            assert column["mask"], name
    special = {s["entity"] for s in report["gdpr"]["entities"] if s["special_category"]}
    if regime == "gdpr":
        assert special == {"MEDICATION", "MEDICAL_CONDITION"}
        assert columns["dim_customers.email"]["clear_readers"] == ["analyst", "eraser", "finance_analyst", "transformer"]


def test_report_text_names_the_regime_and_exits_zero(built_warehouse: Warehouse) -> None:
    result = governance(PROJECT_DIR, built_warehouse.database, built_warehouse.target_path,
                        "report", "--regime", "pci", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("PCI DSS report: 1 entity in 3 columns, 0 violations")
    assert "stg_shop__payments.card_number" in result.stdout and "truncated (first 6, last 4)" in result.stdout


# --------------------------------------------------------------------------------------------------
# planted violations fail `governance check`, naming the column
# --------------------------------------------------------------------------------------------------

def check_findings(project: Path) -> tuple[int, list[dict[str, Any]]]:
    root = project.parent
    result = governance(project, root / "check.duckdb", root / "target", "check", "--format", "json", "--quiet")
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-3000:]
    return result.returncode, json.loads(result.stdout)["findings"]


def test_planted_clear_pan_in_staging_fails_check(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    sql = project / "models" / "staging" / "shop" / "stg_shop__payments.sql"
    text = sql.read_text()
    macro = "{{ truncate_pan(\"replace(card_number, ' ', '')\") }}"
    assert macro in text
    # the attack: slice the card number by hand instead of the named macro (a cut PCI DSS does not allow)
    sql.write_text(text.replace(macro, "left(replace(card_number, ' ', ''), 12) || right(card_number, 4)"))
    code, findings = check_findings(project)
    assert code == 1
    pan = {f"{f['node']}.{f['column']}" for f in findings if f["code"] == "pci_clear_pan"}
    assert pan == {"stg_shop__payments.card_number", "fct_payments.card_number"}
    located = next(f for f in findings if f["code"] == "pci_clear_pan" and f["node"] == "stg_shop__payments")
    assert located["file"] == "models/staging/shop/_shop__models.yml" and located["line"]


def test_planted_missing_retention_and_health_reader_fail_check(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    policy = YamlFile.load(project / "dbt_project.yml")
    governance_vars = policy.data["vars"]["governance"]
    # a personal column with no retention rule: the prescriptions rule no longer covers licence numbers
    governance_vars["retention"]["prescriptions"]["entities"].remove("MEDICAL_LICENSE")
    # health data readable by the reporter: cleared for level 4 and granted the health schema
    governance_vars["roles"]["reporter"]["member_of"] = ["pii_restricted"]
    governance_vars["grants"]["roles"]["reporter"]["read"].append("health")
    policy.save()
    roles = YamlFile.load(project / "roles.yml")
    reporter = next(entry["reporter"] for entry in roles.data["roles"] if "reporter" in entry)
    reporter["member_of"] = ["pii_restricted"]
    reporter["privileges"]["schemas"]["read"].append("analytics.health")
    roles.save()
    written = governance(project, tmp_path / "x.duckdb", tmp_path / "target", "policy", "--write")
    assert written.returncode == 0, written.stderr
    code, findings = check_findings(project)
    assert code == 1
    retention = {f"{f['node']}.{f['column']}" for f in findings if f["code"] == "gdpr_no_retention"}
    assert retention == {"pharmacy.prescriptions.prescriber_license", "stg_pharmacy__prescriptions.prescriber_license",
                         "fct_prescriptions.prescriber_license"}
    assert all("MEDICAL_LICENSE" in f["message"] for f in findings if f["code"] == "gdpr_no_retention")
    readers = [f for f in findings if f["code"] == "hipaa_clear_reader"]
    assert {f"{f['node']}.{f['column']}" for f in readers} == {
        f"fct_prescriptions.{c}" for c in ("medication", "prescription_note", "prescriber_license", "prescriber_name")}
    assert all(f["message"].startswith("HIPAA: reporter reads health-related data in clear") for f in readers)
    assert all(f["severity"] == "error" for f in readers)


def test_planted_raw_card_reader_fails_check(tmp_path: Path) -> None:
    """roles.yml edited by hand so the BI role reads the raw layer: the full card number (and the raw
    prescriptions) are read in clear by a role neither PCI DSS nor HIPAA clears."""
    project = copy_project(tmp_path / "project")
    roles = YamlFile.load(project / "roles.yml")
    reporter = next(entry["reporter"] for entry in roles.data["roles"] if "reporter" in entry)
    reporter["privileges"]["schemas"]["read"].append("analytics.raw")
    roles.save()
    code, findings = check_findings(project)
    assert code == 1
    pci = [f for f in findings if f["code"] == "pci_clear_reader"]
    assert [f"{f['node']}.{f['column']}" for f in pci] == ["shop.payments__ct.card_number"]
    assert pci[0]["message"].startswith("PCI DSS: reporter reads a full card number in clear")
    assert {f["node"] for f in findings if f["code"] == "hipaa_clear_reader"} == {"pharmacy.prescriptions"}


def test_truncation_recognised_only_as_the_named_macro_writes_it() -> None:
    schema = {"db": {"raw": {"p": {"card_number": "text", "other": "text"}}}}
    value = "replace(card_number, ' ', '')"
    macro = f"case when length({value}) between 13 and 19 then left({value}, 6) || '******' || right({value}, 4) end"
    variants = {
        "macro": macro,
        "longer prefix": macro.replace(", 6)", ", 8)"),
        "longer suffix": macro.replace(", 4)", ", 6)"),
        "no length guard": f"left({value}, 6) || '******' || right({value}, 4)",
        "guard on another column": macro.replace(f"length({value})", "length(other)"),
        "prefix only": f"left({value}, 6)",
    }
    for dialect in ("duckdb", "snowflake"):
        for name, expression in variants.items():
            lineage = sql_lineage(f"select {expression} as c from db.raw.p", dialect, schema)
            kinds = {step.kind for edge in lineage.edges["c"] for step in edge.steps}
            assert ("pan_truncation" in kinds) == (name == "macro"), (dialect, name)
    rendered = (PROJECT_DIR / "macros" / "pci" / "truncate_pan.sql").read_text()
    assert "case when length({{ value }}) between 13 and 19 then left({{ value }}, 6) || '******' || " \
           "right({{ value }}, 4) end" in rendered


def test_mutation_without_the_truncation_rule_check_names_the_pan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mutation check: with the recognition patched out, the same project's staging and mart card columns
    are full PANs to the PCI rule (the report would catch a truncation that lineage no longer proves)."""
    from governance.compliance import Inventory, compliance_findings, load_roles_spec
    from governance.lineage import analyse

    monkeypatch.setattr(lineage_graph, "_is_pan_truncation", lambda node: False)
    project = DbtProject.locate(PROJECT_DIR)
    result = analyse(project)
    findings = compliance_findings(Inventory(result, load_roles_spec(project.root)))
    assert {f.subject for f in findings if f.code == "pci_clear_pan"} == {
        "stg_shop__payments.card_number", "fct_payments.card_number"}


# --------------------------------------------------------------------------------------------------
# bad input: errors naming the key
# --------------------------------------------------------------------------------------------------

def _policy_raw() -> dict[str, Any]:
    return copy.deepcopy(DbtProject.locate(PROJECT_DIR).config["vars"]["governance"])


@pytest.mark.parametrize(("mutate", "key", "message"), [
    (lambda p: p["regimes"]["entities"].__setitem__("PERSON", ["gdrp", "ccpa"]),
     "vars.governance.regimes.entities.PERSON", "unknown regime 'gdrp'"),
    (lambda p: p["regimes"]["rules"].__setitem__("hipa", {}), "vars.governance.regimes.rules.hipa", "unknown regime"),
    (lambda p: p["regimes"]["entities"].pop("IBAN_CODE"), "vars.governance.regimes.entities",
     "IBAN_CODE mapped to no regime"),
    (lambda p: p["regimes"]["entities"].__setitem__("IBAN_CODE", []), "vars.governance.regimes.entities.IBAN_CODE",
     "mapped to no regime"),
    (lambda p: p["regimes"]["rules"]["pci"].__setitem__("cardholder_entities", ["CREDIT_CARDS"]),
     "vars.governance.regimes.rules.pci.cardholder_entities", "unknown entity 'CREDIT_CARDS'"),
    (lambda p: p["regimes"]["rules"]["hipaa"].__setitem__("health_entities", ["MEDICATION", "DIAGNOSIS"]),
     "vars.governance.regimes.rules.hipaa.health_entities", "unknown entity 'DIAGNOSIS'"),
    (lambda p: p["regimes"]["rules"]["hipaa"].__setitem__("cleared_roles", ["pharmacists"]),
     "vars.governance.regimes.rules.hipaa.cleared_roles", "undefined role 'pharmacists'"),
    (lambda p: p["regimes"]["rules"]["gdpr"].__setitem__("require_retention", "yes"),
     "vars.governance.regimes.rules.gdpr.require_retention", "must be true or false"),
])
def test_regimes_bad_input_names_the_key(mutate: Any, key: str, message: str) -> None:
    raw = _policy_raw()
    mutate(raw)
    with pytest.raises(PolicyError) as error:
        parse_policy(raw, PROJECT_DIR / "dbt_project.yml")
    assert f"{key}: " in str(error.value) and message in str(error.value), str(error.value)


def test_regime_error_names_the_line_through_the_cli(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    path = project / "dbt_project.yml"
    path.write_text(path.read_text().replace("        CREDIT_CARD: [gdpr, ccpa, pci]",
                                             "        CREDIT_CARD: [gdpr, ccpa, pci-dss]"))
    result = governance(project, tmp_path / "x.duckdb", tmp_path / "target", "policy")
    assert result.returncode == 2
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "pci-dss" in text)
    assert f"dbt_project.yml:{line}: vars.governance.regimes.entities.CREDIT_CARD: unknown regime 'pci-dss'" \
        in result.stderr


# --------------------------------------------------------------------------------------------------
# the scan finds health data (held-out values: none is in the raw generator's pools)
# --------------------------------------------------------------------------------------------------

def test_scan_finds_medications_and_conditions_and_not_products() -> None:
    from test_scan_recognizers import decided

    from raw_loader import pools

    medications = ["Ibuprofen 400 mg tablets", "Simvastatin 40 mg tablets", "Ramipril 5 mg capsules",
                   "Fluoxetine 20 mg capsules", "Losartan 50 mg tablets", "Doxycycline 100 mg capsules",
                   "Bisoprolol 2.5 mg tablets", "Lansoprazole 30 mg capsules", "Apixaban 5 mg tablets",
                   "Furosemide 40 mg tablets", "Beclometasone 100 mcg inhaler", "Sumatriptan 50 mg tablets"]
    notes = ["Prescribed for asthma. Take one daily with food.", "Continue for high blood pressure; review in May.",
             "Patient reports migraine. Penicillin allergy noted.", "Repeat prescription for epilepsy, same dose.",
             "Short course for a urinary tract infection.", "Prescribed for eczema on both hands.",
             "For insomnia, two weeks only.", "Review depression in four weeks.", "Repeat for COPD.",
             "Patient reports anxiety before flights."]
    assert set(pools.MEDICATIONS).isdisjoint(medications)
    assert "MEDICATION" in decided("medication", "VARCHAR", medications)
    assert "MEDICATION" in decided("c07", "VARCHAR", medications)  # by its values alone
    assert "MEDICAL_CONDITION" in decided("c09", "VARCHAR", notes)
    products = [name for name, _ in pools.product_catalogue()][:90]
    assert decided("name", "VARCHAR", products) == set()
    assert decided("description", "VARCHAR", list(pools.TICKET_BODIES)) & {"MEDICATION", "MEDICAL_CONDITION"} == set()
