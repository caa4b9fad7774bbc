"""`load-raw`: generate the raw layer into the local DuckDB, or append a change batch."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

import duckdb
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from raw_loader.generate import (
    PHARMACY_TABLE,
    RAW_SCHEMA,
    SHOP_TABLES,
    Scale,
    add_missing_prescriptions,
    existing_batches,
    load_batch,
    load_initial,
)

DEFAULT_DATABASE = "warehouse/analytics.duckdb"


def default_database() -> str:
    """The same file the dbt profile's default target uses."""
    return os.environ.get("DBT_DUCKDB_PATH", DEFAULT_DATABASE)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="load-raw",
        description=(
            "Generate the raw layer deterministically into a DuckDB database (schema 'raw'): Qlik Replicate "
            "change tables for the shop database, support-ticket API loads, marketing spend files and the "
            "pharmacy's prescription exports. "
            "With --append-batch, add the next change batch (inserts, updates with before-images, deletes "
            "and late-arriving changes) to exercise incremental models."),
        epilog="Examples: load-raw --change-rows 20000 | load-raw --append-batch --fraction 0.01 | "
               "load-raw --if-missing",
    )
    parser.add_argument("--database", default=default_database(),
                        help="DuckDB file (default: $DBT_DUCKDB_PATH or %(default)s)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--change-rows", type=int, default=20_000,
                      help="approximate number of shop change rows in the first load (default: %(default)s)")
    size.add_argument("--customers", type=int, help="exact number of customers in the first load")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
    parser.add_argument("--as-of", type=dt.datetime.fromisoformat,
                        help="end of the generated history, ISO date or time (default: today 00:00 UTC)")
    parser.add_argument("--replace", action="store_true", help="drop an existing raw layer first")
    parser.add_argument("--if-missing", action="store_true",
                        help="do nothing when a raw layer already exists (for idempotent setup)")
    parser.add_argument("--append-batch", action="store_true", help="append the next change batch")
    parser.add_argument("--fraction", type=float, default=0.01,
                        help="size of an appended batch as a share of the live rows (default: %(default)s)")
    parser.add_argument("--inject-malformed", action="store_true",
                        help="with --append-batch: add two malformed change rows (for quarantine tests)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.change_rows is not None and args.change_rows <= 0:
        parser.error("--change-rows must be positive")
    if not 0 < args.fraction <= 1:
        parser.error("--fraction must be in (0, 1]")
    if args.inject_malformed and not args.append_batch:
        parser.error("--inject-malformed goes with --append-batch")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(stderr=True, soft_wrap=True)
    path = Path(args.database)
    if path.stem.lower() == RAW_SCHEMA:
        console.print(f"[red]error:[/] {path}: a DuckDB file named '{path.name}' makes its catalog '{RAW_SCHEMA}', "
                      f"which clashes with the schema '{RAW_SCHEMA}'; choose another file name")
        return 2
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as exc:
        console.print(f"[red]error:[/] cannot open DuckDB database {path}: {exc}")
        return 2
    with con:
        batches = existing_batches(con)
        if args.if_missing and batches:
            _, seed, customers, as_of = batches[0]
            added = add_missing_prescriptions(con, seed, customers, as_of)
            if added:
                console.print(f"raw layer already present in {path}; added the pharmacy source ({added:,} "
                              f"prescriptions in {RAW_SCHEMA}.{PHARMACY_TABLE})")
                return 0
            console.print(f"raw layer already present in {path} ({len(batches)} batch(es)); nothing to do")
            return 0
        if args.append_batch:
            if not batches:
                console.print(f"[red]error:[/] {path} has no raw layer to append to; run load-raw first")
                return 2
        elif batches and not args.replace:
            console.print(f"[red]error:[/] {path} already has a raw layer; use --replace to regenerate it, "
                          "--append-batch to add changes, or --if-missing to keep it")
            return 2
        else:
            con.execute(f"drop schema if exists {RAW_SCHEMA} cascade")

        steps = [f"shop_{t}__ct" for t in SHOP_TABLES] + ["support_tickets", "marketing_ad_spend", PHARMACY_TABLE]
        started = time.perf_counter()
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console, disable=args.quiet) as bar:
            task = bar.add_task("loading", total=len(steps))

            def progress(step: str) -> None:
                bar.update(task, description=f"loading {step}", completed=steps.index(step))

            # one transaction: a failed load leaves the database as it was
            con.begin()
            if args.append_batch:
                result = load_batch(con, args.fraction, progress, args.inject_malformed)
            else:
                as_of = args.as_of or dt.datetime.now(dt.timezone.utc).replace(
                    hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
                scale = Scale(args.customers) if args.customers else Scale.from_change_rows(args.change_rows)
                result = load_initial(con, scale, args.seed, as_of.replace(tzinfo=None), progress)
            con.commit()
            bar.update(task, completed=len(steps), description="loaded")
        seconds = time.perf_counter() - started
    kind = "first load" if result.batch_id == 0 else f"batch {result.batch_id}"
    summary = ", ".join(f"{table} {n:,}" for table, n in result.rows_by_table.items())
    console.print(f"{kind}: {result.change_rows:,} change rows in {seconds:.1f}s into {path} ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
