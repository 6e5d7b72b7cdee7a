{#-
    How this build's training moved the segments since the previous training: one row per
    segment of either, with its share of the customers then and now, how far its centroid
    moved, and whether it was kept, appeared or vanished. Empty when this build did not train,
    on a first training, after a training on other features, and with var reset_segment_ids
    (segment ids compare only between trainings that matched them). The drift tests
    (tests/dbt/drift_*.sql) read it.
-#}

with

runs as (

    select * from {{ ref('int_segmentation_runs') }}

),

history as (

    select * from {{ ref('segment_centroid_history') }}

),

centroids as (

    select * from {{ ref('int_kmeans_centroids') }}

),

scaling as (

    select * from {{ ref('int_feature_scaling') }}

),

trainings as (

    select
        run_id,
        max(trained_at) as trained_at,
        max(features) as features
    from history
    group by run_id

),

-- This build's training (this build is the latest run), unless it numbered ids afresh.
latest_training as (

    select trainings.*
    from trainings
    inner join runs on trainings.run_id = runs.run_id
    where
        not runs.reset_segment_ids
        and runs.run_started_at = (select max(latest.run_started_at) as run_started_at from runs as latest)

),

-- The training before this one, when it was on the same features.
previous_training_time as (

    select max(trainings.trained_at) as trained_at
    from trainings
    cross join latest_training
    where trainings.trained_at < latest_training.trained_at

),

previous_training as (

    select trainings.*
    from trainings
    inner join previous_training_time on trainings.trained_at = previous_training_time.trained_at
    inner join latest_training on trainings.features = latest_training.features

),

latest_segments as (

    select history.*
    from history
    inner join latest_training on history.run_id = latest_training.run_id

),

previous_segments as (

    select history.*
    from history
    inner join previous_training on history.run_id = previous_training.run_id

),

-- Each dimension of every centroid of this training beside the same dimension of every
-- centroid of the previous one, in this training's z units (a numeric feature's previous value
-- scaled as today; a category's one-hot value as it was).
centroid_dimensions as (

    select
        latest.segment_id as latest_segment_id,
        previous.segment_id as previous_segment_id,
        latest.z_value,
        case
            when previous.category is not null or scaling.feature_name is null then previous.z_value
            else (
                case when scaling.feature_transform = 'log' then ln(1 + previous.original_value)
                    else previous.original_value end
                - scaling.feature_mean
            ) / scaling.feature_stddev
        end as previous_z_value
    from centroids as latest
    inner join latest_training on latest.run_id = latest_training.run_id
    inner join centroids as previous
        on
            latest.feature = previous.feature
            and coalesce(latest.category, '') = coalesce(previous.category, '')
    inner join previous_training on previous.run_id = previous_training.run_id
    left join scaling on previous.feature = scaling.feature_name and previous.category is null

),

centroid_distances as (

    select
        latest_segment_id,
        previous_segment_id,
        sqrt(sum(power(z_value - previous_z_value, 2))) as centroid_distance
    from centroid_dimensions
    group by latest_segment_id, previous_segment_id

),

-- An appeared segment's distance to the nearest previous centroid; a vanished segment's to
-- the nearest centroid of this training.
nearest_previous as (

    select
        latest_segment_id as segment_id,
        min(centroid_distance) as centroid_distance
    from centroid_distances
    group by latest_segment_id

),

nearest_latest as (

    select
        previous_segment_id as segment_id,
        min(centroid_distance) as centroid_distance
    from centroid_distances
    group by previous_segment_id

),

same_segment as (

    select
        latest_segment_id as segment_id,
        centroid_distance
    from centroid_distances
    where latest_segment_id = previous_segment_id

),

segments as (

    select
        coalesce(latest_segments.segment_id, previous_segments.segment_id) as segment_id,
        coalesce(latest_segments.segment_name, previous_segments.segment_name) as segment_name,
        case
            when previous_segments.segment_id is null then 'appeared'
            when latest_segments.segment_id is null then 'vanished'
            else 'kept'
        end as segment_change,
        previous_segments.customer_share as previous_customer_share,
        latest_segments.customer_share
    from latest_segments
    full outer join previous_segments on latest_segments.segment_id = previous_segments.segment_id

),

final as (

    select
        segments.*,
        case segments.segment_change
            when 'kept' then same_segment.centroid_distance
            when 'appeared' then nearest_previous.centroid_distance
            else nearest_latest.centroid_distance
        end as centroid_distance,
        previous_training.trained_at as previous_trained_at,
        latest_training.trained_at
    from segments
    left join same_segment on segments.segment_id = same_segment.segment_id
    left join nearest_previous on segments.segment_id = nearest_previous.segment_id
    left join nearest_latest on segments.segment_id = nearest_latest.segment_id
    cross join latest_training
    cross join previous_training

)

select * from final
