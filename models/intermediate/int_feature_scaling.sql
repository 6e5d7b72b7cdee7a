{{ config(materialized='incremental', full_refresh=retrain()) }}
{#-
    One row per numeric clustering feature: what it is (label, unit, where it comes from, its
    transform, the values it accepts) and its z-score parameters (population mean and standard deviation of the
    clustered value over the valid customers, as scikit-learn's StandardScaler computes them),
    kept so scoring reapplies exactly the same scaling to every customer.
    Too few valid customers for k, or a feature with one value for everyone, stops the build
    here with a message that says what to change, instead of a traceback from the Python
    model. (`dbt build` already stops on the same check in int_customer_rows' tests, before any
    mart is touched; this one guards `dbt run`.)
    Incremental: a training rebuilds it; with var retrain false the scaling of the last training
    is kept as it is (keep_trained_model), so scoring reapplies exactly what the stored
    centroids were trained with.
-#}
{%- if not retrain() %}

{{ keep_trained_model() }}

{%- else %}

with

input_rows as (

    select * from {{ ref('int_customer_rows') }}

),
{%- if customer_file_is_input() %}

-- The labels and units of the customer file's columns (from its headers).
file_columns as (

    select * from {{ ref('stg_customer_file_columns') }}

),
{%- endif %}

-- One pass over every input row: the readiness figures and each feature's statistics over
-- the valid customers, in one row.
summary as (

    {{ valid_customer_summary('input_rows') }}

),

scaling as (

    {%- for feature in segment_features() %}
    {%- set described = feature_label_and_unit(feature.name) %}
    select
        {{ sql_string_literal(feature.name) }} as feature_name,
        {{ feature.position }} as feature_position,
        {{ sql_string_literal(described.label) }} as built_in_label,
        {{ sql_string_literal(described.unit) }} as built_in_unit,
        {{ sql_string_literal('orders file' if feature.source == 'orders' else 'customer file') }}
            as feature_source,
        {{ sql_string_literal('log' if feature.log else 'none') }} as feature_transform,
        cast({{ feature.min if feature.min is not none else 'null' }} as double) as feature_min,
        cast({{ feature.max if feature.max is not none else 'null' }} as double) as feature_max,
        {{ 'true' if feature.whole else 'false' }} as feature_is_whole,
        {{ feature.name }}_mean as feature_mean,
        {{ feature.name }}_stddev as feature_stddev
    from summary
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        scaling.feature_name,
        scaling.feature_position,
        {%- if customer_file_is_input() %}
        coalesce(file_columns.column_label, scaling.built_in_label) as feature_label,
        coalesce(file_columns.column_unit, scaling.built_in_unit) as feature_unit,
        {%- else %}
        scaling.built_in_label as feature_label,
        scaling.built_in_unit as feature_unit,
        {%- endif %}
        scaling.feature_source,
        scaling.feature_transform,
        scaling.feature_min,
        scaling.feature_max,
        scaling.feature_is_whole,
        scaling.feature_mean,
        -- the check raises its error when it fails; otherwise it is null
        coalesce(
            {{ segmentation_readiness_error(readiness_input_label()) | indent(12) }},
            scaling.feature_stddev
        ) as feature_stddev,
        summary.valid_count as customer_count
    from scaling
    cross join summary
    {%- if customer_file_is_input() %}
    left join file_columns
        on scaling.feature_name = file_columns.column_name and scaling.feature_source = 'customer file'
    {%- endif %}

)

select * from final

{%- endif %}
