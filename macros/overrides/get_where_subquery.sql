{#
    Replaces dbt's built-in get_where_subquery (dbt-core, materializations/tests/where_subquery.sql),
    which every generic data test calls to turn its model into the relation it tests.

    dbt's version applies the test's `where` config. This one applies it too, and adds the
    changed-rows condition (changed_rows_condition, macros/incremental/changed_rows_tests.sql): in
    `dbt build`, the tests of an incremental model or a snapshot check only the rows the build wrote
    (README "## Incremental models"). With no condition and no `where`, the relation is returned as is.
#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set changed = changed_rows_condition(relation) -%}
    {%- if changed -%}
        {%- do conditions.append('(' ~ changed ~ ')') -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
