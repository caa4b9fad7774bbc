-- One row per product in the catalogue.

with products as (

    select * from {{ ref('stg_shop__products') }}

),

final as (

    select
        cast(product_id as bigint) as product_id,
        cast(sku as {{ dbt.type_string() }}) as sku,
        cast(product_name as {{ dbt.type_string() }}) as product_name,
        cast(product_category as {{ dbt.type_string() }}) as product_category,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(unit_price as decimal(18, 2)) as unit_price,
        is_active,
        is_deleted,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at
    from products

)

select * from final
