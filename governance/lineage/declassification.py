"""The declassification register: the trail a lowered classification must leave.

A column may carry a lower classification than its lineage says only when a human decided it: the
column has `classified_by: manual` and a `classification_note`, and the committed register
(`governance_declassifications.yml` at the project root, owned by the security owner in CODEOWNERS)
has an entry for it::

    declassifications:
      - column: stg_support__tickets.priority
        from_level: 3          # what lineage says (or more): an entry never covers a higher level
        to_level: 1            # the level set by hand
        approved_by: security-owner
        reason: An enum extracted from the ticket payload; the personal fields are classified apart.

Without the entry `governance check` fails naming the column and the level it lost; an entry that no
longer matches (lineage rose above `from_level`, or the hand-set level changed) fails it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from governance.errors import GovernanceError
from governance.project.dbt_project import load_yaml_document

if TYPE_CHECKING:
    from governance.lineage.propagate import ColumnState

REGISTER_FILE = "governance_declassifications.yml"
REQUIRED = ("column", "from_level", "to_level", "approved_by", "reason")


@dataclass(frozen=True)
class Declassification:
    column: str
    from_level: int
    to_level: int
    approved_by: str
    reason: str


@dataclass(frozen=True)
class DeclassificationRegister:
    entries: tuple[Declassification, ...] = ()

    def allows(self, state: ColumnState, node: str, column: str) -> bool:
        """Whether the register covers this column's hand-set level below its lineage."""
        if state.declared is None or state.lineage is None:
            return False
        if not str(state.meta.get("classification_note") or "").strip():
            return False
        subject = f"{node}.{column}".lower()
        return any(e.column.lower() == subject and e.to_level == state.declared.level
                   and e.from_level >= state.lineage.level for e in self.entries)


def load_register(project_dir: Path) -> DeclassificationRegister:
    path = project_dir / REGISTER_FILE
    if not path.is_file():
        return DeclassificationRegister()
    document = load_yaml_document(path) or {}
    entries = document.get("declassifications") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise GovernanceError(f"{path}: declassifications: must be a list of entries ({', '.join(REQUIRED)})")
    found = []
    for index, entry in enumerate(entries):
        where = f"{path}:{entry.lc.line + 1}" if hasattr(entry, "lc") else str(path)
        if not isinstance(entry, dict):
            raise GovernanceError(f"{where}: declassifications[{index}]: must be a mapping")
        missing = [k for k in REQUIRED if entry.get(k) in (None, "")]
        if missing:
            raise GovernanceError(f"{where}: declassifications[{index}]: {', '.join(missing)} missing")
        levels = (entry["from_level"], entry["to_level"])
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in levels) or levels[1] >= levels[0]:
            raise GovernanceError(f"{where}: declassifications[{index}]: from_level and to_level must be levels, "
                                  "to_level the lower")
        found.append(Declassification(str(entry["column"]), int(entry["from_level"]), int(entry["to_level"]),
                                      str(entry["approved_by"]), " ".join(str(entry["reason"]).split())))
    return DeclassificationRegister(tuple(found))
