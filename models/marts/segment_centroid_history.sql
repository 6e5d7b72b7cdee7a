{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns',
    )
}}
{#-
    One row per segment per training run, appended by every build that trains (none by a
    scoring-only build): when it ran, the segment's size and centroid. The next training reads
    the latest run from here to keep segment ids, and drift in sizes and centroids is a query.
-#}

with

settings as (

    select * from {{ ref('int_segmentation_settings') }}

),

centroids as (

    select * from {{ ref('segment_centroids') }}

),

profiles as (

    select * from {{ ref('segment_profiles') }}

),

final as (

    select
        settings.run_id,
        settings.run_started_at as trained_at,
        centroids.segment_id,
        centroids.segment_name,
        centroids.k,
        array_to_string(settings.features, ',') as features,
        profiles.customer_count,
        profiles.customer_share,
        centroids.training_customer_count,
        centroids.is_new_segment,
        centroids.z_age,
        centroids.z_annual_income,
        centroids.z_spending_score,
        centroids.age,
        centroids.annual_income,
        centroids.spending_score,
    from centroids
    inner join profiles on centroids.segment_id = profiles.segment_id
    cross join settings
    where settings.retrain

)

select * from final
