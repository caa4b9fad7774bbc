-- One row per customer, deleted customers included (flagged) so that every fact keeps a valid key.

with customers as (

    select * from {{ ref('stg_shop__customers') }}

),

billing_addresses as (

    select * from {{ ref('int_customers__billing_address') }}

),

countries as (

    select * from {{ ref('countries') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

customer_orders as (

    select
        customer_id,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as most_recent_ordered_at,
        count(*) as lifetime_orders,
        sum(net_amount_eur) as lifetime_net_revenue_eur
    from orders
    group by customer_id

),

final as (

    select
        cast(customers.customer_id as bigint) as customer_id,
        cast(customers.customer_external_ref as {{ dbt.type_string() }}) as customer_external_ref,
        cast(customers.first_name as {{ dbt.type_string() }}) as first_name,
        cast(customers.last_name as {{ dbt.type_string() }}) as last_name,
        cast(customers.email as {{ dbt.type_string() }}) as email,
        cast(customers.phone_number as {{ dbt.type_string() }}) as phone_number,
        cast(customers.date_of_birth as date) as date_of_birth,
        cast(billing_addresses.street_address as {{ dbt.type_string() }}) as billing_street_address,
        cast(billing_addresses.city as {{ dbt.type_string() }}) as billing_city,
        cast(billing_addresses.postal_code as {{ dbt.type_string() }}) as billing_postal_code,
        cast(customers.country_code as {{ dbt.type_string() }}) as country_code,
        cast(countries.country_name as {{ dbt.type_string() }}) as country_name,
        cast(countries.region as {{ dbt.type_string() }}) as region,
        customers.has_marketing_opt_in,
        customers.is_deleted,
        cast(customer_orders.first_ordered_at as timestamp) as first_ordered_at,
        cast(customer_orders.most_recent_ordered_at as timestamp) as most_recent_ordered_at,
        cast(coalesce(customer_orders.lifetime_orders, 0) as integer) as lifetime_orders,
        cast(coalesce(customer_orders.lifetime_net_revenue_eur, 0) as decimal(18, 2)) as lifetime_net_revenue_eur,
        cast(customers.created_at as timestamp) as created_at,
        cast(customers.updated_at as timestamp) as updated_at
    from customers
    left join billing_addresses on customers.customer_id = billing_addresses.customer_id
    left join countries on customers.country_code = countries.country_code
    left join customer_orders on customers.customer_id = customer_orders.customer_id

)

select * from final
