{#-
    The customers least like their segment (is_outlier: beyond the outlier_percentile of their
    segment's distances), with how far they are compared with the segment's typical customer.
-#}
with

customers as (

    select * from {{ ref('customer_segments') }}

),

profiles as (

    select * from {{ ref('segment_profiles') }}

),

final as (

    select
        customers.segment_id,
        customers.segment_name,
        customers.customer_id,
        round(customers.distance_to_centroid, 3) as distance_to_centroid,
        round(profiles.avg_distance_to_centroid, 3) as segment_avg_distance,
        round(customers.distance_to_centroid / nullif(profiles.avg_distance_to_centroid, 0), 2)
            as distance_vs_segment_avg,
        customers.age,
        customers.annual_income,
        customers.spending_score
    from customers
    inner join profiles on customers.segment_id = profiles.segment_id
    where customers.is_outlier

)

select * from final
order by segment_id asc, distance_to_centroid desc
