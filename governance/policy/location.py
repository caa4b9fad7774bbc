"""Policy errors that name `file:line` and the key at fault.

While `parse_policy` validates, `locating(where)` makes `where(*keys)` available to every section's
parser, so `policy_error(path, "vars.governance.roles.analyst.kind", ...)` reads
`dbt_project.yml:142: vars.governance.roles.analyst.kind: ...`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from governance.errors import PolicyError

POLICY_KEY = "vars.governance"
Locator = Callable[..., str]
_locator: ContextVar[Locator | None] = ContextVar("policy_locator", default=None)
_KEY_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@contextlib.contextmanager
def locating(where: Locator | None) -> Iterator[None]:
    token = _locator.set(where)
    try:
        yield
    finally:
        _locator.reset(token)


def key_parts(key: str) -> list[Any]:
    """`a.b[0].3` -> ['a', 'b', 0, 3] (numbers as ints: level keys and list items)."""
    parts: list[Any] = []
    for name, index in _KEY_PART.findall(key):
        value = index or name
        parts.append(int(value) if value.isdigit() else value)
    return parts


def policy_error(path: Path, key: str, message: str) -> PolicyError:
    where = _locator.get()
    location = str(path)
    if where is not None and key.startswith(POLICY_KEY + "."):
        location = where(*key_parts(key[len(POLICY_KEY) + 1:]))
    return PolicyError(f"{location}: {key}: {message}")
