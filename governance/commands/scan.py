"""`governance scan`: find personal data (PII) in raw tables and write the classification into the dbt
source YAML (each column's ``config: meta:``)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from governance import dbt_yaml
from governance.classify import CLASSIFIER_VERSION, Classifier, ColumnResult
from governance.connection import Connection, Target, connect, load_target
from governance.errors import PolicyError, ProjectError
from governance.policy import POLICY_KEY, find_project_dir, load_policy
from governance.scan import (
    ScanError,
    TableRef,
    TableSample,
    describe_error,
    list_columns,
    list_tables,
    row_count,
    sample_table,
)
from governance.scan_state import DEFAULT_PATH, ScanState, signature
from governance.sources import DeclaredTable, declared_tables, select

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SCAN_KEYS = ("classification", "pii", "scan_decided_by")


@dataclass(frozen=True)
class ScanSettings:
    sample_rows: int = 2000
    distinct_values: int = 100
    seed: int = 42

    def as_dict(self) -> dict[str, int]:
        return {
            "sample_rows": self.sample_rows,
            "distinct_values": self.distinct_values,
            "seed": self.seed,
        }


def scan_settings(policy: Any) -> ScanSettings:
    """`vars.governance.scan` (all keys optional): sample_rows, distinct_values, seed."""
    raw = policy.raw.get("scan") or {}
    key = f"{POLICY_KEY}.scan"
    if not isinstance(raw, dict):
        raise PolicyError(f"{policy.source}: {key}: must be a mapping")
    defaults = ScanSettings().as_dict()
    values = {}
    for name, default in defaults.items():
        value = raw.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < (0 if name == "seed" else 1):
            raise PolicyError(f"{policy.source}: {key}.{name}: must be a positive integer; got {value!r}")
        values[name] = value
    unknown = set(raw) - set(defaults)
    if unknown:
        raise PolicyError(f"{policy.source}: {key}: unknown key(s) {', '.join(sorted(unknown))}")
    return ScanSettings(**values)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "scan",
        help="detect personal data (PII) in raw tables and write the classification into the dbt YAML",
        description=(
            "Sample every table declared as a dbt source (or the ones selected), detect personal data with "
            "Presidio (patterns with checksums, spaCy named entities, the column name as context), and write "
            "`classification`, `pii` and `classified_by: scan` under each column's `config: meta:` in the "
            "YAML that declares the table. A classification a human set (no automatic marker, or "
            "`classified_by: manual`) is never changed. Sampling is deterministic and bounded: the same data "
            "gives the same result, at the same cost for any table size. No sampled value is ever printed, "
            "logged or stored. Connects through the project's dbt profile and target."
        ),
        epilog=(
            "Exit codes: 0 ok; 1 with --fail-on-unclassified when a column looks personal but carries no "
            "classification (or a lower one than found); 2 bad input or configuration (unreadable YAML, "
            "a selected table that cannot be read). Examples: governance scan | governance scan --select "
            "shop.customers__ct --dry-run | governance scan --schema raw --format json | "
            "governance scan --dry-run --fail-on-unclassified"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--project-dir", type=Path, default=None, help="dbt project directory (default: search up)")
    parser.add_argument(
        "--profiles-dir",
        type=Path,
        default=None,
        help="directory of profiles.yml (default: $DBT_PROFILES_DIR, the project, ~/.dbt)",
    )
    parser.add_argument("--target", default=None, help="dbt target to connect to (default: the profile's)")
    parser.add_argument(
        "--select",
        "-s",
        nargs="+",
        default=[],
        metavar="SOURCE[.TABLE]",
        help="declared source tables to scan: `shop`, `shop.orders__ct`, globs (`shop.*`)",
    )
    parser.add_argument(
        "--database",
        default=None,
        help="with --schema: a database (Snowflake) or DuckDB file/catalog to scan instead of "
        "the declared sources; report only, nothing is written",
    )
    parser.add_argument(
        "--schema",
        nargs="+",
        default=None,
        metavar="SCHEMA",
        help="scan every table of these schemas, declared or not (report only)",
    )
    parser.add_argument("--dry-run", action="store_true", help="show the YAML diff it would write; write nothing")
    parser.add_argument(
        "--add-missing-columns",
        action="store_true",
        help="add columns found in the table but missing from the YAML (with a description "
        "placeholder) so that they can carry their classification",
    )
    parser.add_argument(
        "--fail-on-unclassified",
        action="store_true",
        help="exit 1 when a column looks personal but its YAML carries no classification (or a "
        "lower one than found); for CI, usually with --dry-run",
    )
    parser.add_argument("--full", action="store_true", help="rescan every table (ignore the state of the last scan)")
    parser.add_argument(
        "--state-file",
        type=Path,
        default=None,
        help=f"re-scan state (default: <project>/{DEFAULT_PATH}); tables whose columns and row "
        "count are unchanged are not sampled again",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="concurrent sampling queries (default: the target's threads)",
    )
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: summary table for people; json: a list of column objects on stdout",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


@dataclass
class TableOutcome:
    ref: TableRef
    yaml_path: Path | None = None
    results: list[ColumnResult] = field(default_factory=list)
    error: str | None = None
    skipped_unchanged: bool = False
    row_count: int = 0
    method: str = ""
    actions: dict[str, str] = field(default_factory=dict)  # column -> what happened in the YAML
    yaml_levels: dict[str, Any] = field(default_factory=dict)  # column -> classification in the YAML


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    project_dir = (args.project_dir or find_project_dir()).resolve()
    args.project_dir_resolved = project_dir
    policy = load_policy(project_dir)
    settings = scan_settings(policy)
    target = load_target(project_dir, args.target, args.profiles_dir)
    console = Console(stderr=True)
    report_only = bool(args.schema or args.database)
    if args.database and not args.schema:
        raise ProjectError("--database needs --schema (the schema of that database to scan)")

    yaml_errors: list[str] = []
    declared: list[DeclaredTable] = []
    with open_connection(target, args.database) as con:
        database = _database_name(con, target, args.database)
        if report_only:
            if args.select:
                raise ProjectError("--select chooses declared sources; it does not combine with --schema")
            refs = []
            for schema in args.schema:
                found = [(ref, None) for ref in list_tables(con, database, schema)]
                if not found:
                    raise ProjectError(f"schema {database}.{schema} has no tables (or does not exist)")
                refs += found
        else:
            declared, yaml_errors = declared_tables(project_dir, database)
            declared = select(declared, args.select)
            refs = [(d.ref, d.yaml_path) for d in declared]
        for message in yaml_errors:
            console.print(f"[red]error:[/] {message}")

        state_path = args.state_file or project_dir / DEFAULT_PATH
        state = ScanState.load(state_path)
        state.use_cache = not args.full  # --full rescans, but keeps the other tables' entries
        classifier = Classifier(policy.entity_levels)
        fingerprint = {
            **settings.as_dict(),
            "classifier": CLASSIFIER_VERSION,
            "entity_levels": policy.entity_levels,
        }
        outcomes = scan_tables(con, refs, classifier, settings, state, fingerprint, args, console)

    if not report_only:
        yaml_errors += write_back(outcomes, args, console)
    if not args.dry_run and not report_only:
        state.save()
    findings = unclassified(outcomes) if args.fail_on_unclassified else []
    elapsed = time.perf_counter() - started
    if args.format == "json":
        json.dump(as_json(outcomes), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_summary(outcomes, console, elapsed, report_only, args.dry_run)
    for table, column in findings:
        console.print(
            f"[red]unclassified:[/] {table}.{column} looks personal but its YAML carries no "
            "(sufficient) classification"
        )
    table_errors = [o for o in outcomes if o.error]
    if yaml_errors or table_errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if findings else EXIT_OK


def _is_duckdb_file(name: str | None) -> bool:
    return bool(name) and (name.endswith((".duckdb", ".db")) or "/" in name)


def open_connection(target: Target, database: str | None) -> Connection:
    """Connect to the target, or (DuckDB) to another database file given with --database."""
    if target.type == "duckdb" and _is_duckdb_file(database):
        return connect(dataclasses.replace(target, fields={**target.fields, "path": database}))
    return connect(target)


def _database_name(con: Connection, target: Target, database: str | None) -> str:
    """The catalog to list: DuckDB's current database (a file's stem) unless another is named."""
    if con.dialect == "duckdb":
        if database and not _is_duckdb_file(database):
            return database
        cur = con.cursor()
        cur.execute("select current_database()")
        return str(cur.fetchone()[0])
    return database or target.database


def scan_tables(
    con: Connection,
    refs: list[tuple[TableRef, Path | None]],
    classifier: Classifier,
    settings: ScanSettings,
    state: ScanState,
    fingerprint: dict[str, Any],
    args: argparse.Namespace,
    console: Console,
) -> list[TableOutcome]:
    """Sample tables concurrently (I/O in worker threads), classify in this thread as samples arrive."""
    threads = max(1, args.threads or con.target.threads)
    key_prefix = con.target.describe()
    outcomes: dict[TableRef, TableOutcome] = {ref: TableOutcome(ref, path) for ref, path in refs}

    def fetch(ref: TableRef) -> tuple[TableSample | None, list[ColumnResult] | None, str]:
        cursor = con.cursor()
        try:
            columns = list_columns(con, ref, cursor)
            if not columns:
                raise ScanError("table not found in the database")
            rows = row_count(con, ref, cursor)
            sig = signature(columns, rows, fingerprint)
            cached = state.lookup(f"{key_prefix}|{ref.relation}", sig)
            if cached is not None:
                return TableSample(ref, columns, rows), cached, sig
            return (
                sample_table(
                    con,
                    ref,
                    columns,
                    rows,
                    settings.sample_rows,
                    settings.distinct_values,
                    settings.seed,
                    cursor,
                ),
                None,
                sig,
            )
        finally:
            with contextlib.suppress(Exception):
                cursor.close()

    progress = Progress(
        TextColumn("[bold]scan"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        disable=args.quiet or not console.is_terminal,
    )
    with progress, ThreadPoolExecutor(max_workers=threads) as pool:
        task = progress.add_task("", total=len(refs))
        futures = {pool.submit(fetch, ref): ref for ref, _ in refs}
        for future in as_completed(futures):
            ref = futures[future]
            outcome = outcomes[ref]
            progress.update(task, description=ref.display)
            try:
                sample, cached, sig = future.result()
            except ScanError as exc:
                outcome.error = str(exc)
            except Exception as exc:  # a database error: never echo its text (it can quote values)
                outcome.error = describe_error(exc)
            else:
                assert sample is not None
                outcome.row_count, outcome.method = sample.row_count, sample.method
                if cached is not None:
                    outcome.results, outcome.skipped_unchanged = cached, True
                else:
                    outcome.results = classifier.classify_table(sample.columns, sample.values)
                    sample.values.clear()
                    state.store(f"{key_prefix}|{ref.relation}", sig, outcome.results)
            progress.advance(task)
    return sorted(outcomes.values(), key=lambda o: (o.ref.display, o.ref.relation))


def write_back(outcomes: list[TableOutcome], args: argparse.Namespace, console: Console) -> list[str]:
    """Write results into the YAML files that declare the tables. Returns error messages.
    `outcome.yaml_levels` gets the classification each column carries in the YAML afterwards (with
    --dry-run: the one it carries now, since nothing is written)."""
    errors: list[str] = []
    by_file: dict[Path, list[TableOutcome]] = {}
    for outcome in outcomes:
        if outcome.yaml_path and not outcome.error:
            by_file.setdefault(outcome.yaml_path, []).append(outcome)
    for path, file_outcomes in sorted(by_file.items()):
        try:
            document = dbt_yaml.YamlFile.load(path)
        except dbt_yaml.YamlFileError as exc:
            errors.append(str(exc))
            console.print(f"[red]error:[/] {exc}")
            continue
        for outcome in file_outcomes:
            node = document.source_table(str(outcome.ref.source), str(outcome.ref.table))
            if node is None:
                continue
            for result in outcome.results:
                action, before, after = apply(node, result, args.add_missing_columns)
                if args.dry_run and action in ("updated", "added"):
                    action, after = {"updated": "would update", "added": "would add"}[action], before
                outcome.actions[result.column] = action
                outcome.yaml_levels[result.column] = after
        if not document.changed:
            continue
        if args.dry_run:
            if args.format == "text":
                shown = (
                    path.relative_to(args.project_dir_resolved)
                    if path.is_relative_to(args.project_dir_resolved)
                    else path
                )
                sys.stdout.write(dbt_yaml.unified_diff(document.original_text, document.render(), shown))
        else:
            document.save()
    return errors


def apply(table_node: Any, result: ColumnResult, add_missing: bool) -> tuple[str, Any, Any]:
    """Set one column's classification. Returns (action, classification before, classification after)."""
    column = dbt_yaml.column_node(table_node, result.column, create=False)
    added = False
    if column is None:
        if not add_missing:
            return "not in YAML", None, None
        column = dbt_yaml.column_node(table_node, result.column, create=True)
        added = True
    meta = dbt_yaml.column_meta(column)
    before = meta.get("classification")
    if dbt_yaml.is_manual(meta):
        return "manual (kept)", before, before
    if not result.pii:
        # nothing personal: leave the column unclassified (remove what an earlier scan wrote)
        changed = dbt_yaml.clear_classification(column, "scan", SCAN_KEYS)
        if added:
            return "added", None, None
        return ("updated" if changed else "unchanged"), before, None
    values: dict[str, Any] = {"classification": result.classification, "pii": result.pii}
    if result.decided_by:
        values["scan_decided_by"] = result.decided_by
    changed = dbt_yaml.set_classification(column, values, "scan")
    if added:
        return "added", None, result.classification
    return ("updated" if changed else "unchanged"), before, result.classification


