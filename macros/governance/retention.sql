{#
    Retention (README "Erasure and retention"), run by on-run-end in every `dbt run` and `dbt build`:
    the generated macro governance_resolved_retention() (`governance retention --write`, resolved in Python
    from vars.governance and the project's lineage) lists, per rule and relation dbt builds, the columns,
    the key and the event; this macro only renders and runs them. The clock is `var('governance_as_of')`
    (a date or timestamp; default: the run's start), so tests can move it.

    subject_deleted: the personal columns of the rows whose subject was deleted in the source (the
    deletion model's flag) more than `days` before the clock are set to NULL (snapshots: every version).
    created: the columns of the rows created more than `days` before the clock are set to NULL.
    Only rows that still hold a value are written, so a run with nothing expired writes nothing.
#}

{% macro retention_policy() -%}
    {%- if governance_resolved_retention is not defined -%}
        {%- if var('governance', {}).get('retention') -%}
            {#- rules the build cannot apply: refuse, never skip them silently #}
            {{ exceptions.raise_compiler_error(
                "retention: vars.governance.retention has rules but macros/governance/resolved_retention.sql is "
                ~ "missing; run `governance retention --write` and commit it") }}
        {%- endif -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(governance.require_fresh(governance_resolved_retention(),
                                       "retention: macros/governance/resolved_retention.sql")) }}
{%- endmacro %}


{# the relation of a node (model, snapshot or source) by unique id, or none when it is not built here #}
{% macro retention_relation(unique_id) -%}
    {%- set node = graph.nodes.get(unique_id) or graph.sources.get(unique_id) -%}
    {%- if node is none -%}{{ return(none) }}{%- endif -%}
    {%- set identifier = node.get('identifier') if node.resource_type == 'source' else node.alias -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=identifier)) }}
{%- endmacro %}


{% macro retention_cutoff(days) -%}
    {%- set as_of = var('governance_as_of', none) -%}
    {%- set clock = "cast('" ~ (as_of if as_of else run_started_at.strftime('%Y-%m-%d %H:%M:%S')) ~ "' as "
                    ~ dbt.type_timestamp() ~ ")" -%}
    {{ return(dbt.dateadd('day', -1 * days, clock)) }}
{%- endmacro %}


{# the statement of one entry, or '' when its relations are not built in this project run #}
{% macro retention_statement(entry) -%}
    {%- set relation = retention_relation(entry['node']) -%}
    {%- if relation is none or load_relation(relation) is none -%}{{ return('') }}{%- endif -%}
    {%- set cutoff = retention_cutoff(entry['days']) -%}
    {%- set event = entry['event'] -%}
    {%- if event['kind'] == 'created' -%}
        {%- set expired = event['at'] ~ ' < ' ~ cutoff -%}
    {%- else -%}
        {%- set deletions = retention_relation(event['node']) -%}
        {%- if deletions is none or load_relation(deletions) is none -%}{{ return('') }}{%- endif -%}
        {%- set deleted = 'select ' ~ event['key'] ~ ' from ' ~ deletions ~ ' where ' ~ event['flag']
                          ~ ' and ' ~ event['at'] ~ ' < ' ~ cutoff -%}
        {%- set key = entry['key'] -%}
        {%- if key.get('via') -%}
            {%- set via = key['via'] -%}
            {%- set expired = key['column'] ~ ' in (select ' ~ via['column'] ~ ' from ' ~ retention_relation(via['node'])
                              ~ ' where ' ~ via['key'] ~ ' in (' ~ deleted ~ '))' -%}
        {%- else -%}
            {%- set expired = key['column'] ~ ' in (' ~ deleted ~ ')' -%}
        {%- endif -%}
    {%- endif -%}
    {%- set holding = [] -%}
    {%- for column in entry['columns'] -%}{%- do holding.append(column ~ ' is not null') -%}{%- endfor -%}
    {%- if entry['action'] == 'delete' -%}
        {{ return('delete from ' ~ relation ~ ' where ' ~ expired) }}
    {%- endif -%}
    {%- set assignments = [] -%}
    {%- for column in entry['columns'] -%}{%- do assignments.append(column ~ ' = null') -%}{%- endfor -%}
    {{ return('update ' ~ relation ~ ' set ' ~ assignments | join(', ') ~ ' where (' ~ expired ~ ') and ('
              ~ holding | join(' or ') ~ ')') }}
{%- endmacro %}


{# on-run-end: every retention statement, then (Snowflake) Time Travel per schema #}
{% macro apply_retention() -%}
    {%- if not execute or flags.WHICH not in ('run', 'build') or not var_is_true('governance_retention', true) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set resolved = retention_policy() -%}
    {%- if resolved is none -%}{{ return('') }}{%- endif -%}
    {%- for entry in resolved['entries'] -%}
        {%- set statement = retention_statement(entry) -%}
        {%- if statement -%}{%- do run_query(statement) -%}{%- endif -%}
    {%- endfor -%}
    {#- the Snowflake emulator has no Time Travel #}
    {%- if target.type == 'snowflake' and env_var('DBT_SNOWFLAKE_EMULATOR', '0') != '1' -%}
        {%- for statement in time_travel_statements(resolved) -%}{%- do run_query(statement) -%}{%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}


{#
    Snowflake: DATA_RETENTION_TIME_IN_DAYS of every schema this project builds into, from
    vars.governance.erasure.time_travel_days (by the folder's schema name, or `default`).
#}
{% macro time_travel_statements(resolved) -%}
    {%- set days = resolved['time_travel_days'] -%}
    {%- set schemas = {} -%}
    {%- for node in graph.nodes.values() if node.resource_type in ('model', 'snapshot', 'seed')
                                          and node.config.get('enabled', true) -%}
        {%- set name = (node.config.get('schema') or 'default') | lower -%}
        {%- set value = days.get(name, days.get('default')) -%}
        {%- if value is not none -%}
            {%- do schemas.update({node.database ~ '.' ~ node.schema: value}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for schema, value in schemas | dictsort -%}
        {%- do statements.append('alter schema ' ~ schema ~ ' set data_retention_time_in_days = ' ~ value) -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}
