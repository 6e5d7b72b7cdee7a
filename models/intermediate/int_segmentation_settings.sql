{#-
    The run's settings as one row, after the vars were checked (macros/features.sql,
    macros/segmentation_settings.sql, macros/model_state.sql), so the Python models and anyone
    querying the warehouse see exactly what was used.
-#}
{%- set ks = k_settings() %}

with

final as (

    select
        {{ sql_string_literal(invocation_id) }} as run_id,
        cast({{ sql_string_literal(run_started_at) }} as timestamp) as run_started_at,
        {{ retrain() }} as retrain,
        cast({{ ks.k if ks.k is not none else 'null' }} as integer) as k,
        cast({{ ks.k_min }} as integer) as k_min,
        cast({{ ks.k_max }} as integer) as k_max,
        {{ sql_string_literal(segment_feature_names() | join(',')) }} as features,
        {{ sql_string_literal(categorical_features() | map(attribute='name') | join(',')) }}
            as categorical_features,
        {{ sql_string_literal(profile_features() | join(',')) }} as profile_features,
        {{ sql_string_literal(profile_features('profile_categorical_features') | join(',')) }}
            as profile_categorical_features,
        {{ sql_string_literal(segment_features() | selectattr('log') | map(attribute='name') | join(',')) }}
            as log_features,
        cast({{ decimal_var('min_segment_share', 0, 0.5, 0.01) }} as double) as min_segment_share,
        {{ sql_string_literal((var('currency', none) or '') | string | trim) }} as currency,
        cast({{ max_categories() }} as integer) as max_categories,
        cast({{ categorical_weight() }} as double) as categorical_weight,
        {{ sql_string_literal(input_label('customers') if customer_file_is_input() else '') }}
            as customers_input,
        {{ sql_string_literal(input_path('orders') or '') }} as orders_input,
        cast({{ training_sample_size() }} as bigint) as training_sample_size,
        cast({{ whole_number_var('silhouette_sample_size', 100, 1000000) }} as bigint)
            as silhouette_sample_size,
        cast({{ whole_number_var('random_state', 0, 2147483647) }} as integer) as random_state,
        cast({{ decimal_var('segment_match_max_distance', 0, 100, 1.0) }} as double)
            as segment_match_max_distance,
        {{ boolean_var('reset_segment_ids', false) }} as reset_segment_ids,
        cast({{ outlier_percentile() }} as double) as outlier_percentile,
        -- the engine's resources for this run (profiles.yml, SEGMENTS_DUCKDB_* variables)
        {{ engine_settings() | indent(8) }}

)

select * from final
