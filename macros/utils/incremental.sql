{#
    The incremental strategy for the target's adapter: merge on Snowflake, delete+insert on DuckDB
    (DuckDB's delete+insert is a single scan of the batch; merge there is slower on wide tables).
#}
{% macro incremental_strategy_for_target() -%}
    {{ return(adapter.dispatch('incremental_strategy_for_target', 'analytics')()) }}
{%- endmacro %}

{% macro default__incremental_strategy_for_target() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro snowflake__incremental_strategy_for_target() -%}
    {{ return('merge') }}
{%- endmacro %}


{#
    The newest change sequence a model has already merged: the boundary of its next incremental run.
#}
{% macro incremental_watermark(column='_source_change_seq') -%}
    (select coalesce(max({{ column }}), '') from {{ this }})
{%- endmacro %}


{#
    A pre-hook for incremental facts: remove rows whose source rows have since been deleted.
    `deleted` is a list of (key column in this model, relation, key column there) triples.
#}
{% macro delete_rows_deleted_upstream(deleted) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where
        {%- for column, relation, source_column in deleted %}
            {{ 'or ' if not loop.first }}{{ column }} in (select {{ source_column }} from {{ relation }} where is_deleted)
        {%- endfor %}
    {%- endif -%}
{%- endmacro %}
