{#
    Replaces dbt's built-in generate_schema_name (dbt-core, get_custom_name/get_custom_schema.sql),
    which always prefixes a custom schema with the target schema (`<target.schema>_marts`).

    Schemas are named for what they hold (staging, intermediate, marts, snapshots, reference).
    - DuckDB (the embedded default) and the Snowflake `prod` targets use the custom schema name as is.
    - Any other target (a developer's Snowflake sandbox) prefixes it with the target schema,
      e.g. DBT_JDOE_MARTS, so developers never write into production schemas.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.type == 'duckdb' or target.name.startswith('prod') or target.name == 'ci' -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
