"""`governance docs`: the docs site's overview page, the regime reports as pages, and column badges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from governance.cli.main import ExitCode
from governance.cli.options import invocation, manifest_option, project_options, require
from governance.docs.overview import DEFAULT_OUTPUT, write_overview
from governance.policy import load_policy


@click.command("docs")
@project_options
@manifest_option
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=f"file to write (default: <project>/{DEFAULT_OUTPUT})")
@click.option("--badges", is_flag=True,
              help="after `dbt docs generate`: badge every column of the generated site in the target path with "
                   "its level and masking (manifest.json, and static_index.html rebuilt)")
@click.option("--site-dir", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="with --badges: the generated site's directory (default: the target path)")
@click.option("--quiet", "-q", is_flag=True, help="print nothing when it succeeds")
def docs_command(output: Path | None, badges: bool, site_dir: Path | None, quiet: bool, **options: Any) -> int:
    """Write the docs site's overview page and the compliance reports' pages; badge the generated site.

    Before `dbt docs generate`: reads the project's manifest (a cached `dbt parse`, or --manifest) and
    writes a docs block `__overview__` listing every classified column by level with its PII entities,
    for the home page, and, when the policy states regimes, each regime report (`governance report`) as
    a page of the site (an exposure per regime, generated into models/compliance/, linked from the home
    page). With --badges, after `dbt docs generate`: every column of every model page shows a badge of
    its level and masking without expanding it. `make docs` runs both. Never reads data."""
    run = invocation("docs", quiet=quiet, **options)
    policy = load_policy(run.project)
    if badges:
        from governance.docs.site import add_column_badges
        from governance.project.manifest import DocsSite

        site = DocsSite(site_dir or run.project.target_path)
        require(site.exists(), f"{site.folder}: no docs site (manifest); run `dbt docs generate` first")
        count = add_column_badges(site, policy)
        if not run.quiet:
            click.echo(f"docs: badged {count} columns in {site.folder}")
        return ExitCode.OK
    manifest = run.project.manifests.get("parse", run.manifest)
    extra: list[str] = []
    if policy.regimes is not None:
        extra = write_reports(run, policy)
    path, count, changed = write_overview(run.project, policy, manifest, output, extra)
    if not run.quiet:
        click.echo(f"docs: {'wrote' if changed else 'up to date:'} {path} ({count} classified columns)")
    return ExitCode.OK


def write_reports(run: Any, policy: Any) -> list[str]:
    """The regime reports as pages of the site; returns the home page's links to them."""
    from governance.compliance import Inventory, load_roles_spec, reports
    from governance.compliance.inventory import data_types_of
    from governance.docs.site import compliance_links, write_compliance_pages
    from governance.lineage import analyse

    result = analyse(run.project, policy, manifest=run.manifest)
    inventory = Inventory(result, load_roles_spec(run.project.root))
    compiled = run.project.manifests.get("compile", run.manifest)
    found = reports(inventory, placements=inventory.placements(data_types_of(compiled)))
    written = write_compliance_pages(run.project.root, found, compiled)
    if not run.quiet:
        click.echo(f"docs: {len(found)} compliance reports ({len(written)} files written)")
    return compliance_links(found, run.project.name)
