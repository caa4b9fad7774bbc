{{
    config(
        materialized='incremental',
        unique_key='product_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns'
    )
}}

with source as (

    select * from {{ source('shop', 'products__ct') }}
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
        id as product_id,
        sku,

        ---------- strings
        name as product_name,
        category as product_category,
        upper(currency) as currency,

        ---------- numerics
        unit_price,

        ---------- booleans
        is_active,
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
