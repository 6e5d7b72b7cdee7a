{#-
    The feature matrix: one row per valid customer, its attributes (the profile features'
    too, never clustered), each numeric clustering
    feature as a z-score (z_<feature>, of the clustered value: ln(1 + value) where
    int_feature_scaling's transform is log) and each categorical feature's category as
    clustered (<feature>_category: a kept category of int_category_levels, else '(other)').
    The transform and scaling come from int_feature_scaling's rows, so with var retrain false
    customers are scored as the stored model was trained, whatever var feature_settings says; a
    log setting the var gives that contradicts the stored one stops the build naming both.
    On DuckDB a view: scoring and sampling read it in one pass, never a copy of the file; Spark
    would compute it again in each reader, so there it is a table.
-#}
{{ config(materialized='view' if target.type == 'duckdb' else 'table') }}
{#- With var retrain false the categorical features are the stored model's, known when dbt
    runs, not when it parses: the edge to their levels is declared here. -#}
-- depends_on: {{ ref('int_category_levels') }}
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
{%- set logs_asked = feature_settings().items() | selectattr('1.log', 'defined') | list %}
{%- if not retrain() and logs_asked %}

-- Scoring a stored model: a log setting in var feature_settings must be the stored one.
stored_transforms as (

    select
        feature_name,
        feature_mean,
        feature_stddev,
        case
            {%- for name, setting in logs_asked %}
            {%- set asked = 'log' if setting.log else 'none' %}
            when feature_name = '{{ name }}' and feature_transform <> '{{ asked }}' then {{ raise_error(
                sql_string_literal("var 'feature_settings' gives " ~ name ~ " log: " ~ (setting.log | lower)
                    ~ ", but the stored model was trained with transform ")
                ~ " || feature_transform || "
                ~ sql_string_literal(" (var retrain is false). Leave the setting out to score as "
                    ~ "trained, or retrain with it (retrain true).")) }}
            {%- endfor %}
            else feature_transform
        end as feature_transform
    from scaling_rows

),
{%- set scaling_rows = 'stored_transforms' %}
{%- else %}
{%- set scaling_rows = 'scaling_rows' %}
{%- endif %}

-- One row: each feature's transform, mean and standard deviation side by side.
scaling as (

    select
        {%- for name in segment_feature_names() %}
        max(feature_transform) filter (where feature_name = '{{ name }}') as {{ name }}_transform,
        max(feature_mean) filter (where feature_name = '{{ name }}') as {{ name }}_mean,
        max(feature_stddev) filter (where feature_name = '{{ name }}') as {{ name }}_stddev,
        {%- endfor %}
        count(*) as feature_count
    from {{ scaling_rows }}

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
        {%- for name in profile_features('profile_categorical_features') %}
        customers.{{ name }},
        {%- endfor %}
        {%- for feature in segment_features() %}
        -- below 0 (rejected in training, where log sets min 0) a log feature scores as 0
        (case
            when scaling.{{ feature.name }}_transform = 'log'
                then ln(1 + greatest(customers.{{ feature.name }}, 0))
            else customers.{{ feature.name }}
        end - scaling.{{ feature.name }}_mean)
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
