"""The `regimes` section of the policy: which regulation covers each PII entity, and what each requires.

    regimes:
      entities:                     # every entity of entity_levels, mapped to the regimes covering it
        PERSON: [gdpr, ccpa, hipaa]
        CREDIT_CARD: [gdpr, ccpa, pci]
      rules:
        gdpr: {require_retention: true, require_purpose: true, special_categories: [MEDICATION]}
        hipaa: {health_entities: [MEDICATION], cleared_roles: [loader, transformer, pharmacist]}
        pci: {cardholder_entities: [CREDIT_CARD], cleared_roles: [loader, transformer]}

Parsed with the rest of the policy; a regime typo, an entity mapped to no regime and a rule naming an
unknown entity or role are errors naming the key. The checks that test these rules live in
governance.compliance.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.policy.location import POLICY_KEY, policy_error

REGIMES_KEY = f"{POLICY_KEY}.regimes"
# GDPR (EU personal data), CCPA (California personal information), HIPAA (US protected health
# information), PCI DSS (cardholder data)
REGIME_NAMES = ("gdpr", "ccpa", "hipaa", "pci")
REGIME_TITLES = {"gdpr": "GDPR", "ccpa": "CCPA", "hipaa": "HIPAA", "pci": "PCI DSS"}
# rule keys naming entities, and the one regime each belongs to
ENTITY_RULES = {"special_categories": "gdpr", "health_entities": "hipaa", "cardholder_entities": "pci"}
ROLE_RULES = {"cleared_roles": ("hipaa", "pci")}
FLAG_RULES = ("require_retention", "require_purpose")
RULE_KEYS = ("description", *FLAG_RULES, *ENTITY_RULES, *ROLE_RULES)


@dataclass(frozen=True)
class RegimeRules:
    """`regimes.rules.<regime>`: what the checks test for the data a regime covers.

    - require_retention: every column carrying a covered entity has a retention rule for it;
    - require_purpose: every such column (or its model/source) has a `purpose` note in its meta;
    - special_categories (GDPR): entities that are special-category data (Art. 9: health, ...);
    - health_entities (HIPAA): entities that make a relation health-related; the identifiers covered by
      HIPAA are protected health information only in a relation that holds one of them;
    - cardholder_entities (PCI DSS): entities that are a primary account number; after the raw layer
      they may be stored only truncated or keyed-hashed, never in clear;
    - cleared_roles (HIPAA, PCI DSS): the only roles that may read the regime's sensitive data (health
      data; a full PAN) in clear. None: the rule is not stated."""

    regime: str
    description: str = ""
    require_retention: bool = False
    require_purpose: bool = False
    special_categories: frozenset[str] = frozenset()
    health_entities: frozenset[str] = frozenset()
    cardholder_entities: frozenset[str] = frozenset()
    cleared_roles: tuple[str, ...] | None = None

    @property
    def title(self) -> str:
        return REGIME_TITLES[self.regime]


@dataclass(frozen=True)
class Regimes:
    """The parsed `regimes` section."""

    entities: dict[str, tuple[str, ...]]  # entity -> regimes covering it
    rules: dict[str, RegimeRules]  # every regime of REGIME_NAMES (defaults when not stated)

    def regimes_of(self, entity: str) -> tuple[str, ...]:
        return self.entities.get(entity, ())

    def covered(self, regime: str, entities: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """The entities among `entities` that `regime` covers, sorted."""
        return tuple(sorted(e for e in set(entities) if regime in self.regimes_of(e)))


def parse_regimes(raw: Any, entity_levels: dict[str, int], roles: dict[str, Any], path: Path) -> Regimes | None:
    """`regimes`: `entities` maps every entity of entity_levels to the regimes covering it; `rules`
    states per regime what the checks test. None when the policy has no regimes section."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise policy_error(path, REGIMES_KEY, "must be a mapping with `entities` and `rules`")
    unknown = sorted(str(k) for k in set(raw) - {"entities", "rules"})
    if unknown:
        raise policy_error(path, f"{REGIMES_KEY}.{unknown[0]}", "unknown key (known: entities, rules)")
    entities = _parse_entity_map(raw.get("entities"), entity_levels, path)
    rules = _parse_rules(raw.get("rules"), entities, entity_levels, roles, path)
    return Regimes(entities, rules)


