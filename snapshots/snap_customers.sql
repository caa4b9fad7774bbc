{#
    SCD2 history of customers. Any new change (a new change sequence) opens a new version.
    Deleted customers leave the snapshot's source, so the snapshot records the deletion as a
    closing version with dbt_is_deleted = true (hard_deletes='new_record').
#}
{% snapshot snap_customers %}

{{
    config(
        unique_key='customer_id',
        strategy='check',
        check_cols=['_cdc_change_seq'],
        hard_deletes='new_record'
    )
}}

select * from {{ ref('stg_shop__customers') }}
where not is_deleted

{% endsnapshot %}
