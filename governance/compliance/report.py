"""The regime reports (`governance report --regime`) and the regime rules `governance check` enforces.

For one regime (vars.governance.regimes): every entity it covers that lives in the project, every column
it lives in from raw to marts, and the violations of the regime's rules:

- `gdpr_no_retention` / `ccpa_no_retention` (require_retention): a column carries an entity no retention
  rule covers;
- `gdpr_no_purpose` (require_purpose): a column carries personal data and neither it nor its model or
  source states a `purpose` in its meta;
- `pci_clear_pan` (cardholder_entities): a column after the raw layer carries a card number that was not
  truncated (macro truncate_pan) or keyed-hashed on every path from raw;
- `pci_clear_reader` / `hipaa_clear_reader` (cleared_roles): a role not cleared by the regime reads the
  regime's sensitive data in clear (a full PAN; a health-related column).

Every violation is an error: each is a way data the regime covers can leak or outlive its purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from governance.compliance.inventory import Inventory, Placement
from governance.findings import Finding
from governance.policy.regimes import REGIME_NAMES, REGIMES_KEY, RegimeRules, Regimes


@dataclass
class EntitySection:
    entity: str
    level: int
    regimes: tuple[str, ...]
    special_category: bool
    retention: list[dict[str, Any]]
    placements: list[Placement] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "level": self.level, "regimes": list(self.regimes),
                "special_category": self.special_category, "retention": self.retention,
                "columns": [p.as_dict() for p in self.placements]}


@dataclass
class RegimeReport:
    rules: RegimeRules
    entities: list[EntitySection]
    findings: list[Finding]

    @property
    def regime(self) -> str:
        return self.rules.regime

    @property
    def placements(self) -> list[Placement]:
        seen: dict[tuple[str, str], Placement] = {}
        for section in self.entities:
            for placement in section.placements:
                seen.setdefault((placement.unique_id, placement.column), placement)
        return list(seen.values())

    def as_dict(self) -> dict[str, Any]:
        rules = self.rules
        return {
            "regime": self.regime, "title": rules.title, "description": rules.description,
            "rules": {"require_retention": rules.require_retention, "require_purpose": rules.require_purpose,
                      "special_categories": sorted(rules.special_categories),
                      "health_entities": sorted(rules.health_entities),
                      "cardholder_entities": sorted(rules.cardholder_entities),
                      "cleared_roles": list(rules.cleared_roles) if rules.cleared_roles is not None else None},
            "columns": len(self.placements),
            "entities": [s.as_dict() for s in self.entities],
            "violations": [f.to_dict() for f in self.findings],
        }


def _covered(placement: Placement, regime: str, rules: RegimeRules, regimes: Regimes,
             health_relations: set[str]) -> tuple[str, ...]:
    """The entities of a placement the regime covers; HIPAA covers identifiers only next to health data."""
    covered = regimes.covered(regime, placement.entities)
    if regime == "hipaa" and placement.unique_id not in health_relations:
        return ()
    return covered


def _retention_rules(inventory: Inventory, entity: str) -> list[dict[str, Any]]:
    return [{"rule": r.name, "days": r.days, "after": r.after, "action": r.action}
            for r in inventory.policy.retention_rules_for(entity)]


def regime_report(inventory: Inventory, regime: str, placements: list[Placement]) -> RegimeReport:
    regimes = inventory.policy.regimes
    if regimes is None:
        raise ValueError("the policy has no regimes section")
    rules = regimes.rules[regime]
    health_relations = {p.unique_id for p in placements if set(p.entities) & rules.health_entities}
    sections: dict[str, EntitySection] = {}
    findings: list[Finding] = []
    for placement in placements:
        covered = _covered(placement, regime, rules, regimes, health_relations)
        for entity in covered:
            if entity not in sections:
                sections[entity] = EntitySection(
                    entity, inventory.policy.entity_levels[entity], regimes.regimes_of(entity),
                    entity in rules.special_categories, _retention_rules(inventory, entity))
            sections[entity].placements.append(placement)
        if covered:
            findings += _violations(rules, placement, covered, health_relations)
    ordered = sorted(sections.values(), key=lambda s: (-s.level, s.entity))
    return RegimeReport(rules, ordered, findings)


def _finding(code: str, placement: Placement, message: str) -> Finding:
    return Finding("error", code, placement.node, placement.column, message, placement.file, placement.line)


def _violations(rules: RegimeRules, placement: Placement, covered: tuple[str, ...],
                health_relations: set[str]) -> list[Finding]:
    regime, title = rules.regime, rules.title
    found: list[Finding] = []
    if rules.require_retention:
        missing = [e for e in covered if not placement.retention.get(e)]
        if missing:
            found.append(_finding(f"{regime}_no_retention", placement,
                                  f"{title}: {', '.join(missing)} is covered by no retention rule "
                                  "(vars.governance.retention): personal data must not be kept without a limit"))
    if rules.require_purpose and not placement.purpose:
        found.append(_finding(f"{regime}_no_purpose", placement,
                              f"{title}: personal data ({', '.join(covered)}) with no purpose note: state why it is "
                              "kept in meta `purpose` (on the column, or on its model or source)"))
    full_pan = bool(set(covered) & rules.cardholder_entities) and not placement.value_protections
    if full_pan and placement.layer != "raw":
        found.append(_finding(f"{regime}_clear_pan", placement,
                              f"{title}: a full card number at rest after the raw layer; truncate it in staging "
                              "with `truncate_pan` (or hash it with `governance_keyed_hash`)"))
    sensitive = full_pan if regime == "pci" else placement.unique_id in health_relations
    if rules.cleared_roles is not None and sensitive:
        extra = [r for r in placement.clear_readers if r not in rules.cleared_roles]
        if extra:
            what = "a full card number" if regime == "pci" else "health-related data"
            found.append(_finding(f"{regime}_clear_reader", placement,
                                  f"{title}: {', '.join(extra)} read{'s' if len(extra) == 1 else ''} {what} in clear; "
                                  f"only {', '.join(rules.cleared_roles) or 'no role'} may "
                                  f"({REGIMES_KEY}.rules.{regime}.cleared_roles)"))
    return found


def reports(inventory: Inventory, regimes: tuple[str, ...] = REGIME_NAMES,
            placements: list[Placement] | None = None) -> list[RegimeReport]:
    if inventory.policy.regimes is None:
        return []
    placements = placements if placements is not None else inventory.placements()
    return [regime_report(inventory, regime, placements) for regime in regimes]


def compliance_findings(inventory: Inventory) -> list[Finding]:
    """Every violation of every regime's rules (for `governance check`), each once."""
    seen: dict[tuple[str, str, str | None], Finding] = {}
    for report in reports(inventory):
        for finding in report.findings:
            seen.setdefault((finding.code, finding.node, finding.column), finding)
    return list(seen.values())
