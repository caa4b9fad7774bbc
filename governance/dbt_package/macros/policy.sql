{#
    The resolved policy and the lookups in it. No masking rule is implemented here: the project's
    generated macro `governance_resolved_policy()` (written by `governance policy --write` from
    vars.governance, see governance/policy/resolved.py) holds every rule's result; these macros
    check it is current and look results up.

    One rule stays a lookup here because it reads each column's own meta at build time: the
    column's masking category (`column_category`) and the meta merge it reads (`column_meta`).
    tests/python/test_resolved_policy.py renders both through dbt for every case of their Python
    counterparts (governance.policy.masking.category_for, governance.project.column_meta).
#}

{# The resolved policy, after checking it was generated from the current var('governance'). #}
{% macro resolved_policy() -%}
    {%- set gov = var('governance', none) -%}
    {%- if gov is none -%}
        {{ exceptions.raise_compiler_error(
            "governance: vars.governance (the policy) is missing from dbt_project.yml; run `governance init`") }}
    {%- endif -%}
    {%- if governance_resolved_policy is not defined -%}
        {{ exceptions.raise_compiler_error(
            "governance: the project has no resolved policy (macro governance_resolved_policy); "
            ~ "run `governance policy --write` and commit the file it writes") }}
    {%- endif -%}
    {{ return(governance.require_fresh(governance_resolved_policy(), "governance: the resolved policy (macro "
                                       ~ "governance_resolved_policy)", " (it validates the policy and names any invalid key)")) }}
{%- endmacro %}

{# `resolved`, a generated macro's value, after checking it was generated from the current var('governance')
   (the MD5 of its `fingerprint_sections`, as governance/policy/resolved.py computes it); `what` names it. #}
{% macro require_fresh(resolved, what, hint='') -%}
    {%- set gov = var('governance', {}) -%}
    {%- set sections = {} -%}
    {%- for key in resolved['fingerprint_sections'] if key in gov -%}
        {%- do sections.update({key: gov[key]}) -%}
    {%- endfor -%}
    {%- if local_md5(tojson(sections, sort_keys=true)) != resolved['fingerprint'] -%}
        {{ exceptions.raise_compiler_error(
            what ~ " is stale: vars.governance (" ~ resolved['fingerprint_sections'] | join(', ')
            ~ ") changed since it was generated. Run `" ~ resolved['generated_by'] ~ "`" ~ hint ~ ", then build again") }}
    {%- endif -%}
    {{ return(resolved) }}
{%- endmacro %}

{# Family and Snowflake policy type of an adapter type name: {family, snowflake}. #}
{% macro type_info(policy, data_type) -%}
    {%- set base = ((data_type or '') | upper | trim).split('(')[0] | trim -%}
    {%- if base in policy['types'] -%}
        {{ return(policy['types'][base]) }}
    {%- endif -%}
    {%- for prefix, info in policy['type_prefixes'].items() if base.startswith(prefix) -%}
        {{ return(info) }}
    {%- endfor -%}
    {{ return(policy['unknown_type']) }}
{%- endmacro %}

{# The merged meta of a node's column: config.meta over the deprecated top-level meta. #}
{% macro column_meta(column) -%}
    {%- set meta = {} -%}
    {%- set top = column.get('meta') -%}
    {%- if top is mapping -%}{%- do meta.update(top) -%}{%- endif -%}
    {%- set config = column.get('config') -%}
    {%- set nested = config.get('meta') if config is mapping else none -%}
    {%- if nested is mapping -%}{%- do meta.update(nested) -%}{%- endif -%}
    {{ return(meta) }}
{%- endmacro %}

{# A column's masking category: its family, or for text: meta mask_as, else the one category its pii
   entities map to, else text. #}
{% macro column_category(policy, meta, family) -%}
    {%- if family != 'text' -%}
        {{ return(family) }}
    {%- endif -%}
    {%- if meta.get('mask_as') in policy['text_categories'] -%}
        {{ return(meta['mask_as']) }}
    {%- endif -%}
    {%- set mapped = [] -%}
    {%- for entity in meta.get('pii') or [] -%}
        {%- do mapped.append(policy['entity_categories'].get(entity, 'text')) -%}
    {%- endfor -%}
    {%- if (mapped | unique | list | length) == 1 -%}
        {{ return(mapped[0]) }}
    {%- endif -%}
    {{ return('text') }}
{%- endmacro %}

{# The mask of (level, category); a pair the resolved policy lacks is an error, never a guess. #}
{% macro mask_for(policy, level, category) -%}
    {%- set masks = policy['masks'].get(level | int) -%}
    {%- if masks is none or category not in masks -%}
        {{ exceptions.raise_compiler_error("governance: no mask for level " ~ level ~ " category " ~ category
            ~ " in the resolved policy; run `" ~ policy['generated_by'] ~ "`") }}
    {%- endif -%}
    {{ return(masks[category]) }}
{%- endmacro %}

{#
    The masking plan of a relation: one entry per column of `columns` (the relation's actual
    columns: dicts or adapter Column objects with name and data type) whose meta in `node_columns`
    (the node's `columns` from the graph) puts it at a masked level.
    Entry: {name, level, category, mask, family, policy_type, data_type, char_size}.
#}
{% macro masking_plan(policy, node_columns, columns) -%}
    {%- set by_name = {} -%}
    {%- for name, col in (node_columns or {}).items() -%}
        {%- do by_name.update({name | lower: governance.column_meta(col)}) -%}
    {%- endfor -%}
    {%- set plan = [] -%}
    {%- for column in columns -%}
        {%- set name = column['name'] if column is mapping else column.name -%}
        {%- set data_type = column['data_type'] if column is mapping else column.data_type -%}
        {%- set char_size = column.get('char_size') if column is mapping else column.char_size -%}
        {%- set meta = by_name.get(name | lower, {}) -%}
        {%- set level = governance.classification_level(policy, meta.get('classification')) -%}
        {%- if level is not none and level in policy['masked_levels'] -%}
            {%- set info = governance.type_info(policy, data_type) -%}
            {%- set category = governance.column_category(policy, meta, info['family']) -%}
            {%- do plan.append({'name': name, 'level': level | int, 'category': category,
                                'mask': governance.mask_for(policy, level, category), 'family': info['family'],
                                'policy_type': info['snowflake'], 'data_type': data_type, 'char_size': char_size}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(plan) }}
{%- endmacro %}

{#
    Meta the build of a node refuses before its relation is published (DuckDB: its protected view;
    Snowflake: before the statement that creates it), as `governance check` does, with the same rules as
    governance/policy/meta.py: a PII entity the policy does not know (`EMAIL_ADRESS` would be
    copied downstream unnoticed), and a classified column the relation does not have (a renamed column
    keeps no protection: the new name would be published unclassified).
#}
{% macro require_valid_meta(policy, node_columns, columns) -%}
    {#- only while building a node (a run-operation renders partial cases, not a node's columns) #}
    {%- if not (model is mapping and model.get('resource_type') in ['model', 'snapshot', 'seed']) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set where = model.get('original_file_path') -%}
    {%- set meta_by_name = {} -%}
    {%- for name, col in (node_columns or {}).items() -%}
        {%- do meta_by_name.update({name | lower: governance.column_meta(col)}) -%}
    {%- endfor -%}
    {%- set present = [] -%}
    {%- for column in columns -%}
        {%- do present.append(((column['name'] if column is mapping else column.name) | lower)) -%}
    {%- endfor -%}
    {%- for name, meta in meta_by_name.items() -%}
        {%- set pii = meta.get('pii') or [] -%}
        {%- for entity in (pii if pii is iterable and pii is not string else [pii]) if entity not in policy['entities'] -%}
            {{ exceptions.raise_compiler_error(
                "governance: " ~ where ~ ": column " ~ name ~ ": unknown PII entity '" ~ entity
                ~ "' (not in vars.governance.entity_levels); fix the YAML, `governance check` names the line") }}
        {%- endfor -%}
        {%- if (meta.get('classification') is not none or pii) and name not in present -%}
            {{ exceptions.raise_compiler_error(
                "governance: " ~ where ~ ": column " ~ name ~ " is classified in the YAML but "
                ~ "the relation has no such column (renamed or removed?): a renamed column would be published "
                ~ "unclassified; update the YAML, `governance check` names the line") }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{# A column's level as Python reads it (governance/policy/meta.py): an integer level of the policy, or
   none; anything else (7, "high", "3", true) is the policy's fail-closed level, so it can only
   over-protect. #}
{% macro classification_level(policy, value) -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- elif value is number and value is not sameas true and value is not sameas false
             and (value | int) == value and (value | int) in policy['levels'] -%}
        {{ return(value | int) }}
    {%- else -%}
        {{ return(policy['fail_closed_level']) }}
    {%- endif -%}
{%- endmacro %}

{#
    The approved keyed hash: `{{ governance.governance_keyed_hash('email') }}` in a model. It compiles
    to the warehouse's keyed-hash function (lineage treats `governance_keyed_hash` as the only keyed
    hash), whose key never appears in SQL: on Snowflake the vault's secure function
    (<db>.<masking schema>.GOVERNANCE_KEYED_HASH, masking_snowflake.sql), on DuckDB the masking
    schema's macro over the function the governance plugin registers (masking_duckdb.sql).
#}
{% macro governance_keyed_hash(value) -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- if target.type == 'snowflake' -%}
        {{ governance.snowflake__policy_schema(policy) }}.GOVERNANCE_KEYED_HASH({{ value }})
    {%- else -%}
        {{ policy['schema'] }}.governance_keyed_hash({{ value }})
    {%- endif -%}
{%- endmacro %}

{#
    Test support (tests/python/test_resolved_policy.py): the lookups above for given inputs, printed
    as one JSON line, so a test compares them with the Python rules.

        dbt run-operation governance.render_policy_lookups --args '{types: [...], columns: [...]}'

    columns: [{column: {meta: ..., config: {meta: ...}}, data_type: ..., char_size: ...}]
#}
{% macro render_policy_lookups(types=[], columns=[], levels=[]) -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- set out = {'types': [], 'columns': [], 'masks': [], 'policy': policy} -%}
    {%- for data_type in types -%}
        {%- do out['types'].append(governance.type_info(policy, data_type)) -%}
    {%- endfor -%}
    {%- for case in columns -%}
        {%- set meta = governance.column_meta(case['column']) -%}
        {%- set plan = governance.masking_plan(policy, {'c': case['column']},
                [{'name': 'c', 'data_type': case['data_type'], 'char_size': case.get('char_size')}]) -%}
        {%- set info = governance.type_info(policy, case['data_type']) -%}
        {%- set entry = {'meta': meta, 'category': governance.column_category(policy, meta, info['family']),
                         'plan': plan} -%}
        {%- if plan -%}
            {%- do entry.update({'snowflake_policy': governance.snowflake__policy_name(policy, plan[0])}) -%}
        {%- endif -%}
        {%- do out['columns'].append(entry) -%}
    {%- endfor -%}
    {%- do print('GOVERNANCE_LOOKUPS ' ~ tojson(out)) -%}
{%- endmacro %}
