-- The classification levels of the governance policy (vars.governance.levels in dbt_project.yml),
-- as a table consumers can join to column classifications.

{%- set levels = var('governance')['levels'] %}

with levels as (

    {% for number, level in levels.items() %}
    select
        {{ number }} as classification_level,
        '{{ level["name"] | replace("'", "''") }}' as level_name,
        '{{ level["description"] | replace("'", "''") }}' as level_description,
        {{ 'true' if level.get('masked') else 'false' }} as is_masked
    {{ 'union all' if not loop.last }}
    {% endfor %}

),

final as (

    select
        cast(classification_level as integer) as classification_level,
        cast(level_name as {{ dbt.type_string() }}) as level_name,
        cast(level_description as {{ dbt.type_string() }}) as level_description,
        is_masked
    from levels

)

select * from final
