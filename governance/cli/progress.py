"""A progress bar on stderr for long work (hidden when quiet, not a terminal, or logging JSON)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from governance.cli.options import Invocation


@contextlib.contextmanager
def progress_bar(run: Invocation, label: str) -> Iterator[Callable[[int, Any], None]]:
    """Yields `advance(total, item)`: item None sets the total; an item advances by one and names it."""
    console = Console(stderr=True)
    with Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, transient=True,
                  disable=not run.interactive) as progress:
        task = progress.add_task("", total=None)

        def advance(total: int, item: Any) -> None:
            if item is None:
                progress.update(task, total=total)
            else:
                progress.update(task, advance=1, description=str(getattr(item, "name", item)))

        yield advance
