{#
    Masking on Snowflake (production): dynamic masking policies, one per (masked level, column
    type, category), in the masking schema of the target database.

    - the masking administrator deploys the key's vault and every policy
      (`dbt run-operation governance.deploy_masking`: CREATE MASKING POLICY IF NOT EXISTS, then
      ALTER ... SET BODY so a policy change reaches existing policies without detaching them).
    - on-run-start (snowflake__create_masks): refuses relation kinds that cannot carry policies,
      checks the vault has an active key, and creates only policies that do not exist yet (never
      rewrites one: a build's role cannot change what a policy shows).
    - post-hook of every model, snapshot and seed (snowflake__apply_masking): read the relation's
      columns and the policies already attached (INFORMATION_SCHEMA.POLICY_REFERENCES), then only
      the statements that change something: SET (FORCE replaces a wrong policy), UNSET for a column
      of ours whose classification was removed, nothing for a column that already carries the right
      policy.
    - A policy shows the value to the roles the resolved policy lists for its level (service roles
      and clearance roles of the level or above; IS_ROLE_IN_SESSION, so the role hierarchy and
      secondary roles count); everyone else gets the mask, which never exceeds the column's length.
    - Static masking (non-production Snowflake targets listed in masking.static_targets, or
      `--vars '{governance_static_masking: true}'`): tables also get their classified values
      overwritten with the mask at build time. Never on a production target (prod*).

    The statement builders take plain inputs, so tests render them without an account
    (render_snowflake_masking.sql).
#}

{% macro snowflake__literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "''") }}'
{%- endmacro %}

