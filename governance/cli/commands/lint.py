"""`governance lint-project`: fast project checks a careful team runs on every commit."""

from __future__ import annotations

from typing import Any

import click

from governance.cli.main import ExitCode
from governance.cli.options import invocation, output_options, project_options
from governance.cli.render import render_findings
from governance.lint.project import check_project


@click.command("lint-project")
@project_options
@output_options()
def lint_command(**options: Any) -> int:
    """Check that every model has a primary-key test and everything is described.

    Fast checks (no dbt run, no database): every model has a primary-key test (unique + not_null on a
    column, or unique_combination_of_columns); every model, snapshot, seed and source table, and each
    of their documented columns, has a description; every exposure has a description, an owner and
    depends on something. Exits 1 when anything is missing, naming the file and the object."""
    run = invocation("lint-project", **options)
    findings, checked = check_project(run.project)
    if not findings and run.format == "text":
        click.echo(f"lint-project: ok ({checked} models, snapshots, seeds and sources checked)")
        return ExitCode.OK
    errors = render_findings(findings, run.format, run.project.root,
                             f"lint-project: {len(findings)} finding(s) in {checked} models, snapshots, "
                             "seeds and sources")
    return ExitCode.FINDINGS if errors else ExitCode.OK
