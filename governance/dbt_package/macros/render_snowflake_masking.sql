{#
    Test support: render the Snowflake masking SQL with the real snowflake__ macros, without a
    Snowflake connection (run it on any target; it only prints).

        dbt run-operation governance.render_snowflake_masking --args '{cases: [...]}'

    Each case: {node: <unique_id>, relation: DB.SCHEMA.NAME, relation_type: table|view,
    columns: [{name, data_type, char_size}], current: {COLUMN: DB.SCHEMA.POLICY}, static: bool}.
    Prints one JSON line: {"create": [...], "policy_schema": ..., "cases": [[statement, ...], ...]}.
#}
{% macro render_snowflake_masking(cases=[]) -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- set out = {'create': governance.snowflake__create_masks_statements(policy),
                   'policy_schema': governance.snowflake__policy_schema(policy), 'cases': []} -%}
    {%- for case in cases -%}
        {%- set node = graph.nodes.get(case['node']) -%}
        {%- if node is none -%}
            {{ exceptions.raise_compiler_error("governance.render_snowflake_masking: unknown node " ~ case['node']) }}
        {%- endif -%}
        {%- do out['cases'].append(governance.snowflake__masking_statements(
                policy, case['relation'], case.get('relation_type', 'table'), node['columns'], case['columns'],
                case.get('current', {}), case.get('static', false))) -%}
    {%- endfor -%}
    {%- do print('GOVERNANCE_RENDER ' ~ tojson(out)) -%}
{%- endmacro %}

{#
    Test support: the pre-flight checks of the governed Snowflake DDL (masking_snowflake_ddl.sql) for
    given inputs, without a connection. Prints one JSON line:
    {"cases": [{"problems": [...], "policies": {...}}], "graph": [...]}.

        dbt run-operation governance.render_snowflake_preflight --args '{cases: [...], nodes: [...]}'

    Each case: {node: <unique_id>, materialized, columns: [{name, data_type, char_size}], options}.
    nodes: graph-like nodes {unique_id, resource_type, config: {materialized, ...}, columns} for the
    run-start check.
#}
{% macro render_snowflake_preflight(cases=[], nodes=[]) -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- set out = {'cases': [], 'graph': governance.snowflake__graph_problems(policy, nodes)} -%}
    {%- for case in cases -%}
        {#- the node's YAML columns among the case's: each case exercises the checks of given columns #}
        {%- set node_columns = governance.node_columns_of(graph.nodes.get(case['node'])['columns'], case['columns']) -%}
        {%- set plan = governance.masking_plan(policy, node_columns, case['columns']) -%}
        {%- set problems = governance.snowflake__column_problems(
                policy, plan, case.get('materialized', 'table'), case['columns'], case.get('options', {})) -%}
        {%- set policies = {} -%}
        {%- if not problems -%}
            {%- set policies = governance.snowflake__column_policies(
                    policy, 'X', case.get('materialized', 'table'), node_columns, case['columns'],
                    case.get('options', {}))['policies'] -%}
        {%- endif -%}
        {%- do out['cases'].append({'problems': problems, 'policies': policies}) -%}
    {%- endfor -%}
    {%- do print('GOVERNANCE_PREFLIGHT ' ~ tojson(out)) -%}
{%- endmacro %}

{#
    The body of every masking policy the project deploys, rendered by the same builders as the DDL
    (`governance protected --live` / `--policy-export` compares them with the bodies attached in the
    account). Prints one JSON line: GOVERNANCE_POLICY_BODIES {"DB.SCHEMA.NAME": "<body>", ...}.

        dbt run-operation governance.render_masking_policy_bodies --args '{entries: [...]}'

    entries: the length-fitted policies to render too: [{level, policy_type, category, mask, length}].
#}
{% macro render_masking_policy_bodies(entries=[]) -%}
    {%- set policy = governance.resolved_policy() -%}
    {%- set statements = governance.snowflake__create_masks_statements(policy) -%}
    {%- for entry in entries -%}
        {%- do statements.extend(governance.snowflake__policy_ddl(policy, entry['level'], entry['policy_type'],
                                                                   entry['category'], entry['mask'], entry['length'])) -%}
    {%- endfor -%}
    {%- set out = {} -%}
    {%- for statement in statements if statement.startswith('alter masking policy ') -%}
        {%- set parts = statement.split(' set body -> ', 1) -%}
        {%- do out.update({parts[0].split(' ')[3]: parts[1]}) -%}
    {%- endfor -%}
    {%- do print('GOVERNANCE_POLICY_BODIES ' ~ tojson(out)) -%}
{%- endmacro %}
