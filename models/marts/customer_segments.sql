{#-
    Every valid customer scored against the chosen centroids in SQL: the nearest and second
    nearest centroid in z units (ties go to the lower segment id), the margin between them, and
    an outlier flag. One streaming pass over the customers, however many there are: the
    centroids are one row of lists, and the outlier thresholds come from the training sample.
-#}
{%- set features = segment_features() %}

with

customers as (

    select * from {{ ref('int_customer_features') }}

),

training_customers as (

    select * from {{ ref('int_training_customers') }}

),

centroids as (

    select * from {{ ref('int_kmeans_centroids') }}

),

segment_names as (

    select
        segment_id,
        segment_name,
    from {{ ref('segment_centroids') }}

),

-- All centroids as one row of lists in segment-id order: each customer is scored against
-- every centroid in one expression, with no join or aggregate over customers x segments.
centroid_lists as (

    select
        list(segment_id order by segment_id) as segment_ids,
        list(
            [{% for feature in features %}z_{{ feature }}{{ ', ' if not loop.last }}{% endfor %}]
            order by segment_id
        ) as centers,
    from centroids

),

nearest as (

    select
        customers.*,
        {{ centroids_by_distance('customers', 'centroid_lists', features) | indent(8) }}
            as by_distance,
    from customers
    cross join centroid_lists

),

-- The distance beyond which a customer is an outlier of its segment: the segment's
-- outlier_percentile of distances among the training customers (all customers up to
-- var training_sample_size, a representative sample beyond).
outlier_thresholds as (

    select
        by_distance[1].segment_id as segment_id,
        quantile_cont(by_distance[1].distance, {{ outlier_percentile() }})
            as outlier_distance_threshold,
    from (
        select
            {{ centroids_by_distance('training_customers', 'centroid_lists', features) | indent(12) }}
                as by_distance,
        from training_customers
        cross join centroid_lists
    ) as training_nearest
    group by segment_id

),

final as (

    select
        nearest.customer_id,
        cast(nearest.by_distance[1].segment_id as integer) as segment_id,
        segment_names.segment_name,
        nearest.by_distance[1].distance as distance_to_centroid,
        cast(nearest.by_distance[2].segment_id as integer) as second_nearest_segment_id,
        nearest.by_distance[2].distance as distance_to_second_centroid,
        nearest.by_distance[2].distance - nearest.by_distance[1].distance as assignment_margin,
        -- a segment no training customer fell in has no threshold: no outliers measured
        coalesce(
            nearest.by_distance[1].distance > outlier_thresholds.outlier_distance_threshold,
            false
        ) as is_outlier,
        nearest.gender,
        nearest.age,
        nearest.annual_income,
        nearest.spending_score,
        nearest.source_row_number,
    from nearest
    inner join segment_names on nearest.by_distance[1].segment_id = segment_names.segment_id
    left join outlier_thresholds
        on nearest.by_distance[1].segment_id = outlier_thresholds.segment_id

)

select * from final
