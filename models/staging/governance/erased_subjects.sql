{#
    The register of erased data subjects (README "Erasure and retention"): one row per subject erased by
    `governance erase`, which inserts it (type, key and time; nothing else). dbt only creates the table,
    empty, and never rebuilds it: an incremental run adds nothing and `full_refresh=false` keeps it through
    `dbt build --full-refresh`. The staging models read it (macros/governance/erasure.sql), so a later
    change of an erased subject never brings their personal data back. Its relation is the policy's
    vars.governance.erasure.register (`governance erase` refuses to run when they differ). On Snowflake it
    is a permanent table (transient=false): Fail-safe keeps the record of who was erased.
#}
{{
    config(
        materialized='incremental',
        alias=var('governance')['erasure']['register']['table'],
        full_refresh=false,
        transient=false,
        on_schema_change='fail'
    )
}}

with no_rows as (

    select
        cast(null as {{ dbt.type_string() }}) as subject,
        cast(null as {{ dbt.type_string() }}) as subject_key,
        cast(null as {{ dbt.type_timestamp() }}) as erased_at

),

final as (

    select * from no_rows
    where subject is not null

)

select * from final
