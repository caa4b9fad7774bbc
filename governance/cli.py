"""The `governance` command line: one subcommand per module.

Exit codes: 0 success; 1 the check or scan found problems (a finding scripts should act on);
2 bad input or configuration (a message names the file or object at fault).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from governance import __version__
from governance.errors import GovernanceError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

# Subcommand modules. Each provides `register(subparsers)` that adds its parser and sets
# `func(args) -> int` as the parser default.
COMMAND_MODULES = [
    "governance.commands.policy",
    "governance.commands.protected",
    "governance.commands.roles",
    "governance.commands.propagate",
    "governance.commands.lineage",
    "governance.commands.check",
    "governance.commands.lint_project",
    "governance.commands.docs",
    "governance.commands.scan",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="governance",
        description=(
            "Data governance for the analytics dbt project: scan raw tables for personal data (PII), "
            "write classifications into the dbt YAML, carry them downstream through column lineage, "
            "check that nothing personal is unclassified, and generate Permifrost roles. "
            "The policy (levels, entities, roles, clearances) lives in dbt_project.yml under "
            "vars.governance."),
        epilog="Exit codes: 0 ok, 1 findings (a check failed), 2 bad input or configuration.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except GovernanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
