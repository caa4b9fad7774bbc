"""Pre-commit hooks and project checks on real copies of the repository.

- every hook passes on all files of a clean copy (the CI run of the hooks);
- a planted badly formatted model makes the sqlfluff hook fail, and a clean model passes;
- `governance lint-project` finds a model without a primary-key test or descriptions, and agrees
  with the manifest dbt writes about which objects exist.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import BIN_DIR, Warehouse, copy_project

from governance.lint.project import check_project, read_project

# Hooks whose `governance` subcommand is built in parallel (issues 5 and 6); skipped only while the
# installed CLI lacks the subcommand, so they run as soon as it exists.
PENDING_SUBCOMMANDS = {"governance-roles": "roles", "governance-check": "check"}

BAD_MODEL = """\
-- deliberately badly formatted
WITH Orders AS (SELECT * FROM {{ ref('fct_orders') }})
SELECT Order_ID,customer_id ,COUNT(*) FROM Orders group by 1,2
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args], cwd=repo,
                   check=True, capture_output=True, text=True)


def hook_env(repo: Path, tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DBT_", "PRE_COMMIT"))}
    env.update({
        "PATH": f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}",
        "DBT_PROFILES_DIR": str(repo),
        "DBT_DUCKDB_PATH": str(tmp_path / "lint.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.com",
    })
    return env


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the project as a fresh git repository with every file staged."""
    project = copy_project(tmp_path / "repo")
    git(project, "init", "-q")
    git(project, "add", "-A")
    return project


def pending_hooks() -> dict[str, str]:
    """Hooks whose governance subcommand the installed CLI does not have (`--help` exits 2)."""
    return {hook: sub for hook, sub in PENDING_SUBCOMMANDS.items()
            if subprocess.run([str(BIN_DIR / "governance"), sub, "--help"], capture_output=True).returncode != 0}


def pre_commit(repo: Path, tmp_path: Path, *args: str, skip: list[str] | None = None) -> subprocess.CompletedProcess:
    env = hook_env(repo, tmp_path)
    if skip:
        env["SKIP"] = ",".join(skip)
    return subprocess.run([str(BIN_DIR / "pre-commit"), "run", "--color", "never", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_every_hook_passes_on_all_files(repo: Path, tmp_path: Path) -> None:
    pending = pending_hooks()
    result = pre_commit(repo, tmp_path, "--all-files", skip=list(pending))
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    hooks = ["sqlfluff lint (jinja templater)", "sqlfluff lint snapshots", "ruff check", "YAML is valid",
             "governance lint-project", "governance policy --check"]
    hooks += [f"governance {sub}" for hook, sub in PENDING_SUBCOMMANDS.items() if hook not in pending]
    for hook in hooks:
        line = next(line for line in result.stdout.splitlines() if line.startswith(hook))
        assert line.endswith("Passed"), line
    if pending:
        pytest.skip(f"hooks {sorted(pending)} skipped: `governance {'/'.join(sorted(pending.values()))}` does "
                    "not exist yet (issues 5 and 6); every other hook passed")


def test_planted_badly_formatted_model_fails_the_sqlfluff_hook(repo: Path, tmp_path: Path) -> None:
    clean = "models/marts/core/dim_customers.sql"
    passed = pre_commit(repo, tmp_path, "sqlfluff-lint", "--files", clean)
    assert passed.returncode == 0, passed.stdout

    bad = repo / "models" / "marts" / "core" / "bad_model.sql"
    bad.write_text(BAD_MODEL)
    git(repo, "add", str(bad))
    failed = pre_commit(repo, tmp_path, "sqlfluff-lint", "--files", str(bad.relative_to(repo)))
    assert failed.returncode == 1, failed.stdout
    assert "bad_model.sql" in failed.stdout
    for rule in ("CP01", "LT01"):  # upper-case keywords, spacing around the comma
        assert rule in failed.stdout, rule

    # and it blocks the commit itself once the hook is installed (the clean tree is committed
    # first, so the hooks run on the staged bad model only)
    git(repo, "rm", "-q", "--cached", str(bad.relative_to(repo)))
    git(repo, "commit", "-q", "-m", "clean tree")
    git(repo, "add", str(bad.relative_to(repo)))
    subprocess.run([str(BIN_DIR / "pre-commit"), "install"], cwd=repo, env=hook_env(repo, tmp_path),
                   check=True, capture_output=True)
    commit = subprocess.run(["git", "commit", "-q", "-m", "bad model"], cwd=repo, capture_output=True, text=True,
                            env={**hook_env(repo, tmp_path), "SKIP": ",".join(PENDING_SUBCOMMANDS)}, timeout=900)
    assert commit.returncode != 0
    assert "sqlfluff lint (jinja templater)" in commit.stdout + commit.stderr


def test_a_sql_only_change_that_leaks_fails_the_governance_check_hook(repo: Path, tmp_path: Path) -> None:
    """A lineage gap is made in SQL: before, the governance check hook ran on YAML changes only, so a
    model serialising whole customer rows was committed with no check."""
    leak = repo / "models" / "marts" / "core" / "dim_customers.sql"
    leak.write_text(leak.read_text().replace(
        "        cast(customers_in_scope.customer_id as bigint) as customer_id,",
        "        cast(customers_in_scope.customer_id as bigint) as customer_id,\n"
        "        to_json(customers_in_scope) as customer_document,", 1))
    assert "customer_document" in leak.read_text()
    git(repo, "add", str(leak.relative_to(repo)))
    result = pre_commit(repo, tmp_path, "governance-check", "--files", str(leak.relative_to(repo)))
    assert result.returncode == 1, result.stdout[-4000:]
    assert "dim_customers.customer_document" in result.stdout


def test_lint_project_finds_missing_primary_key_and_descriptions(repo: Path) -> None:
    assert check_project(repo)[0] == []
    (repo / "models" / "marts" / "core" / "fct_unkeyed.sql").write_text(
        "select order_id, customer_id from {{ ref('fct_orders') }}\n")
    yaml_path = repo / "models" / "marts" / "core" / "_core__models.yml"
    text = yaml_path.read_text()
    text = text.replace("        description: Given name.\n", "        description: ''\n", 1)
    text = text.replace("      - name: sku\n        description: Stock keeping unit code.\n",
                        "      - name: sku\n        description: 'TODO: describe this column (added by governance).'\n")
    yaml_path.write_text(text)
    findings = [str(f) for f in check_project(repo)[0]]
    assert any("model fct_unkeyed: no primary-key test" in f for f in findings), findings
    assert any("model fct_unkeyed: no description" in f for f in findings), findings
    assert any("model dim_customers: column first_name: no description" in f for f in findings), findings
    assert any("model dim_products: column sku: no description" in f for f in findings), findings
    assert len(findings) == 4, findings

    cli = subprocess.run([str(BIN_DIR / "governance"), "lint-project", "--project-dir", str(repo)],
                         capture_output=True, text=True)
    assert cli.returncode == 1 and "4 finding(s)" in cli.stdout


def test_lint_project_sees_the_objects_dbt_sees(built_warehouse: Warehouse) -> None:
    """The file-based reader finds the same models, seeds, snapshots and sources, with the same
    documented columns, as the manifest `dbt build` wrote."""
    manifest = json.loads(built_warehouse.manifest.read_text())
    from_manifest = {}
    # disabled on this target (the Snowflake-only access-audit model) but documented like any other
    disabled = [node for nodes in (manifest.get("disabled") or {}).values() for node in nodes]
    for node in [*manifest["nodes"].values(), *manifest["sources"].values(), *disabled]:
        kind = node["resource_type"]
        if kind in ("model", "seed", "snapshot", "source") and node["package_name"] == "analytics":
            name = f"{node['source_name']}.{node['name']}" if kind == "source" else node["name"]
            from_manifest[kind, name] = set(node["columns"])
    nodes, _, _ = read_project(built_warehouse.project_dir)
    assert {key: set(node.columns) for key, node in nodes.items()} == from_manifest
