{#
    Masking on Snowflake (production): dynamic masking policies, one per (masked level, column
    type, category), in the masking schema of the target database.

    - on-run-start (snowflake__governance_create_masks): CREATE MASKING POLICY IF NOT EXISTS for
      every (level, type, category), then ALTER ... SET BODY so a policy change reaches existing
      policies without detaching them from columns.
    - post-hook of every model, snapshot and seed (snowflake__governance_apply_masking): read the
      relation's columns and the policies already attached (INFORMATION_SCHEMA.POLICY_REFERENCES),
      then only the statements that change something: SET (FORCE replaces a wrong policy), UNSET
      for a column of ours whose classification was removed, nothing for a column that already
      carries the right policy.
    - A policy shows the value to the service roles and the clearance roles of its level or above
      (IS_ROLE_IN_SESSION, so the role hierarchy and secondary roles count); everyone else gets
      the mask, which never exceeds the column's length.
    - Static masking (non-production Snowflake targets listed in masking.static_targets, or
      `--vars '{governance_static_masking: true}'`): tables also get their classified values
      overwritten with the mask at build time. Never on a target named prod*.

    The statement builders take plain inputs, so tests render them without an account
    (macros/governance/render_snowflake_masking.sql).
#}

{% macro snowflake__governance_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "''") }}'
{%- endmacro %}

