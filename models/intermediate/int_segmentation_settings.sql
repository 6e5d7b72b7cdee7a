{#-
    The run's settings as one row, after the vars were checked (macros/segmentation_settings.sql),
    so the Python models and anyone querying the warehouse see exactly what was used.
-#}
{%- set ks = k_settings() %}

with

final as (

    select
        {{ ks.k if ks.k is not none else 'null' }}::integer as k,
        {{ ks.k_min }}::integer as k_min,
        {{ ks.k_max }}::integer as k_max,
        {{ "['" ~ segment_features() | join("', '") ~ "']" }}::varchar[] as features,
        {{ whole_number_var('training_sample_size', 100, 100000000) }}::bigint
            as training_sample_size,
        {{ whole_number_var('silhouette_sample_size', 100, 1000000) }}::bigint
            as silhouette_sample_size,
        {{ whole_number_var('random_state', 0, 2147483647) }}::integer as random_state,
        current_timestamp as run_started_at,

)

select * from final
