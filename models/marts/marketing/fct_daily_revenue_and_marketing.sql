-- One row per day with orders or ad spend: revenue, new customers and marketing spend side by side.

with orders as (

    select * from {{ ref('fct_orders') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

spend as (

    select * from {{ ref('int_marketing_spend_aggregated_to_days') }}

),

daily_orders as (

    select
        order_date as date_day,
        count(*) as orders,
        count(distinct customer_id) as ordering_customers,
        sum(net_amount_eur) as net_revenue_eur
    from orders
    where order_status not in ('cancelled', 'returned')
    group by order_date

),

daily_new_customers as (

    select
        cast(first_ordered_at as date) as date_day,
        count(*) as new_customers
    from customers
    where first_ordered_at is not null
    group by cast(first_ordered_at as date)

),

days as (

    select date_day from daily_orders
    union
    select spend_date as date_day from spend

),

final as (

    select
        cast(days.date_day as date) as date_day,
        cast(coalesce(daily_orders.orders, 0) as integer) as orders,
        cast(coalesce(daily_orders.ordering_customers, 0) as integer) as ordering_customers,
        cast(coalesce(daily_new_customers.new_customers, 0) as integer) as new_customers,
        cast(coalesce(daily_orders.net_revenue_eur, 0) as decimal(18, 2)) as net_revenue_eur,
        cast(coalesce(spend.spend_eur, 0) as decimal(18, 2)) as marketing_spend_eur,
        cast(coalesce(spend.impressions, 0) as bigint) as impressions,
        cast(coalesce(spend.clicks, 0) as bigint) as clicks,
        cast(
            case
                when coalesce(spend.spend_eur, 0) > 0 then coalesce(daily_orders.net_revenue_eur, 0) / spend.spend_eur
            end
            as decimal(18, 4)
        ) as return_on_ad_spend
    from days
    left join daily_orders on days.date_day = daily_orders.date_day
    left join daily_new_customers on days.date_day = daily_new_customers.date_day
    left join spend on days.date_day = spend.spend_date

)

select * from final
