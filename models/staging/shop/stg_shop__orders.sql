{{
    config(
        materialized='incremental',
        unique_key='order_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns'
    )
}}

with source as (

    select * from {{ source('shop', 'orders__ct') }}
    where
        {{ cdc_is_valid_change('id') }}
        {{ cdc_changes_since_last_run() }}

),

latest_change as (

    {{ cdc_latest_change_per_key('source', 'id') }}

),

renamed as (

    select
        ---------- ids
        id as order_id,
        customer_id,
        shipping_address_id,
        order_number,

        ---------- strings
        status as order_status,
        upper(currency) as currency,
        -- personal: NULL for an erased customer (macros/governance/erasure.sql)
        {{ unless_erased('ip_address', 'customer_id') }} as ip_address,
        {{ unless_erased('user_agent', 'customer_id') }} as user_agent,

        ---------- booleans
        header__change_oper = 'D' as is_deleted,

        ---------- timestamps
        ordered_at,
        updated_at,

        ---------- change data capture
        header__change_seq as _cdc_change_seq,
        header__timestamp as _cdc_changed_at

    from latest_change

)

select * from renamed
