{#
    What governance's lineage compiles need from dbt (README "## Classification lineage").

    `governance check` compiles a project twice: dbt's own compile, and one with the var
    `governance_lineage_branch: incremental`, in which every incremental model renders its incremental
    SQL with no warehouse, so lineage covers both branches of what runs and takes the higher
    classification. dbt does not let a package replace a built-in macro for the root project, so the
    project routes its is_incremental() here with a one-line override (governance init writes it):

        {% macro is_incremental() %}{{ return(governance.is_incremental()) }}{% endmacro %}
#}

{# The branch a lineage compile renders (incremental or full_refresh), or none in every real run. #}
{% macro lineage_compile_branch() -%}
    {%- set branch = var('governance_lineage_branch', none) -%}
    {%- if branch is not none and branch not in ('incremental', 'full_refresh') -%}
        {{ exceptions.raise_compiler_error(
            "governance: var governance_lineage_branch must be incremental or full_refresh, got " ~ branch) }}
    {%- endif -%}
    {{ return(branch) }}
{%- endmacro %}


{# dbt's is_incremental(), except in a lineage compile, which names the branch to render. #}
{% macro is_incremental() -%}
    {%- set branch = governance.lineage_compile_branch() -%}
    {%- if branch is not none -%}
        {{ return(execute and branch == 'incremental' and model.config.materialized == 'incremental') }}
    {%- endif -%}
    {{ return(dbt.is_incremental()) }}
{%- endmacro %}
