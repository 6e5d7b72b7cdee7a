{#-
    The feature matrix: one row per valid customer, its attributes, each numeric clustering
    feature as a z-score (z_<feature>, of the clustered value: ln(1 + value) for a log
    feature) and each categorical feature's category as clustered (<feature>_category: a kept
    category of int_category_levels, else '(other)'). On DuckDB a view: scoring and sampling
    read it in one pass, never a copy of the file; Spark would compute it again in each
    reader, so there it is a table.
-#}
{{ config(materialized='view' if target.type == 'duckdb' else 'table') }}
{%- set attributes = customer_numeric_attributes()
    + (attribute_catalog('orders').keys() | list if orders_are_input() else []) %}
{%- set categoricals = categorical_features() %}

with

customers as (

    select * from {{ ref('int_customer_rows') }}
    where rejection_reason is null

),

scaling_rows as (

    select * from {{ ref('int_feature_scaling') }}

),

-- One row: each feature's mean and standard deviation side by side.
scaling as (

    select
        {%- for name in segment_feature_names() %}
        max(feature_mean) filter (where feature_name = '{{ name }}') as {{ name }}_mean,
        max(feature_stddev) filter (where feature_name = '{{ name }}') as {{ name }}_stddev,
        {%- endfor %}
        count(*) as feature_count
    from scaling_rows

),
{%- for feature in categoricals %}

levels_of_{{ feature.name }} as (

    select category
    from {{ ref('int_category_levels') }}
    where feature_name = {{ sql_string_literal(feature.name) }}

),
{%- endfor %}

final as (

    select
        customers.customer_id,
        customers.gender,
        {%- for name in attributes %}
        customers.{{ name }},
        {%- endfor %}
        {%- for feature in categoricals %}
        coalesce(levels_of_{{ feature.name }}.category, '(other)') as {{ feature.name }}_category,
        {%- endfor %}
        {%- for feature in segment_features() %}
        ({{ clustered_value(feature, 'customers.' ~ feature.name) }} - scaling.{{ feature.name }}_mean)
        / nullif(scaling.{{ feature.name }}_stddev, 0) as z_{{ feature.name }},
        {%- endfor %}
        customers.source_row_number
    from customers
    cross join scaling
    {%- for feature in categoricals %}
    left join levels_of_{{ feature.name }}
        on coalesce(cast(customers.{{ feature.name }} as string), '(missing)')
        = levels_of_{{ feature.name }}.category
    {%- endfor %}

)

select * from final
