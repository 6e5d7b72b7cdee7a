{#-
    The run's settings as one row, after the vars were checked (macros/segmentation_settings.sql,
    macros/model_state.sql), so the Python models and anyone querying the warehouse see exactly
    what was used.
-#}
{%- set ks = k_settings() %}

with

final as (

    select
        '{{ invocation_id }}' as run_id,
        cast('{{ run_started_at }}' as timestamptz) as run_started_at,
        {{ retrain() }} as retrain,
        {{ ks.k if ks.k is not none else 'null' }}::integer as k,
        {{ ks.k_min }}::integer as k_min,
        {{ ks.k_max }}::integer as k_max,
        {{ "['" ~ segment_features() | join("', '") ~ "']" }}::varchar[] as features,
        {{ training_sample_size() }}::bigint as training_sample_size,
        {{ whole_number_var('silhouette_sample_size', 100, 1000000) }}::bigint
            as silhouette_sample_size,
        {{ whole_number_var('random_state', 0, 2147483647) }}::integer as random_state,
        {{ decimal_var('segment_match_max_distance', 0, 100, 1.0) }}::double
            as segment_match_max_distance,
        {{ boolean_var('reset_segment_ids', false) }} as reset_segment_ids,
        {{ outlier_percentile() }}::double as outlier_percentile,
        -- DuckDB's resources for this run (profiles.yml, SEGMENTS_DUCKDB_* variables)
        current_setting('memory_limit') as duckdb_memory_limit,
        current_setting('threads') as duckdb_threads,
        current_setting('temp_directory') as duckdb_temp_directory,

)

select * from final
