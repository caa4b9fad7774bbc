"""Generates the project's raw layer: Qlik Replicate change tables, a support-ticket API load and
marketing spend files, deterministically, into a DuckDB database."""
