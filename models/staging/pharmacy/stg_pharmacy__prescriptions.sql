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
        prescriber_name,
        upper(prescriber_license) as prescriber_license,
        medication,
        note as prescription_note,

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
