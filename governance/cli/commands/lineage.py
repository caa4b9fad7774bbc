"""`governance lineage`, `governance propagate`, `governance check`: column lineage and what follows."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click

from governance.cli.main import ExitCode
from governance.cli.options import (
    Invocation,
    invocation,
    manifest_option,
    output_options,
    project_options,
    selection_options,
)
from governance.cli.progress import progress_bar
from governance.cli.render import render_findings
from governance.compliance import Inventory, compliance_findings, load_roles_spec
from governance.lineage import PropagationResult, analyse, check, write_back
from governance.lineage.explain import explain, render
from governance.project.selection import select
from governance.roles.checks import committed_clearance_findings


def lineage_options(func: Any) -> Any:
    func = click.option("--database", type=click.Path(path_type=Path, dir_okay=False), default=None,
                        help="a DuckDB file whose information_schema helps expand `select *` (read-only)")(func)
    func = click.option("--catalog", type=click.Path(path_type=Path, dir_okay=False), default=None,
                        help="a dbt catalog.json whose columns help expand `select *` over undocumented relations")(func)
    return project_options(manifest_option(selection_options(func)))


def compute(run: Invocation, catalog: Path | None, database: Path | None,
            live_columns: bool = False) -> PropagationResult:
    with progress_bar(run, "column lineage") as bar:
        return analyse(run.project, manifest=run.manifest, catalog=catalog, database=database,
                       on_compile=lambda: run.log("compiling", detail="dbt compile (cached when nothing changed)"),
                       progress=bar, live_columns=live_columns)


def selected_nodes(run: Invocation, result: PropagationResult) -> set[str] | None:
    """The unique_ids --select/--exclude choose (None: all). Lineage is still computed over every node."""
    if not run.select and not run.exclude:
        return None
    return select(run.project.manifests.get("compile", run.manifest), run.select, run.exclude)


@click.command("lineage")
@click.argument("column", metavar="MODEL.COLUMN")
@lineage_options
@output_options(("text", "json"))
def lineage_command(column: str, catalog: Path | None, database: Path | None, **options: Any) -> int:
    """Explain a column: its path back to source columns and why it has its level.

    MODEL.COLUMN names a model, snapshot or seed column (a source column as SOURCE.TABLE.COLUMN). The
    tree shows the operations on each path (cast, lower, count, ...), the classification of every
    column on the way, the lineage rules that lowered it, and why the column has its level."""
    run = invocation("lineage", **options)
    explanation = explain(compute(run, catalog, database), column)
    click.echo(json.dumps(explanation, indent=2) if run.format == "json" else render(explanation))
    return ExitCode.OK


@click.command("check")
@lineage_options
@output_options()
def check_command(catalog: Path | None, database: Path | None, **options: Any) -> int:
    """CI/pre-commit check: every column derived from personal data is classified.

    Computes column lineage and compares it with the classifications in the YAML. Fails (exit 1) when
    a model or snapshot column derived from data at a masked level (3-4) has no classification, or a
    lower one that no human set (classified_by: manual); when a source or seed column has PII entities
    but no classification; when classification meta is invalid; or when a model's SQL cannot be
    analysed; and on a violation of a regime's rules (vars.governance.regimes: a full card number after
    raw, a personal column with no retention rule or purpose note, health data or a card number read in
    clear by a role the regime does not clear; see `governance report`). Manual classifications lower
    than lineage, and entries `governance propagate` would change, are warnings; a warning can be
    acknowledged in governance_acknowledgements.yml."""
    run = invocation("check", **options)
    result = compute(run, catalog, database, live_columns=True)
    findings = (check(result) + committed_clearance_findings(run.project.root, result.policy)
                + compliance_findings(Inventory(result, load_roles_spec(run.project.root))))
    chosen = selected_nodes(run, result)
    if chosen is not None:
        displays = {result.graph.nodes[uid].display for uid in chosen if uid in result.graph.nodes}
        findings = [f for f in findings if f.node in displays]
    for finding in findings:
        if finding.severity == "error":
            run.decide("check_finding", finding.subject, code=finding.code)
    run.decide("check_result", "project", columns=len(result.columns),
               errors=sum(f.severity == "error" for f in findings), warnings=sum(f.severity != "error" for f in findings))
    errors = render_findings(findings, run.format, run.project.root,
                             f"check {'FAILED' if any(f.severity == 'error' for f in findings) else 'passed'}: "
                             f"{len(result.columns)} columns checked")
    return ExitCode.FINDINGS if errors else ExitCode.OK


@click.command("propagate")
@lineage_options
@click.option("--dry-run", is_flag=True, help="show the YAML diff, write nothing")
@output_options(("text", "json"))
def propagate_command(catalog: Path | None, database: Path | None, dry_run: bool, **options: Any) -> int:
    """Carry classifications from source columns to every model column (column lineage).

    Compiles the project (or reuses a compile of unchanged inputs, or reads --manifest), computes the
    column lineage of every model and snapshot with sqlglot, and gives each model column the highest
    classification and the union of the PII entities of the columns it is derived from, lowered only
    by vars.governance.lineage_rules. Writes `classification`, `pii` and `classified_by: lineage` under
    each column's config.meta (round-trip, atomic, idempotent); removes lineage entries whose upstream
    is no longer classified; never changes a manual classification. --select limits what is written.

    Exit codes: 0 ok; 1 some model's SQL could not be analysed (its YAML is left as is); 2 bad input."""
    run = invocation("propagate", **options)
    started = time.perf_counter()
    result = compute(run, catalog, database)
    report = write_back(result, dry_run=dry_run, only=selected_nodes(run, result))
    graph = result.graph
    errors = [p for p in graph.problems if p.severity == "error"]
    warnings = [p for p in graph.problems if p.severity == "warning"]
    classified = [s for s in result.derived_columns() if s.lineage is not None and not s.manual]
    if not dry_run:
        for change in report.changes:
            run.decide("classification_changed", f"{change.node}.{change.column}",
                       from_level=change.before.level if change.before else None,
                       to_level=change.after.level if change.after else None)
    elapsed = time.perf_counter() - started
    if run.format == "json":
        click.echo(
            json.dumps(
                {
                    "dry_run": dry_run,
                    "changes": [
                        {
                            "node": c.node,
                            "column": c.column,
                            "action": c.action,
                            "after": None
                            if c.after is None
                            else {"level": c.after.level, "pii": list(c.after.pii)},
                        }
                        for c in report.changes
                    ],
                    "files": [str(p) for p in report.diffs],
                    "written": [str(p) for p in report.written],
                    "manual_lower": [
                        f"{graph.nodes[s.key[0]].display}.{s.key[1]}" for s in report.manual_lower
                    ],
                    "skipped": report.skipped,
                    "problems": [
                        {
                            "node": graph.nodes[p.unique_id].display,
                            "severity": p.severity,
                            "message": p.message,
                        }
                        for p in graph.problems
                    ],
                },
                indent=2,
            )
        )
        return 1 if errors else 0
    if dry_run:
        for diff in report.diffs.values():
            click.echo(diff, nl=False)
    for change in report.changes:
        after = (
            f"-> {change.after}"
            if change.after
            else "(classification removed: upstream no longer classified)"
        )
        click.echo(f"  {change.action:<5} {change.node}.{change.column} {after}")
    for state in report.manual_lower:
        click.echo(
            f"  manual {graph.nodes[state.key[0]].display}.{state.key[1]}: {state.declared} set by hand, "
            f"lower than lineage ({state.lineage}); left as is"
        )
    for line in report.skipped:
        click.echo(f"  skipped {line}")
    for problem in graph.problems:
        click.echo(f"  {problem.severity} {graph.nodes[problem.unique_id].display}: {problem.message}")
    analysed = sum(1 for n in graph.nodes.values() if n.resource_type in ("model", "snapshot"))
    columns = len(result.derived_columns())
    verb = "would change" if dry_run else "changed"
    click.echo(
        f"propagate: {analysed} models and snapshots, {columns} columns analysed in {elapsed:.1f} s; "
        f"{len(classified)} columns classified by lineage; {verb} {len(report.changes)} columns in "
        f"{len(report.diffs)} files; {len(report.manual_lower)} manual overrides lower than lineage; "
        f"{len(errors)} errors, {len(warnings)} warnings"
    )
    return ExitCode.FINDINGS if errors else ExitCode.OK
