{#
    EMULATOR ONLY (on the macro path only when DBT_SNOWFLAKE_EMULATOR=1).

    1. snowflake_dml_explicit_transaction (dbt-snowflake wraps every MERGE/INSERT/DELETE of an
       incremental run or snapshot in `begin; ...; commit;`).
       Gap: fakesnow answers a MERGE inside BEGIN/COMMIT with HTTP 500, and its shared session is
       then stuck in an aborted transaction. The DML runs on its own here (autocommit).

    2. snowflake__get_merge_sql and snowflake__snapshot_merge_sql (the MERGE of the `merge`
       incremental strategy and of snapshots).
       Gap: fakesnow (DuckDB underneath) finds the unqualified column names in
       `when not matched then insert (...) values (col, ...)` ambiguous between target and source.
       The values are qualified with DBT_INTERNAL_SOURCE; otherwise the stock statements.
#}
{% macro snowflake_dml_explicit_transaction(dml) %}
    {% do return(dml) %}
{% endmacro %}


{% macro snowflake__get_merge_sql(target, source_sql, unique_key, dest_columns, incremental_predicates) -%}
    {%- set dest_cols_csv = get_quoted_csv(dest_columns | map(attribute='name')) -%}
    {%- set sql_header = config.get('sql_header', none) -%}
    {%- if unique_key is none -%}
        {{ sql_header if sql_header is not none }}
        insert into {{ target }} ({{ dest_cols_csv }})
        (
            select {{ dest_cols_csv }}
            from {{ source_sql }}
        )
    {%- else -%}
        {%- set source_cols = [] -%}
        {%- for column in dest_columns -%}
            {%- do source_cols.append('DBT_INTERNAL_SOURCE.' ~ adapter.quote(column.name)) -%}
        {%- endfor -%}
        {%- set stock = default__get_merge_sql(target, source_sql, unique_key, dest_columns, incremental_predicates) -%}
        {%- set head = stock.rsplit('values', 1)[0] -%}
        {{ head }}values
        ({{ source_cols | join(', ') }})
    {%- endif -%}
{%- endmacro %}


{% macro snowflake__snapshot_merge_sql(target, source, insert_cols) -%}
    {%- set qualified = [] -%}
    {%- for column in insert_cols -%}
        {%- do qualified.append('DBT_INTERNAL_SOURCE.' ~ column) -%}
    {%- endfor -%}
    {%- set stock = default__snapshot_merge_sql(target, source, insert_cols) -%}
    {{ stock.rsplit('values', 1)[0] }}values ({{ qualified | join(', ') }})
{%- endmacro %}
