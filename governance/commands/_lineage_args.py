"""Options and helpers shared by `governance propagate`, `governance lineage` and `governance check`."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from governance.dbt_compile import compile_manifest
from governance.lineage import (
    Relation,
    build_lineage,
    columns_from_catalog,
    columns_from_duckdb,
    load_manifest,
)
from governance.policy import find_project_dir
from governance.propagate import PropagationResult, propagate

stderr = Console(stderr=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=None,
        help="dbt project directory (default: the nearest one at or above the current directory)",
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="use this manifest.json (after `dbt compile`) instead of compiling the project "
        "into a private target path",
    )
    parser.add_argument(
        "--target-path",
        type=Path,
        default=None,
        help="where to compile (default: a temporary directory, removed afterwards)",
    )
    parser.add_argument(
        "--catalog",
        type=Path,
        default=None,
        help="a dbt catalog.json whose columns help expand `select *` over undocumented relations",
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        help="a DuckDB file whose information_schema helps expand `select *` (opened read-only)",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format")


def compute(args: argparse.Namespace) -> PropagationResult:
    project_dir = (args.project_dir or find_project_dir()).resolve()
    extra: dict[Relation, list[str]] = {}
    if args.catalog:
        extra.update(columns_from_catalog(args.catalog))
    if args.database:
        for relation, columns in columns_from_duckdb(args.database).items():
            extra.setdefault(relation, columns)
    if args.manifest:
        manifest = load_manifest(args.manifest)
    elif args.target_path:
        with stderr.status("compiling the project with dbt ..."):
            manifest = load_manifest(compile_manifest(project_dir, args.target_path))
    else:
        with (
            tempfile.TemporaryDirectory(prefix="governance-compile-") as tmp,
            stderr.status("compiling the project with dbt ..."),
        ):
            manifest = load_manifest(compile_manifest(project_dir, Path(tmp)))
    total = sum(
        1 for n in manifest.get("nodes", {}).values() if n.get("resource_type") in ("model", "snapshot")
    )
    with Progress(
        TextColumn("column lineage"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    ) as progress:
        task = progress.add_task("", total=total)
        graph = build_lineage(
            manifest, extra, progress=lambda node: progress.update(task, advance=1, description=node.name)
        )
    return propagate(project_dir, graph)
