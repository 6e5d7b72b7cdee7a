{#-
    The z-score parameters of each feature (population mean and standard deviation, as
    scikit-learn's StandardScaler computes them), kept so scoring reapplies exactly the same
    scaling to every customer.
-#}
with

customers as (

    select * from {{ ref('int_customers_valid') }}

),

final as (

    {%- for feature in segment_features() %}
    select
        '{{ feature }}' as feature_name,
        {{ loop.index }} as feature_position,
        avg({{ feature }}) as feature_mean,
        stddev_pop({{ feature }}) as feature_stddev,
        count({{ feature }}) as customer_count,
    from customers
    {{ 'union all' if not loop.last }}
    {%- endfor %}

)

select * from final
