{#
    Every row satisfies the SQL boolean `expression` (optionally only rows matching `where`).
    One row per failing row, holding no value of it (README "No clear copies").
#}
{% test expression_is_true(model, expression) %}
    select 1 as failing_row
    from {{ model }}
    where not ({{ expression }})
{% endtest %}
