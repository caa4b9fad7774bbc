{#
    Every non-null value lies within [min_value, max_value] (either bound may be omitted).
    One row per value out of range, holding not the value (README "No clear copies").
#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}
    select 1 as out_of_range
    from {{ model }}
    where {{ column_name }} is not null
      and (
        {%- if min_value is not none %} {{ column_name }} < {{ min_value }}{% endif %}
        {%- if min_value is not none and max_value is not none %} or{% endif %}
        {%- if max_value is not none %} {{ column_name }} > {{ max_value }}{% endif %}
        {%- if min_value is none and max_value is none %} false{% endif %}
      )
{% endtest %}
