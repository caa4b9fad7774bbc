{#
    Who read which level 3-4 columns, when, through which role (Snowflake only: ACCESS_HISTORY has no
    DuckDB counterpart). One row per query and classified column it read, directly (the query named
    the relation) or as a base object (through a view). The classification is the project's own: the
    column meta of every model, snapshot, seed and source, rendered into the SQL at compile time.
    ACCOUNT_USAGE lags up to three hours; each run reads from the newest query time already held.
    Enabled for Snowflake targets only (dbt_project.yml: models.analytics.audit).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key=['query_id', 'access_kind', 'object_name', 'column_name'],
    )
}}

with

classified_columns as (

    {{ classified_columns_values(minimum_level=3) }}

),

access_history as (

    select
        access_log.query_id,
        access_log.query_start_time,
        access_log.user_name,
        access_log.direct_objects_accessed,
        access_log.base_objects_accessed
    from {{ var('snowflake_account_usage', 'snowflake.account_usage') }}.access_history as access_log
    where
        access_log.query_start_time >= dateadd('day', -{{ var('access_audit_days', 30) }}, current_timestamp())
        {% if is_incremental() -%}
        and access_log.query_start_time > (
            select coalesce(max(held.query_start_time), '1970-01-01') as newest_held
            from {{ this }} as held
        )
        {%- endif %}

),

query_roles as (

    select
        query_id,
        role_name,
        warehouse_name
    from {{ var('snowflake_account_usage', 'snowflake.account_usage') }}.query_history
    where query_start_time >= dateadd('day', -{{ var('access_audit_days', 30) }}, current_timestamp())

),

accessed_columns as (

    select
        access_history.query_id,
        access_history.query_start_time,
        access_history.user_name,
        'direct' as access_kind,
        upper(accessed_objects.value:objectName::varchar) as object_name,
        upper(accessed_columns.value:columnName::varchar) as column_name
    from access_history,
        lateral flatten(input => access_history.direct_objects_accessed) as accessed_objects,
        lateral flatten(input => accessed_objects.value:columns) as accessed_columns

    union all

    select
        access_history.query_id,
        access_history.query_start_time,
        access_history.user_name,
        'base' as access_kind,
        upper(accessed_objects.value:objectName::varchar) as object_name,
        upper(accessed_columns.value:columnName::varchar) as column_name
    from access_history,
        lateral flatten(input => access_history.base_objects_accessed) as accessed_objects,
        lateral flatten(input => accessed_objects.value:columns) as accessed_columns

),

final as (

    select
        -- ids
        accessed_columns.query_id,

        -- strings
        accessed_columns.user_name,
        query_roles.role_name,
        query_roles.warehouse_name,
        accessed_columns.access_kind,
        accessed_columns.object_name,
        accessed_columns.column_name,
        classified_columns.pii,

        -- numerics
        classified_columns.classification,

        -- timestamps
        accessed_columns.query_start_time
    from accessed_columns
    inner join classified_columns
        on
            accessed_columns.object_name = classified_columns.object_name
            and accessed_columns.column_name = classified_columns.column_name
    left join query_roles
        on accessed_columns.query_id = query_roles.query_id

)

select * from final
