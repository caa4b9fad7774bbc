{#
    Erasure (README "Erasure and retention"): the register of erased data subjects, written by
    `governance erase`, read by the staging models. A change of an erased subject that arrives after the
    erasure (a late replication, a redelivered document) is anonymised on its way into staging, so no
    incremental run or full refresh brings the subject back.
#}

{# on-run-start: the register, empty, when it is missing (so a fresh warehouse builds) #}
{% macro create_erasure_register() -%}
    {%- set register = var('governance')['erasure']['register'] -%}
    {%- set relation = api.Relation.create(database=target.database, schema=register['schema'],
                                           identifier=register['table']) -%}
    create schema if not exists {{ relation.without_identifier() }};
    create table if not exists {{ relation }} (
        subject {{ dbt.type_string() }} not null,
        subject_key {{ dbt.type_string() }} not null,
        erased_at {{ dbt.type_timestamp() }} not null
    )
{%- endmacro %}


{# SQL true when `key_expression` is the key of an erased subject of type `subject` #}
{% macro is_erased(key_expression, subject='customer') -%}
    (cast({{ key_expression }} as {{ dbt.type_string() }}) in (
        select erased_subjects.subject_key from {{ source('governance', 'erased_subjects') }} as erased_subjects
        where erased_subjects.subject = '{{ subject }}'))
{%- endmacro %}


{# `expression`, or NULL when the row's `key_expression` is an erased subject's #}
{% macro unless_erased(expression, key_expression, subject='customer') -%}
    case when {{ is_erased(key_expression, subject) }} then null else {{ expression }} end
{%- endmacro %}
