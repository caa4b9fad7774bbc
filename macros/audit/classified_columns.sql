{#
    The project's classification as a relation: one row per column of a model, snapshot, seed or
    source whose meta `classification` is at least `minimum_level`, with the relation's fully
    qualified name (upper case, as Snowflake's ACCESS_HISTORY names objects), the column, its level
    and its PII entities. Rendered from the manifest at compile time; never a row value.
#}
{% macro classified_columns_values(minimum_level=3) -%}
    {%- set rows = [] -%}
    {%- if execute -%}
        {%- for node in (graph.nodes.values() | list) + (graph.sources.values() | list)
                if node.resource_type in ('model', 'snapshot', 'seed', 'source') and node.package_name == project_name -%}
            {%- set relation = node.identifier if node.resource_type == 'source' else (node.alias or node.name) -%}
            {%- set fqn = [node.database, node.schema, relation] | reject('none') | join('.') | upper -%}
            {%- for column in node.columns.values() -%}
                {%- set meta = column.get('config', {}).get('meta', {}) or column.get('meta', {}) -%}
                {%- set level = meta.get('classification') -%}
                {%- if level is number and level >= minimum_level -%}
                    {%- do rows.append("(" ~ audit_literal(fqn) ~ ", " ~ audit_literal(column.name | upper) ~ ", "
                        ~ level ~ ", " ~ audit_literal((meta.get('pii') or []) | join(',')) ~ ")") -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if rows %}
    select
        object_name,
        column_name,
        classification,
        pii
    from (values
        {{ rows | join(',\n        ') }}
    ) as classified (object_name, column_name, classification, pii)
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as object_name,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_int() }}) as classification,
        cast(null as {{ dbt.type_string() }}) as pii
    where false
    {%- endif %}
{%- endmacro %}
