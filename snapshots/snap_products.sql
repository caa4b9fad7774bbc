{#
    SCD2 history of the product catalogue: price and availability over time. A deleted product
    is recorded as a closing version with dbt_is_deleted = true.
#}
{% snapshot snap_products %}

{{
    config(
        unique_key='product_id',
        strategy='check',
        check_cols=['product_name', 'product_category', 'unit_price', 'is_active'],
        hard_deletes='new_record'
    )
}}

select * from {{ ref('stg_shop__products') }}
where not is_deleted

{% endsnapshot %}
