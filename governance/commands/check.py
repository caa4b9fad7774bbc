"""`governance check`: fail (exit 1) when personal data is not classified where it flows."""

from __future__ import annotations

import argparse
import json

from governance.commands._lineage_args import add_arguments, compute
from governance.propagate import check


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="CI/pre-commit check: every column derived from personal data is classified",
        description=(
            "Compute column lineage and compare it with the classifications in the YAML. Fails (exit 1) "
            "when a model or snapshot column derived from data at a masked level (3-4) has no "
            "classification, or a lower one that no human set (classified_by: manual); when a source "
            "or seed column has PII entities (from the scan) but no classification; when classification "
            "meta is invalid; or when a model's SQL cannot be analysed. Manual classifications lower than "
            "lineage, and lineage entries that `governance propagate` would change, are warnings."
        ),
        epilog="Exit codes: 0 ok (warnings allowed); 1 findings; 2 bad input or configuration.",
    )
    add_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = compute(args)
    findings = check(result)
    errors = [f for f in findings if f.severity == "error"]
    if args.format == "json":
        print(json.dumps({"ok": not errors, "findings": [f.to_dict() for f in findings]}, indent=2))
        return 1 if errors else 0
    for finding in sorted(findings, key=lambda f: (f.severity != "error", f.node, f.column or "")):
        where = f"{finding.node}.{finding.column}" if finding.column else finding.node
        print(f"{finding.severity.upper():<7} {finding.code:<19} {where}: {finding.message}")
    warnings = len(findings) - len(errors)
    columns = len(result.columns)
    status = "FAILED" if errors else "passed"
    print(f"check {status}: {columns} columns checked, {len(errors)} errors, {warnings} warnings")
    return 1 if errors else 0
