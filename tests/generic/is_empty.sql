{#
    Fails (or warns, by severity) when the model has any row. Used on quarantine models.
#}
{% test is_empty(model) %}
    select * from {{ model }}
{% endtest %}
