{#-
    segment_migrations and customer_segment_changes agree with the two builds they compare:
    the counts with a to-segment add up to the customers of the latest build, those with a
    from-segment to the customers of the compared one (with var compare_as_of_date, today's
    customers with a segment then); each from-segment's shares add up to 1;
    customer_segment_changes lists exactly the customers counted as moving between two
    segments. One row per problem, saying which.
-#}
with

migrations as (

    select * from {{ ref('segment_migrations') }}

),

changes as (

    select * from {{ ref('customer_segment_changes') }}

),

totals as (

    select
        sum(case when to_segment_id is not null then customer_count else 0 end) as latest_count,
        sum(case when from_segment_id is not null then customer_count else 0 end) as compared_count,
        sum(
            case when from_segment_id <> to_segment_id then customer_count else 0 end
        ) as moved_count
    from migrations

),

expected as (

    select
        (select count(*) as row_count from {{ ref('customer_segments') }}) as latest_count,
        {%- if date_var('compare_as_of_date') %}
        (
            select count(from_segment_id) as row_count
            from {{ ref('int_compare_date_segments') }}
        ) as compared_count,
        {%- else %}
        (
            select coalesce(max(previous_build.customer_count), 0) as row_count
            from {{ ref('int_segmentation_runs') }} as previous_build
            inner join {{ ref('int_segmentation_runs') }} as this_build
                on previous_build.run_started_at = this_build.previous_run_started_at
            inner join {{ ref('int_segmentation_settings') }} as run_settings
                on this_build.run_id = run_settings.run_id
        ) as compared_count,
        {%- endif %}
        (select count(*) as row_count from changes) as moved_count

),

share_totals as (

    select
        from_segment_id,
        sum(from_segment_share) as share_total
    from migrations
    group by from_segment_id

),

problems as (

    select 'migrations to a segment do not add up to the customers of the latest build' as problem
    from totals cross join expected
    where coalesce(totals.latest_count, 0) <> expected.latest_count
    union all
    select 'migrations from a segment do not add up to the customers of the compared build' as problem
    from totals cross join expected
    where coalesce(totals.compared_count, 0) <> expected.compared_count
    union all
    select 'customer_segment_changes does not list the customers moving between two segments' as problem
    from totals cross join expected
    where coalesce(totals.moved_count, 0) <> expected.moved_count
    union all
    select 'the shares of from-segment ' || coalesce(cast(from_segment_id as string), '(new)')
        || ' add up to ' || cast(share_total as string) as problem
    from share_totals
    where abs(share_total - 1) > 1e-9
    union all
    select 'customer ' || customer_id || ' is listed as changing segment without changing' as problem
    from changes
    where from_segment_id = to_segment_id

)

select * from problems
