{#-
    One row per day: the time spine MetricFlow (the dbt Semantic Layer) joins time-based metrics
    to. Only the semantic layer uses it; a view, so it costs nothing to build.
-#}
with

days as (

    select {{ days_from_to("date '2000-01-01'", "date '2040-12-31'") }} as day_start

),

final as (

    select cast(day_start as date) as date_day
    from days

)

select * from final
