"""`governance retention`: the retention rules resolved over lineage, and the generated macro dbt runs."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from governance.cli.main import ExitCode
from governance.cli.options import invocation, manifest_option, output_options, project_options


@click.command("retention")
@project_options
@manifest_option
@click.option("--write", is_flag=True, help="write <macros>/governance/resolved_retention.sql (atomic; unchanged: "
              "not rewritten)")
@click.option("--check", is_flag=True, help="write nothing; exit 1 when the generated macro is missing or stale")
@output_options(("text", "json"))
def retention_command(write: bool, check: bool, **options: Any) -> int:
    """Show what each retention rule (vars.governance.retention) covers, and write the macro dbt runs.

    Each rule is resolved over column lineage into the relations dbt builds (models and snapshots), their
    columns holding the rule's entities (or derived from personal columns), and the event that starts the
    clock: a subject's deletion in the source (vars.governance.erasure.subjects.<type>.deletion) or the
    row's creation (`created_column`). The result is rendered into macros/governance/resolved_retention.sql,
    which `apply_retention()` runs at the end of every `dbt run` and `dbt build` (the clock:
    --vars '{governance_as_of: 2027-01-01}'; default: the run's start).

    Exits 0 when up to date (or written), 1 with --check when stale, 2 on bad input."""
    from governance.erasure.retention import resolve_retention, retention_file
    from governance.lineage import analyse
    from governance.project import write_atomic

    run = invocation("retention", **options)
    if write and check:
        raise click.UsageError("--write and --check exclude each other")
    result = analyse(run.project, manifest=run.manifest,
                     on_compile=lambda: run.log("compiling", note="dbt compile (cached when unchanged)"))
    file = retention_file(run.project, result)
    resolved = resolve_retention(result)
    if run.format == "json":
        click.echo(json.dumps(resolved, indent=2, sort_keys=True))
    else:
        for entry in resolved["entries"]:
            node = entry["node"].split(".")[-1]
            click.echo(f"{entry['rule']}: {node}: {entry['action']} {', '.join(entry['columns'])} "
                       f"{entry['days']} days after {entry['event']['kind']}")
    relative = file.path.relative_to(run.project.root) if file.path.is_relative_to(run.project.root) else file.path
    if file.up_to_date:
        run.log("up to date", file=str(relative))
        return ExitCode.OK
    if check:
        print(f"{relative} is stale or missing; run `governance retention --write`", file=sys.stderr)
        return ExitCode.FINDINGS
    if write:
        write_atomic(file.path, file.wanted)
        run.log("written", file=str(relative))
    return ExitCode.OK