{# The length a VARCHAR policy is cut to for this plan entry (a column shorter than its mask's
   longest value), or none. #}
{% macro snowflake__policy_length(policy, entry) -%}
    {%- set max_length = policy['mask_max_length'].get(entry['mask']) -%}
    {%- if entry['policy_type'] == 'VARCHAR' and entry['char_size'] and max_length and (entry['char_size'] | int) < max_length -%}
        {{ return(entry['char_size'] | int) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{# Policy name (unqualified) of a plan entry: the resolved name of its (level, type, category),
   marked `_LEN<n>` when cut to a short varchar(n). #}
{% macro snowflake__policy_name(policy, entry) -%}
    {{ return(governance.snowflake__base_policy_name(policy, entry['level'], entry['policy_type'], entry['category'],
                                                      governance.snowflake__policy_length(policy, entry))) }}
{%- endmacro %}

{% macro snowflake__base_policy_name(policy, level, policy_type, category, length=none) -%}
    {%- set name = policy['snowflake_policy_names'][level | int][policy_type] -%}
    {%- set name = name[category] if name is mapping else name -%}
    {{ return(name if length is none else name ~ '_LEN' ~ length) }}
{%- endmacro %}

{% macro snowflake__policy_schema(policy) -%}
    {{ return((target.database ~ '.' ~ generate_schema_name(policy['schema'], none)) | upper) }}
{%- endmacro %}

{% macro snowflake__mask_expression(policy, mask, val, policy_type, length=none) -%}
    {%- if mask == 'redact' -%}
        {%- set expr = "'*****'" -%}
    {%- elif mask == 'keep_domain' -%}
        {%- set expr = "case when position('@', " ~ val ~ ") > 1 then '*' || substr(" ~ val ~ ", position('@', " ~ val ~ ")) else '*****' end" -%}
    {%- elif mask == 'keep_last_4' -%}
        {%- set expr = "case when length(" ~ val ~ ") <= 4 then repeat('*', length(" ~ val ~ ")) else repeat('*', length(" ~ val ~ ") - 4) || right(" ~ val ~ ", 4) end" -%}
    {%- elif mask == 'hash' -%}
        {%- set expr = governance.snowflake__policy_schema(policy) ~ ".GOVERNANCE_KEYED_HASH(" ~ val ~ ")" -%}
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

{% macro snowflake__policy_body(policy, level, policy_type, mask, length=none) -%}
    {%- set checks = [] -%}
    {%- for role in policy['policy_roles'][level | int] -%}
        {%- do checks.append("is_role_in_session(" ~ governance.snowflake__literal(role) ~ ")") -%}
    {%- endfor -%}
    {{ return('case when ' ~ (checks | join(' or ') if checks else 'false') ~ ' then val else '
              ~ governance.snowflake__mask_expression(policy, mask, 'val', policy_type, length) ~ ' end') }}
{%- endmacro %}

{# CREATE IF NOT EXISTS + SET BODY for one policy. #}
{% macro snowflake__policy_ddl(policy, level, policy_type, category, mask, length=none) -%}
    {%- set name = governance.snowflake__policy_schema(policy) ~ '.'
                   ~ governance.snowflake__base_policy_name(policy, level, policy_type, category, length) -%}
    {%- set body = governance.snowflake__policy_body(policy, level, policy_type, mask, length) -%}
    {%- set comment = 'governance: level ' ~ level ~ ' ' ~ category ~ ' mask ' ~ mask ~ ' (vars.governance.masking)' -%}
    {{ return([
        'create masking policy if not exists ' ~ name ~ ' as (val ' ~ policy_type ~ ') returns ' ~ policy_type
            ~ ' -> ' ~ body ~ ' comment = ' ~ governance.snowflake__literal(comment),
        'alter masking policy ' ~ name ~ ' set body -> ' ~ body,
    ]) }}
{%- endmacro %}

{# Every base policy of the resolved policy (per masked level: VARCHAR per text category, and each
   other type). The keyed-hash policies call the vault's function (snowflake__vault_statements). #}
{% macro snowflake__create_masks_statements(policy) -%}
    {%- set statements = ['create schema if not exists ' ~ governance.snowflake__policy_schema(policy)] -%}
    {%- for level in policy['masked_levels'] -%}
        {%- for base in policy['snowflake_base_policies'][level] -%}
            {%- do statements.extend(governance.snowflake__policy_ddl(
                    policy, level, base['type'], base['category'], base['mask'])) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{#
    The masking key's vault (Snowflake), deployed by the masking administrator (README "## Masking"):
    - <policy schema>.MASKING_KEYS: versioned keys, generated INSIDE Snowflake (two random UUIDs,
      hashed), so the key never exists outside the account: not in an environment, a file, a log,
      a compiled statement or a policy body. Only its owner (the masking administrator) can read it.
    - <policy schema>.GOVERNANCE_KEYED_HASH(val): a SECURE function (body hidden from other roles)
      owned by the same role: HMAC-style nested keyed SHA-256, sha2(k || sha2(k || val)), under the
      newest active key. Policy bodies and models (`governance.governance_keyed_hash(col)`) call it.
    Idempotent: the key is generated only when none exists. Rotation: README "## Masking".
#}
{% macro snowflake__vault_statements(policy) -%}
    {%- set schema = governance.snowflake__policy_schema(policy) -%}
    {{ return([
        'create schema if not exists ' ~ schema ~ ' with managed access',
        'create table if not exists ' ~ schema ~ '.MASKING_KEYS (version number not null, key_value varchar not null, '
            ~ 'active boolean not null, created_at timestamp_ltz default current_timestamp())',
        'insert into ' ~ schema ~ '.MASKING_KEYS (version, key_value, active) '
            ~ "select 1, sha2(uuid_string() || uuid_string() || randstr(32, random()), 256), true "
            ~ 'where not exists (select 1 from ' ~ schema ~ '.MASKING_KEYS)',
        'create or replace secure function ' ~ schema ~ '.GOVERNANCE_KEYED_HASH(val varchar) returns varchar as '
            ~ "$$ select case when val is null then null else sha2(k.key_value || sha2(k.key_value || val, 256), 256) end "
            ~ 'from (select max_by(key_value, version) as key_value from ' ~ schema ~ '.MASKING_KEYS where active) k $$',
    ]) }}
{%- endmacro %}

{# Deploys the vault and the policies: run as the masking administrator role, e.g.
   `dbt run-operation governance.deploy_masking --target prod_masking_admin`. #}
{% macro deploy_masking() -%}
    {%- if target.type != 'snowflake' -%}
        {{ exceptions.raise_compiler_error("governance.deploy_masking is for Snowflake targets") }}
    {%- endif -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- for statement in governance.snowflake__vault_statements(policy) + governance.snowflake__create_masks_statements(policy)
                         + governance.snowflake__length_policy_statements(policy, graph.nodes.values()) -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ log("governance: masking vault and policies deployed in " ~ governance.snowflake__policy_schema(policy), info=true) }}
{%- endmacro %}

{# The length-fitted policies (`_LEN<n>`) the project's classified columns need, from their YAML
   `data_type` (e.g. varchar(2)): the masking administrator creates them with the base policies. #}
{% macro snowflake__length_policy_statements(policy, nodes) -%}
    {%- set statements = [] -%}
    {%- for node in nodes if node.resource_type in ['model', 'snapshot', 'seed'] -%}
        {%- set columns = [] -%}
        {%- for name, column in (node.columns or {}).items() if column.get('data_type') -%}
            {%- set parts = (column['data_type'] | lower).replace(' ', '').split('(') -%}
            {%- set size = parts[1].rstrip(')') if parts | length > 1 else '' -%}
            {%- do columns.append({'name': name, 'data_type': column['data_type'],
                                   'char_size': size | int if size.isdigit() else none}) -%}
        {%- endfor -%}
        {%- for entry in governance.masking_plan(policy, governance.node_columns_of(node.columns, columns), columns) -%}
            {%- set length = governance.snowflake__policy_length(policy, entry) -%}
            {%- if length is not none -%}
                {%- for statement in governance.snowflake__policy_ddl(policy, entry['level'], entry['policy_type'],
                                                                       entry['category'], entry['mask'], length)
                        if statement not in statements -%}
                    {%- do statements.append(statement) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{# The run-start check that the vault answers (its function exists, this role may call it, a key is
   active): one row, true when it does. #}
{% macro snowflake__vault_check_sql(policy) -%}
    {{ return("select " ~ governance.snowflake__policy_schema(policy)
              ~ ".GOVERNANCE_KEYED_HASH('governance-preflight') is not null as vault_ready") }}
{%- endmacro %}

{% macro snowflake__check_vault(policy) -%}
    {%- set uses_hash = [] -%}
    {%- for level, masks in policy['masks'].items() if 'hash' in masks.values() -%}{%- do uses_hash.append(level) -%}{%- endfor -%}
    {%- if uses_hash -%}
        {%- set ready = run_query(governance.snowflake__vault_check_sql(policy)).rows -%}
        {%- if not ready or not ready[0][0] -%}
            {{ exceptions.raise_compiler_error("masking: refusing to run (nothing was created): the masking key vault "
                ~ governance.snowflake__policy_schema(policy) ~ ".GOVERNANCE_KEYED_HASH has no active key; the masking "
                ~ "administrator deploys it with `dbt run-operation governance.deploy_masking`") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro snowflake__create_masks() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set problems = governance.snowflake__graph_problems(governance.resolved_policy(), graph.nodes.values()) -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("masking: refusing to run (nothing was created): " ~ problems | join('; ')) }}
    {%- endif -%}
    {%- do governance.snowflake__check_vault(governance.resolved_policy()) -%}
    {%- for statement in governance.snowflake__missing_only(governance.snowflake__create_masks_statements(governance.resolved_policy())) -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}

{# The masking policies that exist in the policy schema now: {'DB.SCHEMA.NAME', ...} (upper case). #}
{% macro snowflake__existing_policies() -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- set schema = governance.snowflake__policy_schema(policy) -%}
    {%- set found = [] -%}
    {%- set result = run_query("show masking policies in database " ~ target.database) -%}
    {%- for row in result.rows -%}
        {%- set qualified = (row['database_name'] ~ '.' ~ row['schema_name'] ~ '.' ~ row['name']) | upper -%}
        {%- if qualified.startswith(schema ~ '.') -%}{%- do found.append(qualified) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{#
    Of policy statements (CREATE ... IF NOT EXISTS, ALTER ... SET BODY pairs and schema creates), the
    CREATEs of the policies that do not exist yet. A build never rewrites an existing policy: the
    policies belong to the masking administrator, who deploys and updates them
    (`governance.deploy_masking`). A build whose role may not create a missing policy stops here,
    before any model runs.
#}
{% macro snowflake__missing_only(statements) -%}
    {%- set wanted = [] -%}
    {%- for statement in statements if statement.startswith('create masking policy if not exists ') -%}
        {%- do wanted.append(statement) -%}
    {%- endfor -%}
    {%- if not wanted -%}{{ return([]) }}{%- endif -%}
    {%- set existing = governance.snowflake__existing_policies() -%}
    {%- set missing = [] -%}
    {%- for statement in wanted if (statement.split(' ')[6] | upper) not in existing -%}
        {%- do missing.append(statement) -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- do missing.insert(0, 'create schema if not exists ' ~ governance.snowflake__policy_schema(governance.resolved_policy())) -%}
    {%- endif -%}
    {{ return(missing) }}
{%- endmacro %}

{# Static masking at build time: a listed non-production target, or the var. Never on prod*. #}
{% macro snowflake__static_masking(policy) -%}
    {%- set wanted = var('governance_static_masking', false) or target.name in policy['static_targets'] -%}
    {{ return(wanted and not target.name.startswith(policy['production_target_prefix'])) }}
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
{% macro snowflake__masking_statements(policy, relation, relation_type, node_columns, columns, current, static=false) -%}
    {%- set schema = governance.snowflake__policy_schema(policy) -%}
    {%- set plan = governance.masking_plan(policy, node_columns, columns) -%}
    {%- set statements = [] -%}
    {%- set wanted = {} -%}
    {%- set alter = 'alter ' ~ ('view' if relation_type == 'view' else 'table') ~ ' ' ~ relation -%}
    {%- set current_upper = {} -%}
    {%- for column, attached in (current or {}).items() -%}{%- do current_upper.update({column | upper: attached | upper}) -%}{%- endfor -%}
    {%- for entry in plan -%}
        {%- set policy_type = entry['policy_type'] -%}
        {%- set length = governance.snowflake__policy_length(policy, entry) -%}
        {%- set qualified = schema ~ '.' ~ governance.snowflake__policy_name(policy, entry) -%}
        {%- set column = entry['name'] | upper -%}
        {%- do wanted.update({column: qualified}) -%}
        {%- set attached = current_upper.get(column) -%}
        {%- if attached and not attached.startswith(schema ~ '.') -%}
            {#- a policy from outside the project's masking schema (a security administrator's): never
                replaced with FORCE; `governance protected --live` reports the column as a wrong policy #}
            {%- do log("masking: " ~ relation ~ "." ~ column ~ " carries " ~ attached ~ " from outside "
                       ~ schema ~ "; left in place (not replaced)", info=true) -%}
        {%- elif attached != qualified -%}
            {%- if length is not none -%}
                {#- a policy cut to this column's length: created (once) only when a column needs it #}
                {%- do statements.extend(governance.snowflake__policy_ddl(
                        policy, entry['level'], policy_type, entry['category'], entry['mask'], length)) -%}
            {%- endif -%}
            {%- do statements.append(alter ~ ' modify column "' ~ column ~ '" set masking policy ' ~ qualified ~ ' force') -%}
        {%- endif -%}
        {%- if static and relation_type != 'view' -%}
            {%- set quoted = '"' ~ column ~ '"' -%}
            {%- set masked = governance.snowflake__mask_expression(policy, entry['mask'], quoted, policy_type, length) -%}
            {%- set guard = quoted ~ ' is not null' -%}
            {%- if entry['mask'] == 'hash' -%}
                {%- set guard = guard ~ " and not regexp_like(" ~ quoted ~ ", '[0-9a-f]{" ~ (length or 64) ~ "}')" -%}
            {%- else -%}
                {%- set guard = guard ~ ' and ' ~ quoted ~ ' is distinct from ' ~ masked -%}
            {%- endif -%}
            {%- do statements.append('update ' ~ relation ~ ' set ' ~ quoted ~ ' = ' ~ masked ~ ' where ' ~ guard) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column, attached in current_upper.items() | sort -%}
        {%- if column not in wanted and attached.startswith(schema ~ '.MASK_L') -%}
            {%- do statements.append(alter ~ ' modify column "' ~ column ~ '" unset masking policy') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{# Masking policies attached to a relation's columns now: {COLUMN: 'DB.SCHEMA.POLICY'}. #}
{% macro snowflake__policy_references(relation) -%}
    {%- set sql -%}
        select ref_column_name, policy_db || '.' || policy_schema || '.' || policy_name as policy
        from table({{ relation.database }}.information_schema.policy_references(
            ref_entity_name => {{ governance.snowflake__literal(relation.render()) }},
            ref_entity_domain => 'table'))
        where policy_kind = 'MASKING_POLICY'
    {%- endset -%}
    {%- set found = {} -%}
    {%- for row in run_query(sql).rows -%}{%- do found.update({row[0] | upper: row[1] | upper}) -%}{%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{% macro snowflake__apply_masking() -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(this) -%}
        {%- do columns.append({'name': column.name, 'data_type': column.dtype, 'char_size': column.char_size}) -%}
    {%- endfor -%}
    {%- set relation_type = 'view' if this.is_view or model.config.get('materialized') == 'view' else 'table' -%}
    {%- set statements = governance.snowflake__masking_statements(
            policy, this.render() | upper, relation_type, model.get('columns'), columns,
            governance.snowflake__policy_references(this), governance.snowflake__static_masking(policy)) -%}
    {%- set policy_ddl = [] -%}
    {%- for statement in statements if statement.startswith('create masking policy') or statement.startswith('alter masking policy') -%}
        {%- do policy_ddl.append(statement) -%}
    {%- endfor -%}
    {%- for statement in governance.snowflake__missing_only(policy_ddl) -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {%- for statement in statements if statement not in policy_ddl -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}
