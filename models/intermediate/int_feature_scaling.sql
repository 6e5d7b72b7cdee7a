{#-
    The z-score parameters of each feature (population mean and standard deviation, as
    scikit-learn's StandardScaler computes them), kept so scoring reapplies exactly the same
    scaling to every customer.
    Too few valid customers for k, or a feature with one value for everyone, stops the build
    here with a message that says what to change, instead of a traceback from the Python
    model. (`dbt build` already stops on the same check in int_customer_rows' tests, before any
    mart is touched; this one guards `dbt run`.)
    With var retrain false the scaling of the last training is kept as it is, so scoring
    reapplies exactly what the stored centroids were trained with.
-#}
{%- if not retrain() %}

with

final as (

    select * from {{ stored_model_table(this) }}

)

select * from final

{%- else %}

with

input_rows as (

    select * from {{ ref('int_customer_rows') }}

),

-- One pass over every input row: the readiness figures and each feature's statistics over
-- the valid customers, in one row (DuckDB computes it once for its readers below).
summary as (

    {{ valid_customer_summary('input_rows') }}

),

scaling as (

    {%- for feature in segment_features() %}
    select
        '{{ feature }}' as feature_name,
        {{ loop.index }} as feature_position,
        {{ feature }}_mean as feature_mean,
        {{ feature }}_stddev as feature_stddev,
    from summary
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        scaling.feature_name,
        scaling.feature_position,
        scaling.feature_mean,
        -- the check raises its error when it fails; otherwise it is null
        coalesce(
            {{ segmentation_readiness_error(customer_source_label()) | indent(12) }},
            scaling.feature_stddev
        ) as feature_stddev,
        summary.valid_count as customer_count,
    from scaling
    cross join summary

)

select * from final

{%- endif %}
