"""`governance roles`: Permifrost's roles.yml generated from the policy and the project, or checked."""

from __future__ import annotations

import difflib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import click
import yaml

from governance.cli.main import ExitCode
from governance.cli.options import invocation, manifest_option, project_options
from governance.policy import load_policy
from governance.project import load_manifest, write_atomic
from governance.roles import admin_sql
from governance.roles.audit import audit_grants
from governance.roles.checks import check_script, check_spec, permifrost_errors, profile_role_findings
from governance.roles.spec import generate, read_manifest


@click.command("roles")
@project_options
@manifest_option
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="spec file to write (default: <project>/roles.yml)")
@click.option("--check", is_flag=True, help="write nothing; exit 1 with a unified diff when the file is not what "
              "would be generated")
@click.option("--quiet", "-q", is_flag=True, help="print only problems")
@click.option("--audit-grants", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="instead of generating: audit the account's actual role grants, from a JSON file of "
                   "SNOWFLAKE.ACCOUNT_USAGE rows {grants_to_roles: [...], grants_to_users: [...], users: [...]}; "
                   "exit 1 when a system role inherits a clearance or service role, a person holds a service "
                   "role or has a cleared default role, or a service user is not TYPE = SERVICE with one role")
def roles_command(output: Path | None, check: bool, audit_grants: Path | None, **options: Any) -> int:
    """Generate Permifrost's roles.yml from the policy and the dbt project (or --check it).

    Writes roles.yml (Permifrost's spec: databases, warehouses, roles, users) at the project root from
    vars.governance (roles, clearances and, under `grants`, the databases, warehouses, schemas each
    role reads and writes, and service users) and from the dbt manifest (the schemas models, seeds,
    snapshots and sources land in, and the highest column classification in each). A schema holding
    data at or above grants.restrict_schemas_from_level is readable only by roles cleared for it.
    Every run checks least privilege (only the loader writes raw; no role reaches a schema above its
    clearance; every role the masking policies check exists; no system admin roles; every member_of
    reference defined; only the masking administrator owns the masking schema) and validates the file
    with Permifrost's own offline loader. Next to it, snowflake_grants.sql holds what Permifrost's spec
    cannot express (masking-policy ownership and APPLY, the keyed-hash function, service user types).

    Exit codes: 0 written or up to date; 1 a least-privilege check failed, or with --check the file is
    out of date (a diff is printed); 2 bad policy, manifest or project."""
    run = invocation("roles", **options)
    project_dir = run.project.root
    policy = load_policy(run.project)
    if audit_grants is not None:
        return _audit(policy, audit_grants)
    output = output or project_dir / "roles.yml"
    with tempfile.TemporaryDirectory(prefix="governance-roles-") as workdir:
        manifest = run.project.manifests.path("parse", run.manifest)
        parsed = run.project.manifests.last_was_cached is False
        project = read_manifest(load_manifest(manifest), manifest, policy)
        generated = generate(policy, project)
        candidate = Path(workdir) / "roles.yml"
        candidate.write_text(generated.text, encoding="utf-8")
        spec_errors = permifrost_errors(candidate)
    required = {fqn: g.required for fqn, g in generated.schemas.items() if g.required}
    sources = {fqn for fqn, g in generated.schemas.items() if g.kind == "source"}
    spec = yaml.safe_load(generated.text)
    grants_script = admin_sql.render(policy, spec)
    findings = check_spec(spec, policy, required, sources)
    findings += check_script(grants_script, spec, policy)
    findings += profile_role_findings(_profile_files(run.project), policy)
    committed = output.read_text(encoding="utf-8") if output.is_file() else None
    run.decide("roles_drift", "roles.yml", drift=committed != generated.text, findings=len(findings),
               withheld=len(generated.withheld))

    if not run.quiet:
        print(f"manifest: {'fresh `dbt parse`' if parsed else 'unchanged project: cached parse' if run.manifest is None else manifest}")
    for w in generated.withheld:
        print(f"withheld: {w.role} read {w.schema} (holds level {w.level}; "
              f"role sees clear up to {w.clearance})")
    if spec_errors or findings:
        for line in spec_errors:
            print(f"permifrost: {line}")
        for finding in findings:
            print(f"least-privilege: {finding}")
        print(f"roles: {len(findings)} least-privilege finding(s), {len(spec_errors)} Permifrost error(s); "
              f"{output} not written", file=sys.stderr)
        return ExitCode.FINDINGS

    roles, users = len(generated.spec["roles"]), len(generated.spec["users"])
    files = [(output, generated.text), (output.parent / admin_sql.FILE_NAME, grants_script)]
    if check:
        stale = [(path, text) for path, text in files
                 if (path.read_text(encoding="utf-8") if path.is_file() else None) != text]
        if not stale:
            print(f"roles: {output} and {files[1][0].name} are up to date ({roles} roles, {users} users, checks passed)")
            return ExitCode.OK
        for path, text in stale:
            current = path.read_text(encoding="utf-8") if path.is_file() else None
            sys.stdout.writelines(difflib.unified_diff(
                (current or "").splitlines(keepends=True), text.splitlines(keepends=True),
                fromfile=f"{path.name} (committed)", tofile=f"{path.name} (generated)"))
            state = "missing" if current is None else "out of date"
            print(f"roles: {path} is {state}; run `governance roles` and commit it", file=sys.stderr)
        return ExitCode.FINDINGS
    for path, text in files:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            print(f"roles: {path} unchanged")
        else:
            write_atomic(path, text)
            print(f"roles: wrote {path}")
    print(f"roles: {roles} roles, {users} users, {len(generated.schemas)} schemas, checks passed")
    return ExitCode.OK


def _profile_files(project: Any) -> list[Path]:
    """The project's profile (as dbt finds it) and its committed example, where they exist."""
    from governance.errors import ProjectError
    from governance.project.profiles import find_profiles

    try:
        files = [find_profiles(project)]
    except ProjectError:
        files = []
    example = project.root / "profiles.yml.example"
    return files + ([example] if example.is_file() else [])


def _audit(policy: Any, path: Path) -> int:
    """`--audit-grants`: the account's role grants against the policy (governance.roles.audit)."""
    try:
        account = json.loads(path.read_text(encoding="utf-8"))
        rows = [account[key] for key in ("grants_to_roles", "grants_to_users", "users")]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        print(f"roles: {path}: not a grants export ({exc}); expected a JSON object with grants_to_roles, "
              "grants_to_users and users", file=sys.stderr)
        return ExitCode.BAD_INPUT
    findings = audit_grants(policy, *rows)
    for finding in findings:
        print(f"grants: {finding}")
    print(f"roles: {len(findings)} finding(s) in the account's grants ({path.name})")
    return ExitCode.FINDINGS if findings else ExitCode.OK
