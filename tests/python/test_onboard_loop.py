"""The whole governance loop on a minimal SEPARATE dbt project, as a new user runs it.

A dbt project of its own in a temporary directory (dbt_project.yml, profiles.yml with a DuckDB path,
one CRM source with personal data loaded into DuckDB, a staging model and a mart), then:
`governance init` (twice: the second run changes nothing), `dbt deps`, `governance scan`,
`governance propagate`, `governance check`, `dbt build` (masking through the package), `governance
protected` (every protected column applied; a default-role read of the protected view is masked),
`governance roles` (the grants init wrote) and `governance docs` (none of this repository's text).
Assertions name counts and columns, never values.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import BIN_DIR
from ruamel.yaml import YAML

pytestmark = pytest.mark.slow

PROJECT = "shop_mini"
FILES = {
    "dbt_project.yml": """\
# A small shop: one CRM source, a staging model and a mart.
name: shop_mini
version: "1.0.0"
config-version: 2
profile: shop_mini

models:
  shop_mini:
    staging:
      +materialized: view
    marts:
      +materialized: table
""",
    "models/staging/_crm__sources.yml": """\
version: 2

sources:
  - name: crm
    schema: raw
    tables:
      - name: customers
        description: Customers of the CRM.
        columns:
          - name: customer_id
            description: Customer id.
          - name: full_name
            description: Name of the customer.
          - name: email
            description: Email address.
          - name: phone_number
            description: Phone number.
          - name: signup_date
            description: Day the customer signed up.
""",
    "models/staging/stg_crm__customers.sql": """\
select
    customer_id,
    full_name,
    lower(email) as email,
    phone_number,
    signup_date
from {{ source('crm', 'customers') }}
""",
    "models/staging/_crm__models.yml": """\
version: 2

models:
  - name: stg_crm__customers
    description: Customers, cleaned.
    columns:
      - name: customer_id
        description: Customer id.
      - name: full_name
        description: Name of the customer.
      - name: email
        description: Email address, lower case.
      - name: phone_number
        description: Phone number.
      - name: signup_date
        description: Day the customer signed up.
""",
    "models/marts/dim_customers.sql": """\
select
    customer_id,
    full_name,
    email,
    phone_number,
    signup_date,
    email is not null as has_email
from {{ ref('stg_crm__customers') }}
""",
    "models/marts/_marts.yml": """\
version: 2

models:
  - name: dim_customers
    description: One row per customer.
    columns:
      - name: customer_id
        description: Customer id.
      - name: full_name
        description: Name of the customer.
      - name: email
        description: Email address.
      - name: phone_number
        description: Phone number.
      - name: signup_date
        description: Day the customer signed up.
      - name: has_email
        description: Whether the customer gave an email address.
