{#
    Incremental models and snapshots (README "## Incremental models").

    Watermarks. An incremental model keeps, per row, the newest change sequence of each upstream
    table the row reflects (e.g. fct_orders: _order_change_seq, _order_items_change_seq,
    _payments_change_seq). The model's boundary for that upstream is the column's maximum; a run
    recomputes the rows whose upstream changed after it:

        where {{ newer_than_watermark('_cdc_change_seq', '_order_change_seq') }}

    One watermark per upstream table, never one shared by all: Qlik applies each change table on
    its own, so one table's sequence can run ahead of another's. Watermarks come from the data,
    so an incremental build and a full refresh of the same data are equal in every column.

    Boundaries are looked up once per node and run, before the node changes, and rendered as
    literals: the database can then skip the storage blocks (DuckDB row groups, Snowflake
    micro-partitions) that hold only older rows, and plans the join on the changed rows' real size.
    In `dbt run` and `dbt build` each boundary is recorded in the boundaries log
    (changed_rows_tests.sql), which the node's pre-hooks and data tests read back.
#}

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


{# Whether this node is running incrementally: an incremental model's is_incremental(), or a
   snapshot that already exists (in a governance lineage compile: the branch it renders). #}
{% macro is_incremental_node() -%}
    {%- set branch = governance.lineage_compile_branch() -%}
    {%- if model.resource_type == 'snapshot' and branch is not none -%}
        {{ return(branch == 'incremental') }}
    {%- endif -%}
    {%- if model.resource_type == 'snapshot' -%}
        {{ return(execute and load_relation(this) is not none) }}
    {%- endif -%}
    {{ return(is_incremental()) }}
{%- endmacro %}


{#
    The newest value of `column` this node already holds, as a SQL string literal, or none when it
    holds none. Computed once per node and run (later renderings read the boundaries log). In unit tests
    (whose `this` is a fixture), at parse time and in lineage compiles it is the equivalent subquery.

    The maximum is looked for first among the values at or above the boundary an earlier run
    logged: the database then reads only the storage blocks holding newer values, not the whole
    column. If none is there (rows were deleted, the table rebuilt), the whole column is read.
    Either way the result is the column's exact maximum.
#}
{% macro incremental_boundary(column) -%}
    {%- if not execute or model.resource_type == 'unit_test' or governance.lineage_compile_branch() is not none -%}
        {{ return("(select coalesce(max(" ~ column ~ "), '') from " ~ this ~ ")") }}
    {%- endif -%}
    {#- boundaries already looked up in this rendering (of the node's SQL, or of one hook) #}
    {%- set known = model.setdefault('incremental_boundaries', {}) -%}
    {%- if column in known -%}
        {{ return(known[column]) }}
    {%- endif -%}
    {%- set logged = incremental_boundaries_log_enabled() -%}
    {%- set entry = none -%}
    {%- if logged -%}
        {%- if 'incremental_boundaries_logged' not in model -%}
            {%- do model.update({'incremental_boundaries_logged': logged_boundaries(model)}) -%}
        {%- endif -%}
        {%- set entry = model['incremental_boundaries_logged'].get(column) -%}
        {%- if entry is not none and entry['this_run'] -%}
            {%- do known.update({column: sql_string_literal(entry['boundary'])}) -%}
            {{ return(known[column]) }}
        {%- endif -%}
    {%- endif -%}
    {%- set newest_sql = "select cast(max(" ~ column ~ ") as " ~ dbt.type_string() ~ ") from " ~ this -%}
    {%- set newest = none -%}
    {%- if entry is not none -%}
        {%- set newest = run_query(
            newest_sql ~ " where " ~ column ~ " >= " ~ sql_string_literal(entry['boundary'])).rows[0][0] -%}
    {%- endif -%}
    {%- if newest is none -%}
        {%- set newest = run_query(newest_sql).rows[0][0] -%}
    {%- endif -%}
    {%- do known.update({column: sql_string_literal(newest)}) -%}
    {%- if logged -%}
        {%- do run_query(
            "insert into " ~ incremental_boundaries_relation(model)
            ~ " (invocation_id, node_id, watermark_column, boundary, recorded_at) values ('" ~ invocation_id
            ~ "', '" ~ model.unique_id ~ "', '" ~ column ~ "', " ~ (known[column] or 'null')
            ~ ", cast(" ~ dbt.current_timestamp() ~ " as " ~ dbt.type_timestamp() ~ "))") -%}
    {%- endif -%}
    {{ return(known[column]) }}
{%- endmacro %}


{# `value` as a quoted SQL string literal; none for none. #}
{% macro sql_string_literal(value) -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{%- endmacro %}


{#
    A predicate: `expression` (an upstream change sequence) is newer than this node's boundary for
    its watermark `column`. True on a first or full-refresh run, and when the node holds nothing.
#}
{% macro newer_than_watermark(expression, column) -%}
    {%- if not is_incremental_node() -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set boundary = incremental_boundary(column) -%}
    {{ return('true' if boundary is none else expression ~ ' > ' ~ boundary) }}
{%- endmacro %}


{#
    A pre-hook for incremental facts: remove rows whose source rows were deleted since the last run.
    `deleted` is a list of (key column in this model, staging relation, key column there, watermark
    column in this model): rows are removed whose key is a row of the staging relation that was
    deleted (is_deleted) by a change newer than the watermark.
#}
{% macro delete_rows_deleted_upstream(deleted) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where
        {%- for column, relation, source_column, watermark in deleted %}
            {{ 'or ' if not loop.first }}{{ column }} in (
                select {{ source_column }} from {{ relation }}
                where is_deleted and {{ newer_than_watermark('_cdc_change_seq', watermark) }}
            )
        {%- endfor %}
    {%- endif -%}
{%- endmacro %}


{#
    `in_scope as {{ materialized_cte() }} (...)`: in an incremental run, compute this CTE (the
    changed rows) on its own, first. DuckDB's planner would otherwise join the full tables and
    filter to the changed rows afterwards; Snowflake's has no such hint and needs none. On a full
    refresh the CTE holds everything, and materialising it would only cost memory.
#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'analytics')() if is_incremental_node() else '') }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
    {{ return('') }}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    {{ return('materialized') }}
{%- endmacro %}
