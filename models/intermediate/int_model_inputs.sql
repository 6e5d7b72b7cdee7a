{{ config(materialized='incremental', full_refresh=retrain()) }}
{#-
    The trained model's signature: one column per input, in clustering order, typed as the
    input (a numeric feature double, a categorical feature text), beside the training's run;
    one row, values null. A training rebuilds it; with var retrain false it is kept
    (keep_trained_model), and every model reads its columns, never its rows, while dbt
    compiles, to take the features the stored model was trained on (stored_model_inputs in
    macros/features.sql).
-#}
{%- if not retrain() %}

{{ keep_trained_model() }}

{%- else %}

with

final as (

    select
        {{ sql_string_literal(invocation_id) }} as model_run_id,
        {%- for feature in segment_features() %}
        cast(null as double) as {{ feature.name }},
        {%- endfor %}
        {%- for feature in categorical_features() %}
        cast(null as string) as {{ feature.name }},
        {%- endfor %}
        cast({{ sql_string_literal(run_started_at) }} as timestamp) as model_trained_at

)

select * from final

{%- endif %}
