"""`governance policy`: validate the whole policy and show what it resolves to."""

from __future__ import annotations

import json
from typing import Any

import click

from governance.cli.main import ExitCode
from governance.cli.options import invocation, output_options, project_options
from governance.policy import load_policy


@click.command("policy")
@project_options
@output_options(("text", "json"))
def policy_command(**options: Any) -> int:
    """Validate the governance policy and print its levels, roles and clearances.

    Validates every section of vars.governance in dbt_project.yml (levels, entity_levels, roles,
    default_role, masking, grants, lineage_rules, scan) before anything compiles. Exits 2 naming the
    file, line and key at fault when the policy is invalid."""
    run = invocation("policy", **options)
    policy = load_policy(run.project)
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
        }, indent=2, sort_keys=True))
        return ExitCode.OK
    click.echo(f"policy: {policy.source} (vars.governance) is valid")
    for number, level in policy.levels.items():
        click.echo(f"  level {number} {level.name:<13} {'masked' if level.masked else 'clear'}")
    for name, role in policy.roles.items():
        click.echo(f"  role {name:<17} {role.kind:<10} sees up to level {clearances[name]}")
    return ExitCode.OK
