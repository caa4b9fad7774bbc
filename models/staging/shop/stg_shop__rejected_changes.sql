{#
    Quarantine: change rows that staging refuses to merge (an unknown operation code or a missing
    key). Only the change headers are kept, never the row's values. A warning test on this model
    makes every rejected row visible in `dbt build`.
#}
{%- set change_tables = ['customers', 'customer_addresses', 'products', 'orders', 'order_items', 'payments'] -%}

with
{% for table in change_tables %}
{{ table }}_rejected as (

    select
        '{{ table }}' as source_table,
        header__change_seq,
        header__change_oper,
        header__timestamp,
        case
            when header__change_oper not in ('I', 'U', 'D', 'B') or header__change_oper is null
                then 'unknown operation code'
            else 'missing key'
        end as rejection_reason
    from {{ source('shop', table ~ '__ct') }}
    where
        (header__change_oper not in ('I', 'U', 'D', 'B') or header__change_oper is null)
        or (header__change_oper in ('I', 'U', 'D') and id is null)

){{ ',' if not loop.last }}
{% endfor %}

{% for table in change_tables %}
select * from {{ table }}_rejected
{{ 'union all' if not loop.last }}
{% endfor %}
