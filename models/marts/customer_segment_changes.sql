{#-
    The customers whose segment changed since the previous build (with var compare_as_of_date:
    since that date), for a CRM trigger: those in a segment then and in another one now
    (int_customer_segment_moves). New and gone customers are counted in segment_migrations.
-#}

with

moves as (

    select * from {{ ref('int_customer_segment_moves') }}

),

final as (

    select
        customer_id,
        from_segment_id,
        from_segment_name,
        to_segment_id,
        to_segment_name,
        from_segmented_at,
        to_segmented_at
    from moves
    where from_segment_id <> to_segment_id

)

select * from final
