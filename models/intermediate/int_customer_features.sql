{#-
    The feature matrix: one row per valid customer (a prospect too, is_prospect: not
    clustered, its order features null), its attributes (the profile features'
    too, never clustered), each numeric clustering
    feature as a z-score (z_<feature>, of the clustered value: ln(1 + value) where
    int_feature_scaling's transform is log) and each categorical feature's category as
    clustered (<feature>_category: a kept category of int_category_levels in its spelling there,
    matched in any letter case, else '(other)').
    The transform and scaling come from int_feature_scaling's rows, so with var retrain false
    customers are scored as the stored model was trained, whatever var feature_settings says; a
    log setting the var gives that contradicts the stored one, or values accepted otherwise
    than in training (min, max, whole), stop the build naming both.
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
    where rejection_reason is null or is_prospect

),

scaling_rows as (

    select * from {{ ref('int_feature_scaling') }}

),
{%- if not retrain() %}
{%- set settings = feature_settings() %}
{%- set range_text = {} %}
{%- for prefix in ['accepted', 'feature'] %}
{%- do range_text.update({prefix: "'min ' || coalesce(" ~ typed_value_text(prefix ~ '_min', 'number')
    ~ ", 'none') || ', max ' || coalesce(" ~ typed_value_text(prefix ~ '_max', 'number')
    ~ ", 'none') || ', whole ' || cast(" ~ prefix ~ "_is_whole as string)"}) %}
{%- endfor %}

-- Scoring a stored model: the values this run accepts of each feature (var feature_settings,
-- or the catalog; a log feature's min is at least 0, as in training) beside the stored ones.
accepted_values as (

    select
        *,
        case feature_name
            {%- for feature in segment_features() %}
            {%- set log_min = 0 if feature.min is none or feature.min | float < 0 else feature.min %}
            when '{{ feature.name }}' then case
                when feature_transform = 'log' then cast({{ log_min }} as double)
                else cast({{ feature.min if feature.min is not none else 'null' }} as double)
            end
            {%- endfor %}
        end as accepted_min,
        case feature_name
            {%- for feature in segment_features() %}
            when '{{ feature.name }}' then cast({{ feature.max if feature.max is not none else 'null' }} as double)
            {%- endfor %}
        end as accepted_max,
        case feature_name
            {%- for feature in segment_features() %}
            when '{{ feature.name }}' then {{ 'true' if feature.whole else 'false' }}
            {%- endfor %}
        end as accepted_is_whole
    from scaling_rows

),

-- A log setting or values accepted otherwise than in training stop the build, naming both.
stored_scaling_checked as (

    select
        feature_name,
        feature_mean,
        feature_stddev,
        case
            {%- for feature in segment_features() if settings.get(feature.name, {}).log is defined %}
            {%- set asked = 'log' if feature.log else 'none' %}
            when feature_name = '{{ feature.name }}' and feature_transform <> '{{ asked }}' then {{ raise_error(
                sql_string_literal("var 'feature_settings' gives " ~ feature.name ~ " log: " ~ (feature.log | lower)
                    ~ ", but the stored model was trained with transform ")
                ~ " || feature_transform || "
                ~ sql_string_literal(" (var retrain is false). Leave the setting out to score as "
                    ~ "trained, or retrain with it (retrain true).")) }}
            {%- endfor %}
            when feature_min is distinct from accepted_min or feature_max is distinct from accepted_max
                or feature_is_whole <> accepted_is_whole then {{ raise_error(
                "'this run accepts ' || feature_name || ' values with ' || " ~ range_text.accepted
                ~ " || ' (var feature_settings, or the attribute catalog), but the stored model was trained with ' || "
                ~ range_text.feature ~ " || " ~ sql_string_literal(" (var retrain is false): give the same in var "
                    ~ "feature_settings, or retrain (retrain true).")) }}
            else feature_transform
        end as feature_transform
    from accepted_values

),
{%- set scaling_rows = 'stored_scaling_checked' %}
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
        {%- set z_value = z_score('customers.' ~ feature.name, 'scaling', feature.name) %}
        {{ z_value | indent(4) }} as z_{{ feature.name }},
        {%- endfor %}
        customers.is_prospect,
        customers.source_row_number
    from customers
    cross join scaling
    {%- for feature in categoricals %}
    left join levels_of_{{ feature.name }}
        on lower(coalesce(cast(customers.{{ feature.name }} as string), '(missing)'))
        = lower(levels_of_{{ feature.name }}.category)
    {%- endfor %}

)

select * from final
