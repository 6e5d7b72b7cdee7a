{#-
    Var compare_as_of_date: each customer of customer_segments with the segment it had as of
    that date, scored with this build's model. The order features are measured as of that date
    from the valid orders dated on or before it (as as_of_date measures them); the customer
    file's attributes are today's, except a date feature (days to the as-of date, e.g. since
    sign-up), counted to that date: a customer whose date comes after it was not a customer
    then (new since). The z-scores use this build's scaling and the nearest
    centroid is chosen as customer_segments chooses it (ties go to the lower segment id). A
    customer without a valid order by then was a prospect then, 'No purchase yet' (0), when
    customer_segments has prospects (a customer file, var customers_without_orders segment),
    else it has no segment then (null from_segment_id): new since. Every customer compared is
    one of today's, so none is gone.
-#}
{{ config(enabled=orders_are_input() and date_var('compare_as_of_date') is not none) }}
-- depends_on: {{ ref('int_category_levels') }}
{%- set ks = k_settings() %}
{%- set slot_count = (ks.k if ks.k is not none else ks.k_max) if retrain() else most_segments() %}
{%- set order_features_clustered = segment_features() | selectattr('source', 'equalto', 'orders')
    | map(attribute='name') | list %}
{%- set date_features = segment_features() | selectattr('date') | map(attribute='name') | list %}
{%- set measured_then = order_features_clustered + date_features %}
{%- set days_back = days_between('compared_dates.compare_as_of_date', 'compared_dates.as_of_date') %}

with

customers as (

    select * from {{ ref('int_customer_features') }}

),

current_segments as (

    select * from {{ ref('customer_segments') }}

),

centroids as (

    select * from {{ ref('int_trained_centroids') }}

),

segment_names as (

    select
        segment_id,
        segment_name
    from {{ ref('segment_centroids') }}

),

order_features as (

    select * from {{ ref('int_customer_order_features') }}

),

-- The order features as of the compare date (<feature>_then), of the customers with a valid
-- order by then.
order_features_then as (

    select * from order_features
    where frequency_then is not null

),

-- One row: the two dates compared.
compared_dates as (

    select
        max(compare_as_of_date) as compare_as_of_date,
        max(as_of_date) as as_of_date
    from order_features

),

-- Today's customers who were customers then: each date feature counted to the compare date,
-- not after it.
customers_by_then as (

    select
        customers.*,
        {%- for name in date_features %}
        customers.{{ name }} - {{ days_back }} as {{ name }}_then,
        {%- endfor %}
        compared_dates.compare_as_of_date
    from customers
    cross join compared_dates
    {%- for name in date_features %}
    {{ 'where' if loop.first else '    and' }} customers.{{ name }} >= {{ days_back }}
    {%- endfor %}

),

-- One row: the transform, mean and standard deviation of each feature measured then.
scaling as (

    select
        {%- for name in measured_then %}
        max(feature_transform) filter (where feature_name = '{{ name }}') as {{ name }}_transform,
        max(feature_mean) filter (where feature_name = '{{ name }}') as {{ name }}_mean,
        max(feature_stddev) filter (where feature_name = '{{ name }}') as {{ name }}_stddev,
        {%- endfor %}
        count(*) as feature_count
    from {{ ref('int_feature_scaling') }}

),

-- Those with an order by then, the z-scores of what is measured then.
customers_then as (

    select
        {%- for feature in categorical_features() %}
        customers.{{ feature.name }}_category,
        {%- endfor %}
        {%- for name in segment_feature_names() %}
        {%- set z_value = z_score('order_features_then.' ~ name ~ '_then', 'scaling', name)
            if name in order_features_clustered
            else z_score('customers.' ~ name ~ '_then', 'scaling', name) if name in date_features
            else 'customers.z_' ~ name %}
        {{ z_value | indent(4) }} as z_{{ name }},
        {%- endfor %}
        customers.customer_id
    from customers_by_then as customers
    inner join order_features_then on customers.customer_id = order_features_then.customer_id
    cross join scaling

),

-- One row: slot i holds the i-th centroid in segment-id order (segment_id_<i>, z_..._<i>).
centroid_slots as (

    {{ centroid_slots('centroids', slot_count) }}

),
{%- for feature in categorical_features() %}

-- Per category of {{ feature.name }}: its squared distance to each slot's centroid.
{{ feature.name }}_distance_slots as (

    {{ category_distance_slots(
        'centroids', ref('int_category_levels'), feature.name, slot_count
    ) | indent(4) }}

),
{%- endfor %}

customer_points as (

    {{ with_category_distances('customers_then', slot_count) | indent(4) }}

),

nearest as (

    {{ nearest_two_slots('customer_points', 'centroid_slots', slot_count, ['customer_id']) | indent(4) }}

),

segments_then as (

    select
        nearest.customer_id,
        cast(
            {{ slot_segment_id('centroid_slots', 'nearest.nearest_slot', slot_count) | indent(12) }}
            as integer
        ) as segment_id
    from nearest
    cross join centroid_slots

),

final as (

    select
        current_segments.customer_id,
        {%- if prospects_are_segmented() %}
        -- a customer then without an order by then: a prospect then
        coalesce(segments_then.segment_id, case when customers_by_then.customer_id is not null then 0 end)
            as from_segment_id,
        coalesce(
            segment_names.segment_name,
            case when customers_by_then.customer_id is not null then 'No purchase yet' end
        ) as from_segment_name,
        {%- else %}
        segments_then.segment_id as from_segment_id,
        segment_names.segment_name as from_segment_name,
        {%- endif %}
        current_segments.segment_id as to_segment_id,
        current_segments.segment_name as to_segment_name,
        {%- for name in attribute_catalog('orders') %}
        order_features.{{ name }}_then as {{ name }},
        {%- endfor %}
        cast(compared_dates.compare_as_of_date as timestamp) as from_segmented_at,
        cast(compared_dates.as_of_date as timestamp) as to_segmented_at
    from current_segments
    cross join compared_dates
    left join segments_then on current_segments.customer_id = segments_then.customer_id
    left join segment_names on segments_then.segment_id = segment_names.segment_id
    left join order_features on current_segments.customer_id = order_features.customer_id
    {%- if prospects_are_segmented() %}
    left join customers_by_then on current_segments.customer_id = customers_by_then.customer_id
    {%- endif %}

)

select * from final
