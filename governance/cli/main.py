"""The `governance` command line: a thin click layer over the capability packages.

Exit codes (one enum, every command): 0 ok; 1 findings (a check failed: scripts should act);
2 bad input or configuration (the message names the file, key or line); 3 an internal error (a bug:
one line, no traceback unless GOVERNANCE_DEBUG=1); 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

import click

from governance import __version__
from governance.errors import GovernanceError

if TYPE_CHECKING:
    from governance.cli.options import Invocation


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    BAD_INPUT = 2
    INTERNAL = 3
    INTERRUPTED = 130


EPILOG = ("Exit codes: 0 ok, 1 findings (a check failed), 2 bad input or configuration, 3 internal error. "
          "Shell completion: `governance completion bash|zsh|fish`.")


# command name -> "module:function"; a command's module (and what it imports: sqlglot, Presidio, dbt)
# is imported only when that command runs. Listed in the order of the daily loop.
COMMANDS = {
    "init": "governance.cli.commands.init:init_command",
    "policy": "governance.cli.commands.policy:policy_command",
    "scan": "governance.cli.commands.scan:scan_command",
    "propagate": "governance.cli.commands.lineage:propagate_command",
    "check": "governance.cli.commands.lineage:check_command",
    "lineage": "governance.cli.commands.lineage:lineage_command",
    "protected": "governance.cli.commands.protected:protected_command",
    "anonymity": "governance.cli.commands.anonymity:anonymity_command",
    "report": "governance.cli.commands.report:report_command",
    "roles": "governance.cli.commands.roles:roles_command",
    "erase": "governance.cli.commands.erase:erase_command",
    "retention": "governance.cli.commands.retention:retention_command",
    "docs": "governance.cli.commands.docs:docs_command",
    "lint-project": "governance.cli.commands.lint:lint_command",
    "completion": "governance.cli.commands.completion:completion_command",
}


class Group(click.Group):
    """Commands imported on demand, listed in the daily loop's order."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        import importlib

        module, _, attribute = COMMANDS[cmd_name].partition(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
             epilog=EPILOG)
@click.version_option(__version__, prog_name="governance")
def cli() -> None:
    """Data governance for a dbt project: scan raw tables for personal data (PII), write
    classifications into the dbt YAML, carry them downstream through column lineage, check that
    nothing personal is unclassified, mask it, and generate Permifrost roles.

    The policy (levels, entities, roles, clearances, masking, grants) lives in dbt_project.yml
    under vars.governance."""


AUDITED = ("scan", "propagate", "check", "protected", "anonymity", "roles", "policy", "erase")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (never raises, never prints a traceback). The decisions of
    scan, propagate, check, protected, anonymity, roles, policy and erase go to the audit trail (see `record_audit`)."""
    from governance.cli.options import CURRENT

    CURRENT.clear()
    code = _run(argv)
    if CURRENT and CURRENT[-1].command in AUDITED:
        record_audit(CURRENT[-1], code)
    return code


def record_audit(run: Invocation, code: int) -> None:
    """Append the command's decisions and its outcome to the warehouse's audit trail, when the target's
    warehouse is there (GOVERNANCE_AUDIT=0 turns it off). The trail never blocks the command: a failure
    to record is said on stderr."""
    if os.environ.get("GOVERNANCE_AUDIT", "1") in ("0", "false", "off"):
        return
    try:
        from governance.observability.decisions import Decision, record_decisions

        if run.project.manifests.local_warehouse() is None and run.project.manifests.target_type() != "snowflake":
            return  # no warehouse to append to (a DuckDB target not built yet, or no target at all)
        project = run.project
        outcome = "command_succeeded" if code in (ExitCode.OK, ExitCode.FINDINGS) else "command_failed"
        decisions = [Decision(kind, subject, details) for kind, subject, details in run.decisions]
        decisions.append(Decision(outcome, run.command, {"exit_code": int(code), "decisions": len(decisions)}))
        record_decisions(project.root, run.target, run.command.replace("-", "_"), decisions, wait_seconds=5.0,
                         resolved=project.manifests.local_target())
    except Exception as exc:  # the trail is evidence, not a gate: say it was not written, never why in data
        print(f"audit: decisions of `governance {run.command}` not recorded ({type(exc).__name__})", file=sys.stderr)


def _run(argv: list[str] | None) -> int:
    try:
        result = cli.main(args=argv, prog_name="governance", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return ExitCode.BAD_INPUT
    except (click.Abort, KeyboardInterrupt):
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except GovernanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    except Exception as exc:
        if os.environ.get("GOVERNANCE_DEBUG") == "1":
            raise
        # the message of an unexpected error may quote data (a database error can): name only where it was
        frame = exc.__traceback__
        while frame is not None and frame.tb_next is not None:
            frame = frame.tb_next
        where = f" at {Path(frame.tb_frame.f_code.co_filename).name}:{frame.tb_lineno}" if frame else ""
        print(f"internal error: {type(exc).__name__}{where} (set GOVERNANCE_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return ExitCode.INTERNAL
    return int(result or 0)


def entry_point() -> None:
    sys.exit(main())
