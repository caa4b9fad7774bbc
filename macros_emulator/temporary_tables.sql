{#
    EMULATOR ONLY (on the macro path only when DBT_SNOWFLAKE_EMULATOR=1).
    Replaces dbt-snowflake's snowflake__create_table_temporary_sql.
    Gap: fakesnow rejects fully qualified TEMPORARY tables ("TEMPORARY table names can only use the
    temp catalog"); dbt-snowflake qualifies every relation. A transient table (the stock
    snowflake__create_table_transient_sql, the same CTAS with the same contract handling) stands in.
#}
{% macro snowflake__create_table_temporary_sql(relation, compiled_code) -%}
    {{ snowflake__create_table_transient_sql(relation, compiled_code) }}
{%- endmacro %}
