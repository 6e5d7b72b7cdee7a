{#-
    The centroids scoring uses: the latest training's rows of int_kmeans_centroids (which keeps
    every training), one row per segment and dimension, with the segment's slot for scoring.
-#}
{{ config(materialized='view') }}

with

trainings as (

    select * from {{ ref('int_kmeans_centroids') }}

),

latest_training as (

    select max(trained_at) as trained_at from trainings

),

final as (

    select
        trainings.*,
        -- the centroid's place in segment-id order: its slot in the scoring SQL
        -- (macros/segment_scoring.sql)
        dense_rank() over (order by trainings.segment_id) as slot
    from trainings
    inner join latest_training on trainings.trained_at = latest_training.trained_at

)

select * from final
