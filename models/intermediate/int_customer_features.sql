{#-
    One row per valid customer: its attributes and the chosen features as z-scores (column
    z_<feature>). A view: scoring and sampling read it in one pass, never a copy of the file.
-#}
{{ config(materialized='view') }}
{%- set features = segment_features() %}

with

customers as (

    select * from {{ ref('int_customers_valid') }}

),

scaling_rows as (

    select * from {{ ref('int_feature_scaling') }}

),

-- One row: each feature's mean and standard deviation side by side.
scaling as (

    {{ scaling_side_by_side('scaling_rows') }}

),

final as (

    select
        customers.*,
        {%- for feature in features %}
        (customers.{{ feature }} - scaling.{{ feature }}_mean)
            / nullif(scaling.{{ feature }}_stddev, 0) as z_{{ feature }},
        {%- endfor %}
    from customers
    cross join scaling

)

select * from final
