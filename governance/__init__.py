"""Governance for the analytics dbt project: PII scan, classification, lineage, masking and roles."""

__version__ = "0.1.0"
