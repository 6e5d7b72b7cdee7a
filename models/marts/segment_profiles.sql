{#- One row per segment: size, feature statistics in original units, gender mix. -#}
with

customers as (

    select * from {{ ref('customer_segments') }}

),

population as (

    select
        count(*) as customer_count,
        {%- for feature in allowed_features() %}
        avg({{ feature }}) as avg_{{ feature }},
        {%- endfor %}
    from customers

),

per_segment as (

    select
        segment_id,
        any_value(segment_name) as segment_name,
        count(*) as customer_count,
        {%- for feature in allowed_features() %}
        avg({{ feature }}) as avg_{{ feature }},
        median({{ feature }}) as median_{{ feature }},
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

final as (

    select
        per_segment.segment_id,
        per_segment.segment_name,
        per_segment.customer_count,
        per_segment.customer_count / population.customer_count as customer_share,
        {%- for feature in allowed_features() %}
        per_segment.avg_{{ feature }},
        per_segment.median_{{ feature }},
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

)

select * from final
