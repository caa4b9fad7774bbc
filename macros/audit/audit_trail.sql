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


{% macro audit_timestamp(value, timestamp_type) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- endif -%}
    {{ return("cast('" ~ value.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ timestamp_type ~ ')') }}
{%- endmacro %}


{% macro audit_number(value) -%}
    {%- if value is none or value is not number -%}
        {{ return('null') }}
    {%- endif -%}
    {{ return(value | string) }}
{%- endmacro %}


{#
    Columns of the audit tables, (name, type) pairs shared by the DDL and the inserts (and by
    governance/observability/audit.py; a test keeps them in step). Each cross-database type macro is
    dispatched once: a hook renders this for every invocation, and dispatch is not free.
#}
{% macro audit_table_columns() -%}
    {%- set string, timestamp, integer = dbt.type_string(), dbt.type_timestamp(), dbt.type_int() -%}
    {%- set bigint, float, boolean = dbt.type_bigint(), dbt.type_float(), dbt.type_boolean() -%}
    {{ return({
        'dbt_invocations': [
            ('invocation_id', string), ('phase', string), ('command', string), ('target_name', string),
            ('target_type', string), ('dbt_version', string), ('full_refresh', boolean),
            ('started_at', timestamp), ('recorded_at', timestamp), ('status', string), ('nodes', integer),
            ('succeeded', integer), ('errors', integer), ('test_failures', integer), ('warnings', integer),
            ('skipped', integer), ('duration_seconds', float),
        ],
        'dbt_node_results': [
            ('invocation_id', string), ('node_id', string), ('resource_type', string), ('materialization', string),
            ('status', string), ('started_at', timestamp), ('completed_at', timestamp),
            ('execution_seconds', float), ('rows_affected', bigint), ('failures', bigint), ('thread_id', string),
            ('recorded_at', timestamp),
        ],
        'governance_decisions': [
            ('run_id', string), ('command', string), ('target_name', string), ('kind', string),
            ('subject', string), ('details', string), ('decided_at', timestamp),
        ],
    }) }}
{%- endmacro %}


{% macro audit_create_tables(tables) -%}
    {{ return(adapter.dispatch('audit_create_tables', 'analytics')(tables)) }}
{%- endmacro %}

{% macro default__audit_create_tables(tables) -%}
    create schema if not exists {{ audit_relation('x').without_identifier() }};
    {%- for table, columns in tables.items() %}
    create table if not exists {{ audit_relation(table) }} (
        {%- for name, type in columns %}
        {{ name }} {{ type }}{{ ',' if not loop.last }}
        {%- endfor %}
    );
    {%- endfor %}
{%- endmacro %}

{% macro snowflake__audit_create_tables(tables) -%}
    create schema if not exists {{ audit_relation('x').without_identifier() }};
    {%- for table, columns in tables.items() %}
    create table if not exists {{ audit_relation(table) }} (
        {%- for name, type in columns %}
        {{ name }} {{ type }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) comment = 'Audit trail (append-only; ids, statuses, times and counts, never a row value)';
    {%- endfor %}
{%- endmacro %}


{# Multi-row inserts, at most 500 rows per statement (Snowflake takes up to 16,384). #}
{% macro audit_insert(tables, table, rows) -%}
    {%- set columns = tables[table] | map(attribute=0) | list -%}
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


{% macro audit_invocation_row(literal, ts, phase, status, counts, duration) -%}
    {{ return([
        literal(invocation_id), literal(phase), literal(audit_command()), literal(target.name),
        literal(target.type), literal(dbt_version),
        ('true' if flags.FULL_REFRESH else 'false'),
        audit_timestamp(run_started_at, ts), audit_timestamp(modules.datetime.datetime.utcnow(), ts), literal(status),
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
    {%- set tables = audit_table_columns() -%}
    {%- set literal = adapter.dispatch('audit_literal', 'analytics') -%}
    {%- set ts = dbt.type_timestamp() -%}
    {{ audit_create_tables(tables) }}
    {{ audit_insert(tables, 'dbt_invocations', [audit_invocation_row(literal, ts, 'start', none, {}, none)]) }}
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
    {#- boundaries are logged in `dbt run` and `dbt build` only (changed_rows_tests.sql) -#}
    {%- if flags.WHICH not in ('run', 'build') -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set nodes = [] -%}
    {%- set logs = {} -%}
    {#- keeps_incremental_boundaries(), inlined: a macro call per result costs more than the test -#}
    {%- for result in results if result.node is defined and (result.status | string) == 'success'
                                and (result.node.resource_type == 'snapshot'
                                     or result.node.config.get('materialized') == 'incremental') -%}
        {%- do nodes.append(result.node) -%}
        {%- set log = incremental_boundaries_relation(result.node) | string -%}
        {%- do logs.update({log: "select node_id, watermark_column, boundary from " ~ log
                                 ~ " where invocation_id = '" ~ invocation_id ~ "'"}) -%}
    {%- endfor -%}
    {%- if not nodes -%}
        {{ return({}) }}
    {%- endif -%}
    {#- on-run-start created the log of every schema holding a selected incremental node -#}
    {%- set boundaries = {} -%}
    {%- for node_id, column, boundary in run_query(logs.values() | sort | join(' union all ')).rows -%}
        {%- do boundaries.setdefault(node_id, []).append((column, boundary)) -%}
    {%- endfor -%}
    {%- set counts = [] -%}
    {%- for node in nodes -%}
        {%- set logged = boundaries.get(node.unique_id, []) -%}
        {%- set conditions = [] -%}
        {%- for column, boundary in logged if boundary is not none -%}
            {%- do conditions.append(column ~ ' > ' ~ sql_string_literal(boundary)) -%}
        {%- endfor -%}
        {%- set where = ' where ' ~ conditions | join(' or ')
                if conditions and conditions | length == logged | length else '' -%}
        {%- set relation = api.Relation.create(database=node.database, schema=node.schema,
                                               identifier=node.alias or node.name) -%}
        {%- do counts.append("select '" ~ node.unique_id ~ "' as node_id, count(*) as n from " ~ relation ~ where) -%}
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


{#
    A string literal's escapes in the target's dialect: (backslash, its replacement), (quote, its
    replacement). The hooks render one literal per node and column, so they apply these inline
    instead of calling a macro each time. DuckDB keeps a backslash as it is.
#}
{% macro audit_literal_escapes() -%}
    {{ return(adapter.dispatch('audit_literal_escapes', 'analytics')()) }}
{%- endmacro %}

{% macro default__audit_literal_escapes() -%}
    {{ return([('\\', '\\'), ("'", "''")]) }}
{%- endmacro %}

{% macro snowflake__audit_literal_escapes() -%}
    {{ return([('\\', '\\\\'), ("'", "''")]) }}
{%- endmacro %}


{# on-run-end: one row per node that ran, and the invocation's 'end' row. #}
{% macro audit_run_end(results) -%}
    {%- if not audit_trail_enabled() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set rows_affected = audit_rows_affected(results) -%}
    {%- set tables = audit_table_columns() -%}
    {%- set literal = adapter.dispatch('audit_literal', 'analytics') -%}
    {%- set (first_from, first_to), (last_from, last_to) = audit_literal_escapes() -%}
    {%- set ts = dbt.type_timestamp() -%}
    {%- set now = modules.datetime.datetime.utcnow() -%}
    {%- set now_sql = audit_timestamp(now, ts) -%}
    {%- set invocation_sql = literal(invocation_id) -%}
    {%- set rows = [] -%}
    {%- set counts = {'nodes': 0, 'succeeded': 0, 'errors': 0, 'test_failures': 0, 'warnings': 0, 'skipped': 0} -%}
    {%- set outcome = {'success': 'succeeded', 'pass': 'succeeded', 'fail': 'test_failures', 'warn': 'warnings',
                       'skipped': 'skipped', 'error': 'errors', 'runtime error': 'errors'} -%}
    {#- Everything below is inlined (literals, times, numbers): one macro call per value would cost
        more than the rest of the hook on a build of a few hundred nodes. -#}
    {%- for result in results if result.node is defined -%}
        {%- set node = result.node -%}
        {%- set status = result.status | string | lower -%}
        {%- set times = (result.timing or []) | map(attribute='started_at') | reject('none') | list | sort -%}
        {%- set ends = (result.timing or []) | map(attribute='completed_at') | reject('none') | list | sort -%}
        {%- do counts.update({'nodes': counts['nodes'] + 1}) -%}
        {%- if status in outcome -%}
            {%- do counts.update({outcome[status]: counts[outcome[status]] + 1}) -%}
        {%- endif -%}
        {%- set failures = result.failures if node.resource_type in ('test', 'unit_test') else none -%}
        {%- set rows_written = rows_affected.get(node.unique_id) -%}
        {%- set texts = [] -%}
        {%- for value in [node.unique_id, node.resource_type, node.config.get('materialized'), status,
                          result.thread_id] -%}
            {%- do texts.append('null' if value is none else "'" ~ (value | string | replace(first_from, first_to)
                                                                          | replace(last_from, last_to)) ~ "'") -%}
        {%- endfor -%}
        {%- do rows.append([
            invocation_sql, texts[0], texts[1], texts[2], texts[3],
            "cast('" ~ times[0].strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ ts ~ ")" if times else 'null',
            "cast('" ~ ends[-1].strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ ts ~ ")" if ends else 'null',
            result.execution_time if result.execution_time is number else 'null',
            rows_written if rows_written is number else 'null',
            failures if failures is number else 'null',
            texts[4], now_sql,
        ]) -%}
    {%- endfor -%}
    {%- set failed = counts['errors'] + counts['test_failures'] -%}
    {%- set duration = (now - run_started_at.replace(tzinfo=none)).total_seconds() -%}
    {{ audit_create_tables(tables) }}
    {{ audit_insert(tables, 'dbt_node_results', rows) if rows }}
    {{ audit_insert(tables, 'dbt_invocations',
                    [audit_invocation_row(literal, ts, 'end', 'error' if failed else 'success', counts, duration)]) }}
{%- endmacro %}
