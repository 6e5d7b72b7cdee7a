{#-
    Every customer's attribute values in long form, whatever the features: one row per
    segmented customer and numeric attribute with a value (feature_value), and per categorical
    attribute with a value (category: gender, each categorical feature's category as clustered,
    each categorical profile feature's value). The numeric attributes are the clustering
    features, the profile features, the catalog's attributes the customer file has and, with
    orders, every order feature. A view of customer_segments' columns.
-#}
{{ config(materialized='view') }}
{%- set numeric = profiled_attributes() %}
{%- set categorical = (['gender'] if customer_file_is_input() else [])
    + categorical_features() | map(attribute='name') | reject('equalto', 'gender') | list
    + profile_features('profile_categorical_features') %}

with

-- customer_segments has every attribute as a column: here they become rows.
labelled as (

    select
        customer_id,
        source_row_number,
        {%- for name in numeric %}
        cast({{ name }} as double) as {{ name }},
        {%- endfor %}
        {%- for name in categorical %}
        cast({{ name }} as string) as {{ name }},
        {%- endfor %}
        segment_id
    from {{ ref('customer_segments') }}

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
