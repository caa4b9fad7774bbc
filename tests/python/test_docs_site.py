"""The dbt docs site: classification meta injected into a project copy shows in the generated
overview page and in a mart model's column view, checked in real headless Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cdp_browser import Browser, chromium_path
from conftest import BIN_DIR, PROJECT_DIR, Warehouse, copy_project, dbt_env, run_dbt, strip_classification

from governance.project.yaml_io import YamlFile, column_node, set_classification

ARTIFACTS = PROJECT_DIR / "test-artifacts"
MODEL_ID = "model.analytics.dim_customers"

# (yaml file, kind, object, column, classification values, marker)
INJECTED = [
    ("models/marts/core/_core__models.yml", "model", "dim_customers", "email",
     {"classification": 3, "pii": ["EMAIL_ADDRESS"]}, "scan"),
    ("models/marts/core/_core__models.yml", "model", "dim_customers", "date_of_birth",
     {"classification": 3, "pii": ["DATE_OF_BIRTH"]}, "lineage"),
    ("models/marts/finance/_finance__models.yml", "model", "fct_payments", "card_number",
     {"classification": 4, "pii": ["CREDIT_CARD"]}, "manual"),
    ("models/staging/shop/_shop__sources.yml", "source", "shop.customers__ct", "phone",
     {"classification": 3, "pii": ["PHONE_NUMBER"]}, "scan"),
]


@dataclass(frozen=True)
class DocsSite:
    project: Path
    target: Path

    @property
    def overview(self) -> str:
        return (self.project / "docs" / "classification.md").read_text(encoding="utf-8")


def inject_classifications(project: Path) -> None:
    """Write classification meta into the copy's YAML the way the scan and lineage writers do."""
    # start from no classification at all (the committed YAML carries the real scan's and lineage's)
    strip_classification(project, ("scan", "lineage", "manual"))
    for relative, kind, name, column_name, values, marker in INJECTED:
        yaml_file = YamlFile.load(project / relative)
        parent = yaml_file.model(name) if kind == "model" else yaml_file.source_table(*name.split("."))
        assert parent is not None, (relative, name)
        column = column_node(parent, column_name)
        assert column is not None, (relative, name, column_name)
        if marker == "manual":
            column.setdefault("config", {}).setdefault("meta", {}).update({**values, "classified_by": "manual"})
        else:
            assert set_classification(column, values, marker)
        yaml_file.save()


