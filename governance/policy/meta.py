"""What a column's classification meta declares, validated against the policy.

A column's `config: meta:` may carry `classification` (a level of the policy), `pii` (entity names of
`entity_levels`), `mask_as` (a text masking category), `classified_by` (scan | lineage | manual) and
`quasi_identifier` (true for a column that is not personal on its own but that outsiders know about a person,
such as a country of residence: the re-identification check counts it, governance.masking.anonymity).
Every reader of classification meta goes through `declared_classification`, so one rule decides what
a column's meta means and which meta is invalid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from governance.policy.sections import Classification

if TYPE_CHECKING:
    from governance.policy.schema import Policy

MARKERS = ("scan", "lineage", "manual")


def meta_problems(meta: dict[str, Any], policy: Policy) -> list[str]:
    """Everything invalid in a column's classification meta (empty when it is valid)."""
    from governance.policy.schema import TEXT_CATEGORIES

    problems = []
    level = meta.get("classification")
    if level is not None and (isinstance(level, bool) or level not in policy.levels):
        problems.append(f"classification: unknown level {level!r}, not a level of the policy ({sorted(policy.levels)})")
    pii = meta.get("pii")
    if pii is not None:
        entities = pii if isinstance(pii, (list, tuple)) else [pii]
        unknown = sorted({str(e) for e in entities} - set(policy.entity_levels))
        if unknown:
            problems.append(f"pii {unknown} not in vars.governance.entity_levels")
    mask_as = meta.get("mask_as")
    if mask_as is not None and mask_as not in TEXT_CATEGORIES:
        problems.append(f"mask_as {mask_as!r} is not a text masking category ({', '.join(TEXT_CATEGORIES)})")
    marker = meta.get("classified_by")
    if marker is not None and marker not in MARKERS:
        problems.append(f"classified_by {marker!r} is not one of {', '.join(MARKERS)}")
    quasi = meta.get("quasi_identifier")
    if quasi is not None and not isinstance(quasi, bool):
        problems.append(f"quasi_identifier {quasi!r} must be true or false")
    return problems


def declared_classification(meta: dict[str, Any], policy: Policy, where: str
                            ) -> tuple[Classification | None, str | None]:
    """The classification a column's meta declares (`classification`, else the highest level of its
    `pii`), and an error naming `where` when the meta is invalid.

    Fails closed: a `classification` that is not a level of the policy (7, "high", "3") reads as the
    policy's fail-closed level (the highest masked one), the same in the dbt macros, so an invalid
    value can only over-protect, never unmask, while the error stands."""
    problems = meta_problems(meta, policy)
    pii_raw = meta.get("pii") or []
    if not isinstance(pii_raw, (list, tuple)):
        pii_raw = [pii_raw]
    pii = tuple(sorted({str(p) for p in pii_raw}))
    error = f"{where}: {'; '.join(problems)}" if problems else None
    level = meta.get("classification")
    if level is not None:
        valid = not isinstance(level, bool) and level in policy.levels
        return Classification(int(level) if valid else policy.fail_closed_level, pii), error
    if problems:
        return Classification(policy.fail_closed_level, pii), error
    if pii:
        derived = policy.level_for_entities(pii)
        if derived is None:
            return None, f"{where}: pii {list(pii)} has no entity known to entity_levels"
        return Classification(derived, pii), None
    return None, None
