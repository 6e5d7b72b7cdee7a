{#-
    How customers moved between segments since the build compared with (by default the previous
    build; int_previous_customer_segments): one row per from-segment and to-segment pair,
    staying put included. A null from_segment_id counts the customers new since then (on the
    first build, every customer), a null to_segment_id the customers gone since.
-#}

with

moves as (

    select * from {{ ref('int_customer_segment_moves') }}

),

pairs as (

    select
        from_segment_id,
        to_segment_id,
        max(from_segment_name) as from_segment_name,
        max(to_segment_name) as to_segment_name,
        count(*) as customer_count,
        max(from_segmented_at) as from_segmented_at,
        max(to_segmented_at) as to_segmented_at
    from moves
    group by from_segment_id, to_segment_id

),

final as (

    select
        from_segment_id,
        from_segment_name,
        to_segment_id,
        to_segment_name,
        customer_count,
        cast(customer_count as double)
        / sum(customer_count) over (partition by from_segment_id) as from_segment_share,
        from_segmented_at,
        to_segmented_at
    from pairs

)

select * from final
