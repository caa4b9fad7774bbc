"""The `reidentification` section of the policy: how far what an uncleared role reads may single people out.

    reidentification:
      max_unique_share: 0.05            # at most this share of a relation's rows (or subjects) may be unique
      subjects:                         # the dimension that describes each data subject, and its key
        customer: {relation: dim_customers, key: customer_id}

`governance anonymity` (governance.masking.anonymity) measures it on the warehouse. A relation that holds a
subject's key in clear is measured joined to the subject's dimension, since a reader can join them. Without
the section the check still runs, at the default share and with no subject joins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.policy.location import POLICY_KEY, policy_error

REIDENTIFICATION_KEY = f"{POLICY_KEY}.reidentification"
DEFAULT_MAX_UNIQUE_SHARE = 0.05
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class SubjectDimension:
    """The relation (model name) with one row per data subject, and the column that keys it."""

    subject: str
    relation: str
    key: str


@dataclass(frozen=True)
class Reidentification:
    max_unique_share: float = DEFAULT_MAX_UNIQUE_SHARE
    subjects: dict[str, SubjectDimension] = field(default_factory=dict)

    def dimension_keyed_by(self, column: str) -> SubjectDimension | None:
        """The subject dimension whose key is `column` (case-insensitive), if any."""
        for dimension in self.subjects.values():
            if dimension.key.lower() == column.lower():
                return dimension
        return None


def parse_reidentification(raw: Any, path: Path) -> Reidentification:
    if raw is None:
        return Reidentification()
    if not isinstance(raw, dict):
        raise policy_error(path, REIDENTIFICATION_KEY, "must be a mapping (max_unique_share, subjects)")
    unknown = sorted(str(k) for k in raw if k not in ("max_unique_share", "subjects"))
    if unknown:
        raise policy_error(path, f"{REIDENTIFICATION_KEY}.{unknown[0]}", "unknown key (known: max_unique_share, subjects)")
    share = raw.get("max_unique_share", DEFAULT_MAX_UNIQUE_SHARE)
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share < 1:
        raise policy_error(path, f"{REIDENTIFICATION_KEY}.max_unique_share",
                           f"must be a share from 0 (no one unique) to below 1; got {share!r}")
    subjects_raw = raw.get("subjects") or {}
    if not isinstance(subjects_raw, dict):
        raise policy_error(path, f"{REIDENTIFICATION_KEY}.subjects", "must map each subject to {relation, key}")
    subjects: dict[str, SubjectDimension] = {}
    for name, spec in subjects_raw.items():
        key = f"{REIDENTIFICATION_KEY}.subjects.{name}"
        if not isinstance(spec, dict) or set(spec) != {"relation", "key"}:
            raise policy_error(path, key, "must be a mapping with exactly `relation` (a model) and `key` (its column)")
        for part in ("relation", "key"):
            if not isinstance(spec[part], str) or not _IDENTIFIER.match(spec[part]):
                raise policy_error(path, f"{key}.{part}", f"must be a plain identifier; got {spec[part]!r}")
        subjects[str(name)] = SubjectDimension(str(name), spec["relation"], spec["key"])
    keys = [d.key.lower() for d in subjects.values()]
    if len(keys) != len(set(keys)):
        raise policy_error(path, f"{REIDENTIFICATION_KEY}.subjects", "two subjects share a key column name")
    return Reidentification(float(share), subjects)