def _regime_list(value: Any, path: Path, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise policy_error(path, key, f"mapped to no regime; list the regimes covering it ({', '.join(REGIME_NAMES)})")
    for regime in value:
        if regime not in REGIME_NAMES:
            raise policy_error(path, key, f"unknown regime {regime!r} (known: {', '.join(REGIME_NAMES)})")
    return tuple(dict.fromkeys(str(r) for r in value))


def _parse_entity_map(raw: Any, entity_levels: dict[str, int], path: Path) -> dict[str, tuple[str, ...]]:
    key = f"{REGIMES_KEY}.entities"
    if not isinstance(raw, dict):
        raise policy_error(path, key, "must be a mapping of PII entity to the regimes covering it")
    mapped: dict[str, tuple[str, ...]] = {}
    for entity, regimes in raw.items():
        if entity not in entity_levels:
            raise policy_error(path, f"{key}.{entity}", "not an entity of entity_levels")
        mapped[str(entity)] = _regime_list(regimes, path, f"{key}.{entity}")
    missing = [e for e in entity_levels if e not in mapped]
    if missing:
        raise policy_error(path, key, f"{', '.join(missing)} mapped to no regime (every entity of entity_levels is "
                                      "covered by at least one regime)")
    return mapped


def _parse_rules(raw: Any, entities: dict[str, tuple[str, ...]], entity_levels: dict[str, int],
                 roles: dict[str, Any], path: Path) -> dict[str, RegimeRules]:
    key = f"{REGIMES_KEY}.rules"
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise policy_error(path, key, "must be a mapping of regime to its rules")
    rules = {name: RegimeRules(name) for name in REGIME_NAMES}
    for regime, spec in raw.items():
        regime_key = f"{key}.{regime}"
        if regime not in REGIME_NAMES:
            raise policy_error(path, regime_key, f"unknown regime (known: {', '.join(REGIME_NAMES)})")
        if not isinstance(spec, dict):
            raise policy_error(path, regime_key, f"must be a mapping (known keys: {', '.join(RULE_KEYS)})")
        values: dict[str, Any] = {"description": " ".join(str(spec.get("description", "")).split())}
        for name, value in spec.items():
            rule_key = f"{regime_key}.{name}"
            if name not in RULE_KEYS:
                raise policy_error(path, rule_key, f"unknown rule (known: {', '.join(RULE_KEYS)})")
            if name in FLAG_RULES:
                if not isinstance(value, bool):
                    raise policy_error(path, rule_key, f"must be true or false; got {value!r}")
                values[name] = value
            elif name in ENTITY_RULES:
                values[name] = _rule_entities(value, regime, ENTITY_RULES[name], entities, entity_levels, path,
                                              rule_key)
            elif name in ROLE_RULES:
                values[name] = _rule_roles(value, regime, roles, path, rule_key)
        rules[str(regime)] = RegimeRules(str(regime), **values)
    return rules


def _rule_entities(value: Any, regime: str, owner: str, entities: dict[str, tuple[str, ...]],
                   entity_levels: dict[str, int], path: Path, key: str) -> frozenset[str]:
    if regime != owner:
        raise policy_error(path, key, f"a rule of {owner} only")
    if not isinstance(value, list) or not value:
        raise policy_error(path, key, "must be a non-empty list of entity names")
    for entity in value:
        if entity not in entity_levels:
            raise policy_error(path, key, f"unknown entity {entity!r} (not in entity_levels)")
        if regime not in entities.get(entity, ()):
            raise policy_error(path, key, f"{entity} is not covered by {regime} in {REGIMES_KEY}.entities")
    return frozenset(str(e) for e in value)


def _rule_roles(value: Any, regime: str, roles: dict[str, Any], path: Path, key: str) -> tuple[str, ...]:
    allowed = ROLE_RULES["cleared_roles"]
    if regime not in allowed:
        raise policy_error(path, key, f"a rule of {' and '.join(allowed)} only")
    if not isinstance(value, list):
        raise policy_error(path, key, "must be a list of role names")
    for role in value:
        if role not in roles:
            raise policy_error(path, key, f"undefined role {role!r}")
    return tuple(sorted(str(r) for r in value))
