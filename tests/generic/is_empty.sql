{#
    Fails (or warns, by severity) when the model has any row. Used on quarantine models.
    One row per row of the model, holding no value of it (README "No clear copies").
#}
{% test is_empty(model) %}
    select 1 as unexpected_row
    from {{ model }}
{% endtest %}
