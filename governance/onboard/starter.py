"""The starter policy `governance init` writes under `vars.governance`: a sensible default to review.

Four levels (3 and 4 masked), the common PII entities at their usual levels, a loader and a
transformer service role, two clearance roles, a least-privileged default role (`reporter`) and an
`analyst` cleared for level 3, masks per level and category, the lineage rules that hold in any
project (counts, predicates and lengths reveal no value), and grants that name the project's own
schemas (read from its manifest) so `governance roles` works from the start.
"""

from __future__ import annotations

from typing import Any

STARTER_POLICY = """\
levels:
  1: {name: Public, description: May be shared outside the company., masked: false}
  2: {name: Internal, description: For employees; not personal on its own., masked: false}
  3: {name: Confidential, description: Personal data. Masked unless the role is cleared for level 3., masked: true}
  4: {name: Restricted, description: Special or financial personal data. Masked unless cleared for level 4., masked: true}
entity_levels:
  PERSON: 3
  EMAIL_ADDRESS: 3
  PHONE_NUMBER: 3
  LOCATION: 3
  STREET_ADDRESS: 3
  DATE_OF_BIRTH: 3
  IP_ADDRESS: 3
  POSTAL_CODE: 2
  URL: 2
  USER_AGENT: 2
  CREDIT_CARD: 4
  IBAN_CODE: 4
  US_BANK_NUMBER: 4
  US_SSN: 4
  US_PASSPORT: 4
  US_DRIVER_LICENSE: 4
  MEDICAL_LICENSE: 4
  CRYPTO: 4
roles:
  loader: {kind: service, description: Loads the raw (source) data.}
  transformer: {kind: service, description: dbt.}
  pii_confidential: {kind: clearance, clearance: 3, description: Sees level 3 in clear.}
  pii_restricted: {kind: clearance, clearance: 4, member_of: [pii_confidential], description: Sees levels 3 and 4 in clear.}
  reporter: {kind: functional, description: BI and dashboards; sees personal data masked.}
  analyst: {kind: functional, member_of: [pii_confidential], description: Sees level 3; level 4 masked.}
default_role: reporter
masking:
  schema: governance
  hash_key_env: GOVERNANCE_MASKING_HASH_KEY
  static_targets: []
  entity_categories: {EMAIL_ADDRESS: email, PHONE_NUMBER: phone}
  levels:
    3: {text: redact, email: keep_domain, phone: keep_last_4, join_key: hash, number: zero, date: truncate_to_year, timestamp: truncate_to_year}
    4: {text: redact, email: redact, phone: redact, join_key: redact, number: nullify, date: nullify, timestamp: nullify}
lineage_rules:
  count: {level: 1, pii: drop, description: "A count of values tells how many, not which."}
  predicate: {level: 1, pii: drop, description: A boolean flag or condition on a value reveals no value.}
  length: {level: 1, pii: drop, description: The length of a value.}
"""
# The comment written above each section of the starter policy.
SECTION_COMMENTS = {
    "levels": (
        "The governance policy (written by `governance init`; review it). After every change run\n"
        "`governance policy --write` (the masking macros refuse a stale resolved policy).\n"
        "Classification levels, lowest to highest; columns at a `masked: true` level are masked for\n"
        "every role not cleared for that level."
    ),
    "entity_levels": (
        "The level a column gets from the PII entities found in it (the highest wins; Presidio's names)."
    ),
    "roles": (
        "Roles (Snowflake role names, lower case here). service: sees everything; clearance: clears its\n"
        "members for a level (the roles masking policies check); functional: what people and tools use."
    ),
    "default_role": (
        "The role a session acts as when it declares none: the least privileged."
    ),
    "masking": (
        "How masked levels mask each column category (text, email, phone, join_key, number, date,\n"
        "timestamp, boolean, other). `hash` is a keyed SHA-256: set the key in the environment variable\n"
        "named by hash_key_env (never in the repository) before a build that uses it."
    ),
    "lineage_rules": (
        "Column lineage (`governance propagate`): transformations that really remove personal content cap\n"
        "the level of what flows through them; every other transformation keeps level and entities."
    ),
    "grants": "Grants: what `governance roles` turns into Permifrost's roles.yml (review the names).",
}


def starter_grants(database: str, source_schemas: list[str], built_schemas: list[str]) -> dict[str, Any]:
    """Grants (Permifrost's roles.yml input) for the project's schemas: the loader writes the source
    schemas, the transformer reads them and writes every schema dbt builds, the functional roles read
    the built schemas."""
    return {
        "database": database,
        "source_database": database,
        "raw_writers": ["loader"],
        "restrict_schemas_from_level": 4,
        "warehouses": {"loading": {"size": "x-small"}, "transforming": {"size": "x-small"},
                       "reporting": {"size": "x-small"}},
        "roles": {
            "loader": {"warehouses": ["loading"], "write": list(source_schemas)},
            "transformer": {"warehouses": ["transforming"], "read": list(source_schemas),
                            "write": list(built_schemas)},
            "reporter": {"warehouses": ["reporting"], "read": list(built_schemas)},
            "analyst": {"warehouses": ["reporting"], "read": list(built_schemas)},
        },
        "users": {"loader_service": {"role": "loader", "description": "Loads the raw (source) data."},
                  "dbt_service": {"role": "transformer", "description": "dbt runs in production."}},
    }
