{#-
    Every customer's attribute values in long form, whatever the features: one row per
    segmented customer and numeric attribute with a value (feature_value), and per categorical
    attribute (category: gender, and each categorical feature's category as clustered). The
    numeric attributes are the clustering features, the default attributes the customer file
    has and, with orders, every order feature. A view: the values are stored once, upstream.
-#}
{{ config(materialized='view') }}
{%- set numeric = profiled_attributes() %}
{%- set categorical = (['gender'] if customer_file_is_input() else [])
    + categorical_features() | map(attribute='name') | reject('equalto', 'gender') | list %}

with

segments as (

    select
        customer_id,
        segment_id,
        source_row_number
    from {{ ref('customer_segments') }}

),

features as (

    select * from {{ ref('int_customer_features') }}

),

labelled as (

    select
        segments.customer_id,
        segments.source_row_number,
        {%- for name in numeric %}
        cast(features.{{ name }} as double) as {{ name }},
        {%- endfor %}
        {%- for name in categorical %}
        cast(features.{{ name ~ ('' if name == 'gender' else '_category') }} as string) as {{ name }},
        {%- endfor %}
        segments.segment_id
    from segments
    inner join features on segments.source_row_number = features.source_row_number

),

numeric_values as (

    select
        customer_id,
        segment_id,
        feature,
        feature_value,
        cast(null as string) as category,
        source_row_number
    from labelled
    unpivot (feature_value for feature in ({{ numeric | join(', ') }}))

),
{%- if categorical %}

category_values as (

    select
        customer_id,
        segment_id,
        feature,
        cast(null as double) as feature_value,
        category,
        source_row_number
    from labelled
    unpivot (category for feature in ({{ categorical | join(', ') }}))

),
{%- endif %}

final as (

    select * from numeric_values
    {%- if categorical %}
    union all
    select * from category_values
    {%- endif %}

)

select * from final
