"""`governance report --regime`: where the data a regulation covers lives, who reads it, and violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from governance.cli.commands.lineage import compute, lineage_options, selected_nodes
from governance.cli.main import ExitCode
from governance.cli.options import invocation, output_options, require
from governance.compliance import Inventory, load_roles_spec, reports
from governance.compliance.inventory import data_types_of
from governance.compliance.render import render_json, render_text
from governance.policy.regimes import REGIME_NAMES


@click.command("report")
@click.option("--regime", "regimes", type=click.Choice([*REGIME_NAMES, "all"]), multiple=True, required=True,
              help="the regulation to report on (repeat it, or `all`)")
@lineage_options
@output_options(("text", "json"))
def report_command(regimes: tuple[str, ...], catalog: Path | None, database: Path | None, **options: Any) -> int:
    """Compliance report of a regime (GDPR, CCPA, HIPAA, PCI DSS), proven from column lineage.

    For each PII entity the regime covers (vars.governance.regimes): every source, model and snapshot
    column it lives in from raw to marts, its level, how it is protected (masking, the PAN truncation,
    the keyed hash, grants), which roles read it in clear (the policy's clearances and roles.yml's
    grants), its retention rule, and the violations of the regime's rules. Never reads a data value.
    --select/--exclude limit the relations reported (dbt's syntax: `+fct_payments`, `source:pharmacy`);
    lineage is computed over the whole project.

    Exit codes: 0 no violation; 1 violations (the same ones `governance check` fails on); 2 bad input
    (no regimes section in the policy)."""
    run = invocation("report", **options)
    result = compute(run, catalog, database)
    require(result.policy.regimes is not None,
            f"{result.policy.source}: vars.governance.regimes: missing; the policy states no regimes to report on")
    chosen = REGIME_NAMES if "all" in regimes else tuple(dict.fromkeys(regimes))
    inventory = Inventory(result, load_roles_spec(run.project.root))
    manifest = run.project.manifests.get("compile", run.manifest)
    placements = inventory.placements(data_types_of(manifest))
    chosen_nodes = selected_nodes(run, result)
    if chosen_nodes is not None:  # --select/--exclude: report only these relations (lineage covers all)
        placements = [p for p in placements if p.unique_id in chosen_nodes]
    found = reports(inventory, chosen, placements)
    if run.format == "json":
        click.echo(render_json(found))
    else:
        click.echo("\n\n".join(render_text(report) for report in found))
    violations = sum(len(report.findings) for report in found)
    for report in found:
        run.decide("compliance_report", report.regime, columns=len(report.placements), violations=len(report.findings))
    return ExitCode.FINDINGS if violations else ExitCode.OK
