{#
    Masking driven by column classification (README "## Masking").

    The policy is the project's `var('governance')`, resolved in Python by `governance policy --write`
    into the project's macro `governance_resolved_policy()` (policy.sql checks it is current). A
    column is masked when its meta `classification` is a masked level; its category and mask come
    from the resolved policy (policy.sql).

    Entry points (adapter-specific SQL lives in masking_duckdb.sql / masking_snowflake.sql), set in
    the project's dbt_project.yml:
      governance.create_masks()   on-run-start: DuckDB mask macros / Snowflake masking policies
      governance.apply_masking()  post-hook of every model, snapshot and seed
    Both dispatch in the `governance` namespace: a project overrides an adapter's implementation
    with `dispatch: [{macro_namespace: governance, search_order: [<project>, governance]}]`.
#}

{% macro create_masks() -%}
    {%- if execute -%}
        {%- set copies = governance.clear_copy_problems(graph.nodes.values()) -%}
        {%- if copies -%}
            {{ exceptions.raise_compiler_error("masking: refusing to run: " ~ copies | join('; ')) }}
        {%- endif -%}
    {%- endif -%}
    {%- if not governance.ddl_enabled() -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('create_masks', 'governance')()) }}
{%- endmacro %}

{% macro default__create_masks() -%}
    {{ exceptions.raise_compiler_error("masking: no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}


{% macro apply_masking() -%}
    {%- if not execute or not governance.ddl_enabled() or model.config.get('materialized') == 'ephemeral' -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('apply_masking', 'governance')()) }}
{%- endmacro %}

{% macro default__apply_masking() -%}
    {{ exceptions.raise_compiler_error("masking: no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}


{#
    Copies of data outside masking: `store_failures` (config or `--store-failures`) writes the failing
    rows of a test, clear values of classified columns included, into an audit schema that carries no
    masking policy and no place in roles.yml. Refused; a test that needs its failing rows kept selects
    key columns only into a model of its own (classified and masked like any other).
#}
{% macro clear_copy_problems(nodes) -%}
    {%- set problems = [] -%}
    {%- if flags.STORE_FAILURES -%}
        {%- do problems.append("--store-failures would copy failing rows, classified values included, into an unmasked "
            ~ "audit schema") -%}
    {%- endif -%}
    {%- for node in nodes if node.resource_type == 'test' and node.config.get('store_failures') -%}
        {%- do problems.append(node.unique_id ~ ": store_failures copies failing rows into an unmasked audit schema") -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}
