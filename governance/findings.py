"""Findings: what a check reports, where (file:line), and which warnings a human acknowledged.

Every command that reports problems (check, lint-project, roles, protected, policy) returns
`Finding`s; the CLI renders them one way (text with `file:line`, JSON, or GitHub Actions
annotations). A warning that is expected can be acknowledged in the committed file
`governance_acknowledgements.yml` at the project root, with a reason (so it leaves a trail)::

    acknowledgements:
      - code: manual_lower
        subject: dim_customers.country_code
        reason: "Country is published at level 2 by decision DPO-2026-14."

An acknowledged warning is counted but not repeated. Errors cannot be acknowledged: what fails the
check is fixed, not silenced. An acknowledgement that matches nothing is reported, so stale ones go.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.errors import GovernanceError

ACKNOWLEDGEMENTS_FILE = "governance_acknowledgements.yml"
SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Finding:
    severity: str  # error (fails the command) | warning
    code: str
    node: str
    column: str | None
    message: str
    file: str | None = None  # relative to the project
    line: int | None = None

    @property
    def subject(self) -> str:
        return f"{self.node}.{self.column}" if self.column else self.node

    @property
    def location(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.location + ': ' if self.location else ''}{self.subject}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"severity": self.severity, "code": self.code, "node": self.node, "column": self.column,
                "message": self.message, "file": self.file, "line": self.line}


@dataclass(frozen=True)
class Acknowledgement:
    code: str
    subject: str
    reason: str


def load_acknowledgements(project_dir: Path) -> list[Acknowledgement]:
    """The committed acknowledgements of expected warnings; errors name the file and entry."""
    from governance.project.dbt_project import load_yaml_document

    path = project_dir / ACKNOWLEDGEMENTS_FILE
    if not path.is_file():
        return []
    document = load_yaml_document(path) or {}
    entries = document.get("acknowledgements") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise GovernanceError(f"{path}: acknowledgements: must be a list of entries (code, subject, reason)")
    found = []
    for index, entry in enumerate(entries):
        line = entry.lc.line + 1 if hasattr(entry, "lc") else None
        where = f"{path}:{line}" if line else str(path)
        if not isinstance(entry, dict):
            raise GovernanceError(f"{where}: acknowledgements[{index}]: must be a mapping")
        missing = [k for k in ("code", "subject", "reason") if not str(entry.get(k) or "").strip()]
        if missing:
            raise GovernanceError(f"{where}: acknowledgements[{index}]: {', '.join(missing)} missing "
                                  "(an acknowledgement names the warning and says why it is expected)")
        found.append(Acknowledgement(str(entry["code"]), str(entry["subject"]), " ".join(str(entry["reason"]).split())))
    return found


def apply_acknowledgements(findings: list[Finding], acknowledgements: list[Acknowledgement]
                           ) -> tuple[list[Finding], list[Finding], list[Acknowledgement]]:
    """(findings still shown, warnings acknowledged, acknowledgements that matched nothing)."""
    keys = {(a.code, a.subject.lower()): a for a in acknowledgements}
    shown, acknowledged, used = [], [], set()
    for finding in findings:
        key = (finding.code, finding.subject.lower())
        if finding.severity == "warning" and key in keys:
            acknowledged.append(finding)
            used.add(key)
        else:
            shown.append(finding)
    unused = [a for k, a in keys.items() if k not in used]
    return shown, acknowledged, unused
