{#
    The audit trail (README "## Operating it"): append-only tables in the audit schema that record
    every dbt invocation and what each node did. Never a row value: ids, statuses, times and counts.

      <audit>.dbt_invocations        one row when an invocation starts (phase 'start', on-run-start)
                                     and one when it ends (phase 'end', on-run-end, with its status
                                     and counts); a start without an end is a run that was killed
      <audit>.dbt_node_results       one row per node an invocation ran: status, timing, rows affected
                                     (incremental models and snapshots), failures (data tests)
      <audit>.governance_decisions   what the governance commands decided (written by the Python
                                     package: governance.observability.decisions)

    The audit schema is `audit` on DuckDB and on the Snowflake prod/ci targets, `<schema>_audit` on a
    developer's Snowflake target (generate_schema_name). Rows are only ever inserted; nothing here
    updates or deletes them. A node's error message is never stored: a database error can quote a
    value. on-run-end runs after every node, failed or not, so a run that fails midway records what
    ran (and what was skipped). `--vars '{audit_trail: false}'` turns it off (benchmarks).
#}

{% macro audit_trail_enabled() -%}
    {{ return(execute and var('audit_trail', true) not in (false, 'false', 'False', 0, '0')) }}
{%- endmacro %}


{% macro audit_relation(identifier) -%}
    {{ return(api.Relation.create(
        database=target.database, schema=generate_schema_name('audit', none) | trim, identifier=identifier)) }}
{%- endmacro %}


{# A SQL string literal (or null) in the target's dialect. #}
{% macro audit_literal(value) -%}
    {{ return(adapter.dispatch('audit_literal', 'analytics')(value)) }}
{%- endmacro %}

{% macro default__audit_literal(value) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- endif -%}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{%- endmacro %}

{# Snowflake also treats a backslash in a string literal as an escape. #}
{% macro snowflake__audit_literal(value) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- endif -%}
    {{ return("'" ~ (value | string | replace('\\', '\\\\') | replace("'", "''")) ~ "'") }}
{%- endmacro %}


{% macro audit_timestamp(value) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- endif -%}
    {{ return('cast(' ~ audit_literal(value.strftime('%Y-%m-%d %H:%M:%S.%f')) ~ ' as ' ~ dbt.type_timestamp() ~ ')') }}
{%- endmacro %}


{% macro audit_number(value) -%}
    {%- if value is none or value is not number -%}
        {{ return('null') }}
    {%- endif -%}
    {{ return(value | string) }}
{%- endmacro %}


{# DDL of the audit tables; idempotent. Columns are (name, type) pairs, shared by the writers. #}
{% macro audit_table_columns() -%}
    {{ return({
        'dbt_invocations': [
            ('invocation_id', dbt.type_string()), ('phase', dbt.type_string()), ('command', dbt.type_string()),
            ('target_name', dbt.type_string()), ('target_type', dbt.type_string()),
            ('dbt_version', dbt.type_string()), ('full_refresh', dbt.type_boolean()),
            ('started_at', dbt.type_timestamp()), ('recorded_at', dbt.type_timestamp()),
            ('status', dbt.type_string()), ('nodes', dbt.type_int()), ('succeeded', dbt.type_int()),
            ('errors', dbt.type_int()), ('test_failures', dbt.type_int()), ('warnings', dbt.type_int()),
            ('skipped', dbt.type_int()), ('duration_seconds', dbt.type_float()),
        ],
        'dbt_node_results': [
            ('invocation_id', dbt.type_string()), ('node_id', dbt.type_string()),
            ('resource_type', dbt.type_string()), ('materialization', dbt.type_string()),
            ('status', dbt.type_string()), ('started_at', dbt.type_timestamp()),
            ('completed_at', dbt.type_timestamp()), ('execution_seconds', dbt.type_float()),
            ('rows_affected', dbt.type_bigint()), ('failures', dbt.type_bigint()),
            ('thread_id', dbt.type_string()), ('recorded_at', dbt.type_timestamp()),
        ],
        'governance_decisions': [
            ('run_id', dbt.type_string()), ('command', dbt.type_string()), ('target_name', dbt.type_string()),
            ('kind', dbt.type_string()), ('subject', dbt.type_string()), ('details', dbt.type_string()),
            ('decided_at', dbt.type_timestamp()),
        ],
    }) }}
{%- endmacro %}


{% macro audit_create_tables() -%}
    {{ return(adapter.dispatch('audit_create_tables', 'analytics')()) }}
{%- endmacro %}

{% macro default__audit_create_tables() -%}
    create schema if not exists {{ audit_relation('x').without_identifier() }};
    {%- for table, columns in audit_table_columns().items() %}
    create table if not exists {{ audit_relation(table) }} (
        {%- for name, type in columns %}
        {{ name }} {{ type }}{{ ',' if not loop.last }}
        {%- endfor %}
    );
    {%- endfor %}
{%- endmacro %}

{% macro snowflake__audit_create_tables() -%}
    create schema if not exists {{ audit_relation('x').without_identifier() }};
    {%- for table, columns in audit_table_columns().items() %}
    create table if not exists {{ audit_relation(table) }} (
        {%- for name, type in columns %}
        {{ name }} {{ type }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) comment = 'Audit trail (append-only; ids, statuses, times and counts, never a row value)';
    {%- endfor %}
{%- endmacro %}


{# Multi-row inserts, at most 500 rows per statement (Snowflake takes up to 16,384). #}
{% macro audit_insert(table, rows) -%}
    {%- set columns = audit_table_columns()[table] | map(attribute=0) | list -%}
    {%- for batch in rows | batch(500) %}
    insert into {{ audit_relation(table) }} ({{ columns | join(', ') }}) values
        {%- for row in batch %}
        ({{ row | join(', ') }}){{ ',' if not loop.last else ';' }}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}


{% macro audit_command() -%}
    {{ return(flags.WHICH | default('unknown', true) | string) }}
{%- endmacro %}


{% macro audit_invocation_row(phase, status, counts, duration) -%}
    {{ return([
        audit_literal(invocation_id), audit_literal(phase), audit_literal(audit_command()), audit_literal(target.name),
        audit_literal(target.type), audit_literal(dbt_version),
        ('true' if flags.FULL_REFRESH else 'false'),
        audit_timestamp(run_started_at), audit_timestamp(modules.datetime.datetime.utcnow()), audit_literal(status),
        audit_number(counts.get('nodes')), audit_number(counts.get('succeeded')), audit_number(counts.get('errors')),
        audit_number(counts.get('test_failures')), audit_number(counts.get('warnings')),
        audit_number(counts.get('skipped')), audit_number(duration),
    ]) }}
{%- endmacro %}


{# on-run-start: the audit tables, and the invocation's 'start' row. #}
{% macro audit_run_start() -%}
    {%- if not audit_trail_enabled() -%}
        {{ return('') }}
    {%- endif -%}
    {{ audit_create_tables() }}
    {{ audit_insert('dbt_invocations', [audit_invocation_row('start', none, {}, none)]) }}
{%- endmacro %}


{#
    Rows each incremental model and snapshot wrote in this invocation. DuckDB's adapter reports no
    row counts, so they are counted from the boundaries log: the rows with a watermark newer than
    the boundary this invocation logged (every row when the node held none before, or was rebuilt).
    One query per boundaries log and one count query for all nodes.
#}
{% macro audit_rows_affected(results) -%}
    {{ return(adapter.dispatch('audit_rows_affected', 'analytics')(results)) }}
{%- endmacro %}

{% macro default__audit_rows_affected(results) -%}
    {%- set nodes = [] -%}
    {%- set logs = {} -%}
    {%- for result in results if result.node is defined and (result.status | string) == 'success'
                                and keeps_incremental_boundaries(result.node) -%}
        {%- do nodes.append(result.node) -%}
        {%- set log = incremental_boundaries_relation(result.node) -%}
        {%- do logs.update({log | string: log}) -%}
    {%- endfor -%}
    {%- if not nodes -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set boundaries = {} -%}
    {%- for name in logs | sort -%}
        {%- if load_relation(logs[name]) is not none -%}
            {%- for node_id, column, boundary in run_query(
                    "select node_id, watermark_column, boundary from " ~ logs[name]
                    ~ " where invocation_id = " ~ audit_literal(invocation_id)).rows -%}
                {%- do boundaries.setdefault(node_id, []).append((column, boundary)) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set counts = [] -%}
    {%- for node in nodes -%}
        {%- set logged = boundaries.get(node.unique_id, []) -%}
        {%- set conditions = [] -%}
        {%- for column, boundary in logged if boundary is not none -%}
            {%- do conditions.append(column ~ ' > ' ~ audit_literal(boundary)) -%}
        {%- endfor -%}
        {%- set where = ' where ' ~ conditions | join(' or ')
                if conditions and conditions | length == logged | length else '' -%}
        {%- set relation = api.Relation.create(database=node.database, schema=node.schema,
                                               identifier=node.alias or node.name) -%}
        {%- do counts.append("select " ~ audit_literal(node.unique_id) ~ " as node_id, count(*) as n from "
                             ~ relation ~ where) -%}
    {%- endfor -%}
    {%- set found = {} -%}
    {%- for node_id, n in run_query(counts | join(' union all ')).rows -%}
        {%- do found.update({node_id: n}) -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{# Snowflake reports the rows each statement changed. #}
{% macro snowflake__audit_rows_affected(results) -%}
    {%- set found = {} -%}
    {%- for result in results if result.node is defined -%}
        {%- set rows = (result.adapter_response or {}).get('rows_affected') -%}
        {%- if rows is number and rows >= 0 and result.node.resource_type in ('model', 'snapshot', 'seed') -%}
            {%- do found.update({result.node.unique_id: rows}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}


{# on-run-end: one row per node that ran, and the invocation's 'end' row. #}
{% macro audit_run_end(results) -%}
    {%- if not audit_trail_enabled() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set rows_affected = audit_rows_affected(results) -%}
    {%- set now = modules.datetime.datetime.utcnow() -%}
    {%- set rows = [] -%}
    {%- set counts = {'nodes': 0, 'succeeded': 0, 'errors': 0, 'test_failures': 0, 'warnings': 0, 'skipped': 0} -%}
    {%- for result in results if result.node is defined -%}
        {%- set node = result.node -%}
        {%- set status = result.status | string | lower -%}
        {%- set timing = result.timing or [] -%}
        {%- set started = (timing | map(attribute='started_at') | reject('none') | list | sort | first) if timing else none -%}
        {%- set completed = (timing | map(attribute='completed_at') | reject('none') | list | sort | last) if timing else none -%}
        {%- do counts.update({'nodes': counts['nodes'] + 1}) -%}
        {%- if status in ('success', 'pass') -%}
            {%- do counts.update({'succeeded': counts['succeeded'] + 1}) -%}
        {%- elif status == 'fail' -%}
            {%- do counts.update({'test_failures': counts['test_failures'] + 1}) -%}
        {%- elif status == 'warn' -%}
            {%- do counts.update({'warnings': counts['warnings'] + 1}) -%}
        {%- elif status == 'skipped' -%}
            {%- do counts.update({'skipped': counts['skipped'] + 1}) -%}
        {%- elif status in ('error', 'runtime error') -%}
            {%- do counts.update({'errors': counts['errors'] + 1}) -%}
        {%- endif -%}
        {%- set failures = result.failures if node.resource_type in ('test', 'unit_test') else none -%}
        {%- do rows.append([
            audit_literal(invocation_id), audit_literal(node.unique_id), audit_literal(node.resource_type),
            audit_literal(node.config.get('materialized')), audit_literal(status),
            audit_timestamp(started), audit_timestamp(completed), audit_number(result.execution_time),
            audit_number(rows_affected.get(node.unique_id)), audit_number(failures),
            audit_literal(result.thread_id), audit_timestamp(now),
        ]) -%}
    {%- endfor -%}
    {%- set failed = counts['errors'] + counts['test_failures'] -%}
    {%- set duration = (now - run_started_at.replace(tzinfo=none)).total_seconds() -%}
    {{ audit_create_tables() }}
    {{ audit_insert('dbt_node_results', rows) if rows }}
    {{ audit_insert('dbt_invocations', [audit_invocation_row('end', 'error' if failed else 'success', counts, duration)]) }}
{%- endmacro %}
