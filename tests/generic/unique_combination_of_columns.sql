{#
    No two rows share the same values in all the given columns (a compound primary key).
    One row per duplicated combination, holding not the values (README "No clear copies").
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    select 1 as duplicated_combination
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}