@pytest.fixture(scope="module")
def docs_site(built_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> DocsSite:
    root = tmp_path_factory.mktemp("docs")
    project = copy_project(root / "project")
    inject_classifications(project)
    database = root / "analytics.duckdb"
    shutil.copy(built_warehouse.database, database)
    target = root / "target"
    result = subprocess.run([str(BIN_DIR / "governance"), "docs", "--project-dir", str(project)], cwd=project,
                            env=dbt_env(project, database, target), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 classified columns" in result.stdout
    run_dbt(["docs", "generate", "--static"], project, database, target)
    badged = subprocess.run([str(BIN_DIR / "governance"), "docs", "--badges", "--project-dir", str(project)],
                            cwd=project, env=dbt_env(project, database, target), capture_output=True, text=True,
                            timeout=600)
    assert badged.returncode == 0 and "badged" in badged.stdout, badged.stdout + badged.stderr
    return DocsSite(project, target)


def test_overview_lists_classified_columns_by_level(docs_site: DocsSite) -> None:
    overview = docs_site.overview
    level4, level3 = overview.index("## Level 4: Restricted"), overview.index("## Level 3: Confidential")
    level2 = overview.index("## Level 2: Internal")
    # each classified column links its model's (or source's) page
    card = overview.index("| model `fct_payments` | [`card_number`](#!/model/model.analytics.fct_payments) | "
                          "CREDIT_CARD | manual |")
    email = overview.index("| model `dim_customers` | [`email`](#!/model/model.analytics.dim_customers) | "
                           "EMAIL_ADDRESS | scan |")
    phone = overview.index("| source `shop.customers__ct` | [`phone`](#!/source/source.analytics.shop.customers__ct) | "
                           "PHONE_NUMBER | scan |")
    assert level4 < card < level3 < email < level2 and level3 < phone < level2
    assert "| model `dim_customers` | [`date_of_birth`](#!/model/model.analytics.dim_customers) | DATE_OF_BIRTH | " \
        "lineage |" in overview
    # the home page links each regime report's page
    for title, regime in (("GDPR", "gdpr"), ("CCPA", "ccpa"), ("HIPAA", "hipaa"), ("PCI DSS", "pci")):
        assert f"- [{title}](#!/exposure/exposure.analytics.{regime}_compliance_report): " in overview
    assert "4 of " in overview and "documented columns are classified" in overview
    # an unclassified column is not listed
    assert "`customer_id`" not in overview


def test_docs_site_carries_overview_meta_and_exposures(docs_site: DocsSite) -> None:
    manifest = json.loads((docs_site.target / "manifest.json").read_text())
    overview = manifest["docs"]["doc.analytics.__overview__"]["block_contents"]
    assert "[`email`](#!/model/model.analytics.dim_customers) | EMAIL_ADDRESS" in overview
    email = manifest["nodes"][MODEL_ID]["columns"]["email"]
    assert email["config"]["meta"]["classification"] == 3
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert {"revenue_and_marketing_dashboard", "customer_support_dashboard", "finance_payments_review"} <= set(
        exposures)
    for exposure in exposures.values():
        assert exposure["owner"]["email"] and exposure["depends_on"]["nodes"]
        assert all(node.startswith(("model.analytics.", "source.analytics.", "snapshot.analytics."))
                   for node in exposure["depends_on"]["nodes"])
    assert "model.analytics.fct_payments" in exposures["finance_payments_review"]["depends_on"]["nodes"]
    # the regime reports are pages: one exposure each, its description the report
    pci = exposures["pci_compliance_report"]
    assert pci["type"] == "analysis" and "# PCI DSS report" in pci["description"]
    assert "model.analytics.fct_payments" in pci["depends_on"]["nodes"]
    assert (docs_site.target / "static_index.html").stat().st_size > 100_000


@pytest.mark.skipif(chromium_path() is None, reason="chromium is not installed (make setup installs it)")
def test_mart_model_page_shows_description_columns_and_classification(docs_site: DocsSite) -> None:
    url = (docs_site.target / "static_index.html").as_uri()
    with Browser() as browser:
        browser.navigate(f"{url}#!/model/{MODEL_ID}")
        browser.wait_for("document.body.innerText.includes('One row per shop customer')")
        text = browser.evaluate("document.body.innerText")
        assert "dim_customers" in text
        for column in ("customer_id", "email", "date_of_birth", "billing_city", "lifetime_net_revenue_eur"):
            assert column in text, column
        # expand the email column: its meta (classification, pii) shows in the column view
        clicked = browser.evaluate("""(() => {
            const row = [...document.querySelectorAll('tr.column-row')]
                .find(r => r.querySelector('td').innerText.trim() === 'email');
            if (!row) return false;
            row.click();
            row.scrollIntoView({block: 'center'});
            return true;
        })()""")
        assert clicked, "no column row for email"
        details = browser.wait_for("""(() => {
            const rows = [...document.querySelectorAll('tr.column-row-selected + tr')];
            const shown = rows.filter(r => r.offsetParent !== null).map(r => r.innerText);
            return shown.find(t => t.includes('EMAIL_ADDRESS')) || '';
        })()""")
        lines = [line.strip().lower() for line in details.splitlines()]  # labels are upper-cased by CSS
        assert lines[lines.index("classification") + 1] == "3", details
        assert "classified_by" in lines and "email_address" in details.lower()
        browser.screenshot(ARTIFACTS / "docs_dim_customers.png")

        browser.navigate(f"{url}#!/overview")
        browser.wait_for("document.body.innerText.includes('Level 3: Confidential')")
        overview = browser.evaluate("document.body.innerText")
        assert "dim_customers" in overview and "CREDIT_CARD" in overview
        browser.screenshot(ARTIFACTS / "docs_overview.png")
    assert (ARTIFACTS / "docs_dim_customers.png").stat().st_size > 10_000


@pytest.mark.skipif(chromium_path() is None, reason="chromium is not installed (make setup installs it)")
def test_model_page_shows_level_and_masking_badges_without_expanding(docs_site: DocsSite) -> None:
    url = (docs_site.target / "static_index.html").as_uri()
    with Browser() as browser:
        browser.navigate(f"{url}#!/model/{MODEL_ID}")
        browser.wait_for("document.querySelectorAll('tr.column-row').length > 5")
        # every column row, as shown (no row clicked: nothing expanded)
        rows = browser.evaluate("""(() => Object.fromEntries([...document.querySelectorAll('tr.column-row')]
            .filter(r => r.offsetParent !== null)
            .map(r => [r.querySelector('td').innerText.trim(), r.querySelectorAll('td')[2].innerText.trim()])))()""")
        assert browser.evaluate("document.querySelectorAll('tr.column-row-selected').length") == 0
        assert rows["email"].startswith("[L3 keep_domain]"), rows["email"]
        assert rows["date_of_birth"].startswith("[L3 nullify]"), rows["date_of_birth"]
        assert rows["customer_id"].startswith("[unclassified]"), rows["customer_id"]
        assert all(text.startswith("[") for text in rows.values()), rows
        browser.screenshot(ARTIFACTS / "docs_badges_dim_customers.png")

        browser.navigate(f"{url}#!/model/model.analytics.fct_payments")
        browser.wait_for("document.querySelectorAll('tr.column-row').length > 5")
        card = browser.evaluate("""[...document.querySelectorAll('tr.column-row')].filter(r => r.offsetParent !== null)
            .find(r => r.querySelector('td').innerText.trim() === 'card_number').querySelectorAll('td')[2].innerText""")
        assert card.startswith("[L4 redact]"), card

        # a regime report is a page of the site
        browser.navigate(f"{url}#!/exposure/exposure.analytics.pci_compliance_report")
        browser.wait_for("document.body.innerText.includes('PCI DSS report')")
        page = browser.evaluate("document.body.innerText")
        assert "fct_payments" in page and "CREDIT_CARD" in page and "READ IN CLEAR BY" in page.upper()
        browser.screenshot(ARTIFACTS / "docs_pci_report.png")
