"""What the scan decides about a column: entity findings (score, confidence, coverage, decided by) and
the column's result. Entity names, numbers and JSON paths only: never a value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class EntityFinding:
    entity: str
    score: float
    coverage: float
    decided_by: str  # values | name | both

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.entity,
            "score": round(self.score, 2),
            "confidence": self.confidence,
            "coverage": round(self.coverage, 3),
            "decided_by": self.decided_by,
        }

    @property
    def confidence(self) -> str:
        """Snowflake-style HIGH / MEDIUM / LOW from the score."""
        return "HIGH" if self.score >= 0.8 else "MEDIUM" if self.score >= 0.5 else "LOW"


@dataclass
class ColumnResult:
    column: str
    data_type: str
    entities: list[EntityFinding] = field(default_factory=list)
    classification: int | None = None
    sampled_values: int = 0
    note: str = ""
    paths: dict[str, list[str]] = field(default_factory=dict)  # JSON leaf path -> entities

    @property
    def pii(self) -> list[str]:
        return sorted(e.entity for e in self.entities)

    @property
    def decided_by(self) -> str | None:
        sources = {e.decided_by for e in self.entities}
        if not sources:
            return None
        if sources == {"values"}:
            return "values"
        if sources == {"name"}:
            return "name"
        return "both"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "column": self.column,
            "data_type": self.data_type,
            "entities": [e.as_dict() for e in sorted(self.entities, key=lambda e: e.entity)],
            "pii": self.pii,
            "classification": self.classification,
            "decided_by": self.decided_by,
            "sampled_values": self.sampled_values,
        }
        if self.paths:
            out["json_paths"] = {k: v for k, v in sorted(self.paths.items())}
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnResult:
        return cls(
            data["column"],
            data["data_type"],
            [EntityFinding(e["type"], e["score"], e["coverage"], e["decided_by"]) for e in data["entities"]],
            data.get("classification"),
            data.get("sampled_values", 0),
            data.get("note", ""),
            data.get("json_paths", {}),
        )
