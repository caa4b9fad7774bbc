{{
    config(
        materialized='incremental',
        unique_key='customer_address_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns'
    )
}}

with source as (

    select * from {{ source('shop', 'customer_addresses__ct') }}
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
        id as customer_address_id,
        customer_id,

        ---------- strings
        address_type,
        -- personal: NULL for an erased customer (macros/governance/erasure.sql)
        {{ unless_erased('trim(street_address)', 'customer_id') }} as street_address,
        {{ unless_erased('trim(city)', 'customer_id') }} as city,
        {{ unless_erased('upper(trim(postal_code))', 'customer_id') }} as postal_code,
        upper(country_code) as country_code,

        ---------- booleans
        header__change_oper = 'D' as is_deleted,

        ---------- timestamps
        created_at,
        updated_at,

        ---------- change data capture
        header__change_seq as _cdc_change_seq,
        header__timestamp as _cdc_changed_at

    from latest_change

)

select * from renamed