""",
}
FIRST = ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo", "Ida", "Jonas", "Karla", "Lukas"]
LAST = ["Schmidt", "Miller", "Garcia", "Johnson", "Brown", "Martin", "Wagner", "Becker", "Taylor", "Clark"]
# Text of this repository's own project that must never reach another project's docs.
FOREIGN_TEXT = ("fct_orders", "dim_products", "fct_payments", "Qlik", "e-commerce", "analytics")


def make_project(root: Path) -> tuple[Path, Path]:
    project, database = root / PROJECT, root / "warehouse" / "shop.duckdb"
    for relative, text in FILES.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text)
    (project / "profiles.yml").write_text(
        f"shop_mini:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '{database}'\n"
        "      schema: main\n      threads: 1\n      plugins:\n        - module: governance.masking.keyed_hash\n")
    database.parent.mkdir()
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.customers (customer_id integer, full_name varchar, email varchar, "
                    "phone_number varchar, signup_date date)")
        con.executemany("insert into raw.customers values (?, ?, ?, ?, ?)", [
            (i + 1, f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}",
             f"{FIRST[i % len(FIRST)].lower()}.{LAST[(i * 7) % len(LAST)].lower()}{i}@example.com",
             f"+1 212-555-{1000 + i:04d}", dt.date(2024, 1, 1) + dt.timedelta(days=i))
            for i in range(120)])
    return project, database


def environment(project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBT_")}
    env.update({
        "PATH": f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}",
        "DBT_PROFILES_DIR": str(project),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GOVERNANCE_MASKING_HASH_KEY": "test-only-onboarding-key",
        "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    })
    return env


def test_init_scan_propagate_check_build_protected_roles_docs(tmp_path: Path) -> None:
    project, database = make_project(tmp_path)
    env = environment(project)

    def run(*args: str, tool: str = "governance", expect: int = 0) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([str(BIN_DIR / tool), *args], cwd=project, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == expect, f"{tool} {' '.join(args)}: {result.returncode}\n" \
                                            f"{result.stdout[-4000:]}\n{result.stderr[-3000:]}"
        return result

    # init: starter policy, package, hooks, resolved policy; then a second run changes nothing
    first = run("init")
    assert "review:" in first.stdout and "dbt deps" in first.stdout
    config = YAML(typ="safe").load((project / "dbt_project.yml").read_text())
    policy = config["vars"]["governance"]
    assert {"levels", "entity_levels", "roles", "default_role", "masking", "grants"} <= set(policy)
    assert policy["roles"][policy["default_role"]]["kind"] == "functional"
    assert config["on-run-start"] == "{{ governance.create_masks() }}"
    assert config["models"][PROJECT]["+post-hook"] == "{{ governance.apply_masking() }}"
    assert "# A small shop" in (project / "dbt_project.yml").read_text(), "comments are kept"
    packages = YAML(typ="safe").load((project / "packages.yml").read_text())["packages"]
    assert [Path(p["local"]).name for p in packages] == ["dbt_package"]
    # is_incremental() routed through the package, so check analyses incremental branches
    assert "governance.is_incremental()" in (project / "macros/overrides/is_incremental.sql").read_text()
    def files() -> dict[Path, str]:
        return {p: p.read_text() for p in project.rglob("*")
                if p.is_file() and not {".governance", "logs", "target"} & set(p.relative_to(project).parts)}

    written = files()
    second = run("init")
    assert "nothing to change" in second.stdout and files() == written
    run("policy", "--check")

    run("deps", "--quiet", tool="dbt")
    run("scan")
    sources = YAML(typ="safe").load((project / "models/staging/_crm__sources.yml").read_text())
    columns = {c["name"]: (c.get("config") or {}).get("meta") or {} for c in sources["sources"][0]["tables"][0]["columns"]}
    assert columns["email"].get("classification") == 3 and columns["full_name"].get("classification") == 3
    assert "classification" not in columns["customer_id"]

    run("propagate")
    marts = YAML(typ="safe").load((project / "models/marts/_marts.yml").read_text())
    mart = {c["name"]: (c.get("config") or {}).get("meta") or {} for c in marts["models"][0]["columns"]}
    assert mart["email"]["classification"] == 3 and mart["email"]["classified_by"] == "lineage"
    assert mart["has_email"].get("classification") == 1, "a predicate reveals no value (starter lineage rule)"
    run("check")

    run("build", tool="dbt")
    report = json.loads(run("protected", "--format", "json").stdout)
    protected = {(r["relation"], r["column"]) for r in report["columns"]}
    assert {("main.dim_customers", "email"), ("main.dim_customers", "full_name")} <= protected
    assert report["problems"] == 0 and all(r["status"] == "applied" for r in report["columns"])
    with duckdb.connect(str(database), read_only=True) as con:  # the default role (no role declared)
        clear = con.execute("select count(*) from main.dim_customers").fetchone()[0]
        masked = con.execute(
            "select count(*) filter (where p.email like '*@%' and p.email <> t.email), "
            "count(*) filter (where p.full_name = '*****') "
            "from main_protected.dim_customers as p inner join main.dim_customers as t using (customer_id)"
        ).fetchone()
        assert clear > 0 and masked == (clear, clear)

    run("roles")
    spec = YAML(typ="safe").load((project / "roles.yml").read_text())
    assert {next(iter(r)) for r in spec["roles"]} >= {"loader", "transformer", "reporter", "analyst"}

    run("docs")
    overview = (project / "docs" / "classification.md").read_text()
    assert PROJECT in overview and "dim_customers" in overview
    assert not [text for text in FOREIGN_TEXT if text in overview]


def test_init_keeps_an_existing_policy_and_refuses_an_invalid_one(tmp_path: Path) -> None:
    """An invalid existing policy: exit 2 naming the file and key, and nothing is written."""
    project, _ = make_project(tmp_path)
    config = project / "dbt_project.yml"
    config.write_text(config.read_text() + "\nvars:\n  governance:\n    levels: {1: {name: Public}}\n"
                      "    entity_levels: {PERSON: 7}\n")
    before = {p: p.read_text() for p in project.rglob("*") if p.is_file()}
    result = subprocess.run([str(BIN_DIR / "governance"), "init", "--project-dir", str(project)],
                            env=environment(project), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert str(config) in result.stderr and "entity_levels.PERSON" in result.stderr
    assert "nothing written" in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_text() for p in project.rglob("*") if p.is_file()} == before
