"""Re-scan state: skip tables whose columns and row count have not changed since the last scan.

The state file (``.governance/scan_state.json`` in the project, git-ignored) keeps, per target and
table, a signature (column names and types, row count, scan settings, classifier version) and the
column results of the last scan: entity names, scores, coverage and levels. Never a value.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.project import write_atomic
from governance.scan.results import ColumnResult
from governance.scan.sampling import ColumnInfo

STATE_VERSION = 1
DEFAULT_PATH = Path(".governance") / "scan_state.json"


def signature(columns: list[ColumnInfo], row_count: int, settings: dict[str, Any]) -> str:
    payload = json.dumps(
        {"columns": [(c.name, c.data_type) for c in columns], "rows": row_count, "settings": settings},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class ScanState:
    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    dirty: bool = False
    use_cache: bool = True

    @classmethod
    def load(cls, path: Path) -> ScanState:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return cls(path)
        if data.get("version") != STATE_VERSION:
            return cls(path)
        return cls(path, dict(data.get("tables") or {}))

    def lookup(self, key: str, sig: str) -> list[ColumnResult] | None:
        entry = self.entries.get(key)
        if not self.use_cache or not entry or entry.get("signature") != sig:
            return None
        return [ColumnResult.from_dict(c) for c in entry.get("columns", [])]

    def store(self, key: str, sig: str, results: list[ColumnResult]) -> None:
        self.entries[key] = {"signature": sig, "columns": [r.as_dict() for r in results]}
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(
            self.path,
            json.dumps({"version": STATE_VERSION, "tables": self.entries}, indent=1, sort_keys=True) + "\n",
        )
        self.dirty = False
