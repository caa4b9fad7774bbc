{{
    config(
        materialized='incremental',
        unique_key='payment_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns',
        pre_hook="{{ delete_rows_deleted_upstream([
            ('payment_id', ref('stg_shop__payments'), 'payment_id'),
            ('order_id', ref('stg_shop__orders'), 'order_id'),
        ]) }}"
    )
}}

-- One row per live payment. Card numbers and IBANs stay here for finance and fraud work: they
-- are Restricted and masked for every role not cleared for level 4.

with payments as (

    select * from {{ ref('stg_shop__payments') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

currencies as (

    select * from {{ ref('currencies') }}

),

joined as (

    select
        payments.*,
        orders.customer_id,
        case
            when payments._cdc_change_seq > orders._cdc_change_seq then payments._cdc_change_seq
            else orders._cdc_change_seq
        end as _source_change_seq
    from payments
    inner join orders on payments.order_id = orders.order_id
    where not payments.is_deleted and not orders.is_deleted
    {% if is_incremental() %}
    and (
        payments._cdc_change_seq > {{ incremental_watermark() }}
        or orders._cdc_change_seq > {{ incremental_watermark() }}
    )
    {% endif %}

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
        cast(joined._source_change_seq as {{ dbt.type_string() }}) as _source_change_seq
    from joined
    left join currencies on joined.currency = currencies.currency_code

)

select * from final
