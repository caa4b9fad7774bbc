{#
    SCD2 history of customers. Any new change (a new change sequence) opens a new version.

    Only the customers changed since the newest change the snapshot holds are read (the first run
    reads them all), so a run costs what changed, not the size of the table. A deletion in the
    shop arrives as a change like any other (Qlik's D row, soft-deleted in staging): it closes the
    last version and opens one with is_deleted = true. dbt's own hard-delete detection
    (hard_deletes='new_record') would compare every customer on every run, and would take every
    customer missing from this changed-only read for deleted.
#}
{% snapshot snap_customers %}

{{
    config(
        unique_key='customer_id',
        strategy='check',
        check_cols=['_cdc_change_seq']
    )
}}

select * from {{ ref('stg_shop__customers') }}
where {{ newer_than_watermark('_cdc_change_seq', '_cdc_change_seq') }}

{% endsnapshot %}