def unclassified(outcomes: list[TableOutcome]) -> list[tuple[str, str]]:
    """Personal columns whose YAML carries no classification or a lower one than found (a human's
    lower classification is kept, and still reported). Undeclared tables carry none."""
    out = []
    for outcome in outcomes:
        for result in outcome.results:
            if not result.pii or result.classification is None:
                continue
            level = outcome.yaml_levels.get(result.column)
            if not isinstance(level, int) or level < result.classification:
                out.append((outcome.ref.display, result.column))
    return out


def as_json(outcomes: list[TableOutcome]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for outcome in outcomes:
        base = {"table": outcome.ref.display, "relation": outcome.ref.relation}
        if outcome.error:
            rows.append({**base, "column": None, "error": outcome.error})
            continue
        for result in outcome.results:
            row = {
                **base,
                **result.as_dict(),
                "yaml": outcome.actions.get(result.column, "report only"),
                "unchanged_since_last_scan": outcome.skipped_unchanged,
            }
            rows.append(row)
    return rows


def print_summary(
    outcomes: list[TableOutcome], console: Console, elapsed: float, report_only: bool, dry_run: bool
) -> None:
    table = Table(title="PII scan", show_lines=False)
    for name in ("table", "column", "type", "pii (coverage)", "level", "by", "yaml"):
        table.add_column(name)
    columns = personal = 0
    for outcome in outcomes:
        if outcome.error:
            table.add_row(outcome.ref.display, "-", "-", f"[red]{outcome.error}[/]", "-", "-", "-")
            continue
        if not outcome.results:
            table.add_row(outcome.ref.display, "-", "-", "no columns", "-", "-", "-")
        for result in outcome.results:
            columns += 1
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
    if missing:
        parts.append(f"{missing} not in YAML (use --add-missing-columns)")
    if errors:
        parts.append(f"{errors} table(s) not scanned")
    out.print(", ".join(parts) + f" in {elapsed:.1f}s")
