{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns'
    )
}}

with source as (

    select * from {{ source('shop', 'customers__ct') }}
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
        id as customer_id,
        cast(external_ref as {{ dbt.type_string() }}) as customer_external_ref,

        ---------- strings (personal: NULL for an erased customer, macros/governance/erasure.sql)
        {{ unless_erased('first_name', 'id') }} as first_name,
        {{ unless_erased('last_name', 'id') }} as last_name,
        {{ unless_erased('lower(trim(email))', 'id') }} as email,
        {{ unless_erased('trim(phone)', 'id') }} as phone_number,
        upper(country_code) as country_code,

        ---------- booleans
        marketing_opt_in as has_marketing_opt_in,
        header__change_oper = 'D' as is_deleted,

        ---------- dates
        {{ unless_erased('date_of_birth', 'id') }} as date_of_birth,

        ---------- timestamps
        created_at,
        updated_at,

        ---------- change data capture
        header__change_seq as _cdc_change_seq,
        header__timestamp as _cdc_changed_at

    from latest_change

)

select * from renamed
