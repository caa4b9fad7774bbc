{#
    EMULATOR ONLY (on the macro path only when DBT_SNOWFLAKE_EMULATOR=1).
    Replaces the column list of contracted tables (dbt's get_table_columns_and_constraints).
    Gap: in CREATE TABLE (columns) AS SELECT, fakesnow counts a table-level constraint such as
    `primary key (id)` as a column and fails with "Invalid column definition list". Column types
    and column-level constraints are kept; model-level constraints are left out (Snowflake does not
    enforce primary keys either, and the `unique`/`not_null` data tests still run).
#}
{% macro snowflake__get_table_columns_and_constraints() -%}
    {{ table_columns_and_column_constraints() }}
{%- endmacro %}
