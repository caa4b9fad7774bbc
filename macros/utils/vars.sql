{#
    Whether the var `name` is on. A var set with --vars may arrive as a YAML boolean or number, or
    as a string ('{flag: "false"}'): false, 'false', 'False', 0 and '0' are off, anything else
    (and the default when the var is not set) counts as given.
#}
{% macro var_is_true(name, default) -%}
    {{ return(var(name, default) not in (false, 'false', 'False', 0, '0')) }}
{%- endmacro %}
