"""Onboarding an existing dbt project (`governance init`).

| module | what it owns |
|---|---|
| starter | the starter policy (levels, entity levels, roles, masking, grants for the project's schemas) |
| init | the steps: policy, package entry, masking hooks, resolved-policy macro; idempotent |
"""

from governance.onboard.init import InitReport, dbt_package_dir, init_project

__all__ = ["InitReport", "dbt_package_dir", "init_project"]
