{{
    config(
        materialized='incremental',
        unique_key='payment_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns'
    )
}}

with source as (

    select * from {{ source('shop', 'payments__ct') }}
    where
        {{ cdc_is_valid_change('id') }}
        {{ cdc_changes_since_last_run() }}

),

latest_change as (

    {{ cdc_latest_change_per_key('source', 'id') }}

),

-- the orders of erased customers
erased_orders as (

    select distinct orders.id as order_id
    from {{ source('shop', 'orders__ct') }} as orders
    where {{ is_erased('orders.customer_id') }}

),

renamed as (

    select
        ---------- ids
        id as payment_id,
        order_id,
        cast(payment_reference as {{ dbt.type_string() }}) as payment_reference,

        ---------- strings
        payment_method,
        -- personal: NULL for a payment of an erased customer's order (macros/governance/erasure.sql)
        -- PCI DSS: the full card number never leaves raw; first six and last four digits only
        case
            when order_id in (select erased_orders.order_id from erased_orders) then null
            else {{ truncate_pan("replace(card_number, ' ', '')") }}
        end as card_number,
        case
            when order_id in (select erased_orders.order_id from erased_orders) then null
            else upper(replace(iban, ' ', ''))
        end as iban,
        upper(currency) as currency,
        status as payment_status,

        ---------- numerics
        amount,

        ---------- booleans
        header__change_oper = 'D' as is_deleted,

        ---------- timestamps
        paid_at,
        updated_at,

        ---------- change data capture
        header__change_seq as _cdc_change_seq,
        header__timestamp as _cdc_changed_at

    from latest_change

)

select * from renamed
