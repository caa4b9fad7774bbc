{#
    Masking attached by the statement that creates a relation (Snowflake): no window of clear data.

    The project's overrides of dbt-snowflake's DDL (macros/overrides/snowflake_governed_ddl.sql) call
    these macros, so a classified column is created already carrying its masking policy:

        create or replace table T ("EMAIL" VARCHAR(256) with masking policy P, ...) as (select ...)
        create or replace view V ("EMAIL" with masking policy P, ...) as (select ...)
        alter table T add column "EMAIL" VARCHAR(256) with masking policy P      (on_schema_change)
        create table SEED ("EMAIL" VARCHAR with masking policy P, ...)           (seeds, before the load)

    Everything that can fail is checked BEFORE the statement is sent (`snowflake__column_policies`
    raises): a relation kind that cannot carry column policies (dynamic tables, materialized views,
    transient temp relations), a classified column whose Snowflake type has no base policy, two
    columns whose names differ only in case. (The masking key's vault is checked once at run start.) A failed check stops the
    model before any relation is created or replaced; a policy Snowflake rejects fails the CREATE
    itself, which then leaves the previous relation (and its policies) in place.

    The column types come from the query itself: a session-private TEMPORARY view over the model's
    SQL, described, then dropped (no data, invisible to other sessions). Nodes whose YAML classifies
    no column at a masked level skip the probe and get dbt-snowflake's statements unchanged.
#}

{# Relation kinds whose create statement carries column policies here. #}
{% macro snowflake__governed_materializations() -%}
    {{ return(['table', 'incremental', 'view', 'snapshot', 'seed']) }}
{%- endmacro %}

{# Whether the node's YAML puts any column at a masked level (no query). #}
{% macro has_masked_columns(policy, node_columns) -%}
    {%- for name, column in (node_columns or {}).items() -%}
        {%- set level = governance.classification_level(policy, governance.column_meta(column).get('classification')) -%}
        {%- if level is not none and level in policy['masked_levels'] -%}
            {{ return(true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}

{# Whether a type name is one the resolved policy knows (listed, or by prefix): an unknown type is
   never guessed on Snowflake. #}
{% macro type_known(policy, data_type) -%}
    {%- set base = ((data_type or '') | upper | trim).split('(')[0] | trim -%}
    {%- if base in policy['types'] -%}{{ return(true) }}{%- endif -%}
    {%- for prefix in policy['type_prefixes'] if base.startswith(prefix) -%}{{ return(true) }}{%- endfor -%}
    {{ return(false) }}
{%- endmacro %}

{#
    The masking of one relation about to be created, checked. Pure (no query), so tests render it.
      relation      the relation's name as rendered (for messages)
      materialized  the node's materialization
      node_columns  the node's `columns` (YAML meta holds the classification)
      columns       the columns the create statement will have: [{name, data_type, char_size}]
      options       {tmp_relation_type: ...}
    Returns {policies: {column name as given: DB.SCHEMA.POLICY}, statements: [policy DDL to run first]}.
    Raises (a compiler error naming every problem of snowflake__column_problems) when any check fails.
#}
{% macro snowflake__column_problems(policy, plan, materialized, columns, options={}) -%}
    {%- set problems = [] -%}
    {%- if plan and materialized not in governance.snowflake__governed_materializations() -%}
        {%- do problems.append("materialized '" ~ materialized ~ "' cannot carry column masking policies in its create "
            ~ "statement (use table, incremental or view for a relation with classified columns)") -%}
    {%- endif -%}
    {%- if plan and (options.get('tmp_relation_type') or '') | lower == 'transient' -%}
        {%- do problems.append("tmp_relation_type 'transient' publishes the classified columns unmasked in a "
            ~ "catalogued table during the merge (use the default session-private temporary relation)") -%}
    {%- endif -%}
    {%- set seen = {} -%}
    {%- for column in columns -%}
        {%- set key = column['name'] | lower -%}
        {%- if key in seen -%}
            {%- do problems.append("columns " ~ seen[key] ~ " and " ~ column['name'] ~ " differ only in case: "
                ~ "the classification cannot tell which one it names") -%}
        {%- endif -%}
        {%- do seen.update({key: column['name']}) -%}
    {%- endfor -%}
    {%- for entry in plan -%}
        {%- if not governance.type_known(policy, entry['data_type']) or entry['policy_type'] not in policy['snowflake_policy_types'] -%}
            {%- do problems.append(entry['name'] ~ " (level " ~ entry['level'] ~ ") has type " ~ entry['data_type']
                ~ ", for which no masking policy exists") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}

{% macro snowflake__column_policies(policy, relation, materialized, node_columns, columns, options={}) -%}
    {%- do governance.require_valid_meta(policy, node_columns, columns) -%}
    {%- set plan = governance.masking_plan(policy, node_columns, columns) -%}
    {%- set problems = governance.snowflake__column_problems(policy, plan, materialized, columns, options) -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("masking: refusing to create " ~ relation ~ " (nothing was created): "
            ~ problems | join('; ')) }}
    {%- endif -%}
    {%- set schema = governance.snowflake__policy_schema(policy) -%}
    {%- set policies = {} -%}
    {%- set statements = [] -%}
    {%- for entry in plan -%}
        {%- set length = governance.snowflake__policy_length(policy, entry) -%}
        {%- if length is not none -%}
            {%- do statements.extend(governance.snowflake__policy_ddl(
                    policy, entry['level'], entry['policy_type'], entry['category'], entry['mask'], length)) -%}
        {%- endif -%}
        {%- do policies.update({entry['name']: schema ~ '.' ~ governance.snowflake__policy_name(policy, entry)}) -%}
    {%- endfor -%}
    {{ return({'policies': policies, 'statements': statements}) }}
{%- endmacro %}

{# A relation's columns as [{name, data_type, char_size}] (adapter Column objects in). #}
{% macro snowflake__column_dicts(columns) -%}
    {%- set out = [] -%}
    {%- for column in columns -%}
        {%- do out.append({'name': column.name, 'data_type': column.expanded_data_type, 'char_size': column.char_size}) -%}
    {%- endfor -%}
    {{ return(out) }}
{%- endmacro %}

{# The columns a query returns, with full Snowflake types: a session-private temporary view over it,
   described, then dropped. #}
{% macro snowflake__query_columns(relation, sql) -%}
    {%- set probe = make_temp_relation(relation, '__governance_probe').incorporate(type='view') -%}
    {%- do run_query(snowflake__create_view_as_with_temp_flag(probe, sql, True)) -%}
    {%- set columns = adapter.get_columns_in_relation(probe) -%}
    {%- do run_query('drop view if exists ' ~ probe.render()) -%}
    {{ return(columns) }}
{%- endmacro %}

{# Runs the policy statements a plan needs first (length-fitted policies), returns {column: policy}.
   {} when the node classifies nothing at a masked level or governance DDL is off (emulator). #}
{% macro snowflake__prepare_policies(relation, columns, partial=false) -%}
    {%- if not governance.ddl_enabled() -%}{{ return({}) }}{%- endif -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- if not governance.has_masked_columns(policy, model.get('columns')) -%}{{ return({}) }}{%- endif -%}
    {%- set node_columns = governance.node_columns_of(model.get('columns'), columns) if partial else model.get('columns') -%}
    {%- set result = governance.snowflake__column_policies(
            policy, relation.render(), model.config.get('materialized'), node_columns, columns,
            {'tmp_relation_type': config.get('tmp_relation_type')}) -%}
    {%- for statement in governance.snowflake__missing_only(result['statements']) -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ return(result['policies']) }}
{%- endmacro %}

{# The node's YAML columns restricted to `columns` (those being added to an existing relation: the
   others were checked when it was created). #}
{% macro node_columns_of(node_columns, columns) -%}
    {%- set names = [] -%}
    {%- for column in columns -%}{%- do names.append(((column['name'] if column is mapping else column.name)) | lower) -%}{%- endfor -%}
    {%- set subset = {} -%}
    {%- for name, column in (node_columns or {}).items() if name | lower in names -%}
        {%- do subset.update({name: column}) -%}
    {%- endfor -%}
    {{ return(subset) }}
{%- endmacro %}

{# ` with masking policy P` for a column of `policies`, else ''. #}
{% macro snowflake__policy_clause(policies, name) -%}
    {{ return(' with masking policy ' ~ policies[name] if name in policies else '') }}
{%- endmacro %}

{#
    A governed CREATE TABLE ... AS SELECT: {columns, sql}. `columns` is the column list: every
    column of the query with its type and, when classified, its masking policy; a contracted model
    keeps its declared types and constraints (dbt has checked they match the query). '' when there
    is nothing to attach: the caller then renders dbt-snowflake's own list. `sql` is the query, with
    the classified columns already masked on a static-masking target (so no clear value is ever
    written, not even into Time Travel).
#}
{% macro snowflake__governed_table(relation, compiled_code) -%}
    {%- if not governance.ddl_enabled() or not governance.has_masked_columns(governance.resolved_policy(), model.get('columns')) -%}
        {{ return({'columns': '', 'sql': compiled_code}) }}
    {%- endif -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- set columns = governance.snowflake__query_columns(relation, compiled_code) -%}
    {%- set dicts = governance.snowflake__column_dicts(columns) -%}
    {%- set policies = governance.snowflake__prepare_policies(relation, dicts) -%}
    {%- set items = [] -%}
    {%- if config.get('contract').enforced -%}
        {%- set declared = model['columns'].values() | list -%}
        {%- set rendered = adapter.render_raw_columns_constraints(raw_columns=model['columns']) -%}
        {%- set by_lower = {} -%}
        {%- for column in columns -%}{%- do by_lower.update({column.name | lower: column.name}) -%}{%- endfor -%}
        {%- for definition in rendered -%}
            {%- set name = by_lower.get(declared[loop.index0]['name'] | lower, declared[loop.index0]['name']) -%}
            {%- do items.append(definition ~ governance.snowflake__policy_clause(policies, name)) -%}
        {%- endfor -%}
        {%- do items.extend(adapter.render_raw_model_constraints(raw_constraints=model['constraints'])) -%}
    {%- else -%}
        {%- for column in columns -%}
            {%- do items.append(adapter.quote(column.name) ~ ' ' ~ column.expanded_data_type
                                ~ governance.snowflake__policy_clause(policies, column.name)) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set sql = compiled_code -%}
    {%- if governance.snowflake__static_masking(policy) -%}
        {%- set sql = governance.snowflake__static_select(policy, model.get('columns'), dicts, compiled_code) -%}
    {%- endif -%}
    {{ return({'columns': '(\n        ' ~ items | join(',\n        ') ~ '\n    )', 'sql': sql}) }}
{%- endmacro %}

{# The query with every classified column replaced by its mask (static masking), same names and types. #}
{% macro snowflake__static_select(policy, node_columns, columns, sql) -%}
    {%- set by_name = {} -%}
    {%- for entry in governance.masking_plan(policy, node_columns, columns) -%}{%- do by_name.update({entry['name']: entry}) -%}{%- endfor -%}
    {%- set items = [] -%}
    {%- for column in columns -%}
        {%- set quoted = '"' ~ column['name'] ~ '"' -%}
        {%- set entry = by_name.get(column['name']) -%}
        {%- if entry -%}
            {%- set masked = governance.snowflake__mask_expression(policy, entry['mask'], quoted, entry['policy_type'],
                                                                   governance.snowflake__policy_length(policy, entry)) -%}
            {%- do items.append('cast(' ~ masked ~ ' as ' ~ column['data_type'] ~ ') as ' ~ quoted) -%}
        {%- else -%}
            {%- do items.append(quoted) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('select ' ~ items | join(', ') ~ ' from (\n' ~ sql ~ '\n) as governance_static') }}
{%- endmacro %}

{# The column list of a CREATE VIEW: every column of the query, its masking policy when classified,
   its description when docs are persisted. '' when there is nothing to attach. #}
{% macro snowflake__view_column_list(relation, sql) -%}
    {%- if not governance.ddl_enabled() or not governance.has_masked_columns(governance.resolved_policy(), model.get('columns')) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set columns = governance.snowflake__query_columns(relation, sql) -%}
    {%- set policies = governance.snowflake__prepare_policies(relation, governance.snowflake__column_dicts(columns)) -%}
    {%- set descriptions = {} -%}
    {%- if config.persist_column_docs() -%}
        {%- for name, column in model.columns.items() if column.get('description') -%}
            {%- do descriptions.update({name | lower: column['description']}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set items = [] -%}
    {%- for column in columns -%}
        {%- set description = descriptions.get(column.name | lower) -%}
        {%- do items.append(adapter.quote(column.name) ~ governance.snowflake__policy_clause(policies, column.name)
                            ~ (" comment $$" ~ description | replace('$', '[$]') ~ "$$" if description else '')) -%}
    {%- endfor -%}
    {{ return('(\n        ' ~ items | join(',\n        ') ~ '\n    )') }}
{%- endmacro %}

{#
    The relation kinds that cannot carry column policies in their create statement, checked for the
    whole graph at run start (before any model runs): [message, ...]. `nodes` are graph nodes.
#}
{% macro snowflake__graph_problems(policy, nodes) -%}
    {%- set problems = [] -%}
    {%- for node in nodes if node.resource_type in ['model', 'snapshot', 'seed'] -%}
        {%- set materialized = node.config.get('materialized') -%}
        {%- if materialized != 'ephemeral' and governance.has_masked_columns(policy, node.columns) -%}
            {%- if materialized not in governance.snowflake__governed_materializations() -%}
                {%- do problems.append(node.unique_id ~ ": materialized '" ~ materialized ~ "' cannot carry column masking "
                    ~ "policies in its create statement (use table, incremental or view)") -%}
            {%- elif (node.config.get('tmp_relation_type') or '') | lower == 'transient' -%}
                {%- do problems.append(node.unique_id ~ ": tmp_relation_type 'transient' publishes classified columns "
                    ~ "unmasked during the merge") -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}
