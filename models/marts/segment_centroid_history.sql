{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns',
    )
}}
{#-
    One row per segment per training run, appended by every build that trains (none by a
    scoring-only build): when it ran, the segment's size and centroid (every feature, in
    original units, as JSON). The next training reads
    the latest run from here to keep segment ids, and drift in sizes and centroids is a query.
-#}

with

settings as (

    select * from {{ ref('int_segmentation_settings') }}

),

segment_centroids as (

    select * from {{ ref('segment_centroids') }}

),

centroid_json as (

    select
        segment_id,
        max(centroid) as centroid
    from {{ ref('int_trained_centroids') }}
    group by segment_id

),

profiles as (

    select * from {{ ref('segment_profiles') }}

),

final as (

    select
        settings.run_id,
        settings.run_started_at as trained_at,
        segment_centroids.segment_id,
        segment_centroids.segment_name,
        segment_centroids.k,
        concat_ws(
            ',', settings.features, nullif(settings.categorical_features, '')
        ) as features,
        profiles.customer_count,
        profiles.customer_share,
        segment_centroids.training_customer_count,
        segment_centroids.is_new_segment,
        centroid_json.centroid
    from segment_centroids
    inner join profiles on segment_centroids.segment_id = profiles.segment_id
    inner join centroid_json on segment_centroids.segment_id = centroid_json.segment_id
    cross join settings
    where settings.retrain

)

select * from final
