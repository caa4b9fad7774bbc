"""The PII scan as one object: connect → list → sample → detect → decide → write back.

`ScanPipeline(project, policy, options).run(progress)` returns a `ScanReport`; the CLI only renders
it. No sampled value leaves this package: samples are classified in memory and dropped; the report,
the state file and the YAML carry entity names, scores and levels only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.errors import ProjectError
from governance.policy import Policy, ScanSettings
from governance.project import DbtProject
from governance.project.profiles import Target
from governance.project.selection import needs_manifest, select, sources_manifest
from governance.project.warehouse import Connection, connect
from governance.scan.classifier import CLASSIFIER_VERSION, Classifier, ColumnResult
from governance.scan.sampling import (
    ScanError,
    TableRef,
    TableSample,
    describe_error,
    list_columns,
    list_tables,
    row_count,
    sample_table,
)
from governance.scan.state import DEFAULT_PATH, ScanState, signature
from governance.scan.writeback import write_back

Progress = Callable[[int, Any], None]


@dataclass(frozen=True)
class ScanOptions:
    """What to scan and how (the CLI's flags, without the CLI)."""

    select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    schemas: tuple[str, ...] = ()  # report-only scan of whole schemas (declared or not)
    database: str | None = None  # with schemas: another database, or a DuckDB file
    dry_run: bool = False
    add_missing_columns: bool = False
    full: bool = False
    state_file: Path | None = None
    threads: int | None = None
    manifest: Path | None = None  # to resolve --select without running dbt

    @property
    def report_only(self) -> bool:
        return bool(self.schemas or self.database)


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
    incomplete: bool = False  # ran out of its time budget: not judged, its YAML left as it is


@dataclass
class ScanReport:
    outcomes: list[TableOutcome]
    yaml_errors: list[str]
    diffs: dict[Path, str]
    report_only: bool
    dry_run: bool
    elapsed: float = 0.0

    @property
    def table_errors(self) -> list[TableOutcome]:
        return [o for o in self.outcomes if o.error]

    def unclassified(self) -> list[tuple[str, str]]:
        return unclassified(self.outcomes)

    @property
    def incomplete(self) -> list[TableOutcome]:
        return [o for o in self.outcomes if o.incomplete]


class ScanPipeline:
    def __init__(self, project: DbtProject, policy: Policy, options: ScanOptions,
                 classifier: Classifier | None = None):
        if options.database and not options.schemas:
            raise ProjectError("--database needs --schema (the schema of that database to scan)")
        if options.report_only and (options.select or options.exclude):
            raise ProjectError("--select/--exclude choose declared sources; they do not combine with --schema")
        self.project = project
        self.policy = policy
        self.options = options
        self.classifier = classifier
        self.settings = policy.scan

    def run(self, progress: Progress | None = None) -> ScanReport:
        started = time.perf_counter()
        options = self.options
        target = self.project.target()
        yaml_errors: list[str] = []
        with open_connection(target, options.database) as con:
            database = _database_name(con, target, options.database)
            refs = self._tables(con, database, yaml_errors)
            state = ScanState.load(options.state_file or self.project.root / DEFAULT_PATH)
            state.use_cache = not options.full  # --full rescans, but keeps the other tables' entries
            classifier = self.classifier or Classifier(self.policy.entity_levels)
            fingerprint = {**self.settings.as_dict(), "classifier": CLASSIFIER_VERSION,
                           "entity_levels": self.policy.entity_levels}
            outcomes = scan_tables(con, refs, classifier, self.settings, state, fingerprint,
                                   options.threads or target.threads, progress)
        diffs: dict[Path, str] = {}
        if not options.report_only:
            yaml_errors += write_back(outcomes, options.dry_run, options.add_missing_columns, diffs)
            if not options.dry_run:
                state.save()
        return ScanReport(outcomes, yaml_errors, diffs, options.report_only, options.dry_run,
                          time.perf_counter() - started)

    def _tables(self, con: Connection, database: str, errors: list[str]) -> list[tuple[TableRef, Path | None]]:
        options = self.options
        if options.report_only:
            refs: list[tuple[TableRef, Path | None]] = []
            for schema in options.schemas:
                found = [(ref, None) for ref in list_tables(con, database, schema)]
                if not found:
                    raise ProjectError(f"schema {database}.{schema} has no tables (or does not exist)")
                refs += found
            return refs
        declared = self.project.properties.source_tables(database, errors)
        if options.select or options.exclude:
            terms = (*options.select, *options.exclude)
            if options.manifest is not None or needs_manifest(terms):
                manifest = self.project.manifests.get("parse", options.manifest)
            else:  # source:, tag: and path: terms are answered from the property YAML alone, without dbt
                manifest = sources_manifest((t.source, t.table, t.tags, str(t.yaml_path.relative_to(self.project.root)))
                                            for t in declared)
            sources = manifest.get("sources", {})
            chosen = {(sources[uid]["source_name"], sources[uid]["name"])
                      for uid in select(manifest, options.select, options.exclude) if uid in sources}
            declared = [t for t in declared if (t.source, t.table) in chosen]
        return [(TableRef(t.database or database, t.schema, t.identifier, t.source, t.table), t.yaml_path)
                for t in declared]


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
    threads: int,
    progress: Progress | None = None,
) -> list[TableOutcome]:
    """Sample tables concurrently (I/O in worker threads), classify in this thread as samples arrive."""
    threads = max(1, threads)
    key_prefix = con.target.describe()
    outcomes: dict[TableRef, TableOutcome] = {ref: TableOutcome(ref, path) for ref, path in refs}

    def fetch(ref: TableRef) -> tuple[TableSample | None, list[ColumnResult] | None, str, float]:
        started = time.monotonic()
        cursor = con.cursor()
        try:
            columns = list_columns(con, ref, cursor)
            if not columns:
                raise ScanError("table not found in the database")
            rows = row_count(con, ref, cursor)
            sig = signature(columns, rows, fingerprint)
            cached = state.lookup(f"{key_prefix}|{ref.relation}", sig)
            if cached is not None:
                return TableSample(ref, columns, rows), cached, sig, started
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
                    settings.max_value_chars,
                    settings.max_column_bytes,
                ),
                None,
                sig,
                started,
            )
        finally:
            with contextlib.suppress(Exception):
                cursor.close()

    if progress:
        progress(len(refs), None)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = {pool.submit(fetch, ref): ref for ref, _ in refs}
        for future in as_completed(futures):
            ref = futures[future]
            outcome = outcomes[ref]
            try:
                sample, cached, sig, started = future.result()
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
                    # the budget counts from the start of this table's sampling (its wait for a worker
                    # thread not included)
                    deadline = started + settings.table_seconds
                    try:
                        outcome.results = classifier.classify_table(sample.columns, sample.values, deadline)
                    except TimeoutError:
                        outcome.incomplete = True  # keeps its existing classification; nothing stored
                    else:
                        state.store(f"{key_prefix}|{ref.relation}", sig, outcome.results)
                    finally:
                        sample.values.clear()
            if progress:
                progress(len(refs), ref.display)
    return sorted(outcomes.values(), key=lambda o: (o.ref.display, o.ref.relation))


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
        if outcome.incomplete:
            rows.append({**base, "column": None, "incomplete": True,
                         "note": "time budget exhausted: not classified, existing classification kept"})
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


