"""Compliance: the regimes of the policy (GDPR, CCPA, HIPAA, PCI DSS) proven from column lineage.

| module | what it owns |
|---|---|
| inventory | every column carrying a regulated entity: level, protection, clear readers, retention, purpose |
| report | the regime reports and the regime rules `governance check` enforces |
| render | the reports as text, JSON and docs-site pages |
"""

from governance.compliance.inventory import Inventory, Placement, load_roles_spec
from governance.compliance.report import RegimeReport, compliance_findings, reports

__all__ = ["Inventory", "Placement", "RegimeReport", "compliance_findings", "load_roles_spec", "reports"]
