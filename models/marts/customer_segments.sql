{#-
    Every valid customer scored against the chosen centroids in SQL: the nearest centroid in
    z units (ties go to the lower segment id). One scan however many customers there are;
    training only read a sample.
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

    select segment_id, segment_name from {{ ref('segment_centroids') }}

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

nearest as (

    select
        customer_id,
        cast(arg_min(segment_id, (distance, segment_id)) as integer) as segment_id,
        min(distance) as distance_to_centroid,
    from distances
    group by customer_id

),

final as (

    select
        customers.customer_id,
        nearest.segment_id,
        segment_names.segment_name,
        nearest.distance_to_centroid,
        customers.gender,
        customers.age,
        customers.annual_income,
        customers.spending_score,
        customers.source_row_number,
    from customers
    inner join nearest on customers.customer_id = nearest.customer_id
    inner join segment_names on nearest.segment_id = segment_names.segment_id

)

select * from final