{# Snowflake type of a column type, as a masking policy signature must name it. #}
{% macro snowflake__governance_policy_type(data_type) -%}
    {%- set base = (data_type or '') | upper | trim -%}
    {%- set base = base.split('(')[0] | trim -%}
    {%- set family = governance_type_family(base) -%}
    {%- if family == 'text' -%}{{ return('VARCHAR') }}
    {%- elif base in ['FLOAT', 'FLOAT4', 'FLOAT8', 'DOUBLE', 'DOUBLE PRECISION', 'REAL'] -%}{{ return('FLOAT') }}
    {%- elif family == 'number' -%}{{ return('NUMBER') }}
    {%- elif base in ['TIMESTAMP', 'DATETIME', 'TIMESTAMP_NTZ', 'TIMESTAMPNTZ', 'TIMESTAMP WITHOUT TIME ZONE'] -%}{{ return('TIMESTAMP_NTZ') }}
    {%- elif base in ['TIMESTAMP_LTZ', 'TIMESTAMPLTZ', 'TIMESTAMP WITH LOCAL TIME ZONE'] -%}{{ return('TIMESTAMP_LTZ') }}
    {%- elif base in ['TIMESTAMP_TZ', 'TIMESTAMPTZ', 'TIMESTAMP WITH TIME ZONE'] -%}{{ return('TIMESTAMP_TZ') }}
    {%- elif family in ['date', 'boolean'] -%}{{ return(base) }}
    {%- elif base in ['VARIANT', 'OBJECT', 'ARRAY', 'BINARY', 'VARBINARY', 'TIME', 'GEOGRAPHY', 'GEOMETRY'] -%}
        {{ return('BINARY' if base == 'VARBINARY' else base) }}
    {%- else -%}{{ return('VARIANT') }}
    {%- endif -%}
{%- endmacro %}

{# Longest value a text mask can return (None: never longer than the value it masks). #}
{% macro snowflake__governance_mask_max_length(mask) -%}
    {{ return({'redact': 5, 'keep_domain': 5, 'hash': 64}.get(mask)) }}
{%- endmacro %}

{# Policy name (unqualified). Text policies name their category; `length` marks a variant cut
   to a short varchar(n). #}
{% macro snowflake__governance_policy_name(level, policy_type, category, length=none) -%}
    {%- set name = 'MASK_L' ~ level ~ '_' ~ policy_type -%}
    {%- if policy_type == 'VARCHAR' -%}{%- set name = name ~ '_' ~ category | upper -%}{%- endif -%}
    {%- if length is not none -%}{%- set name = name ~ '_LEN' ~ length -%}{%- endif -%}
    {{ return(name) }}
{%- endmacro %}

{% macro snowflake__governance_policy_schema() -%}
    {{ return((target.database ~ '.' ~ generate_schema_name(governance_masking_config().get('schema', 'governance'), none)) | upper) }}
{%- endmacro %}

{% macro snowflake__governance_mask_expression(mask, val, policy_type, length=none) -%}
    {%- if mask == 'redact' -%}
        {%- set expr = "'*****'" -%}
    {%- elif mask == 'keep_domain' -%}
        {%- set expr = "case when position('@', " ~ val ~ ") > 1 then '*' || substr(" ~ val ~ ", position('@', " ~ val ~ ")) else '*****' end" -%}
    {%- elif mask == 'keep_last_4' -%}
        {%- set expr = "case when length(" ~ val ~ ") <= 4 then repeat('*', length(" ~ val ~ ")) else repeat('*', length(" ~ val ~ ") - 4) || right(" ~ val ~ ", 4) end" -%}
    {%- elif mask == 'hash' -%}
        {%- set expr = "sha2(" ~ snowflake__governance_literal(governance_hash_key()) ~ " || " ~ val ~ ", 256)" -%}
    {%- elif mask == 'zero' -%}
        {%- set expr = '0' -%}
    {%- elif mask == 'truncate_to_year' -%}
        {%- set expr = "date_trunc('year', " ~ val ~ ")" -%}
    {%- elif mask == 'nullify' -%}
        {{ return('null') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("masking: unknown mask " ~ mask) }}
    {%- endif -%}
    {%- if length is not none -%}{%- set expr = 'left(' ~ expr ~ ', ' ~ length ~ ')' -%}{%- endif -%}
    {{ return('case when ' ~ val ~ ' is null then null else ' ~ expr ~ ' end') }}
{%- endmacro %}

{% macro snowflake__governance_policy_body(level, policy_type, mask, length=none) -%}
    {%- set checks = [] -%}
    {%- for role in governance_policy_roles_for(level) -%}
        {%- do checks.append("is_role_in_session(" ~ snowflake__governance_literal(role) ~ ")") -%}
    {%- endfor -%}
    {{ return('case when ' ~ (checks | join(' or ') if checks else 'false') ~ ' then val else '
              ~ snowflake__governance_mask_expression(mask, 'val', policy_type, length) ~ ' end') }}
{%- endmacro %}

{# CREATE IF NOT EXISTS + SET BODY for one policy. #}
{% macro snowflake__governance_policy_ddl(level, policy_type, category, mask, length=none) -%}
    {%- set name = snowflake__governance_policy_schema() ~ '.' ~ snowflake__governance_policy_name(level, policy_type, category, length) -%}
    {%- set body = snowflake__governance_policy_body(level, policy_type, mask, length) -%}
    {%- set comment = 'governance: level ' ~ level ~ ' ' ~ category ~ ' mask ' ~ mask ~ ' (vars.governance.masking)' -%}
    {{ return([
        'create masking policy if not exists ' ~ name ~ ' as (val ' ~ policy_type ~ ') returns ' ~ policy_type
            ~ ' -> ' ~ body ~ ' comment = ' ~ snowflake__governance_literal(comment),
        'alter masking policy ' ~ name ~ ' set body -> ' ~ body,
    ]) }}
{%- endmacro %}

{# Every base policy: masked levels x (VARCHAR per text category, and each other type). #}
{% macro snowflake__governance_create_masks_statements() -%}
    {%- set cfg = governance_masking_config() -%}
    {%- set statements = ['create schema if not exists ' ~ snowflake__governance_policy_schema()] -%}
    {%- set others = [('NUMBER', 'number'), ('FLOAT', 'number'), ('DATE', 'date'), ('TIMESTAMP_NTZ', 'timestamp'),
                      ('TIMESTAMP_LTZ', 'timestamp'), ('TIMESTAMP_TZ', 'timestamp'), ('BOOLEAN', 'boolean'),
                      ('VARIANT', 'other')] -%}
    {%- for level in governance_masked_levels() -%}
        {%- for category in ['text', 'email', 'phone', 'join_key'] -%}
            {%- set mask = governance_mask_for(level, category) -%}
            {%- if mask != 'hash' or governance_hash_key() != '' -%}
                {%- do statements.extend(snowflake__governance_policy_ddl(level, 'VARCHAR', category, mask)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for policy_type, category in others -%}
            {%- set mask = governance_mask_for(level, category) -%}
            {%- do statements.extend(snowflake__governance_policy_ddl(level, policy_type, category, mask)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{% macro snowflake__governance_create_masks() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- for statement in snowflake__governance_create_masks_statements() -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}

{# Static masking at build time: a listed non-production target, or the var. Never prod*. #}
{% macro snowflake__governance_static_masking() -%}
    {%- set wanted = var('governance_static_masking', false) or target.name in governance_masking_config().get('static_targets', []) -%}
    {{ return(wanted and not target.name.startswith('prod')) }}
{%- endmacro %}

{#
    The statements that bring one relation's masking in line with its classification.
    relation       fully qualified name, e.g. ANALYTICS.MARTS.DIM_CUSTOMERS
    relation_type  'table' or 'view' (incremental models, snapshots and seeds are tables)
    node_columns   the node's `columns` from the graph (meta holds the classification)
    columns        the relation's columns: [{name, data_type, char_size}]
    current        policies attached now: {COLUMN_NAME: 'DB.SCHEMA.POLICY'}
    static         overwrite classified values with the mask (tables only)
#}
{% macro snowflake__governance_masking_statements(relation, relation_type, node_columns, columns, current, static=false) -%}
    {%- set schema = snowflake__governance_policy_schema() -%}
    {%- set plan = governance_masking_plan(node_columns, columns) -%}
    {%- do governance_require_hash_key(plan, relation) -%}
    {%- set statements = [] -%}
    {%- set wanted = {} -%}
    {%- set alter = 'alter ' ~ ('view' if relation_type == 'view' else 'table') ~ ' ' ~ relation -%}
    {%- set current_upper = {} -%}
    {%- for column, policy in (current or {}).items() -%}{%- do current_upper.update({column | upper: policy | upper}) -%}{%- endfor -%}
    {%- for entry in plan -%}
        {%- set policy_type = snowflake__governance_policy_type(entry['data_type']) -%}
        {%- set max_length = snowflake__governance_mask_max_length(entry['mask']) -%}
        {%- set length = none -%}
        {%- if policy_type == 'VARCHAR' and entry['char_size'] and max_length and (entry['char_size'] | int) < max_length -%}
            {%- set length = entry['char_size'] | int -%}
        {%- endif -%}
        {%- set policy = schema ~ '.' ~ snowflake__governance_policy_name(entry['level'], policy_type, entry['category'], length) -%}
        {%- set column = entry['name'] | upper -%}
        {%- do wanted.update({column: policy}) -%}
        {%- if current_upper.get(column) != policy -%}
            {%- if length is not none -%}
                {#- a policy cut to this column's length: created (once) only when a column needs it #}
                {%- do statements.extend(snowflake__governance_policy_ddl(entry['level'], policy_type, entry['category'], entry['mask'], length)) -%}
            {%- endif -%}
            {%- do statements.append(alter ~ ' modify column "' ~ column ~ '" set masking policy ' ~ policy ~ ' force') -%}
        {%- endif -%}
        {%- if static and relation_type != 'view' -%}
            {%- set quoted = '"' ~ column ~ '"' -%}
            {%- set masked = snowflake__governance_mask_expression(entry['mask'], quoted, policy_type, length) -%}
            {%- set guard = quoted ~ ' is not null' -%}
            {%- if entry['mask'] == 'hash' -%}
                {%- set guard = guard ~ " and not regexp_like(" ~ quoted ~ ", '[0-9a-f]{" ~ (length or 64) ~ "}')" -%}
            {%- else -%}
                {%- set guard = guard ~ ' and ' ~ quoted ~ ' is distinct from ' ~ masked -%}
            {%- endif -%}
            {%- do statements.append('update ' ~ relation ~ ' set ' ~ quoted ~ ' = ' ~ masked ~ ' where ' ~ guard) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column, policy in current_upper.items() | sort -%}
        {%- if column not in wanted and policy.startswith(schema ~ '.MASK_L') -%}
            {%- do statements.append(alter ~ ' modify column "' ~ column ~ '" unset masking policy') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{# Masking policies attached to a relation's columns now: {COLUMN: 'DB.SCHEMA.POLICY'}. #}
{% macro snowflake__governance_policy_references(relation) -%}
    {%- set sql -%}
        select ref_column_name, policy_db || '.' || policy_schema || '.' || policy_name as policy
        from table({{ relation.database }}.information_schema.policy_references(
            ref_entity_name => {{ snowflake__governance_literal(relation.render()) }},
            ref_entity_domain => 'table'))
        where policy_kind = 'MASKING_POLICY'
    {%- endset -%}
    {%- set found = {} -%}
    {%- for row in run_query(sql).rows -%}{%- do found.update({row[0] | upper: row[1] | upper}) -%}{%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{% macro snowflake__governance_apply_masking() -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(this) -%}
        {%- do columns.append({'name': column.name, 'data_type': column.dtype, 'char_size': column.char_size}) -%}
    {%- endfor -%}
    {%- set relation_type = 'view' if this.is_view or model.config.get('materialized') == 'view' else 'table' -%}
    {%- set statements = snowflake__governance_masking_statements(
            this.render() | upper, relation_type, model.get('columns'), columns,
            snowflake__governance_policy_references(this), snowflake__governance_static_masking()) -%}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}
