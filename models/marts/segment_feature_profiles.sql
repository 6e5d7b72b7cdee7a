{#-
    One row per segment and numeric attribute, whatever the features (the clustering features,
    then the profile features and the other attributes, never clustered): how many of the
    segment's customers have a value and how many have none (blank or invalid: profiled as
    missing), its mean, median, min and max in original units, the mean of all customers and
    the difference, and for a clustering feature the centroid and its level. Computed from
    value counts in one pass over the customers (bounded memory: median() would hold every
    value of a segment), with exact (decimal) sums, so the means weighted by segment size give
    the population's mean exactly.
-#}
{%- set clustering = segment_feature_names() %}
{%- set profiled = profiled_attributes() %}
{%- set others = profiled | reject('in', clustering) | list %}

with

-- Every customer's value of every attribute, from the columns of customer_segments.
customer_values as (

    select
        segment_id,
        feature,
        feature_value
    from (
        select
            {%- for name in profiled %}
            cast({{ name }} as double) as {{ name }},
            {%- endfor %}
            segment_id
        from {{ ref('customer_segments') }}
    ) as customers
    unpivot (feature_value for feature in ({{ profiled | join(', ') }}))

),

-- Each segment's name and size (the customers without a value of an attribute are the rest):
-- every segment with customers, 'No purchase yet' too, which has no centroid.
segment_sizes as (

    select
        segment_id,
        max(segment_name) as segment_name,
        count(*) as customer_count
    from {{ ref('customer_segments') }}
    group by segment_id

),

-- The labels and units of the customer file's columns (from its headers; none with orders alone).
file_columns as (

    {%- if customer_file_is_input() %}
    select * from {{ ref('stg_customer_file_columns') }}
    {%- else %}
    select
        cast(null as string) as column_name,
        cast(null as string) as column_label,
        cast(null as string) as column_unit
    from segment_sizes
    where false
    {%- endif %}

),

scaling as (

    select * from {{ ref('int_feature_scaling') }}

),

centroids as (

    select * from {{ ref('int_trained_centroids') }}
    where category is null

),
{%- if orders_are_input() %}

-- The day the order features are measured at.
as_of as (

    select max(as_of_date) as as_of_date
    from {{ ref('int_customer_order_features') }}

),
{%- endif %}

-- What each attribute is: the clustering features as scaled, then the other attributes.
described as (

    select
        feature_name as feature,
        feature_position,
        feature_label,
        feature_unit,
        feature_source,
        feature_transform,
        true as is_clustering_feature
    from scaling
    {%- for name in others %}
    {%- set described = feature_label_and_unit(name) %}
    union all
    select
        {{ sql_string_literal(name) }} as feature,
        {{ clustering | length + loop.index }} as feature_position,
        {{ sql_string_literal(described.label) }} as feature_label,
        {{ sql_string_literal(described.unit) }} as feature_unit,
        {%- set from_orders = orders_are_input() and name in attribute_catalog('orders') %}
        {{ sql_string_literal('orders file' if from_orders else 'customer file') }} as feature_source,
        cast(null as string) as feature_transform,
        false as is_clustering_feature
    {%- endfor %}

),

-- An attribute that is not clustered is labelled from the file's header, as the features are.
attributes as (

    select
        described.feature,
        described.feature_position,
        coalesce(file_columns.column_label, described.feature_label) as feature_label,
        coalesce(file_columns.column_unit, described.feature_unit) as feature_unit,
        described.feature_source,
        described.feature_transform,
        described.is_clustering_feature
    from described
    left join file_columns
        on described.feature = file_columns.column_name and not described.is_clustering_feature

),

-- How many customers of each segment have each value of each attribute: the one pass.
value_counts as (

    select
        segment_id,
        feature,
        feature_value,
        count(*) as value_count
    from customer_values
    group by segment_id, feature, feature_value

),

per_segment as (

    select
        segment_id,
        feature,
        sum(value_count) as customer_count,
        sum(cast(feature_value as decimal(38, 8)) * value_count) as value_sum,
        min(feature_value) as min_value,
        max(feature_value) as max_value
    from value_counts
    group by segment_id, feature

),

population as (

    select
        feature,
        cast(sum(value_sum) as double) / sum(customer_count) as population_mean
    from per_segment
    group by feature

),

running_counts as (

    select
        *,
        sum(value_count) over (
            partition by segment_id, feature order by feature_value
        ) as customers_up_to_value,
        sum(value_count) over (partition by segment_id, feature) as customers_with_value
    from value_counts

),

-- The median as median() gives it: the mean of the values at positions floor((n + 1) / 2)
-- and floor(n / 2) + 1 in value order (the same position when n is odd).
medians as (

    select
        segment_id,
        feature,
        (
            min(feature_value) filter (
                where customers_up_to_value >= floor((customers_with_value + 1) / 2)
            )
            + min(feature_value) filter (
                where customers_up_to_value >= floor(customers_with_value / 2) + 1
            )
        ) / 2 as median_value
    from running_counts
    group by segment_id, feature

),

final as (

    select
        cast(per_segment.segment_id as integer) as segment_id,
        segment_sizes.segment_name,
        per_segment.feature,
        attributes.feature_label,
        attributes.feature_unit,
        attributes.feature_source,
        attributes.feature_transform,
        cast(attributes.feature_position as integer) as feature_position,
        attributes.is_clustering_feature,
        cast(per_segment.customer_count as bigint) as customer_count,
        cast(segment_sizes.customer_count - per_segment.customer_count as bigint) as missing_count,
        cast(per_segment.value_sum as double) / per_segment.customer_count as mean_value,
        medians.median_value,
        per_segment.min_value,
        per_segment.max_value,
        cast(population.population_mean as double) as population_mean,
        cast(per_segment.value_sum as double) / per_segment.customer_count - population.population_mean
            as difference_from_population,
        centroids.original_value as centroid_value,
        centroids.z_value as centroid_z,
        {{ feature_level('centroids.z_value', 'per_segment.feature') }} as feature_level,
        {%- if orders_are_input() %}
        case when attributes.feature_source = 'orders file' then as_of.as_of_date end as as_of_date
        {%- else %}
        cast(null as date) as as_of_date
        {%- endif %}
    from per_segment
    inner join segment_sizes on per_segment.segment_id = segment_sizes.segment_id
    inner join attributes on per_segment.feature = attributes.feature
    inner join population on per_segment.feature = population.feature
    inner join medians
        on per_segment.segment_id = medians.segment_id and per_segment.feature = medians.feature
    left join centroids
        on per_segment.segment_id = centroids.segment_id and per_segment.feature = centroids.feature
    {%- if orders_are_input() %}
    cross join as_of
    {%- endif %}

)

select * from final
