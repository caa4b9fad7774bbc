"""`governance docs`: the docs site's overview page of classified data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from governance.cli.main import ExitCode
from governance.cli.options import invocation, manifest_option, project_options
from governance.docs.overview import DEFAULT_OUTPUT, write_overview
from governance.policy import load_policy


@click.command("docs")
@project_options
@manifest_option
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=f"file to write (default: <project>/{DEFAULT_OUTPUT})")
@click.option("--quiet", "-q", is_flag=True, help="print nothing when it succeeds")
def docs_command(output: Path | None, quiet: bool, **options: Any) -> int:
    """Write the docs site's overview page listing classified columns by level.

    Reads the project's manifest (a cached `dbt parse`, or --manifest) and writes a docs block
    `__overview__` that lists every classified column by level with its PII entities, for the home
    page of the dbt docs site. `make docs` runs it before `dbt docs generate`. Never reads data."""
    run = invocation("docs", quiet=quiet, **options)
    policy = load_policy(run.project)
    manifest = run.project.manifests.get("parse", run.manifest)
    path, count, changed = write_overview(run.project, policy, manifest, output)
    if not run.quiet:
        click.echo(f"docs: {'wrote' if changed else 'up to date:'} {path} ({count} classified columns)")
    return ExitCode.OK
