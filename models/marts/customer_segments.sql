{#-
    Every valid customer scored against the chosen centroids in SQL: the nearest and second
    nearest centroid in z units (ties go to the lower segment id), the margin between them, and
    an outlier flag. One scan however many customers there are; training only read a sample.
-#}
{%- set features = segment_features() %}

with

customers as (

    select * from {{ ref('int_customers_valid') }}

),

features as (

    select * from {{ ref('int_customer_features') }}

),

centroids as (

    select * from {{ ref('int_kmeans_centroids') }}

),

segment_names as (

    select
        segment_id,
        segment_name
    from {{ ref('segment_centroids') }}

),

distances as (

    select
        features.customer_id,
        centroids.segment_id,
        sqrt(
            {%- for feature in features %}
            pow(features.z_{{ feature }} - centroids.z_{{ feature }}, 2){{ ' +' if not loop.last }}
            {%- endfor %}
        ) as distance,
    from features
    cross join centroids

),

nearest_two as (

    select
        customer_id,
        -- the two nearest centroids, ties to the lower segment id
        arg_min(segment_id, (distance, segment_id), 2) as segment_ids,
        min(distance, 2) as two_distances,
    from distances
    group by customer_id

),

nearest as (

    select
        customer_id,
        cast(segment_ids[1] as integer) as segment_id,
        two_distances[1] as distance_to_centroid,
        cast(segment_ids[2] as integer) as second_nearest_segment_id,
        two_distances[2] as distance_to_second_centroid,
    from nearest_two

),

outlier_thresholds as (

    select
        segment_id,
        quantile_cont(distance_to_centroid, {{ outlier_percentile() }})
            as outlier_distance_threshold,
    from nearest
    group by segment_id

),

final as (

    select
        customers.customer_id,
        nearest.segment_id,
        segment_names.segment_name,
        nearest.distance_to_centroid,
        nearest.second_nearest_segment_id,
        nearest.distance_to_second_centroid,
        nearest.distance_to_second_centroid - nearest.distance_to_centroid as assignment_margin,
        nearest.distance_to_centroid > outlier_thresholds.outlier_distance_threshold as is_outlier,
        customers.gender,
        customers.age,
        customers.annual_income,
        customers.spending_score,
        customers.source_row_number,
    from customers
    inner join nearest on customers.customer_id = nearest.customer_id
    inner join segment_names on nearest.segment_id = segment_names.segment_id
    inner join outlier_thresholds on nearest.segment_id = outlier_thresholds.segment_id

)

select * from final
