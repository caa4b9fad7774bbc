{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy=incremental_strategy_for_target(),
        on_schema_change='append_new_columns'
    )
}}

-- One row per customer, deleted customers included (flagged) so that every fact keeps a valid key.
-- Incremental: recompute every customer whose own row, addresses, orders (deleted ones included) or
-- order lines changed after the newest change of that table the model already holds.

with customers as (

    select * from {{ ref('stg_shop__customers') }}

),

customer_addresses as (

    select * from {{ ref('stg_shop__customer_addresses') }}

),

billing_addresses as (

    select * from {{ ref('int_customers__billing_address') }}

),

countries as (

    select * from {{ ref('countries') }}

),

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

order_facts as (

    select * from {{ ref('fct_orders') }}

),

{% if is_incremental() %}
-- read straight from the upstream models: the CTEs above are read once each
changed_customers as {{ materialized_cte() }} (

    select customer_id from {{ ref('stg_shop__customers') }}
    where {{ newer_than_watermark('_cdc_change_seq', '_customer_change_seq') }}
    union
    select customer_id from {{ ref('stg_shop__customer_addresses') }}
    where {{ newer_than_watermark('_cdc_change_seq', '_customer_addresses_change_seq') }}
    union
    select customer_id from {{ ref('stg_shop__orders') }}
    where {{ newer_than_watermark('_cdc_change_seq', '_orders_change_seq') }}
    union
    select customer_id from {{ ref('fct_orders') }}
    where {{ newer_than_watermark('_order_items_change_seq', '_order_items_change_seq') }}

),
{% endif %}

customers_in_scope as {{ materialized_cte() }} (

    select * from customers
    {% if is_incremental() %}
    where customer_id in (select changed_customers.customer_id from changed_customers)
    {% endif %}

),

customer_orders as (

    select
        customer_id,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as most_recent_ordered_at,
        count(*) as lifetime_orders,
        sum(net_amount_eur) as lifetime_net_revenue_eur,
        max(_order_items_change_seq) as last_order_items_change_seq
    from order_facts
    {% if is_incremental() %}
    where customer_id in (select customers_in_scope.customer_id from customers_in_scope)
    {% endif %}
    group by customer_id

),

-- the newest change of any of the customer's orders, deleted ones included
order_changes as (

    select
        customer_id,
        max(_cdc_change_seq) as last_change_seq
    from orders
    {% if is_incremental() %}
    where customer_id in (select customers_in_scope.customer_id from customers_in_scope)
    {% endif %}
    group by customer_id

),

address_changes as (

    select
        customer_id,
        max(_cdc_change_seq) as last_change_seq
    from customer_addresses
    {% if is_incremental() %}
    where customer_id in (select customers_in_scope.customer_id from customers_in_scope)
    {% endif %}
    group by customer_id

),

final as (

    select
        cast(customers_in_scope.customer_id as bigint) as customer_id,
        cast(customers_in_scope.customer_external_ref as {{ dbt.type_string() }}) as customer_external_ref,
        cast(customers_in_scope.first_name as {{ dbt.type_string() }}) as first_name,
        cast(customers_in_scope.last_name as {{ dbt.type_string() }}) as last_name,
        cast(customers_in_scope.email as {{ dbt.type_string() }}) as email,
        cast(customers_in_scope.phone_number as {{ dbt.type_string() }}) as phone_number,
        cast(customers_in_scope.date_of_birth as date) as date_of_birth,
        cast(billing_addresses.street_address as {{ dbt.type_string() }}) as billing_street_address,
        cast(billing_addresses.city as {{ dbt.type_string() }}) as billing_city,
        cast(billing_addresses.postal_code as {{ dbt.type_string() }}) as billing_postal_code,
        cast(customers_in_scope.country_code as {{ dbt.type_string() }}) as country_code,
        cast(countries.country_name as {{ dbt.type_string() }}) as country_name,
        cast(countries.region as {{ dbt.type_string() }}) as region,
        customers_in_scope.has_marketing_opt_in,
        customers_in_scope.is_deleted,
        cast(customer_orders.first_ordered_at as timestamp) as first_ordered_at,
        cast(customer_orders.most_recent_ordered_at as timestamp) as most_recent_ordered_at,
        cast(coalesce(customer_orders.lifetime_orders, 0) as integer) as lifetime_orders,
        cast(coalesce(customer_orders.lifetime_net_revenue_eur, 0) as decimal(18, 2)) as lifetime_net_revenue_eur,
        cast(customers_in_scope.created_at as timestamp) as created_at,
        cast(customers_in_scope.updated_at as timestamp) as updated_at,
        cast(customers_in_scope._cdc_change_seq as {{ dbt.type_string() }}) as _customer_change_seq,
        cast(address_changes.last_change_seq as {{ dbt.type_string() }}) as _customer_addresses_change_seq,
        cast(order_changes.last_change_seq as {{ dbt.type_string() }}) as _orders_change_seq,
        cast(customer_orders.last_order_items_change_seq as {{ dbt.type_string() }}) as _order_items_change_seq
    from customers_in_scope
    left join billing_addresses on customers_in_scope.customer_id = billing_addresses.customer_id
    left join countries on customers_in_scope.country_code = countries.country_code
    left join customer_orders on customers_in_scope.customer_id = customer_orders.customer_id
    left join order_changes on customers_in_scope.customer_id = order_changes.customer_id
    left join address_changes on customers_in_scope.customer_id = address_changes.customer_id

)

select * from final
