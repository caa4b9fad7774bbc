"""Observability: the audit trail, the Prometheus exporter and the Grafana dashboards.

- `governance.observability.decisions`: the API governance commands call to append their decisions
  to the audit trail (`record_decision`, `record_decisions`, `command_audit`). It refuses anything
  that looks like a row value.
- `governance.observability.audit`: the audit schema's name and a reader of the trail that dbt's
  `on-run-start`/`on-run-end` hooks write (macros/audit/audit_trail.sql).
- `governance.observability.exporter`: `governance-exporter`, a prometheus-client exporter serving
  metrics from the audit trail, dbt's artifacts and the governance state.
- `governance.observability.dashboards`: `governance-dashboards`, the Grafana dashboards as code.

This package only reads the other governance modules (policy, roles, masking, connection); it never
changes what they decide. Nothing here stores, logs or serves a row value.
"""

from governance.observability.decisions import (
    AuditTrailError,
    Decision,
    DecisionLog,
    RowDataError,
    check_no_row_data,
    command_audit,
    record_decision,
    record_decisions,
)

__all__ = [
    "AuditTrailError",
    "Decision",
    "DecisionLog",
    "RowDataError",
    "check_no_row_data",
    "command_audit",
    "record_decision",
    "record_decisions",
]
