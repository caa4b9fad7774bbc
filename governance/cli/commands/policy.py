"""`governance policy`: validate the whole policy, show what it resolves to, and write (or check) the
resolved-policy macro the dbt package reads."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from governance.cli.main import ExitCode
from governance.cli.options import invocation, output_options, project_options
from governance.policy import load_policy
from governance.policy.resolved import COMMAND, resolved_file
from governance.project import write_atomic


@click.command("policy")
@project_options
@click.option("--write", is_flag=True, help="write the resolved policy macro (<macros>/governance/resolved_policy.sql) "
              "when it is missing or stale; an unchanged file is not rewritten")
@click.option("--check", is_flag=True, help="write nothing; exit 1 with a unified diff when the resolved policy macro "
              "is missing or stale")
@output_options(("text", "json"))
def policy_command(write: bool, check: bool, **options: Any) -> int:
    """Validate the governance policy and print its levels, roles and clearances.

    Validates every section of vars.governance in dbt_project.yml (levels, entity_levels, roles,
    default_role, masking, grants, lineage_rules, scan) before anything compiles. Exits 2 naming the
    file, line and key at fault when the policy is invalid.

    The masking rules are resolved here, in Python, and rendered into a generated macro of the project
    (<first macro path>/governance/resolved_policy.sql) that the governance dbt package looks results
    up in; the package refuses to build when that file is stale. --write writes it (atomically; not
    rewritten when unchanged); --check exits 1 with a diff when it is missing or stale (pre-commit, CI)."""
    run = invocation("policy", **options)
    if write and check:
        raise click.UsageError("--write and --check exclude each other")
    policy = load_policy(run.project)
    resolved = resolved_file(run.project, policy)
    if write or check:
        relative = resolved.path.relative_to(run.project.root) if resolved.path.is_relative_to(run.project.root) \
            else resolved.path
        if resolved.up_to_date:
            click.echo(f"policy: {relative} is up to date")
            return ExitCode.OK
        if check:
            sys.stdout.writelines(resolved.diff())
            state = "missing" if resolved.current is None else "stale (vars.governance changed, or it was edited)"
            click.echo(f"policy: {relative} is {state}; run `{COMMAND}` and commit it", err=True)
            return ExitCode.FINDINGS
        resolved.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(resolved.path, resolved.wanted)
        click.echo(f"policy: wrote {relative}")
        return ExitCode.OK
    clearances = {name: policy.effective_clearance(name) for name in policy.roles}
    if run.format == "json":
        click.echo(json.dumps({
            "source": str(policy.source),
            "levels": {n: {"name": lv.name, "masked": lv.masked} for n, lv in policy.levels.items()},
            "entity_levels": policy.entity_levels,
            "roles": {name: {"kind": r.kind, "effective_clearance": clearances[name],
                             "member_of": list(r.member_of)} for name, r in policy.roles.items()},
            "default_role": policy.default_role,
            "lineage_rules": {k: {"level": r.level, "drop_pii": r.drop_pii} for k, r in policy.lineage_rules.items()},
            "scan": policy.scan.as_dict(),
            "resolved_policy": {"path": str(resolved.path), "up_to_date": resolved.up_to_date},
        }, indent=2, sort_keys=True))
        return ExitCode.OK
    click.echo(f"policy: {policy.source} (vars.governance) is valid")
    for number, level in policy.levels.items():
        click.echo(f"  level {number} {level.name:<13} {'masked' if level.masked else 'clear'}")
    for name, role in policy.roles.items():
        click.echo(f"  role {name:<17} {role.kind:<10} sees up to level {clearances[name]}")
    if not resolved.up_to_date:
        click.echo(f"policy: {resolved.path} is {'missing' if resolved.current is None else 'stale'}; "
                   f"run `{COMMAND}`", err=True)
    return ExitCode.OK
