{#-
    How customers moved between segments since the previous build (with var
    compare_as_of_date: since that date, segments then scored with this build's model): one row
    per from-segment and to-segment pair, staying put included. A null from_segment_id counts
    the customers new since then (on the first build, every customer), a null to_segment_id the
    customers gone since. The moves are int_customer_segment_moves; those who stayed are each
    segment's customers (segment_profiles) less those who moved in.
-#}

with

moves as (

    select * from {{ ref('int_customer_segment_moves') }}

),

segment_profiles as (

    select * from {{ ref('segment_profiles') }}

),

{%- if date_var('compare_as_of_date') and not orders_are_input() %}
{{- exceptions.raise_compiler_error(
    "var 'compare_as_of_date' measures the order features at an earlier date: it needs an orders "
    ~ "file (var orders_path). Leave it unset to compare with the previous build.") }}
{%- elif date_var('compare_as_of_date') %}

-- Var compare_as_of_date: that date against the as-of date of the order features.
compared_times as (

    select distinct
        from_segmented_at,
        to_segmented_at
    from {{ ref('int_compare_date_segments') }}

),
{%- else %}

runs as (

    select * from {{ ref('int_segmentation_runs') }}

),

-- This build's row, the latest: when it and the build before it started.
compared_times as (

    select
        previous_run_started_at as from_segmented_at,
        run_started_at as to_segmented_at
    from runs
    where run_started_at = (select max(latest_runs.run_started_at) as run_started_at from runs as latest_runs)

),
{%- endif %}

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

-- Each segment's customers now (counted once, in its profile: no scan of every customer).
segment_sizes as (

    select
        segment_id,
        segment_name,
        customer_count
    from segment_profiles

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
        compared_times.from_segmented_at,
        compared_times.to_segmented_at,
        {{ sql_string_literal('compare_as_of_date' if date_var('compare_as_of_date') else 'previous_build') }}
            as compared_with
    from pairs
    cross join compared_times

)

select * from final
