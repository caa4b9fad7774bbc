{{
    config(
        materialized='incremental',
        unique_key='payment_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns',
        pre_hook="{{ delete_rows_deleted_upstream([
            ('payment_id', ref('stg_shop__payments'), 'payment_id', '_payment_change_seq'),
            ('order_id', ref('stg_shop__orders'), 'order_id', '_order_change_seq'),
        ]) }}"
    )
}}

-- One row per live payment. Truncated card numbers (staging keeps the first six and last four digits)
-- and IBANs stay here for finance and fraud work, masked for every role not cleared for their level.

with payments as (

    select * from {{ ref('stg_shop__payments') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

currencies as (

    select * from {{ ref('currencies') }}

),

{% if is_incremental() %}
-- the payments that changed, and those of orders that changed, after the newest change of that
-- table the model already holds (read straight from staging: the CTEs above are read once each)
changed_payments as {{ materialized_cte() }} (

    select payment_id from {{ ref('stg_shop__payments') }}
    where {{ newer_than_watermark('_cdc_change_seq', '_payment_change_seq') }}
    union
    select payments_of_changed_orders.payment_id
    from {{ ref('stg_shop__payments') }} as payments_of_changed_orders
    inner join {{ ref('stg_shop__orders') }} as changed_orders
        on payments_of_changed_orders.order_id = changed_orders.order_id
    where {{ newer_than_watermark('changed_orders._cdc_change_seq', '_order_change_seq') }}

),
{% endif %}

payments_in_scope as {{ materialized_cte() }} (

    select * from payments
    where
        not is_deleted
        {% if is_incremental() %}
        and payment_id in (select changed_payments.payment_id from changed_payments)
        {% endif %}

),

orders_in_scope as {{ materialized_cte() }} (

    select * from orders
    {% if is_incremental() %}
    where order_id in (select payments_in_scope.order_id from payments_in_scope)
    {% endif %}

),

joined as (

    select
        payments_in_scope.*,
        orders_in_scope.customer_id,
        payments_in_scope._cdc_change_seq as _payment_change_seq,
        orders_in_scope._cdc_change_seq as _order_change_seq
    from payments_in_scope
    inner join orders_in_scope on payments_in_scope.order_id = orders_in_scope.order_id
    where not orders_in_scope.is_deleted

),

final as (

    select
        cast(joined.payment_id as bigint) as payment_id,
        cast(joined.order_id as bigint) as order_id,
        cast(joined.customer_id as bigint) as customer_id,
        cast(joined.payment_reference as {{ dbt.type_string() }}) as payment_reference,
        cast(joined.payment_method as {{ dbt.type_string() }}) as payment_method,
        cast(
            case
                when joined.card_number like '4%' then 'visa'
                when joined.card_number like '5%' or joined.card_number like '2%' then 'mastercard'
                when joined.card_number like '34%' or joined.card_number like '37%' then 'amex'
                when joined.card_number like '6%' then 'other'
            end as {{ dbt.type_string() }}
        ) as card_brand,
        cast(joined.card_number as {{ dbt.type_string() }}) as card_number,
        cast(joined.iban as {{ dbt.type_string() }}) as iban,
        cast(joined.payment_status as {{ dbt.type_string() }}) as payment_status,
        cast(joined.currency as {{ dbt.type_string() }}) as currency,
        cast(joined.amount as decimal(18, 2)) as amount,
        cast(joined.amount * currencies.eur_per_unit as decimal(18, 2)) as amount_eur,
        cast(joined.paid_at as timestamp) as paid_at,
        cast(joined._payment_change_seq as {{ dbt.type_string() }}) as _payment_change_seq,
        cast(joined._order_change_seq as {{ dbt.type_string() }}) as _order_change_seq
    from joined
    left join currencies on joined.currency = currencies.currency_code

)

select * from final
