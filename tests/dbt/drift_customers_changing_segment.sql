{#-
    Drift: more than var drift_max_changed_share (default 0.2) of the returning customers (in a
    segment in both builds segment_migrations compares) changed segment. Warns by default; var
    drift_severity error fails the build. One row, its figures in `warning`.
-#}
{{ config(severity=var('drift_severity'), store_failures=true) }}
{%- set max_share = decimal_var('drift_max_changed_share', 0, 1) %}

with

migrations as (

    select * from {{ ref('segment_migrations') }}
    where from_segment_id is not null and to_segment_id is not null

),

returning_customers as (

    select
        -- var compare_as_of_date compares with that date, else with the previous build
        max(case when compared_with = 'compare_as_of_date' then cast(from_segmented_at as date) end)
            as compare_as_of_date,
        sum(customer_count) as returning_count,
        sum(case when from_segment_id <> to_segment_id then customer_count else 0 end) as changed_count
    from migrations

),

final as (

    select
        returning_count,
        changed_count,
        cast(changed_count as double) / returning_count as changed_share,
        cast(changed_count as string) || ' of ' || cast(returning_count as string)
        || ' returning customers (' || cast(round(100.0 * changed_count / returning_count, 1) as string)
        || '%) changed segment since '
        || coalesce('compare_as_of_date ' || cast(compare_as_of_date as string), 'the previous build') || ': '
        || {{ sql_string_literal('more than var drift_max_changed_share (' ~ max_share ~ ')') }} as warning
    from returning_customers
    where changed_count > {{ max_share }} * returning_count

)

select * from final
