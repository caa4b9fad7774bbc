"""`governance lineage MODEL.COLUMN`: explain a column's lineage and classification."""

from __future__ import annotations

import argparse
import json

from governance.commands._lineage_args import add_arguments, compute
from governance.explain import explain, render


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "lineage",
        help="explain a column: its path back to source columns and why it has its level",
        description=(
            "Show the column lineage of MODEL.COLUMN (a model, snapshot or seed; a source as "
            "SOURCE.TABLE.COLUMN) as a tree back to its source columns, with the operations on each path "
            "(cast, lower, count [count], ...), the classification of every column on the way, the "
            "lineage rules that lowered it, and why the column has its level."
        ),
        epilog="Exit codes: 0 ok; 2 unknown model or column, or bad input.",
    )
    parser.add_argument("column", metavar="MODEL.COLUMN", help="e.g. dim_customers.email")
    add_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = compute(args)
    explanation = explain(result, args.column)
    print(json.dumps(explanation, indent=2) if args.format == "json" else render(explanation))
    return 0
