{#
    Masking on DuckDB (the local default): the same protection as Snowflake's dynamic masking,
    testable without an account.

    - A session declares the role it acts as:  SET VARIABLE governance_role = 'analyst';
      (unset: the policy's default_role, the least privileged; an unknown role is cleared for
      nothing above the unmasked levels).
    - on-run-start creates, in the masking schema (vars.governance.masking.schema):
        <schema>.is_cleared(level)          true when the session's role sees `level` in clear
        <schema>.mask_l<level>_<category>(val)  the policy's mask for that level and category
    - every model, snapshot and seed gets a view of the same name in `<its schema>_protected`
      that returns each classified column in clear only to cleared roles. Consumers read the
      `_protected` schemas; dbt itself (the transformer, a service role) reads the tables.
#}

{% macro duckdb__governance_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro duckdb__governance_mask_expression(mask, val) -%}
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
        {%- set key = governance_hash_key() -%}
        {%- if key == '' -%}
            error('masking: the keyed hash needs environment variable {{ governance_masking_config().get("hash_key_env") }} at build time')
        {%- else -%}
            case when {{ val }} is null then null else sha256({{ duckdb__governance_literal(key) }} || cast({{ val }} as varchar)) end
        {%- endif -%}
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

{% macro duckdb__governance_create_masks() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set gov = var('governance') -%}
    {%- set cfg = governance_masking_config() -%}
    {%- set schema = cfg.get('schema', 'governance') -%}
    {%- set categories = ['text', 'email', 'phone', 'join_key', 'number', 'date', 'timestamp', 'boolean', 'other'] -%}
    create schema if not exists {{ schema }};
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
    create or replace macro {{ schema }}.is_cleared(level) as
        case
        {%- for number in gov['levels'] %}
            when level = {{ number }} then
                coalesce(lower(getvariable('governance_role')), {{ duckdb__governance_literal(gov['default_role'] | lower) }})
                in ({% for role in governance_roles_cleared_for(number) %}{{ duckdb__governance_literal(role) }}{{ ', ' if not loop.last }}{% endfor %})
        {%- endfor %}
            else false
        end;
    {%- for level in governance_masked_levels() %}
        {%- for category in categories %}
    create or replace macro {{ schema }}.mask_l{{ level }}_{{ category }}(val) as
        {{ duckdb__governance_mask_expression(governance_mask_for(level, category), 'val') }};
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}

{# The protected relation of `relation`: same name, in `<schema>_protected`. #}
{% macro governance_protected_relation(relation) -%}
    {{ return(relation.incorporate(path={'schema': relation.schema ~ '_protected'}, type='view')) }}
{%- endmacro %}

{% macro duckdb__governance_apply_masking() -%}
    {%- set cfg = governance_masking_config() -%}
    {%- set schema = cfg.get('schema', 'governance') -%}
    {%- set columns = adapter.get_columns_in_relation(this) -%}
    {%- set plan = governance_masking_plan(model.get('columns'), columns) -%}
    {%- do governance_require_hash_key(plan, this) -%}
    {%- set by_name = {} -%}
    {%- for entry in plan -%}{%- do by_name.update({entry['name'] | lower: entry}) -%}{%- endfor -%}
    {%- set protected = governance_protected_relation(this) -%}
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
    from {{ this }}
{%- endmacro %}
