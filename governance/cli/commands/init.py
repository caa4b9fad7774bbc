"""`governance init`: onboard an existing dbt project (policy, package, hooks, resolved policy)."""

from __future__ import annotations

from typing import Any

import click

from governance.cli.main import ExitCode
from governance.cli.options import invocation, project_options
from governance.onboard import init_project


@click.command("init")
@project_options
@click.option("--force", is_flag=True, help="replace an existing vars.governance with the starter policy")
@click.option("--quiet", "-q", is_flag=True, help="print only what to review")
def init_command(force: bool, quiet: bool, **options: Any) -> int:
    """Onboard an existing dbt project: starter policy, the governance dbt package, masking hooks.

    Writes a starter policy under vars.governance in dbt_project.yml (4 levels, common PII entity levels,
    loader/transformer service roles, clearance roles, a least-privileged default role, masks, and
    grants naming the project's schemas; an existing policy is kept unless --force), adds the governance
    dbt package shipped with this Python package to packages.yml (a `local:` entry), adds the masking
    hooks (on-run-start `governance.create_masks()`, post-hook `governance.apply_masking()` on models,
    seeds and snapshots) and writes the resolved-policy macro (`governance policy --write`). Edits keep
    comments and layout; a second run changes nothing. Then prints what to review.

    Exit codes: 0 done (or nothing to do); 2 bad input (no dbt project, invalid YAML or policy:
    nothing written)."""
    run = invocation("init", quiet=quiet, **options)
    report = init_project(run.project, force=force)
    if not run.quiet:
        for line in report.changed:
            click.echo(f"init: wrote {line}")
        for line in report.kept:
            click.echo(f"init: kept {line}")
        if not report.changed:
            click.echo("init: nothing to change")
    if report.changed:
        click.echo("review:")
        for line in report.review:
            click.echo(f"  - {line}")
    return ExitCode.OK
