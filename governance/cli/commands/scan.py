"""`governance scan`: find personal data (PII) in raw tables and write the classification into the
dbt source YAML (each column's `config: meta:`)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from governance.cli.main import ExitCode
from governance.cli.options import invocation, manifest_option, output_options, project_options, selection_options
from governance.cli.progress import progress_bar
from governance.policy import load_policy
from governance.scan.pipeline import ScanOptions, ScanPipeline, TableOutcome, as_json
from governance.scan.state import DEFAULT_PATH


@click.command("scan", epilog=(
    "Examples: governance scan | governance scan --select source:shop.customers__ct --dry-run | "
    "governance scan --schema raw --format json | governance scan --dry-run --fail-on-unclassified"))
@project_options
@manifest_option
@selection_options
@click.option("--schema", "schemas", multiple=True, metavar="SCHEMA",
              help="scan every table of this schema, declared or not (report only; repeatable)")
@click.option("--database", default=None,
              help="with --schema: a database (Snowflake) or DuckDB file/catalog to scan instead (report only)")
@click.option("--dry-run", is_flag=True, help="show the YAML diff it would write; write nothing")
@click.option("--add-missing-columns", is_flag=True,
              help="add columns found in the table but missing from the YAML (with a description placeholder)")
@click.option("--fail-on-unclassified", is_flag=True,
              help="exit 1 when a column looks personal but its YAML carries no (or a lower) classification; "
              "for CI, usually with --dry-run")
@click.option("--full", is_flag=True, help="rescan every table (ignore the state of the last scan)")
@click.option("--state-file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=f"re-scan state (default: <project>/{DEFAULT_PATH})")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="concurrent sampling queries (default: the target's threads)")
@output_options(("text", "json"))
def scan_command(schemas: tuple[str, ...], database: str | None, dry_run: bool, add_missing_columns: bool,
                 fail_on_unclassified: bool, full: bool, state_file: Path | None, threads: int | None,
                 **options: Any) -> int:
    """Detect personal data (PII) in raw tables and write the classification into the dbt YAML.

    Samples every table declared as a dbt source (or those --select chooses: `source:shop`,
    `source:shop.orders__ct`, `tag:pii`), detects personal data with Presidio (patterns with checksums,
    spaCy named entities, the column name as context), and writes `classification`, `pii` and
    `classified_by: scan` under each column's `config: meta:` in the YAML that declares the table. A
    classification a human set is never changed. Sampling is deterministic and bounded. No sampled
    value is ever printed, logged or stored. Connects through the project's dbt profile and target.

    Exit codes: 0 ok; 1 with --fail-on-unclassified when a column looks personal but carries no
    (sufficient) classification; 2 bad input (unreadable YAML, a table that cannot be read)."""
    run = invocation("scan", **options)
    policy = load_policy(run.project)
    scan_options = ScanOptions(run.select, run.exclude, schemas, database, dry_run, add_missing_columns, full,
                               state_file, threads, run.manifest)
    with progress_bar(run, "scan") as bar:
        report = ScanPipeline(run.project, policy, scan_options).run(bar if run.interactive else progress_lines(run))
    for outcome in report.outcomes:
        for column in outcome.results:
            if column.pii:
                run.decide("scan_finding", f"{outcome.ref.display}.{column.column}", entities=list(column.pii),
                           level=column.classification, decided_by=column.decided_by or "")
    console = Console(stderr=True)
    for message in report.yaml_errors:
        console.print(f"[red]error:[/] {message}")
    findings = report.unclassified() if fail_on_unclassified else []
    incomplete = report.incomplete
    if run.format == "json":
        json.dump(as_json(report.outcomes), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for path, diff in sorted(report.diffs.items()):
            shown = path.relative_to(run.project.root) if path.is_relative_to(run.project.root) else path
            sys.stdout.write(diff.replace(str(path), str(shown)))
        print_summary(report.outcomes, report.elapsed, report.report_only, report.dry_run)
    for table, column in findings:
        console.print(f"[red]unclassified:[/] {table}.{column} looks personal but its YAML carries no "
                      "(sufficient) classification")
    for outcome in incomplete:
        console.print(f"[yellow]incomplete:[/] {outcome.ref.display} ran out of its time budget "
                      f"({policy.scan.table_seconds}s, vars.governance.scan.table_seconds): not classified, "
                      "its existing classification kept")
    if report.yaml_errors or report.table_errors:
        return ExitCode.BAD_INPUT
    # an incomplete table may hide personal columns: CI must not pass on it
    return ExitCode.FINDINGS if findings or (fail_on_unclassified and incomplete) else ExitCode.OK


def progress_lines(run: Any) -> Callable[[int, Any], None]:
    """Without a terminal (CI, a pipe): one status line per table on stderr, so a long scan shows life."""
    done = [0]
    started = time.perf_counter()

    def advance(total: int, item: Any) -> None:
        if item is None:
            run.log("started", tables=total)
            return
        done[0] += 1
        run.log("table", name=str(item), done=f"{done[0]}/{total}", elapsed=f"{time.perf_counter() - started:.1f}s")

    return advance


def print_summary(outcomes: list[TableOutcome], elapsed: float, report_only: bool, dry_run: bool) -> None:
    table = Table(title="PII scan", show_lines=False)
    for name in ("table", "column", "type", "pii (coverage)", "level", "by", "yaml"):
        table.add_column(name)
    columns = personal = 0
    for outcome in outcomes:
        if outcome.error:
            table.add_row(outcome.ref.display, "-", "-", f"[red]{outcome.error}[/]", "-", "-", "-")
            continue
        if outcome.incomplete:
            table.add_row(outcome.ref.display, "-", "-", "[yellow]incomplete: time budget exhausted[/]", "-", "-",
                          "kept")
            continue
        if not outcome.results:
            table.add_row(outcome.ref.display, "-", "-", "no columns", "-", "-", "-")
        for result in outcome.results:
            columns += 1
            action = outcome.actions.get(result.column, "")
            if not result.pii and action.startswith("kept"):
                table.add_row(outcome.ref.display, result.column, result.data_type, "none found now",
                              str(outcome.yaml_levels.get(result.column)), "", action)
                continue
            if not result.pii:
                continue
            personal += 1
            pii = ", ".join(f"{e.entity} ({e.coverage:.0%})" for e in result.entities)
            yaml_action = outcome.actions.get(result.column, "report only")
            table.add_row(
                outcome.ref.display,
                result.column,
                result.data_type,
                pii,
                str(result.classification),
                result.decided_by or "",
                yaml_action,
            )
    out = Console() if sys.stdout.isatty() else Console(width=140)
    out.print(table)
    for outcome in outcomes:
        notes = [f"{r.column}: {r.note}" for r in outcome.results if r.note]
        if outcome.error:
            out.print(f"[red]{outcome.ref.display}[/]: not scanned: {outcome.error}")
        elif outcome.results and outcome.row_count == 0:
            out.print(f"{outcome.ref.display}: empty table; judged by column names only")
        for note in notes:
            out.print(f"{outcome.ref.display}: {note}")
    unchanged = sum(1 for o in outcomes if o.skipped_unchanged)
    written = sum(1 for o in outcomes for a in o.actions.values() if a in ("updated", "added"))
    pending = sum(1 for o in outcomes for a in o.actions.values() if a.startswith("would"))
    manual = sum(1 for o in outcomes for a in o.actions.values() if a == "manual (kept)")
    missing = sum(1 for o in outcomes for a in o.actions.values() if a == "not in YAML")
    kept = sum(1 for o in outcomes for a in o.actions.values() if a.startswith("kept"))
    errors = sum(1 for o in outcomes if o.error)
    parts = [
        f"{len(outcomes)} tables ({unchanged} unchanged since the last scan)",
        f"{columns} columns",
        f"{personal} personal",
    ]
    if report_only:
        parts.append("report only")
    elif dry_run:
        parts.append(f"{pending} column(s) would change (dry run: nothing written)")
    else:
        parts.append(f"{written} column(s) written")
    if manual:
        parts.append(f"{manual} manual kept")
    if kept:
        parts.append(f"{kept} kept: lowering needs a human (classified_by: manual)")
    if missing:
        parts.append(f"{missing} not in YAML (use --add-missing-columns)")
    if errors:
        parts.append(f"{errors} table(s) not scanned")
    incomplete = sum(1 for o in outcomes if o.incomplete)
    if incomplete:
        parts.append(f"{incomplete} table(s) incomplete (time budget)")
    out.print(", ".join(parts) + f" in {elapsed:.1f}s")
