{#
    Replaces dbt's built-in is_incremental() (dbt-core, materializations/models/incremental/
    is_incremental.sql), which a model calls to choose between its full-refresh and its incremental SQL.

    The governance package's version answers as dbt's does, except in the compiles `governance check`
    runs to analyse what really runs (README "## Classification lineage"): there it renders the branch
    governance asks for, with no warehouse, so lineage covers both branches of every incremental model.
#}
{% macro is_incremental() -%}
    {{ return(governance.is_incremental()) }}
{%- endmacro %}
