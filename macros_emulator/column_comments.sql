{#
    EMULATOR ONLY (on the macro path only when DBT_SNOWFLAKE_EMULATOR=1).
    Replaces dbt-snowflake's snowflake__alter_column_comment (persist_docs for columns of tables).
    Gap: fakesnow cannot parse one ALTER ... ALTER with a list of column comments; it accepts one
    column per statement. So each column gets its own statement here (fakesnow accepts and ignores
    them), and the caller runs a harmless query.
#}
{% macro snowflake__alter_column_comment(relation, column_dict) -%}
    {%- set existing_columns = adapter.get_columns_in_relation(relation) | map(attribute="name") | list -%}
    {%- set filtered_column_dict = validate_doc_columns(relation, column_dict, existing_columns) -%}
    {%- for column_name in existing_columns -%}
        {%- set statement -%}
            alter table {{ relation.render() }} alter {{ get_column_comment_sql(column_name, filtered_column_dict) }}
        {%- endset -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    select 1 as emulator_column_comments
{%- endmacro %}
