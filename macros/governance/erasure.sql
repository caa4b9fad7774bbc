{#
    Erasure (README "Erasure and retention"): the register of erased data subjects (the model
    erased_subjects), written by `governance erase`, read by the staging models. A change of an erased subject that arrives after the
    erasure (a late replication, a redelivered document) is anonymised on its way into staging, so no
    incremental run or full refresh brings the subject back.
#}

{# SQL true when `key_expression` is the key of an erased subject of type `subject` #}
{% macro is_erased(key_expression, subject='customer') -%}
    (cast({{ key_expression }} as {{ dbt.type_string() }}) in (
        select erased_subjects.subject_key from {{ ref('erased_subjects') }} as erased_subjects
        where erased_subjects.subject = '{{ subject }}'))
{%- endmacro %}


{# `expression`, or NULL when the row's `key_expression` is an erased subject's #}
{% macro unless_erased(expression, key_expression, subject='customer') -%}
    case when {{ is_erased(key_expression, subject) }} then null else {{ expression }} end
{%- endmacro %}
