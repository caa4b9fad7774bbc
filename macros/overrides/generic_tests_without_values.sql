{#
    Replaces dbt's built-in default__test_unique, built-in default__test_accepted_values and
    built-in default__test_relationships (dbt-core, global_project/macros/generic_test_sql/), the
    generic data tests every model's YAML uses.

    dbt's versions return the failing values themselves (the duplicated value, the unexpected value,
    the orphan key), which `dbt show`, a debugger or a stored failure table would then hold in clear,
    classified or not. These return one row per failure, as dbt's do (so the failure count is the
    same), holding only a constant: a test says *that* something failed, never *which value*. Find the
    rows with a query of your own, through the protected views, with your own role.
    (not_null is not replaced: its failing rows hold only nulls. store_failures is refused at run start.)
#}
{% macro default__test_unique(model, column_name) %}

with duplicated_values as (

    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
    group by {{ column_name }}
    having count(*) > 1

)

select 1 as duplicated_value
from duplicated_values

{% endmacro %}


{% macro default__test_accepted_values(model, column_name, values, quote=True) %}

with unexpected_values as (

    select {{ column_name }} as value_field
    from {{ model }}
    group by {{ column_name }}

)

select 1 as unexpected_value
from unexpected_values
where value_field not in (
    {% for value in values -%}
        {% if quote -%}
        '{{ value }}'
        {%- else -%}
        {{ value }}
        {%- endif -%}
        {%- if not loop.last -%},{%- endif %}
    {%- endfor %}
)

{% endmacro %}


{% macro default__test_relationships(model, column_name, to, field) %}

with child as (

    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null

),

parent as (

    select {{ field }} as to_field
    from {{ to }}

)

select 1 as orphan_key
from child
left join parent
    on child.from_field = parent.to_field
where parent.to_field is null

{% endmacro %}
