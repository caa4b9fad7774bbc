-- Ad spend per day across channels and campaigns, converted to EUR.

with ad_spend as (

    select * from {{ ref('stg_marketing__ad_spend') }}

),

currencies as (

    select * from {{ ref('currencies') }}

),

aggregated as (

    select
        ad_spend.spend_date,
        sum(ad_spend.spend_amount * currencies.eur_per_unit) as spend_eur,
        sum(ad_spend.impressions) as impressions,
        sum(ad_spend.clicks) as clicks
    from ad_spend
    inner join currencies on ad_spend.currency = currencies.currency_code
    group by ad_spend.spend_date

)

select * from aggregated
