-- One billing address per customer: the most recently changed live billing address.

with customer_addresses as (

    select * from {{ ref('stg_shop__customer_addresses') }}

),

billing_addresses as (

    select
        customer_id,
        customer_address_id,
        street_address,
        city,
        postal_code,
        country_code
    from customer_addresses
    where address_type = 'billing' and not is_deleted
    qualify row_number() over (partition by customer_id order by _cdc_change_seq desc) = 1

)

select * from billing_addresses
