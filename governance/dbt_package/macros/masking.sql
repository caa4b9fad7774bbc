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
