{#-
    One row per segment: size, gender mix, and how tight the segment is (each attribute's
    statistics, whatever the features, are in segment_feature_profiles). Averages come from
    exact sums.
-#}

with

customers as (

    select * from {{ ref('customer_segments') }}

),

per_segment as (

    select
        segment_id,
        min(segment_name) as segment_name,
        count(*) as customer_count,
        count(*) filter (where gender = 'Female') as female_count,
        count(*) filter (where gender = 'Male') as male_count,
        count(*) filter (where gender = 'Other') as other_count,
        count(*) filter (where gender = 'Unknown') as unknown_gender_count,
        sum(cast(distance_to_centroid as decimal(38, 12))) as distance_sum,
        sum(cast(assignment_margin as decimal(38, 12))) as margin_sum,
        count(assignment_margin) as margin_count,
        count(*) filter (where is_outlier) as outlier_count
    from customers
    group by segment_id

),

final as (

    select
        cast(per_segment.segment_id as integer) as segment_id,
        per_segment.segment_name,
        per_segment.customer_count,
        cast(per_segment.customer_count as double) / sum(per_segment.customer_count) over ()
            as customer_share,
        cast(per_segment.female_count as double) / per_segment.customer_count as female_share,
        cast(per_segment.male_count as double) / per_segment.customer_count as male_share,
        cast(per_segment.other_count as double) / per_segment.customer_count as other_share,
        cast(per_segment.unknown_gender_count as double) / per_segment.customer_count
            as unknown_gender_share,
        cast(per_segment.distance_sum as double) / per_segment.customer_count
            as avg_distance_to_centroid,
        cast(per_segment.margin_sum as double) / nullif(per_segment.margin_count, 0)
            as avg_assignment_margin,
        per_segment.outlier_count
    from per_segment

)

select * from final
