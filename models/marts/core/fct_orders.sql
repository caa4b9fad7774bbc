{{
    config(
        materialized='incremental',
        unique_key='order_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns',
        pre_hook="{{ delete_rows_deleted_upstream([
            ('order_id', ref('stg_shop__orders'), 'order_id', '_order_change_seq'),
        ]) }}"
    )
}}

-- One row per live order with its line and payment totals. Incremental: recompute every order whose
-- own row, lines or payments changed after the newest change of that table the model already holds.

with orders as (

    select * from {{ ref('stg_shop__orders') }}

),

order_items as (

    select * from {{ ref('stg_shop__order_items') }}

),

payments as (

    select * from {{ ref('stg_shop__payments') }}

),

currencies as (

    select * from {{ ref('currencies') }}

),

{% if is_incremental() %}
-- read straight from staging: the CTEs above are read once each
changed_orders as {{ materialized_cte() }} (

    select order_id from {{ ref('stg_shop__orders') }}
    where {{ newer_than_watermark('_cdc_change_seq', '_order_change_seq') }}
    union
    select order_id from {{ ref('stg_shop__order_items') }}
    where {{ newer_than_watermark('_cdc_change_seq', '_order_items_change_seq') }}
    union
    select order_id from {{ ref('stg_shop__payments') }}
    where {{ newer_than_watermark('_cdc_change_seq', '_payments_change_seq') }}

),
{% endif %}

orders_in_scope as {{ materialized_cte() }} (

    select * from orders
    where
        not is_deleted
        {% if is_incremental() %}
        and order_id in (select changed_orders.order_id from changed_orders)
        {% endif %}

),

order_item_totals as (

    select
        order_id,
        count(case when not is_deleted then order_item_id end) as item_count,
        sum(case when not is_deleted then quantity * unit_price else 0 end) as gross_amount,
        sum(case when not is_deleted then discount_amount else 0 end) as discount_amount,
        max(_cdc_change_seq) as last_change_seq
    from order_items
    where order_id in (select orders_in_scope.order_id from orders_in_scope)
    group by order_id

),

payment_totals as (

    select
        order_id,
        sum(case when not is_deleted and payment_status = 'captured' then amount else 0 end) as paid_amount,
        sum(case when not is_deleted and payment_status in ('refunded', 'chargeback') then amount else 0 end)
            as refunded_amount,
        max(_cdc_change_seq) as last_change_seq
    from payments
    where order_id in (select orders_in_scope.order_id from orders_in_scope)
    group by order_id

),

joined as (

    select
        orders_in_scope.*,
        coalesce(order_item_totals.item_count, 0) as item_count,
        coalesce(order_item_totals.gross_amount, 0) as gross_amount,
        coalesce(order_item_totals.discount_amount, 0) as discount_amount,
        coalesce(order_item_totals.gross_amount, 0) - coalesce(order_item_totals.discount_amount, 0)
            as net_amount,
        coalesce(payment_totals.paid_amount, 0) as paid_amount,
        coalesce(payment_totals.refunded_amount, 0) as refunded_amount,
        orders_in_scope._cdc_change_seq as _order_change_seq,
        order_item_totals.last_change_seq as _order_items_change_seq,
        payment_totals.last_change_seq as _payments_change_seq
    from orders_in_scope
    left join order_item_totals on orders_in_scope.order_id = order_item_totals.order_id
    left join payment_totals on orders_in_scope.order_id = payment_totals.order_id

),

final as (

    select
        cast(joined.order_id as bigint) as order_id,
        cast(joined.customer_id as bigint) as customer_id,
        cast(joined.shipping_address_id as bigint) as shipping_address_id,
        cast(joined.order_number as {{ dbt.type_string() }}) as order_number,
        cast(joined.order_status as {{ dbt.type_string() }}) as order_status,
        cast(joined.currency as {{ dbt.type_string() }}) as currency,
        cast(joined.ip_address as {{ dbt.type_string() }}) as ip_address,
        cast(joined.user_agent as {{ dbt.type_string() }}) as user_agent,
        cast(joined.item_count as integer) as item_count,
        cast(joined.gross_amount as decimal(18, 2)) as gross_amount,
        cast(joined.discount_amount as decimal(18, 2)) as discount_amount,
        cast(joined.net_amount as decimal(18, 2)) as net_amount,
        cast(joined.net_amount * currencies.eur_per_unit as decimal(18, 2)) as net_amount_eur,
        cast(joined.paid_amount as decimal(18, 2)) as paid_amount,
        cast(joined.refunded_amount as decimal(18, 2)) as refunded_amount,
        -- compared at the stored precision, so every engine agrees on exact payments
        cast(joined.paid_amount as decimal(18, 2)) >= cast(joined.net_amount as decimal(18, 2)) as is_fully_paid,
        cast(joined.ordered_at as date) as order_date,
        cast(joined.ordered_at as timestamp) as ordered_at,
        cast(joined.updated_at as timestamp) as updated_at,
        cast(joined._order_change_seq as {{ dbt.type_string() }}) as _order_change_seq,
        cast(joined._order_items_change_seq as {{ dbt.type_string() }}) as _order_items_change_seq,
        cast(joined._payments_change_seq as {{ dbt.type_string() }}) as _payments_change_seq
    from joined
    left join currencies on joined.currency = currencies.currency_code

)

select * from final
