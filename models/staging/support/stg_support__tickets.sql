{{
    config(
        materialized='incremental',
        unique_key='ticket_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns'
    )
}}

{%- set customer_key = json_string('payload', 'customer_id') %}

with source as (

    select * from {{ source('support', 'tickets') }}
    where
        id is not null
        and {{ newer_than_watermark('_loaded_at', '_loaded_at') }}

),

latest_delivery as (

    select * from source
    qualify row_number() over (partition by id order by _loaded_at desc, _batch_id desc) = 1

),

renamed as (

    select
        ---------- ids
        id as ticket_id,
        cast({{ json_string('payload', 'customer_id') }} as bigint) as customer_id,

        ---------- strings
        {{ json_string('payload', 'subject') }} as subject,
        -- personal: NULL for an erased customer's ticket (macros/governance/erasure.sql)
        {{ unless_erased(json_string('payload', 'description'), customer_key) }} as description,
        {{ json_string('payload', 'status') }} as ticket_status,
        {{ json_string('payload', 'priority') }} as priority,
        {{ json_string('payload', 'channel') }} as channel,
        {{ unless_erased(json_string('payload', 'requester.name'), customer_key) }} as requester_name,
        {{ unless_erased('lower(' ~ json_string('payload', 'requester.email') ~ ')', customer_key) }}
            as requester_email,

        ---------- timestamps
        {{ json_timestamp('payload', 'created_at') }} as created_at,
        {{ json_timestamp('payload', 'updated_at') }} as updated_at,

        ---------- loading
        _loaded_at

    from latest_delivery

)

select * from renamed
