-- One row per dispensed prescription, for the pharmacists. Health data: the `health` schema is readable
-- only by roles cleared for it (vars.governance.regimes.rules.hipaa), and every classified column is masked
-- for any other role.

with prescriptions as (

    select * from {{ ref('stg_pharmacy__prescriptions') }}

),

final as (

    select
        cast(prescriptions.prescription_id as bigint) as prescription_id,
        cast(prescriptions.customer_id as bigint) as customer_id,
        cast(prescriptions.prescriber_name as {{ dbt.type_string() }}) as prescriber_name,
        cast(prescriptions.prescriber_license as {{ dbt.type_string() }}) as prescriber_license,
        cast(prescriptions.medication as {{ dbt.type_string() }}) as medication,
        cast(prescriptions.prescription_note as {{ dbt.type_string() }}) as prescription_note,
        cast(prescriptions.quantity as integer) as quantity,
        cast(prescriptions.prescribed_at as timestamp) as prescribed_at,
        cast(prescriptions.dispensed_at as timestamp) as dispensed_at,
        cast({{ dbt.datediff('prescriptions.prescribed_at', 'prescriptions.dispensed_at', 'hour') }} as integer)
            as hours_to_dispense
    from prescriptions

)

select * from final
