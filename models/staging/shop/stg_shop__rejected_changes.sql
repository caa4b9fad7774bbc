{#
    Quarantine: change rows that staging refuses to merge (an unknown operation code or a missing
    key): cdc_is_rejected_change, every change row neither valid (merged) nor a before-image
    (ignored). Only the change headers are kept, never the row's values. A warning test on this
    model makes every newly rejected row visible in `dbt build`.

    Incremental (append): a log of every rejected change, with the time it was quarantined. A run
    reads, per change table, only the change rows newer than both the newest one it already
    quarantined and the boundary its staging model started from in this run (staging runs first:
    this model depends on it). The staging models skip these rows on their own; the quarantine
    makes them visible.
#}
{%- set change_tables = ['customers', 'customer_addresses', 'products', 'orders', 'order_items', 'payments'] -%}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns'
    )
}}

-- depends_on: {{ ref('stg_shop__customers') }}, {{ ref('stg_shop__customer_addresses') }}
-- depends_on: {{ ref('stg_shop__products') }}, {{ ref('stg_shop__orders') }}
-- depends_on: {{ ref('stg_shop__order_items') }}, {{ ref('stg_shop__payments') }}
{#- logs this run's boundary, so that the build's tests check only the rows it quarantines #}
{%- if is_incremental() %}{% do incremental_boundary('quarantined_at') %}{% endif %}

with
{% for table in change_tables %}
{{ table }}_rejected as (

    select
        '{{ table }}' as source_table,
        header__change_seq,
        header__change_oper,
        header__timestamp,
        case
            when header__change_oper in {{ cdc_valid_operations() }} then 'missing key'
            else 'unknown operation code'
        end as rejection_reason,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }}) as quarantined_at
    from {{ source('shop', table ~ '__ct') }}
    where
        {{ cdc_is_rejected_change('id') }}
        {%- if is_incremental() %}
        and header__change_seq > {{ quarantine_boundary(table) }}
        {%- endif %}

){{ ',' if not loop.last }}
{% endfor %}

{% for table in change_tables %}
select * from {{ table }}_rejected
{{ 'union all' if not loop.last }}
{% endfor %}
