{#
    The boundaries log, and data tests of changed rows only (README "## Incremental models").

    <schema>.dbt_incremental_boundaries, one per schema holding incremental models or snapshots,
    logs the boundary each node started from in each `dbt run` and `dbt build` (one row per node,
    watermark column and invocation). on-run-start creates it and drops rows older than 30 days;
    incremental_boundary() (incremental.sql) writes it, and starts each lookup from the node's
    latest earlier boundary; the node's pre-hooks and its data tests read this run's back.

    In `dbt build`, the data tests of such a node check only the rows the build wrote: those with
    a watermark newer than the boundary logged for this invocation (changed_rows_condition, which
    the get_where_subquery override in macros/overrides/ adds to every generic test). A whole-table
    test would cost as much on a 1% change batch as on a full refresh. Sound because a row the
    build did not write was tested when it was written, and an incremental run writes whole rows by
    unique key (a new duplicate or a new null is always in a written row). Whole-table tests still run:
      - in `dbt test` (e.g. a nightly job) and in `dbt build --full-refresh`;
      - on the first build of a node, and for a node the build did not select;
      - always, with `--vars '{test_changed_rows_only: false}'`.
#}

{% macro incremental_boundaries_relation(node) -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier='dbt_incremental_boundaries')) }}
{%- endmacro %}


{% macro keeps_incremental_boundaries(node) -%}
    {{ return(node.resource_type == 'snapshot' or node.config.get('materialized') == 'incremental') }}
{%- endmacro %}


{# Whether `node` (default: this one) logs its boundaries in this invocation (on-run-start created its log). #}
{% macro incremental_boundaries_log_enabled(node=none) -%}
    {%- set node = node if node is not none else model -%}
    {{ return(
        flags.WHICH in ('run', 'build') and node.unique_id in selected_resources
        and keeps_incremental_boundaries(node)
    ) }}
{%- endmacro %}


{#
    What `node` logged, per watermark column: its boundary of this invocation if it logged one,
    else its latest non-null boundary of an earlier invocation. A dict column -> {'this_run': bool,
    'boundary': value (none when the node held no value)}; one query.
#}
{% macro logged_boundaries(node) -%}
    {%- set this_run = "invocation_id = '" ~ invocation_id ~ "'" -%}
    {%- set found = run_query(
        "select watermark_column, " ~ this_run ~ " as this_run, boundary from "
        ~ incremental_boundaries_relation(node) ~ " where node_id = '" ~ node.unique_id ~ "' and ("
        ~ this_run ~ " or boundary is not null) qualify row_number() over (partition by watermark_column order by "
        ~ this_run ~ " desc, recorded_at desc) = 1") -%}
    {%- set by_column = {} -%}
    {%- for column, is_this_run, boundary in found.rows -%}
        {%- do by_column.update({column: {'this_run': is_this_run, 'boundary': boundary}}) -%}
    {%- endfor -%}
    {{ return(by_column) }}
{%- endmacro %}


{# on-run-start: the boundaries log of every schema holding a selected incremental model or snapshot. #}
{% macro create_incremental_boundary_tables() -%}
    {%- if not execute or flags.WHICH not in ('run', 'build') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set relations = {} -%}
    {%- for node in graph.nodes.values() if incremental_boundaries_log_enabled(node) -%}
        {%- set relation = incremental_boundaries_relation(node) -%}
        {%- do relations.update({relation | string: relation}) -%}
    {%- endfor -%}
    {%- for name in relations | sort %}
    create table if not exists {{ relations[name] }} (
        invocation_id {{ dbt.type_string() }},
        node_id {{ dbt.type_string() }},
        watermark_column {{ dbt.type_string() }},
        boundary {{ dbt.type_string() }},
        recorded_at {{ dbt.type_timestamp() }}
    );
    {#- a run reads its own rows and each node's latest earlier ones: keep 30 days, for the audit #}
    delete from {{ relations[name] }}
    where recorded_at < cast({{ dbt.dateadd('day', -30, dbt.current_timestamp()) }} as {{ dbt.type_timestamp() }});
    {%- endfor %}
{%- endmacro %}


{#
    The condition that keeps the rows this build wrote to the node under test, or '' to test the
    whole relation (no boundary logged for the node in this invocation: it was not selected, was
    built from scratch, or tests run outside `dbt build`).
#}
{% macro changed_rows_condition(relation) -%}
    {%- if not execute or flags.WHICH != 'build' or not var_is_true('test_changed_rows_only', true) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set node = graph.nodes.get(model.get('attached_node') or '') -%}
    {%- if node is none or not incremental_boundaries_log_enabled(node)
           or (relation.identifier or '') | lower != (node.alias or '') | lower -%}
        {{ return('') }}
    {%- endif -%}
    {%- set logged = logged_boundaries(node) -%}
    {%- set newer = [] -%}
    {%- for column in logged | sort if logged[column]['this_run'] -%}
        {%- if logged[column]['boundary'] is none -%}
            {{ return('') }}  {#- the node held nothing before the build: every row is new #}
        {%- endif -%}
        {%- do newer.append(column ~ ' > ' ~ sql_string_literal(logged[column]['boundary'])) -%}
    {%- endfor -%}
    {{ return(newer | join(' or ')) }}
{%- endmacro %}
