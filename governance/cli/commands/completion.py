"""`governance completion SHELL`: the shell completion script."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from governance.cli.main import ExitCode


@click.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion_command(shell: str) -> int:
    """Print the completion script for SHELL.

    Add to your shell's startup file, e.g. bash: eval "$(governance completion bash)"."""
    from governance.cli.main import cli

    completion = get_completion_class(shell)
    assert completion is not None
    click.echo(completion(cli, {}, "governance", "_GOVERNANCE_COMPLETE").source())
    return ExitCode.OK
