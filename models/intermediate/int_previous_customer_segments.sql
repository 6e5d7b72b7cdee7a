{#-
    Each customer's segment at the build the migration marts compare the latest one with: the
    previous build, read from the history as it stood then (each customer's last row up to that
    build; a customer gone by then has none). Empty on the first build, so every customer is
    new there. (The one place that says what "before" means: another source of earlier
    segments plugs in here.)
-#}

with

runs as (

    select * from {{ ref('int_segmentation_runs') }}

),

history as (

    select * from {{ ref('int_customer_segment_history') }}

),

-- The build before the latest (this one's row is the latest of the runs).
previous_run as (

    select max(run_started_at) as run_started_at
    from runs
    where run_started_at < (select max(latest.run_started_at) as run_started_at from runs as latest)

),

ranked_history as (

    select
        history.customer_id,
        history.segment_id,
        history.segment_name,
        previous_run.run_started_at as segmented_at,
        row_number() over (partition by history.customer_id order by history.valid_from desc)
            as recency_rank
    from history
    inner join previous_run on history.valid_from <= previous_run.run_started_at

),

final as (

    select
        customer_id,
        segment_id,
        segment_name,
        segmented_at
    from ranked_history
    where recency_rank = 1 and segment_id is not null

)

select * from final
