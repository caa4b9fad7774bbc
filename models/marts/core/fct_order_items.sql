{{
    config(
        materialized='incremental',
        unique_key='order_item_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns',
        pre_hook="{{ delete_rows_deleted_upstream([
            ('order_item_id', ref('stg_shop__order_items'), 'order_item_id', '_order_item_change_seq'),
            ('order_id', ref('stg_shop__orders'), 'order_id', '_order_change_seq'),
        ]) }}"
    )
}}

-- Incremental: recompute the lines of every order that changed (its own row or any of its lines)
-- after the newest change of that table the model already holds; lines or orders deleted upstream
-- are removed by the pre-hook.

with order_items as (

    select * from {{ ref('stg_shop__order_items') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

currencies as (

    select * from {{ ref('currencies') }}

),

{% if is_incremental() %}
-- read straight from staging: the CTEs above are read once each
changed_orders as {{ materialized_cte() }} (

    select order_id from {{ ref('stg_shop__order_items') }}
    where {{ newer_than_watermark('_cdc_change_seq', '_order_item_change_seq') }}
    union
    select order_id from {{ ref('stg_shop__orders') }}
    where {{ newer_than_watermark('_cdc_change_seq', '_order_change_seq') }}

),
{% endif %}

order_items_in_scope as {{ materialized_cte() }} (

    select * from order_items
    {% if is_incremental() %}
    where order_id in (select changed_orders.order_id from changed_orders)
    {% endif %}

),

orders_in_scope as {{ materialized_cte() }} (

    select * from orders
    {% if is_incremental() %}
    where order_id in (select changed_orders.order_id from changed_orders)
    {% endif %}

),

joined as (

    select
        order_items.order_item_id,
        order_items.order_id,
        orders.customer_id,
        order_items.product_id,
        orders.currency,
        order_items.quantity,
        order_items.unit_price,
        order_items.discount_amount,
        order_items.quantity * order_items.unit_price as gross_amount,
        order_items.quantity * order_items.unit_price - order_items.discount_amount as net_amount,
        orders.ordered_at,
        order_items._cdc_change_seq as _order_item_change_seq,
        orders._cdc_change_seq as _order_change_seq
    from order_items_in_scope as order_items
    inner join orders_in_scope as orders on order_items.order_id = orders.order_id
    where not order_items.is_deleted and not orders.is_deleted

),

final as (

    select
        cast(joined.order_item_id as bigint) as order_item_id,
        cast(joined.order_id as bigint) as order_id,
        cast(joined.customer_id as bigint) as customer_id,
        cast(joined.product_id as bigint) as product_id,
        cast(joined.currency as {{ dbt.type_string() }}) as currency,
        cast(joined.quantity as integer) as quantity,
        cast(joined.unit_price as decimal(18, 2)) as unit_price,
        cast(joined.discount_amount as decimal(18, 2)) as discount_amount,
        cast(joined.gross_amount as decimal(18, 2)) as gross_amount,
        cast(joined.net_amount as decimal(18, 2)) as net_amount,
        cast(joined.net_amount * currencies.eur_per_unit as decimal(18, 2)) as net_amount_eur,
        cast(joined.ordered_at as date) as order_date,
        cast(joined.ordered_at as timestamp) as ordered_at,
        cast(joined._order_item_change_seq as {{ dbt.type_string() }}) as _order_item_change_seq,
        cast(joined._order_change_seq as {{ dbt.type_string() }}) as _order_change_seq
    from joined
    left join currencies on joined.currency = currencies.currency_code

)

select * from final
