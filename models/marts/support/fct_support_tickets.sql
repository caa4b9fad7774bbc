{{
    config(
        materialized='incremental',
        unique_key='ticket_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns'
    )
}}

-- One row per support ticket. Incremental on the load time of the ticket's latest delivery.

with tickets as (

    select * from {{ ref('stg_support__tickets') }}
    where {{ newer_than_watermark('_loaded_at', '_loaded_at') }}

),

final as (

    select
        cast(ticket_id as bigint) as ticket_id,
        cast(customer_id as bigint) as customer_id,
        cast(subject as {{ dbt.type_string() }}) as subject,
        cast(description as {{ dbt.type_string() }}) as description,
        cast(ticket_status as {{ dbt.type_string() }}) as ticket_status,
        cast(priority as {{ dbt.type_string() }}) as priority,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(requester_name as {{ dbt.type_string() }}) as requester_name,
        cast(requester_email as {{ dbt.type_string() }}) as requester_email,
        ticket_status in ('open', 'pending') as is_open,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        cast(
            {{ dbt.datediff('created_at', 'updated_at', 'hour') }}
            as integer
        ) as hours_open,
        cast(_loaded_at as timestamp) as _loaded_at
    from tickets

)

select * from final
