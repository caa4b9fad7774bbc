"""`governance propagate`: carry classifications down the column lineage into the models' YAML."""

from __future__ import annotations

import argparse
import json
import time

from governance.commands._lineage_args import add_arguments, compute
from governance.propagate import write_back


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "propagate",
        help="carry classifications from source columns to every model column (column lineage)",
        description=(
            "Compile the project (or read --manifest), compute column-level lineage of every model and "
            "snapshot with sqlglot, and give each model column the highest classification and the union "
            "of the PII entities of the columns it is derived from, lowered only by the policy's "
            "vars.governance.lineage_rules. Writes `classification`, `pii` and `classified_by: lineage` "
            "under each column's config.meta in the models' YAML (round-trip, atomic, idempotent); removes "
            "lineage entries whose upstream is no longer classified; never changes a manual "
            "classification (it is reported when lower than lineage says). --dry-run shows the diff."
        ),
        epilog="Exit codes: 0 ok; 1 some model's SQL could not be analysed (its YAML is left as is); "
        "2 bad input or configuration.",
    )
    add_arguments(parser)
    parser.add_argument("--dry-run", action="store_true", help="show the YAML diff, write nothing")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    result = compute(args)
    report = write_back(result, dry_run=args.dry_run)
    graph = result.graph
    errors = [p for p in graph.problems if p.severity == "error"]
    warnings = [p for p in graph.problems if p.severity == "warning"]
    classified = [s for s in result.derived_columns() if s.lineage is not None and not s.manual]
    elapsed = time.perf_counter() - started
    if args.format == "json":
        print(
            json.dumps(
                {
                    "dry_run": args.dry_run,
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
    if args.dry_run:
        for diff in report.diffs.values():
            print(diff, end="")
    for change in report.changes:
        after = (
            f"-> {change.after}"
            if change.after
            else "(classification removed: upstream no longer classified)"
        )
        print(f"  {change.action:<5} {change.node}.{change.column} {after}")
    for state in report.manual_lower:
        print(
            f"  manual {graph.nodes[state.key[0]].display}.{state.key[1]}: {state.declared} set by hand, "
            f"lower than lineage ({state.lineage}); left as is"
        )
    for line in report.skipped:
        print(f"  skipped {line}")
    for problem in graph.problems:
        print(f"  {problem.severity} {graph.nodes[problem.unique_id].display}: {problem.message}")
    analysed = sum(1 for n in graph.nodes.values() if n.resource_type in ("model", "snapshot"))
    columns = len(result.derived_columns())
    verb = "would change" if args.dry_run else "changed"
    print(
        f"propagate: {analysed} models and snapshots, {columns} columns analysed in {elapsed:.1f} s; "
        f"{len(classified)} columns classified by lineage; {verb} {len(report.changes)} columns in "
        f"{len(report.diffs)} files; {len(report.manual_lower)} manual overrides lower than lineage; "
        f"{len(errors)} errors, {len(warnings)} warnings"
    )
    return 1 if errors else 0
