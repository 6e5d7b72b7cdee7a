{#- One row per valid customer: the chosen features as z-scores (column z_<feature>). -#}
{%- set features = segment_features() %}

with

customers as (

    select * from {{ ref('int_customers_valid') }}

),

scaling as (

    select * from {{ ref('int_feature_scaling') }}

),

final as (

    select
        customers.customer_id,
        {%- for feature in features %}
        (customers.{{ feature }} - scaling_{{ feature }}.feature_mean)
            / nullif(scaling_{{ feature }}.feature_stddev, 0) as z_{{ feature }},
        {%- endfor %}
    from customers
    {%- for feature in features %}
    cross join (
        select * from scaling where feature_name = '{{ feature }}'
    ) as scaling_{{ feature }}
    {%- endfor %}

)

select * from final
