{#-
    One row per segment: size, feature statistics in original units, gender mix. Computed in
    bounded memory whatever the number of customers: medians come from value counts (median()
    would hold every value of a segment in memory), and the population's figures from the
    segments' (each customer is read once per pass, never buffered).
-#}
with

customers as (

    select * from {{ ref('customer_segments') }}

),

per_segment as (

    select
        segment_id,
        any_value(segment_name) as segment_name,
        count(*) as customer_count,
        {%- for feature in allowed_features() %}
        avg({{ feature }}) as avg_{{ feature }},
        count({{ feature }}) as {{ feature }}_count,
        cast(min({{ feature }}) as double) as min_{{ feature }},
        cast(max({{ feature }}) as double) as max_{{ feature }},
        {%- endfor %}
        avg(case when gender = 'Female' then 1.0 else 0.0 end) as female_share,
        avg(case when gender = 'Male' then 1.0 else 0.0 end) as male_share,
        avg(case when gender = 'Other' then 1.0 else 0.0 end) as other_share,
        avg(case when gender = 'Unknown' then 1.0 else 0.0 end) as unknown_gender_share,
        avg(distance_to_centroid) as avg_distance_to_centroid,
        avg(assignment_margin) as avg_assignment_margin,
        count(*) filter (where is_outlier) as outlier_count,
    from customers
    group by segment_id

),

population as (

    select
        sum(customer_count) as customer_count,
        {%- for feature in allowed_features() %}
        sum(avg_{{ feature }} * {{ feature }}_count)
            / nullif(sum({{ feature }}_count), 0) as avg_{{ feature }},
        {%- endfor %}
    from per_segment

),

-- How many customers of each segment have each value of each feature. (Read from the table
-- again rather than from the customers CTE, which DuckDB would buffer.)
feature_value_counts as (

    {%- for feature in allowed_features() %}
    select
        segment_id,
        '{{ feature }}' as feature_name,
        cast({{ feature }} as double) as feature_value,
        count(*) as value_count,
    from {{ ref('customer_segments') }}
    where {{ feature }} is not null
    group by segment_id, feature_value
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

running_counts as (

    select
        *,
        sum(value_count) over (
            partition by segment_id, feature_name order by feature_value
        ) as customers_up_to_value,
        sum(value_count) over (partition by segment_id, feature_name) as customers_with_value,
    from feature_value_counts

),

-- The median as median() gives it: the mean of the values at positions floor((n + 1) / 2)
-- and floor(n / 2) + 1 in value order (the same position when n is odd).
feature_medians as (

    select
        segment_id,
        feature_name,
        (
            min(feature_value) filter (where customers_up_to_value >= (customers_with_value + 1) // 2)
            + min(feature_value) filter (where customers_up_to_value >= customers_with_value // 2 + 1)
        ) / 2 as median_value,
    from running_counts
    group by segment_id, feature_name

),

medians as (

    select
        segment_id,
        {%- for feature in allowed_features() %}
        max(median_value) filter (where feature_name = '{{ feature }}') as median_{{ feature }},
        {%- endfor %}
    from feature_medians
    group by segment_id

),

final as (

    select
        per_segment.segment_id,
        per_segment.segment_name,
        per_segment.customer_count,
        per_segment.customer_count / population.customer_count as customer_share,
        {%- for feature in allowed_features() %}
        per_segment.avg_{{ feature }},
        medians.median_{{ feature }},
        per_segment.min_{{ feature }},
        per_segment.max_{{ feature }},
        per_segment.avg_{{ feature }} - population.avg_{{ feature }}
            as {{ feature }}_vs_population,
        {%- endfor %}
        per_segment.female_share,
        per_segment.male_share,
        per_segment.other_share,
        per_segment.unknown_gender_share,
        per_segment.avg_distance_to_centroid,
        per_segment.avg_assignment_margin,
        per_segment.outlier_count,
    from per_segment
    cross join population
    left join medians on per_segment.segment_id = medians.segment_id

)

select * from final
