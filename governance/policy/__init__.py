"""The governance policy (`vars.governance` in dbt_project.yml): one parser and validator for every
section, typed objects, and the rules that follow from it, implemented once.

| module | what it owns |
|---|---|
| schema | levels, entity levels, roles and clearances, masking; `load_policy` validates it all |
| grants | the `grants` section (Permifrost roles.yml input) |
| sections | the `lineage_rules`, `scan` and `retention` sections, `Classification` |
| erasure | the `erasure` section: data subjects and their keys, the register, Time Travel per schema |
| meta | what a column's classification meta declares, and which meta is invalid |
| masking | masking rules: type family, category, Snowflake policy type and name |
| resolved | the resolved policy rendered for the dbt macros (`governance policy --write/--check`) |
| location | errors that name file, line and key |
"""

from governance.errors import PolicyError
from governance.policy.location import POLICY_KEY
from governance.policy.schema import (
    MASK_CATEGORIES,
    MASKS_BY_CATEGORY,
    TEXT_CATEGORIES,
    Level,
    Masking,
    Policy,
    Role,
    load_policy,
    parse_policy,
)
from governance.policy.sections import Classification, LineageRule, ScanSettings

__all__ = [
    "MASKS_BY_CATEGORY", "MASK_CATEGORIES", "POLICY_KEY", "TEXT_CATEGORIES", "Classification", "Level",
    "LineageRule", "Masking", "Policy", "PolicyError", "Role", "ScanSettings", "load_policy", "parse_policy",
]
