{{
    config(
        materialized='incremental',
        unique_key='prescription_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns'
    )
}}

with source as (

    select * from {{ source('pharmacy', 'prescriptions') }}
    where
        prescription_id is not null
        and {{ newer_than_watermark('_loaded_at', '_loaded_at') }}

),

latest_delivery as (

    select * from source
    qualify row_number() over (partition by prescription_id order by _loaded_at desc, _file_name desc) = 1

),

renamed as (

    select
        ---------- ids
        prescription_id,
        customer_id,

        ---------- strings
        -- personal: NULL for an erased customer (macros/governance/erasure.sql)
        {{ unless_erased('prescriber_name', 'customer_id') }} as prescriber_name,
        {{ unless_erased('upper(prescriber_license)', 'customer_id') }} as prescriber_license,
        {{ unless_erased('medication', 'customer_id') }} as medication,
        {{ unless_erased('note', 'customer_id') }} as prescription_note,

        ---------- numerics
        quantity,

        ---------- timestamps
        prescribed_at,
        dispensed_at,

        ---------- loading
        _loaded_at

    from latest_delivery

)

select * from renamed
