"""The kernel (manifest cache, selection, the only reader of dbt's files) and the CLI's contract
(shared options, exit codes, no traceback, findings with file:line, acknowledgements, completion)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lineage_helpers import FIXTURE_PROJECT, copy_fixture

from governance.cli import main
from governance.project import DbtProject
from governance.project.selection import SelectionError, select

GOVERNANCE = Path(sys.executable).parent / "governance"
PACKAGE = Path(__file__).resolve().parents[2] / "governance"


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path / "fixture")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- the manifest provider -------------------------------------------------------------------------

def test_manifest_cache_is_reused_until_an_input_changes(fixture_copy: Path, monkeypatch) -> None:
    monkeypatch.delenv("DBT_DUCKDB_PATH", raising=False)
    monkeypatch.setenv("DBT_PROFILES_DIR", str(fixture_copy))
    provider = DbtProject.locate(fixture_copy).manifests
    first = provider.path("compile")
    assert provider.last_was_cached is False and first.is_file()
    assert DbtProject.locate(fixture_copy).manifests.path("compile") == first  # warm: same file, no dbt
    again = DbtProject.locate(fixture_copy).manifests
    again.path("parse")
    assert again.last_was_cached is True  # a compiled manifest serves a parse request

    keys = {provider.key()}
    model = next((fixture_copy / "models").rglob("*.sql"))
    model.write_text(model.read_text() + "\n-- edited\n")
    keys.add(DbtProject.locate(fixture_copy).manifests.key())  # a file changed
    keys.add(DbtProject.locate(fixture_copy, cli_vars={"x": 1}).manifests.key())  # other --vars
    keys.add(DbtProject.locate(fixture_copy, target="other").manifests.key())  # another target
    monkeypatch.setenv("DBT_DUCKDB_PATH", "somewhere-else.duckdb")  # an env var the profile reads
    keys.add(DbtProject.locate(fixture_copy).manifests.key())
    assert len(keys) == 5


def test_env_values_never_land_in_the_cache(fixture_copy: Path, monkeypatch) -> None:
    secret = "s3cr3t-value-never-stored"
    profile = fixture_copy / "profiles.yml"
    profile.write_text(profile.read_text().replace("schema: main", "schema: \"{{ env_var('FIXTURE_SCHEMA', 'main') }}\""))
    monkeypatch.setenv("FIXTURE_SCHEMA", secret[:8])
    monkeypatch.setenv("DBT_PROFILES_DIR", str(fixture_copy))
    monkeypatch.setenv("UNRELATED_TOKEN", secret)
    project = DbtProject.locate(fixture_copy)
    key = project.manifests.key()
    monkeypatch.setenv("UNRELATED_TOKEN", secret + "2")  # not read by the project: no effect on the key
    assert DbtProject.locate(fixture_copy).manifests.key() == key
    monkeypatch.setenv("FIXTURE_SCHEMA", "other")  # read by the profile: a new key
    assert DbtProject.locate(fixture_copy).manifests.key() != key
    assert secret not in key


# --- selection -------------------------------------------------------------------------------------

def test_dbt_selection_syntax(compiled_manifest) -> None:
    manifest = json.loads(compiled_manifest(FIXTURE_PROJECT).read_text())
    names = lambda ids: {i.split(".")[-1] for i in ids}  # noqa: E731
    sources = {i for i in manifest["sources"]}
    assert select(manifest, ["source:app"]) == sources
    assert names(select(manifest, ["user_metrics"])) == {"user_metrics"}
    upstream = select(manifest, ["+user_metrics"])
    assert "user_metrics" in names(upstream) and any(i.startswith("source.") for i in upstream)
    assert select(manifest, ["+user_metrics"], ["source:*"]) == upstream - sources
    assert names(select(manifest, ["path:models/marts"])) <= {n["name"] for n in manifest["nodes"].values()}
    with pytest.raises(SelectionError, match="unknown method 'colour'"):
        select(manifest, ["colour:red"])
    with pytest.raises(SelectionError, match="matches no node"):
        select(manifest, ["no_such_model"])


# --- the CLI contract ------------------------------------------------------------------------------

def test_target_means_the_dbt_target_and_flags_are_never_abbreviated(fixture_copy: Path, tmp_path: Path) -> None:
    env = {**os.environ, "DBT_PROFILES_DIR": str(fixture_copy)}
    env.pop("DBT_DUCKDB_PATH", None)
    ok = subprocess.run([str(GOVERNANCE), "check", "--target", "dev", "--project-dir", str(fixture_copy)],
                        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert ok.returncode == 1 and "unclassified" in ok.stdout, ok.stderr  # the fixture has unclassified columns
    assert not (tmp_path / "dev").exists() and not (fixture_copy / "dev").exists()
    abbreviated = subprocess.run([str(GOVERNANCE), "check", "--targ", "dev", "--project-dir", str(fixture_copy)],
                                 cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert abbreviated.returncode == 2 and "No such option '--targ'" in abbreviated.stderr
    unknown_target = subprocess.run([str(GOVERNANCE), "scan", "--target", "nope", "--project-dir", str(fixture_copy)],
                                    cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert unknown_target.returncode == 2 and "outputs.nope: target not found" in unknown_target.stderr
    assert "Traceback" not in ok.stderr + abbreviated.stderr + unknown_target.stderr


def test_findings_carry_file_and_line_and_render_for_ci(fixture_copy: Path, compiled_manifest, capsys) -> None:
    manifest = str(compiled_manifest(FIXTURE_PROJECT))
    code, out, _ = cli(capsys, "check", "--project-dir", str(fixture_copy), "--manifest", manifest)
    line = next(text for text in out.splitlines() if "user_metrics.email_key" in text)
    location = line.split(": ", 1)[0]
    path, number = location.rsplit(":", 1)
    yaml_lines = (fixture_copy / path).read_text().splitlines()
    assert code == 1 and "email_key" in yaml_lines[int(number) - 1]
    code, out, _ = cli(capsys, "check", "--project-dir", str(fixture_copy), "--manifest", manifest,
                       "--format", "github")
    assert code == 1 and f"::error file={path},line={number}::unclassified user_metrics.email_key" in out
    code, out, _ = cli(capsys, "check", "--project-dir", str(fixture_copy), "--manifest", manifest,
                       "--select", "stg_users")
    assert "user_metrics" not in out  # findings of the selected nodes only


def test_an_acknowledged_warning_stops_repeating_but_an_error_cannot_be_silenced(
        fixture_copy: Path, compiled_manifest, capsys) -> None:
    manifest = str(compiled_manifest(FIXTURE_PROJECT))
    assert cli(capsys, "propagate", "--project-dir", str(fixture_copy), "--manifest", manifest, "-q")[0] == 0
    code, out, _ = cli(capsys, "check", "--project-dir", str(fixture_copy), "--manifest", manifest, "--format", "json")
    report = json.loads(out)
    warning = next(f for f in report["findings"] if f["severity"] == "warning")
    subject = f"{warning['node']}.{warning['column']}" if warning["column"] else warning["node"]
    (fixture_copy / "governance_acknowledgements.yml").write_text(
        "acknowledgements:\n"
        f"  - code: {warning['code']}\n    subject: {subject}\n    reason: Decided by the data owner.\n"
        "  - code: unclassified\n    subject: user_metrics.email_key\n    reason: trying to hide an error\n")
    code, out, _ = cli(capsys, "check", "--project-dir", str(fixture_copy), "--manifest", manifest, "--format", "json")
    after = json.loads(out)
    assert warning in after["acknowledged"] and warning not in after["findings"]
    assert {"code": "unclassified", "subject": "user_metrics.email_key"} in after["unused_acknowledgements"]
    (fixture_copy / "governance_acknowledgements.yml").write_text(
        "acknowledgements:\n  - code: stale\n    subject: x.y\n")
    code, _, err = cli(capsys, "check", "--project-dir", str(fixture_copy), "--manifest", manifest)
    assert code == 2 and "governance_acknowledgements.yml:2" in err and "reason missing" in err


def test_bad_input_exits_2_with_a_message_never_a_traceback(fixture_copy: Path, compiled_manifest, tmp_path: Path,
                                                             capsys) -> None:
    manifest = json.loads(compiled_manifest(FIXTURE_PROJECT).read_text())
    column = next(c for n in manifest["nodes"].values() for c in (n.get("columns") or {}).values())
    column.setdefault("config", {}).setdefault("meta", {})["classification"] = "high"
    bad = tmp_path / "manifest.json"
    bad.write_text(json.dumps(manifest))
    code, _, err = cli(capsys, "docs", "--project-dir", str(fixture_copy), "--manifest", str(bad))
    assert code == 2 and "unknown level 'high'" in err and "Traceback" not in err
    code, _, err = cli(capsys, "policy", "--project-dir", str(tmp_path / "nowhere"))
    assert code == 2 and "does not exist" in err
    code, _, err = cli(capsys, "check", "--project-dir", str(fixture_copy), "--vars", "[not, a, mapping]")
    assert code == 2 and "--vars" in err


def test_completion_and_json_logs(capsys) -> None:
    code, out, _ = cli(capsys, "completion", "bash")
    assert code == 0 and "_GOVERNANCE_COMPLETE" in out
    code, out, _ = cli(capsys, "--help")
    assert code == 0 and "Exit codes" in out


# --- the kernel alone reads dbt's files ------------------------------------------------------------

READERS = {"json.load", "json.loads", "yaml.safe_load", "yaml.load", "YAML", "load_plain", "read_profile"}
ALLOWED = {
    "governance/scan/state.py": {"json.loads"},  # its own state file
    "governance/cli/options.py": {"yaml.safe_load"},  # the --vars string
    # the spec it just generated, not a file; an export of the account's grants (--audit-grants), not a dbt file
    "governance/cli/commands/roles.py": {"yaml.safe_load", "json.loads"},
    "governance/scan/classifier.py": {"json.loads"},  # JSON values of a sampled column, in memory
    "governance/observability/state.py": {"yaml.safe_load"},  # the roles spec it just generated
    "governance/observability/snowflake_usage.py": {"json.loads"},  # recorded usage rows, not a dbt file
    # the policy bodies a macro printed (through the kernel's run_operation), and an export of the account's policies
    "governance/masking/policy_audit.py": {"json.loads"},
}


# modules that name dbt's files without reading them (the exporter labels its inputs by file name and
# reads them through the kernel's read_artifact)
NAMES_ALLOWED = {"governance/observability/exporter.py"}


def test_only_the_kernel_reads_dbt_files() -> None:
    """Outside governance/project/, no module parses YAML or JSON files itself (the kernel's readers
    and writer are the way in), and none runs dbt."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = str(path.relative_to(PACKAGE.parent))
        if relative.startswith("governance/project/"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in READERS and name not in ALLOWED.get(relative, set()):
                    offenders.append(f"{relative}:{node.lineno}: {name}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in (
                    "dbt_project.yml", "manifest.json", "profiles.yml") and relative not in NAMES_ALLOWED:
                offenders.append(f"{relative}:{node.lineno}: names {node.value}")
    assert offenders == []


def test_governance_commands_append_their_decisions_to_the_audit_trail(built_warehouse, tmp_path: Path) -> None:
    """check and protected record what they decided (counts, codes, columns; never a value)."""
    import shutil

    import duckdb

    database = tmp_path / "audited.duckdb"
    shutil.copy(built_warehouse.database, database)
    env = {**built_warehouse.env(), "DBT_DUCKDB_PATH": str(database), "GOVERNANCE_AUDIT": "1"}
    for argv in (["check", "-q", "--manifest", str(built_warehouse.manifest)],
                 ["protected", "--manifest", str(built_warehouse.manifest), "--format", "json"]):
        result = subprocess.run([str(GOVERNANCE), *argv], cwd=built_warehouse.project_dir, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert "not recorded" not in result.stderr, result.stderr
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute("select command, kind, subject, details from audit.governance_decisions").fetchall()
        emails = [r[0] for r in con.execute("select email from raw.shop_customers__ct where email is not null "
                                            "limit 200").fetchall()]
    kinds = {(command, kind) for command, kind, _, _ in rows}
    assert {("check", "check_result"), ("check", "command_succeeded"), ("protected", "masking_report"),
            ("protected", "command_succeeded")} <= kinds
    text = json.dumps(rows, default=str)
    assert emails and not any(email in text for email in emails)
