"""Governance decisions on the audit trail: what `governance scan`, `propagate`, `check`, `protected`
and `roles` decided, appended to `<audit schema>.governance_decisions` of the target's warehouse.

Usage from a command (one write per command, failures recorded too):

    from governance.observability import command_audit

    with command_audit(project_dir, target_name, "scan") as audit:
        ...
        audit.decision("scan_finding", "shop.customers__ct.email", {"entities": ["EMAIL_ADDRESS"], "level": 3})
    # on normal exit: the decisions, then a `command_succeeded` row; on an exception: the decisions
    # made so far, then `command_failed` with the exception's class (never its message), re-raised.

or one call: `record_decision(project_dir, target_name, "roles", "roles_drift", "roles.yml", {"drift": True})`.

A decision is (kind, subject, details). `subject` is an object name (a relation, `relation.column`, a
file); `details` a small JSON object of names, levels, entity types, counts and flags. Anything that
looks like a row value is refused with `RowDataError` before anything is written (see
`check_no_row_data`): the trail must never carry one. Kinds the commands use: `scan_finding`,
`classification_changed`, `check_result`, `masking_applied`, `masking_changed`, `masking_removed`,
`roles_drift`, and `command_succeeded` / `command_failed` (written by `command_audit`).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from governance.errors import GovernanceError
from governance.observability.audit import DECISIONS_DDL, audit_schema, open_warehouse, qualified
from governance.project import DbtProject
from governance.project.profiles import Target, load_target

DetailScalar = str | int | float | bool | None
DetailValue = DetailScalar | Sequence[DetailScalar] | Mapping[str, DetailScalar]

MAX_STRING = 200
MAX_ITEMS = 50
NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
SUBJECT = re.compile(r"^[A-Za-z0-9_.$\"/\-]{1,300}$")
# Keys that announce a value rather than a fact about one.
FORBIDDEN_KEYS = frozenset({"value", "values", "sample", "samples", "example", "examples", "row", "rows_data",
                            "record", "records", "content", "text", "raw", "data", "match", "matches"})
ROW_DATA_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an email address", re.compile(r"[^\s@]+@[^\s@]+")),
    ("a number of 5 or more digits, or 8 digits with separators (phone, card, account, date)",
     re.compile(r"\d{5,}|(?:\d[ \-./]?){8,}")),
    ("an IPv4 address", re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b")),
    ("two capitalised words in a row (a name or an address)", re.compile(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+\b")),
    ("a URL", re.compile(r"https?://|www\.", re.IGNORECASE)),
)
SAFE_STRING = re.compile(r"^[A-Za-z0-9_.,:;/()\[\]<>=*+#' \-]*$")
DIGIT_RUN = re.compile(r"\d{5,}")


class AuditTrailError(GovernanceError):
    """The audit trail cannot be written (the message names the target and table)."""


class RowDataError(ValueError):
    """A decision carries something that looks like a row value; nothing was written."""


@dataclass(frozen=True)
class Decision:
    kind: str
    subject: str
    details: Mapping[str, DetailValue] = field(default_factory=dict)


def check_no_row_data(kind: str, subject: str, details: Mapping[str, DetailValue] | None) -> str:
    """Validate a decision and return its details as JSON; raise RowDataError naming the key at fault.

    Rules: `kind` and every details key are snake_case names; no key is one that announces a value
    (`value`, `sample`, `example`, ...); `subject` is an object name (letters, digits, `_ . $ " / -`);
    details values are numbers, booleans, null, short strings (at most 200 characters, from a plain
    character set) or lists / one-level objects of those (at most 50 items); no string holds an
    email address, a run of 5+ digits, an IP address, two capitalised words in a row (a name), or a URL.
    """
    if not NAME.match(kind):
        raise RowDataError(f"kind {kind!r}: must be a snake_case name")
    if not SUBJECT.match(subject) or DIGIT_RUN.search(subject) or "@" in subject:
        raise RowDataError("subject: must be an object name (relation, relation.column or file), not a value")
    details = dict(details or {})

    def check_scalar(where: str, value: object) -> None:
        if value is None or isinstance(value, (bool, int, float)):
            return
        if not isinstance(value, str):
            raise RowDataError(f"details.{where}: {type(value).__name__} is not allowed (names, numbers, flags)")
        if len(value) > MAX_STRING:
            raise RowDataError(f"details.{where}: strings are at most {MAX_STRING} characters")
        for what, pattern in ROW_DATA_PATTERNS:
            if pattern.search(value):
                raise RowDataError(f"details.{where}: looks like row data ({what})")
        if not SAFE_STRING.match(value):
            raise RowDataError(f"details.{where}: characters outside the plain set (letters, digits, _ . , : ; / "
                               "( ) [ ] < > = * + # ' - and spaces)")

    def check_key(where: str) -> None:
        key = where.rsplit(".", 1)[-1]
        if not NAME.match(key):
            raise RowDataError(f"details.{where}: keys must be snake_case names")
        if key in FORBIDDEN_KEYS:
            raise RowDataError(f"details.{where}: a key that holds values is not allowed on the audit trail")

    for key, value in details.items():
        check_key(str(key))
        if isinstance(value, Mapping):
            if len(value) > MAX_ITEMS:
                raise RowDataError(f"details.{key}: at most {MAX_ITEMS} items")
            for inner_key, inner in value.items():
                check_key(f"{key}.{inner_key}")
                check_scalar(f"{key}.{inner_key}", inner)
        elif isinstance(value, (list, tuple)):
            if len(value) > MAX_ITEMS:
                raise RowDataError(f"details.{key}: at most {MAX_ITEMS} items")
            for i, item in enumerate(value):
                check_scalar(f"{key}[{i}]", item)
        else:
            check_scalar(str(key), value)
    return json.dumps(details, sort_keys=True, separators=(",", ":"))


def record_decisions(project_dir: Path, target: str | None, command: str, decisions: Iterable[Decision],
                     run_id: str | None = None, wait_seconds: float = 30.0, resolved: Target | None = None) -> int:
    """Append decisions to `<audit schema>.governance_decisions` of the target's warehouse, in one
    transaction. Every decision is validated first (RowDataError: nothing written). `target` is a
    profile target name (None: the profile's default). Returns the number of rows written. On DuckDB
    it waits up to `wait_seconds` for a running dbt to release the file, then raises AuditTrailError.
    `resolved`: the target already rendered (skips rendering the profile again)."""
    if not NAME.match(command):
        raise RowDataError(f"command {command!r}: must be a snake_case name")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    run_id = run_id or str(uuid.uuid4())
    resolved = resolved or load_target(DbtProject.locate(Path(project_dir), target=target))
    rows = [(run_id, command, resolved.name, d.kind, d.subject, check_no_row_data(d.kind, d.subject, d.details), now)
            for d in decisions]
    if not rows:
        return 0
    table = qualified(resolved, "governance_decisions")
    placeholder = "%s" if resolved.type == "snowflake" else "?"
    insert = (f"insert into {table} (run_id, command, target_name, kind, subject, details, decided_at) "
              f"values ({', '.join([placeholder] * 7)})")
    schema = audit_schema(resolved)
    if resolved.type == "snowflake":
        schema = f"{resolved.database}.{schema}".upper()
    try:
        with open_warehouse(resolved, read_only=False, wait_seconds=wait_seconds) as connection:
            cursor = connection.raw.cursor()
            cursor.execute(f"create schema if not exists {schema}")
            cursor.execute(f"create table if not exists {table} ({DECISIONS_DDL[resolved.type]})")
            cursor.execute("begin")
            cursor.executemany(insert, rows)
            cursor.execute("commit")
    except GovernanceError as exc:
        raise AuditTrailError(f"cannot write the audit trail {table} (target {resolved.name}): {exc}") from exc
    except Exception as exc:  # driver errors: the class only (a message could quote a statement's values)
        raise AuditTrailError(f"cannot write the audit trail {table} (target {resolved.name}): "
                              f"{type(exc).__name__}") from exc
    return len(rows)


def record_decision(project_dir: Path, target: str | None, command: str, kind: str, subject: str,
                    details: Mapping[str, DetailValue] | None = None, run_id: str | None = None) -> None:
    """Append one decision (see record_decisions)."""
    record_decisions(project_dir, target, command, [Decision(kind, subject, dict(details or {}))], run_id=run_id)


@dataclass
class DecisionLog:
    """Decisions a command collects; written once, when `command_audit` exits."""

    command: str
    run_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    decisions: list[Decision] = field(default_factory=list)
    exit_code: int | None = None

    def decision(self, kind: str, subject: str, details: Mapping[str, DetailValue] | None = None) -> None:
        """Add a decision; validated now, so a bad one fails where it is made."""
        check_no_row_data(kind, subject, details)
        self.decisions.append(Decision(kind, subject, dict(details or {})))


@contextmanager
def command_audit(project_dir: Path, target: str | None, command: str) -> Iterator[DecisionLog]:
    """Collect a command's decisions and write them when it ends, with `command_succeeded` (details:
    decisions, exit_code) or, when it raises, `command_failed` (details: error class, decisions so far);
    the exception is re-raised. Set `log.exit_code` to record the command's exit code."""
    log = DecisionLog(command)
    try:
        yield log
    except BaseException as exc:
        failed = Decision("command_failed", command, {"error": type(exc).__name__, "decisions": len(log.decisions)})
        record_decisions(project_dir, target, command, [*log.decisions, failed], run_id=log.run_id)
        raise
    done = Decision("command_succeeded", command, {"decisions": len(log.decisions), "exit_code": log.exit_code})
    record_decisions(project_dir, target, command, [*log.decisions, done], run_id=log.run_id)
