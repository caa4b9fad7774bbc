{#
    Read a string out of a JSON document (DuckDB JSON, Snowflake VARIANT).
    `path` is a dotted path such as 'requester.email'.
#}
{% macro json_string(column, path) -%}
    {{ return(adapter.dispatch('json_string', 'analytics')(column, path)) }}
{%- endmacro %}

{% macro default__json_string(column, path) -%}
    json_extract_string({{ column }}, '$.{{ path }}')
{%- endmacro %}

{% macro snowflake__json_string(column, path) -%}
    {{ column }}:{{ path }}::varchar
{%- endmacro %}


{% macro json_timestamp(column, path) -%}
    {{ return(adapter.dispatch('json_timestamp', 'analytics')(column, path)) }}
{%- endmacro %}

{% macro default__json_timestamp(column, path) -%}
    cast(json_extract_string({{ column }}, '$.{{ path }}') as timestamp)
{%- endmacro %}

{% macro snowflake__json_timestamp(column, path) -%}
    to_timestamp_ntz({{ column }}:{{ path }}::varchar)
{%- endmacro %}
