"""`governance roles`: write Permifrost's roles.yml from the policy and the dbt project, or check it."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from pathlib import Path

import yaml
from rich.console import Console

from governance.policy import find_project_dir, load_policy
from governance.roles import generate, read_manifest, resolve_manifest, temporary_workdir
from governance.roles_checks import check_spec, permifrost_errors

EXIT_OK, EXIT_FINDINGS = 0, 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "roles",
        help="generate Permifrost's roles.yml from the policy and the dbt project (or --check it)",
        description=(
            "Write roles.yml (Permifrost's spec: databases, warehouses, roles, users) at the project "
            "root from vars.governance in dbt_project.yml (roles, clearances and, under `grants`, the "
            "databases, warehouses, schemas each role reads and writes, and service users) and from the "
            "dbt manifest (the schemas that models, seeds, snapshots and sources land in, and the highest "
            "column classification in each). A schema holding data at or above "
            "grants.restrict_schemas_from_level is readable only by roles cleared for it. Every run "
            "checks least privilege (only the loader writes raw; no role reaches a schema above its "
            "clearance; every role the masking policies check exists; no system admin roles; every "
            "member_of reference defined) and validates the file with Permifrost's own offline loader. "
            "The manifest is target/manifest.json (or the one cached in .governance/parse) when no "
            "project file is newer, else a fresh `dbt parse` (no database connection)."),
        epilog=("Exit codes: 0 written or up to date; 1 a least-privilege check failed, or with --check the "
                "file is out of date (a diff is printed); 2 bad policy, manifest or project."),
    )
    parser.add_argument("--project-dir", type=Path, default=None,
                        help="dbt project directory (default: search up)")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="dbt manifest.json to read (default: see above)")
    parser.add_argument("--parse", action="store_true", help="always run `dbt parse` for a fresh manifest")
    parser.add_argument("--output", type=Path, default=None,
                        help="spec file to write (default: <project>/roles.yml)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 with a unified diff when the file is not what would be "
                             "generated")
    parser.set_defaults(func=run)


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    project_dir = (args.project_dir or find_project_dir()).resolve()
    policy = load_policy(project_dir)
    output = args.output or project_dir / "roles.yml"
    with temporary_workdir() as workdir:
        with console.status("reading the dbt project (dbt parse if the manifest is stale)"):
            manifest, parsed = resolve_manifest(project_dir, args.manifest, args.parse)
            project = read_manifest(manifest, policy)
        generated = generate(policy, project)
        candidate = Path(workdir) / "roles.yml"
        candidate.write_text(generated.text, encoding="utf-8")
        spec_errors = permifrost_errors(candidate)
    required = {fqn: g.required for fqn, g in generated.schemas.items() if g.required}
    sources = {fqn for fqn, g in generated.schemas.items() if g.kind == "source"}
    findings = check_spec(yaml.safe_load(generated.text), policy, required, sources)

    print(f"manifest: {'fresh `dbt parse`' if parsed else manifest}")
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
        return EXIT_FINDINGS

    roles, users = len(generated.spec["roles"]), len(generated.spec["users"])
    current = output.read_text(encoding="utf-8") if output.is_file() else None
    if args.check:
        if current == generated.text:
            print(f"roles: {output} is up to date ({roles} roles, {users} users, checks passed)")
            return EXIT_OK
        diff = difflib.unified_diff(
            (current or "").splitlines(keepends=True), generated.text.splitlines(keepends=True),
            fromfile=f"{output.name} (committed)", tofile=f"{output.name} (generated)")
        sys.stdout.writelines(diff)
        state = "missing" if current is None else "out of date"
        print(f"roles: {output} is {state}; run `governance roles` and commit it", file=sys.stderr)
        return EXIT_FINDINGS
    if current == generated.text:
        print(f"roles: {output} unchanged ({roles} roles, {users} users, checks passed)")
    else:
        _write_atomic(output, generated.text)
        print(f"roles: wrote {output} ({roles} roles, {users} users, "
              f"{len(generated.schemas)} schemas, checks passed)")
    return EXIT_OK
