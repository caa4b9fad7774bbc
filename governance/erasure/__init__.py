"""The right to erasure and retention, planned from column lineage and the columns' classification.

| module | what it owns |
|---|---|
| plan | where a data subject's data lives: relations, key columns, personal and free-text columns |
| statements | the plan as SQL (DuckDB, Snowflake): counts, scrubs, anonymisation, the register |
| run | plan, count and apply one erasure (one transaction); reclaim a DuckDB file |
| retention | the retention rules resolved for the daily build (`macros/governance/resolved_retention.sql`) |
"""
