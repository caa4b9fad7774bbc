"""`governance anonymity`: whether what roles not cleared for personal data read can single people out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from governance.cli.main import ExitCode
from governance.cli.options import invocation, manifest_option, output_options, project_options
from governance.errors import ProjectError
from governance.masking.anonymity import Risk, duckdb_report, uncleared_roles
from governance.policy import load_policy
from governance.project import load_manifest


@click.command("anonymity")
@project_options
@manifest_option
@click.option("--database", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="DuckDB: the file to measure (default: the profile target's path)")
@click.option("--role", "roles", multiple=True,
              help="measure as this role (repeatable; default: every functional role not cleared for the lowest "
                   "masked level)")
@output_options(("text", "json"))
def anonymity_command(database: Path | None, roles: tuple[str, ...], **options: Any) -> int:
    """Measure how far masked data still singles people out (k-anonymity).

    For every role not cleared for the lowest masked level (or each --role) and every relation the policy
    lets it read, finds the quasi-identifiers it sees: personal columns in clear or through a mask that
    keeps part of the value (email domain, last digits, year), and columns whose meta says
    `quasi_identifier: true`. On the protected views of the DuckDB warehouse, as that role, it counts the
    share of rows unique on them. A relation holding a subject's key in clear
    (vars.governance.reidentification.subjects) is measured joined to the subject's dimension, and the
    share is of subjects. Only counts are read; no value is printed.

    Exits 1 when a share is above vars.governance.reidentification.max_unique_share, or a relation cannot
    be measured (its protected view is missing); 2 on bad input (no manifest, no warehouse, unknown role)."""
    run = invocation("anonymity", **options)
    policy = load_policy(run.project)
    unknown = sorted(set(roles) - set(policy.roles))
    if unknown:
        raise ProjectError(f"--role {unknown[0]}: not a role of vars.governance.roles ({', '.join(sorted(policy.roles))})")
    manifest = load_manifest(run.manifest or run.project.built_manifest)
    target = run.project.target()
    if target.type != "duckdb" and database is None:
        raise ProjectError(f"target {target.name!r} is {target.type}: the measurement reads the protected views of a "
                           "DuckDB warehouse; pass --database or a DuckDB target")
    chosen = list(roles) or uncleared_roles(policy)
    risks = duckdb_report(manifest, policy, database or Path(target.duckdb_path()), chosen)
    problems = [r for r in risks if r.status != "ok"]
    for risk in risks:
        run.decide("reidentification", risk.relation, role=risk.role, unique_share=round(risk.unique_share, 4),
                   population=risk.population, status=risk.status)
    if run.format == "json":
        click.echo(json.dumps({"roles": chosen, "max_unique_share": policy.reidentification.max_unique_share,
                               "relations": [r.as_dict() for r in risks], "problems": len(problems)},
                              indent=2, sort_keys=True))
    else:
        _print_table(risks, policy.reidentification.max_unique_share, chosen)
    return ExitCode.FINDINGS if problems else ExitCode.OK


def _print_table(risks: list[Risk], max_share: float, roles: list[str]) -> None:
    console = Console(width=None if sys.stdout.isatty() else 160)
    table = Table(title=f"Re-identification: share unique on what the role sees (most allowed {max_share:.1%})")
    for header in ("role", "relation", "quasi-identifiers (seen as)", "joined to", "of", "unique", "share",
                   "smallest group", "status"):
        table.add_column(header, overflow="fold")
    for risk in risks:
        table.add_row(risk.role, risk.relation, ", ".join(risk.quasi_identifiers), risk.joined_to or "",
                      f"{risk.population:,}", f"{risk.unique:,}", f"{risk.unique_share:.2%}",
                      "" if risk.smallest_group is None else str(risk.smallest_group),
                      risk.status if risk.status == "ok" else f"[red]{risk.status}[/red]")
    console.print(table)
    worst = max((r.unique_share for r in risks), default=0.0)
    bad = sum(r.status != "ok" for r in risks)
    console.print(f"{len(risks)} relation(s) measured for {', '.join(roles) or 'no role'}; highest share unique "
                  f"{worst:.2%}; " + (f"[red]{bad} above {max_share:.1%} or not measured[/red]" if bad
                                      else f"all at or below {max_share:.1%}"))
