{#
    Masking on DuckDB (the local default): the same protection as Snowflake's dynamic masking,
    testable without an account.

    - A session declares the role it acts as:  SET VARIABLE governance_role = 'analyst';
      (unset: the policy's default_role, the least privileged; an unknown role is cleared for
      nothing above the unmasked levels).
    - on-run-start creates, in the masking schema (vars.governance.masking.schema):
        <schema>.governance_keyed_hash(val)     HMAC-SHA256 under the key of the environment, read at
                                                query time by a function the dbt-duckdb plugin
                                                governance.masking.keyed_hash registers (never stored)
        <schema>.is_cleared(level)              true when the session's role sees `level` in clear
        <schema>.mask_l<level>_<category>(val)  the policy's mask for that level and category
        <schema>.masking_applied                what each relation's protected view masks (no values)
    - every model, snapshot and seed gets a view of the same name in `<its schema>_protected`
      that returns each classified column in clear only to cleared roles, and its rows in
      masking_applied are replaced (`governance protected` reads them). Consumers read the
      `_protected` schemas; dbt itself (the transformer, a service role) reads the tables.
#}

{% macro duckdb__literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro duckdb__mask_expression(policy, mask, val) -%}
    {%- if mask == 'redact' -%}
        case when {{ val }} is null then null else '*****' end
    {%- elif mask == 'keep_domain' -%}
        case when {{ val }} is null then null
             when strpos({{ val }}, '@') > 1 then '*' || substr({{ val }}, strpos({{ val }}, '@'))
             else '*****' end
    {%- elif mask == 'keep_last_4' -%}
        case when {{ val }} is null then null
             when length({{ val }}) <= 4 then repeat('*', length({{ val }}))
             else repeat('*', length({{ val }}) - 4) || right({{ val }}, 4) end
    {%- elif mask == 'hash' -%}
        {{ policy['schema'] }}.governance_keyed_hash({{ val }})
    {%- elif mask == 'zero' -%}
        case when {{ val }} is null then null else 0 end
    {%- elif mask == 'truncate_to_year' -%}
        date_trunc('year', {{ val }})
    {%- elif mask == 'nullify' -%}
        null
    {%- else -%}
        {{ exceptions.raise_compiler_error("masking: unknown mask " ~ mask) }}
    {%- endif -%}
{%- endmacro %}

{# The table of what each protected view masks: one row per masked column, no values. #}
{% macro duckdb__applied_table(policy) -%}
    {{ return(policy['schema'] ~ '.masking_applied') }}
{%- endmacro %}

{% macro duckdb__create_masks() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- set schema = policy['schema'] -%}
    create schema if not exists {{ schema }};
    create table if not exists {{ governance.duckdb__applied_table(policy) }} (
        relation_schema varchar, relation_name varchar, column_name varchar, level integer,
        category varchar, mask varchar, applied_at timestamp
    );
    {#- the protected schemas, created here once: threads creating them in post-hooks would conflict #}
    {%- set protected_schemas = [] %}
    {%- for node in graph.nodes.values() if node.resource_type in ['model', 'snapshot', 'seed'] %}
        {%- if node.config.get('materialized') != 'ephemeral' and (node.schema ~ '_protected') not in protected_schemas %}
            {%- do protected_schemas.append(node.schema ~ '_protected') %}
        {%- endif %}
    {%- endfor %}
    {%- for protected_schema in protected_schemas | sort %}
    create schema if not exists {{ adapter.quote(protected_schema) }};
    {%- endfor %}
    {#- the keyed hash: HMAC-SHA256 by the function the governance plugin registers on each connection,
        which reads the key from the environment at query time (governance/masking/keyed_hash.py) #}
    create or replace macro {{ schema }}.governance_keyed_hash(val) as
        case when val is null then null else governance_hmac_sha256(cast(val as varchar)) end;
    create or replace macro {{ schema }}.is_cleared(level) as
        case
        {%- for number in policy['levels'] %}
            when level = {{ number }} then
                coalesce(lower(getvariable('governance_role')), {{ governance.duckdb__literal(policy['default_role']) }})
                in ({% for role in policy['roles_cleared'][number] %}{{ governance.duckdb__literal(role) }}{{ ', ' if not loop.last }}{% endfor %})
        {%- endfor %}
            else false
        end;
    {%- for level in policy['masked_levels'] %}
        {%- for category in policy['categories'] %}
    create or replace macro {{ schema }}.mask_l{{ level }}_{{ category }}(val) as
        {{ governance.duckdb__mask_expression(policy, governance.mask_for(policy, level, category), 'val') }};
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}

{# The protected relation of `relation`: same name, in `<schema>_protected`. #}
{% macro protected_relation(relation) -%}
    {{ return(relation.incorporate(path={'schema': relation.schema ~ '_protected'}, type='view')) }}
{%- endmacro %}

{% macro duckdb__apply_masking() -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- set schema = policy['schema'] -%}
    {%- set columns = adapter.get_columns_in_relation(this) -%}
    {%- do governance.require_valid_meta(policy, model.get('columns'), columns) -%}
    {%- set plan = governance.masking_plan(policy, model.get('columns'), columns) -%}
    {%- if plan | selectattr('mask', 'equalto', 'hash') | list -%}
        {#- fails (no key, or no keyed-hash function on the connection) before the protected view is replaced #}
        {%- do run_query("select " ~ schema ~ ".governance_keyed_hash('governance-preflight') as preflight") -%}
    {%- endif -%}
    {%- set by_name = {} -%}
    {%- for entry in plan -%}{%- do by_name.update({entry['name'] | lower: entry}) -%}{%- endfor -%}
    {%- set protected = governance.protected_relation(this) -%}
    {%- set applied = governance.duckdb__applied_table(policy) -%}
    create or replace view {{ protected }} as
    select
    {%- for column in columns %}
        {%- set quoted = adapter.quote(column.name) %}
        {%- set entry = by_name.get(column.name | lower) %}
        {%- if entry %}
        case when {{ schema }}.is_cleared({{ entry['level'] }}) then {{ quoted }}
             else cast({{ schema }}.mask_l{{ entry['level'] }}_{{ entry['category'] }}({{ quoted }}) as {{ column.data_type }}) end
            as {{ quoted }}{{ ',' if not loop.last }}
        {%- else %}
        {{ quoted }}{{ ',' if not loop.last }}
        {%- endif %}
    {%- endfor %}
    from {{ this }};
    delete from {{ applied }}
    where relation_schema = {{ governance.duckdb__literal(this.schema) }}
        and relation_name = {{ governance.duckdb__literal(this.identifier) }};
    {%- if plan %}
    insert into {{ applied }} values
    {%- for entry in plan %}
        ({{ governance.duckdb__literal(this.schema) }}, {{ governance.duckdb__literal(this.identifier) }},
         {{ governance.duckdb__literal(entry['name']) }}, {{ entry['level'] }}, {{ governance.duckdb__literal(entry['category']) }},
         {{ governance.duckdb__literal(entry['mask']) }}, current_timestamp){{ ',' if not loop.last }}
    {%- endfor %};
    {%- endif %}
{%- endmacro %}
