"""Options every command shares, declared once, meaning the same everywhere.

- `--project-dir`, `--profiles-dir`, `--target`, `--vars`: as for dbt (the target is dbt's target);
- `--select` / `--exclude`: dbt's node-selection syntax (`source:shop`, `tag:pii`, `+dim_customers`);
- `--manifest`: read this manifest.json and run no dbt;
- `-q/--quiet`, `--format text|json|github`, `--log-format text|json`.

Flags are never abbreviated: `--targ` is an error, not `--target-path`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import click
import yaml

from governance.errors import GovernanceError
from governance.project import DbtProject

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("text", "json", "github")


@dataclass
class Invocation:
    """What a command was asked: the shared options, and the project they point at."""

    command: str
    project_dir: Path | None = None
    profiles_dir: Path | None = None
    target: str | None = None
    vars: dict[str, Any] = field(default_factory=dict)
    select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    manifest: Path | None = None
    quiet: bool = False
    format: str = "text"
    log_format: str = "text"
    decisions: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    @cached_property
    def project(self) -> DbtProject:
        return DbtProject.locate(self.project_dir, profiles_dir=self.profiles_dir, target=self.target,
                                 cli_vars=self.vars)

    def log(self, event: str, **fields: Any) -> None:
        """A progress or status line on stderr (JSON lines with --log-format json); never data values."""
        if self.log_format == "json":
            print(json.dumps({"command": self.command, "event": event, **fields}, default=str), file=sys.stderr)
        elif not self.quiet:
            detail = " ".join(f"{k}={v}" for k, v in fields.items())
            print(f"{self.command}: {event}{' ' + detail if detail else ''}", file=sys.stderr)

    def decide(self, kind: str, subject: str, **details: Any) -> None:
        """A decision for the audit trail (entity names, levels, counts: never a data value)."""
        self.decisions.append((kind, subject, details))

    @property
    def interactive(self) -> bool:
        return not self.quiet and self.log_format == "text" and sys.stderr.isatty()


def _parse_vars(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dict[str, Any]:
    if not value:
        return {}
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError as exc:
        raise click.BadParameter(f"not valid YAML ({exc})") from exc
    if not isinstance(parsed, dict):
        raise click.BadParameter("must be a YAML mapping, e.g. '{key: value}'")
    return parsed


def project_options(func: F) -> F:
    options = [
        click.option("--project-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                     help="dbt project directory (default: the nearest one at or above the current directory)"),
        click.option("--profiles-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                     help="directory of profiles.yml (default: $DBT_PROFILES_DIR, the project, ~/.dbt)"),
        click.option("--target", "-t", default=None, help="dbt target of the profile (default: the profile's)"),
        click.option("--vars", "cli_vars", callback=_parse_vars, default=None,
                     help="dbt vars as a YAML mapping, as for `dbt --vars`"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def manifest_option(func: F) -> F:
    return click.option("--manifest", type=click.Path(path_type=Path, dir_okay=False), default=None,
                        help="read this manifest.json and run no dbt (default: a cached compile of the project, "
                        "made afresh when any input changed)")(func)


class SelectorOption(click.Option):
    """An option that, like dbt's --select, takes every following word up to the next option
    (`--select a b c`), and may be repeated."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("multiple", True)
        super().__init__(*args, **kwargs)

    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        super().add_to_parser(parser, ctx)
        for name in self.opts:
            parser_option = parser._long_opt.get(name) or parser._short_opt.get(name)
            if parser_option is None:
                continue
            store = parser_option.process

            def process(value: Any, state: Any, store: Any = store) -> None:
                words = [value]
                while state.rargs and not state.rargs[0].startswith("-"):
                    words.append(state.rargs.pop(0))
                for word in words:
                    store(word, state)

            parser_option.process = process


def selection_options(func: F) -> F:
    func = click.option("--exclude", cls=SelectorOption, metavar="SELECTOR",
                        help="dbt node selection to leave out")(func)
    return click.option("--select", "-s", cls=SelectorOption, metavar="SELECTOR",
                        help="dbt node selection: `source:shop`, `tag:pii`, `+dim_customers`, `path:models/marts`; "
                        "repeat or space-separate for a union, comma-join for an intersection")(func)


def output_options(formats: tuple[str, ...] = FORMATS) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        func = click.option("--log-format", type=click.Choice(["text", "json"]), default="text",
                            help="status lines on stderr as text or JSON lines")(func)
        func = click.option("--format", "output_format", type=click.Choice(list(formats)), default="text",
                            help="stdout: text for people, json for scripts"
                            + (", github for Actions annotations" if "github" in formats else ""))(func)
        return click.option("--quiet", "-q", is_flag=True, help="no progress or status lines")(func)
    return decorate


CURRENT: list[Invocation] = []  # the invocation of the running command, for the audit trail at its end


def invocation(command: str, **options: Any) -> Invocation:
    """The Invocation of a command from its click keyword arguments (consumes the shared ones)."""
    run = Invocation(
        command=command,
        project_dir=options.pop("project_dir", None),
        profiles_dir=options.pop("profiles_dir", None),
        target=options.pop("target", None),
        vars=options.pop("cli_vars", None) or {},
        select=tuple(options.pop("select", ()) or ()),
        exclude=tuple(options.pop("exclude", ()) or ()),
        manifest=options.pop("manifest", None),
        quiet=bool(options.pop("quiet", False)),
        format=options.pop("output_format", "text"),
        log_format=options.pop("log_format", "text"),
    )
    CURRENT.append(run)
    return run


def require(condition: bool, message: str) -> None:
    """Bad input the options alone reveal: exit 2 with `message`."""
    if not condition:
        raise GovernanceError(message)
