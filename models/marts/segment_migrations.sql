{#-
    How customers moved between segments since the previous build: one row per from-segment
    and to-segment pair, staying put included. A null from_segment_id counts the customers new
    since then (on the first build, every customer), a null to_segment_id the customers gone
    since. The moves are the history's rows of this build; those who stayed are each segment's
    customers less those who moved in.
-#}

with

moves as (

    select * from {{ ref('int_customer_segment_moves') }}

),

current_segments as (

    select * from {{ ref('customer_segments') }}

),

runs as (

    select * from {{ ref('int_segmentation_runs') }}

),

-- This build's row, the latest: when it and the build before it started.
this_run as (

    select *
    from runs
    where run_started_at = (select max(latest_runs.run_started_at) as run_started_at from runs as latest_runs)

),

moved_pairs as (

    select
        from_segment_id,
        to_segment_id,
        max(from_segment_name) as from_segment_name,
        max(to_segment_name) as to_segment_name,
        count(*) as customer_count
    from moves
    group by from_segment_id, to_segment_id

),

segment_sizes as (

    select
        segment_id,
        max(segment_name) as segment_name,
        count(*) as customer_count
    from current_segments
    group by segment_id

),

stayed_pairs as (

    select
        segment_sizes.segment_id as from_segment_id,
        segment_sizes.segment_id as to_segment_id,
        segment_sizes.segment_name as from_segment_name,
        segment_sizes.segment_name as to_segment_name,
        cast(segment_sizes.customer_count - coalesce(sum(moved_pairs.customer_count), 0) as bigint)
            as customer_count
    from segment_sizes
    left join moved_pairs on segment_sizes.segment_id = moved_pairs.to_segment_id
    group by segment_sizes.segment_id, segment_sizes.segment_name, segment_sizes.customer_count

),

pairs as (

    select * from moved_pairs
    union all
    select * from stayed_pairs
    where customer_count > 0

),

final as (

    select
        pairs.from_segment_id,
        pairs.from_segment_name,
        pairs.to_segment_id,
        pairs.to_segment_name,
        pairs.customer_count,
        cast(pairs.customer_count as double)
        / sum(pairs.customer_count) over (partition by pairs.from_segment_id) as from_segment_share,
        this_run.previous_run_started_at as from_segmented_at,
        this_run.run_started_at as to_segmented_at
    from pairs
    cross join this_run

)

select * from final
