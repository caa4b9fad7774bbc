{#
    The change-row predicates of macros/cdc/cdc.sql partition every change row: each row is exactly
    one of valid (merged by staging), a before-image (ignored) or rejected (quarantined), and each
    predicate is true or false, never null - on rows with a null operation code or a null key too.
    Returns the rows that break this, or that land in another class than expected.
#}

with change_rows as (

    select
        fixture.header__change_oper,
        fixture.id,
        fixture.expected_class
    from (
        values
        ('I', 1, 'valid'),
        ('U', 1, 'valid'),
        ('D', 1, 'valid'),
        ('B', 1, 'before_image'),
        ('X', 1, 'rejected'),
        ('', 1, 'rejected'),
        ('i', 1, 'rejected'),
        (null, 1, 'rejected'),
        ('I', null, 'rejected'),
        ('U', null, 'rejected'),
        ('D', null, 'rejected'),
        ('B', null, 'before_image'),
        ('X', null, 'rejected'),
        (null, null, 'rejected')
    ) as fixture (header__change_oper, id, expected_class)

),

classified as (

    select
        header__change_oper,
        id,
        expected_class,
        {{ cdc_is_valid_change('id') }} as is_valid,
        {{ cdc_is_before_image() }} as is_before_image,
        {{ cdc_is_rejected_change('id') }} as is_rejected
    from change_rows

),

broken as (

    select *
    from classified
    where
        is_valid is null
        or is_before_image is null
        or is_rejected is null
        or (case when is_valid then 1 else 0 end)
        + (case when is_before_image then 1 else 0 end)
        + (case when is_rejected then 1 else 0 end) != 1
        or expected_class != case
            when is_valid then 'valid'
            when is_before_image then 'before_image'
            when is_rejected then 'rejected'
        end

)

select * from broken
