{#-
    How each segment's size and centroid moved between consecutive training runs (from
    segment_centroid_history, and each training's centroids in z units from
    int_kmeans_centroids): customers and share now and in the run before, and how far the
    centroid moved in z units, over whatever features were clustered. A segment that grows or
    drifts a lot is worth a second look before the next campaign.
-#}
with

history as (

    select * from {{ ref('segment_centroid_history') }}

),

centroids as (

    select * from {{ ref('int_kmeans_centroids') }}

),

-- How far each dimension of a segment's centroid moved since the run before, in z units.
dimension_moves as (

    select
        run_id,
        segment_id,
        z_value - lag(z_value) over (
            partition by segment_id, feature, category order by trained_at asc, run_id asc
        ) as z_move
    from centroids

),

centroid_shifts as (

    select
        run_id,
        segment_id,
        -- a dimension the run before did not have counts as no move
        round(sqrt(sum(coalesce(pow(z_move, 2), 0))), 4) as centroid_shift_z
    from dimension_moves
    group by run_id, segment_id

),

with_previous as (

    select
        *,
        lag(trained_at) over same_segment as previous_trained_at,
        lag(customer_count) over same_segment as previous_customer_count,
        lag(customer_share) over same_segment as previous_customer_share
    from history
    window same_segment as (partition by segment_id order by trained_at asc, run_id asc)

),

final as (

    select
        with_previous.segment_id,
        with_previous.segment_name,
        with_previous.trained_at,
        with_previous.previous_trained_at,
        with_previous.customer_count,
        with_previous.previous_customer_count,
        with_previous.customer_count - with_previous.previous_customer_count as customer_count_change,
        round(with_previous.customer_share - with_previous.previous_customer_share, 4)
            as customer_share_change,
        centroid_shifts.centroid_shift_z
    from with_previous
    left join centroid_shifts
        on with_previous.run_id = centroid_shifts.run_id
        and with_previous.segment_id = centroid_shifts.segment_id
    where with_previous.previous_trained_at is not null

)

select * from final
order by trained_at desc, segment_id asc
