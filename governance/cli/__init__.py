"""The `governance` command line (click): shared options, one exit-code enum, one findings renderer."""

from governance.cli.main import ExitCode, cli, main

__all__ = ["ExitCode", "cli", "main"]
