{#
    SCD2 history of the product catalogue: price, availability and deletion over time. A change
    that touches none of check_cols (e.g. only updated_at) opens no version.

    As in snap_customers, only products changed since the newest change the snapshot holds are
    read, and a deletion opens a version with is_deleted = true.
#}
{% snapshot snap_products %}

{{
    config(
        unique_key='product_id',
        strategy='check',
        check_cols=['product_name', 'product_category', 'unit_price', 'is_active', 'is_deleted']
    )
}}

select * from {{ ref('stg_shop__products') }}
where {{ newer_than_watermark('_cdc_change_seq', '_cdc_change_seq') }}

{% endsnapshot %}
