{{ config(materialized='view') }}
{#-
    The customers new, moved or gone since the previous build: the rows this build added to
    the history (int_customer_segment_history records only changes, each with the segment the
    customer had before), with the times of both builds. Customers who stayed in their segment
    are not listed: segment_migrations counts them from customer_segments, so no build joins
    every customer of two builds again.
    With var compare_as_of_date: the customers whose segment as of that date
    (int_compare_date_segments, this build's model) differs from today's, new since included.
-#}

with
{%- if date_var('compare_as_of_date') %}

final as (

    select
        customer_id,
        from_segment_id,
        from_segment_name,
        to_segment_id,
        to_segment_name,
        from_segmented_at,
        to_segmented_at
    from {{ ref('int_compare_date_segments') }}
    where from_segment_id is distinct from to_segment_id

)
{%- else %}

history as (

    select * from {{ ref('int_customer_segment_history') }}

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

final as (

    select
        history.customer_id,
        history.previous_segment_id as from_segment_id,
        history.previous_segment_name as from_segment_name,
        history.segment_id as to_segment_id,
        history.segment_name as to_segment_name,
        this_run.previous_run_started_at as from_segmented_at,
        this_run.run_started_at as to_segmented_at
    from history
    inner join this_run on history.valid_from = this_run.run_started_at

)
{%- endif %}

select * from final
