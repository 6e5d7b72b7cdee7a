{#-
    Drift: more than var drift_max_changed_share (default 0.2) of the returning customers (in a
    segment in this build and the previous one) changed segment. Build against build, from the
    history's rows of this build, whatever segment_migrations compares (var
    compare_as_of_date). Warns by default; var drift_severity error fails the build. One row,
    its figures in `warning`.
-#}
{{ config(severity=var('drift_severity'), store_failures=true) }}
{%- set max_share = decimal_var('drift_max_changed_share', 0, 1) %}

with

runs as (

    select * from {{ ref('int_segmentation_runs') }}

),

-- The history's rows of this build: the customers new, moved or gone since the previous one.
changes as (

    select * from {{ ref('int_customer_segment_history') }}
    where valid_from = (select max(runs.run_started_at) as run_started_at from runs)

),

current_customers as (

    select count(*) as customer_count from {{ ref('customer_segments') }}

),

change_counts as (

    select
        count(case when previous_segment_id is null and segment_id is not null then 1 end) as new_count,
        count(case when previous_segment_id is not null and segment_id is not null then 1 end)
            as changed_count
    from changes

),

returning_customers as (

    select
        current_customers.customer_count - change_counts.new_count as returning_count,
        change_counts.changed_count
    from current_customers
    cross join change_counts

),

final as (

    select
        returning_count,
        changed_count,
        cast(changed_count as double) / nullif(returning_count, 0) as changed_share,
        cast(changed_count as string) || ' of ' || cast(returning_count as string)
        || ' returning customers ('
        || cast(round(100.0 * changed_count / nullif(returning_count, 0), 1) as string)
        || '%) changed segment since the previous build: '
        || {{ sql_string_literal('more than var drift_max_changed_share (' ~ max_share ~ ')') }} as warning
    from returning_customers
    where changed_count > {{ max_share }} * returning_count

)

select * from final
