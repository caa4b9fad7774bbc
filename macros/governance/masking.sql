{#
    Masking driven by column classification (README "## Masking").

    The policy is `var('governance')`: `levels` (which are masked), `roles` (who is cleared) and
    `masking` (how each masked level masks each column category). A column is masked when its meta
    `classification` is a masked level. Its category:
      1. meta `mask_as` (text, email, phone or join_key) on a text column;
      2. else the category its meta `pii` entities map to in `masking.entity_categories`, when they
         all map to the same one (text only; a column with an email and a phone is plain text);
      3. else its data type family: text, number, date, timestamp, boolean or other.

    Entry points (adapter-specific SQL lives in masking_duckdb.sql / masking_snowflake.sql):
      governance_create_masks()   on-run-start: DuckDB mask macros / Snowflake masking policies
      governance_apply_masking()  post-hook of every model, snapshot and seed
#}

{% macro governance_create_masks() -%}
    {%- if not governance_ddl_enabled() -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('governance_create_masks', 'analytics')()) }}
{%- endmacro %}

{% macro default__governance_create_masks() -%}
    {{ exceptions.raise_compiler_error("masking: no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}


{% macro governance_apply_masking() -%}
    {%- if not execute or not governance_ddl_enabled() or model.config.get('materialized') == 'ephemeral' -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('governance_apply_masking', 'analytics')()) }}
{%- endmacro %}

{% macro default__governance_apply_masking() -%}
    {{ exceptions.raise_compiler_error("masking: no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}


{# ---- policy helpers (no SQL) ------------------------------------------------------------- #}

{% macro governance_masking_config() -%}
    {{ return(var('governance').get('masking', {})) }}
{%- endmacro %}

{% macro governance_masked_levels() -%}
    {%- set found = [] -%}
    {%- for number, level in var('governance')['levels'].items() -%}
        {%- if level.get('masked') -%}{%- do found.append(number | int) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(found | sort) }}
{%- endmacro %}

{# The highest level `role_name` sees in clear (service roles: everything; member_of is transitive). #}
{% macro governance_role_clearance(role_name) -%}
    {%- set gov = var('governance') -%}
    {%- set role = gov['roles'][role_name] -%}
    {%- set levels = gov['levels'] -%}
    {%- set ns = namespace(best=0) -%}
    {%- for number, level in levels.items() -%}
        {%- if role.get('kind') == 'service' or not level.get('masked') -%}
            {%- set ns.best = [ns.best, number | int] | max -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if role.get('clearance') is not none -%}
        {%- set ns.best = [ns.best, role['clearance'] | int] | max -%}
    {%- endif -%}
    {%- for parent in role.get('member_of') or [] -%}
        {%- set ns.best = [ns.best, governance_role_clearance(parent)] | max -%}
    {%- endfor -%}
    {{ return(ns.best) }}
{%- endmacro %}

{# Every policy role that sees `level` in clear, directly or through membership (DuckDB check). #}
{% macro governance_roles_cleared_for(level) -%}
    {%- set cleared = [] -%}
    {%- for name in var('governance')['roles'] -%}
        {%- if governance_role_clearance(name) >= level | int -%}{%- do cleared.append(name | lower) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(cleared | sort) }}
{%- endmacro %}

{# The roles a Snowflake policy checks with IS_ROLE_IN_SESSION: service roles and the clearance
   roles of `level` or above (functional roles reach them through the role hierarchy). #}
{% macro governance_policy_roles_for(level) -%}
    {%- set found = [] -%}
    {%- for name, role in var('governance')['roles'].items() -%}
        {%- if role.get('kind') == 'service'
              or (role.get('kind') == 'clearance' and (role.get('clearance') or 0) | int >= level | int) -%}
            {%- do found.append(name | upper) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found | sort) }}
{%- endmacro %}

{# Data type family of an adapter type name (DuckDB or Snowflake spelling). #}
{% macro governance_type_family(data_type) -%}
    {%- set t = (data_type or '') | upper | trim -%}
    {%- set base = t.split('(')[0] | trim -%}
    {%- if base in ['VARCHAR', 'TEXT', 'STRING', 'CHAR', 'CHARACTER', 'CHARACTER VARYING', 'BPCHAR', 'NVARCHAR', 'NCHAR'] -%}
        {{ return('text') }}
    {%- elif base in ['NUMBER', 'DECIMAL', 'NUMERIC', 'INT', 'INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT', 'BYTEINT',
                      'HUGEINT', 'UBIGINT', 'UINTEGER', 'USMALLINT', 'UTINYINT', 'UHUGEINT', 'FLOAT', 'FLOAT4', 'FLOAT8',
                      'DOUBLE', 'DOUBLE PRECISION', 'REAL'] -%}
        {{ return('number') }}
    {%- elif base == 'DATE' -%}
        {{ return('date') }}
    {%- elif base.startswith('TIMESTAMP') or base == 'DATETIME' -%}
        {{ return('timestamp') }}
    {%- elif base in ['BOOLEAN', 'BOOL'] -%}
        {{ return('boolean') }}
    {%- else -%}
        {{ return('other') }}
    {%- endif -%}
{%- endmacro %}

{# The merged meta of a node's column: config.meta wins over the deprecated top-level meta. #}
{% macro governance_column_meta(column) -%}
    {%- set meta = {} -%}
    {%- do meta.update(column.get('meta') or {}) -%}
    {%- do meta.update((column.get('config') or {}).get('meta') or {}) -%}
    {{ return(meta) }}
{%- endmacro %}

{#
    The masking plan of a relation: one entry per column of `columns` (the relation's actual
    columns: dicts or adapter Column objects with name and data type) whose meta in `node_columns`
    (the node's `columns` from the graph) puts it at a masked level.
    Entry: {name, level, category, mask, family, data_type, char_size}.
#}
{% macro governance_masking_plan(node_columns, columns) -%}
    {%- set cfg = governance_masking_config() -%}
    {%- set masked_levels = governance_masked_levels() -%}
    {%- set by_name = {} -%}
    {%- for name, col in (node_columns or {}).items() -%}
        {%- do by_name.update({name | lower: governance_column_meta(col)}) -%}
    {%- endfor -%}
    {%- set plan = [] -%}
    {%- for column in columns -%}
        {%- set name = column['name'] if column is mapping else column.name -%}
        {%- set data_type = column['data_type'] if column is mapping else column.data_type -%}
        {%- set char_size = column.get('char_size') if column is mapping else column.char_size -%}
        {%- set meta = by_name.get(name | lower, {}) -%}
        {%- set level = meta.get('classification') -%}
        {%- if level is not none and (level | int) in masked_levels -%}
            {%- set family = governance_type_family(data_type) -%}
            {%- set ns = namespace(category=family) -%}
            {%- if family == 'text' -%}
                {%- set entity_categories = [] -%}
                {%- for entity in meta.get('pii') or [] -%}
                    {%- do entity_categories.append(cfg.get('entity_categories', {}).get(entity, 'text')) -%}
                {%- endfor -%}
                {%- if entity_categories and (entity_categories | unique | list | length) == 1 -%}
                    {%- set ns.category = entity_categories[0] -%}
                {%- endif -%}
                {%- if meta.get('mask_as') in ['text', 'email', 'phone', 'join_key'] -%}
                    {%- set ns.category = meta['mask_as'] -%}
                {%- endif -%}
            {%- endif -%}
            {%- set mask = governance_mask_for(level | int, ns.category) -%}
            {%- do plan.append({'name': name, 'level': level | int, 'category': ns.category, 'mask': mask,
                                'family': family, 'data_type': data_type, 'char_size': char_size}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(plan) }}
{%- endmacro %}

{# The mask of (level, category). A category the policy leaves out falls back like in
   governance/policy.py: text-like ones to the level's text mask, the others to nullify; with no
   masking section at all, text is redacted and everything else nullified (fail closed). #}
{% macro governance_mask_for(level, category) -%}
    {%- set levels = governance_masking_config().get('levels') or {} -%}
    {%- set level_masks = levels.get(level | int) or levels.get(level | string) or {} -%}
    {%- if category in level_masks -%}
        {{ return(level_masks[category]) }}
    {%- elif category in ['text', 'email', 'phone', 'join_key'] -%}
        {{ return(level_masks.get('text', 'redact')) }}
    {%- else -%}
        {{ return('nullify') }}
    {%- endif -%}
{%- endmacro %}

{# The keyed-hash key (environment variable named by masking.hash_key_env); '' when unset. #}
{% macro governance_hash_key() -%}
    {%- set env_name = governance_masking_config().get('hash_key_env') -%}
    {{ return(env_var(env_name, '') if env_name else '') }}
{%- endmacro %}

{% macro governance_require_hash_key(plan, where) -%}
    {%- for entry in plan if entry['mask'] == 'hash' -%}
        {%- if loop.first and governance_hash_key() == '' -%}
            {{ exceptions.raise_compiler_error(
                "masking: " ~ where ~ "." ~ entry['name'] ~ " is masked with a keyed hash, but environment variable "
                ~ governance_masking_config().get('hash_key_env') ~ " (vars.governance.masking.hash_key_env) is not set") }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

