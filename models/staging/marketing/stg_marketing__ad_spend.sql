with source as (

    select * from {{ source('marketing', 'ad_spend') }}

),

latest_delivery as (

    -- a corrected file replaces the earlier delivery of the same day
    select * from source
    qualify
        row_number() over (
            partition by spend_date, channel, campaign_id
            order by _loaded_at desc, _file_name desc
        ) = 1

),

renamed as (

    select
        ---------- ids
        {{ dbt.concat(["cast(spend_date as " ~ dbt.type_string() ~ ")", "'|'", "channel", "'|'", "campaign_id"]) }}
            as ad_spend_id,
        campaign_id,

        ---------- strings
        channel,
        campaign_name,
        upper(currency) as currency,

        ---------- numerics
        spend_amount,
        impressions,
        clicks,

        ---------- dates
        spend_date,

        ---------- loading
        _file_name,
        _loaded_at

    from latest_delivery

)

select * from renamed
