{#-
    Warns (one row per segment) when a K-means segment holds less than var min_segment_share of
    the training customers. The k search passes over a k that gives one, unless every k does
    (or var k fixes k, or var retrain false scores a stored model that has one), and then such
    a segment is most often one or a few outliers of a skewed feature (a balance of 337,577
    among thousands), named as if they were a group. The warning names the feature its
    centroid is farthest out on and how to tame it. The rows are kept in the table the build
    prints ("See test failures").
-#}
{{ config(severity='warn', store_failures=true) }}

with

segments as (

    select * from {{ ref('segment_centroids') }}

),

feature_profiles as (

    select * from {{ ref('segment_feature_profiles') }}
    where is_clustering_feature and centroid_z is not null

),

settings as (

    select * from {{ ref('int_segmentation_settings') }}

),

-- Per segment: the feature its centroid is farthest from the mean on, and whether any
-- customer's value of it is below 0 (a log cannot take those).
farthest_features as (

    select
        segment_id,
        feature,
        feature_transform,
        centroid_z,
        lowest_value
    from (
        select
            *,
            min(min_value) over (partition by feature) as lowest_value,
            row_number() over (
                partition by segment_id order by abs(centroid_z) desc, feature_position asc
            ) as distance_rank
        from feature_profiles
    ) as ranked
    where distance_rank = 1

),

segment_shares as (

    select
        segment_id,
        segment_name,
        training_customer_count,
        cast(training_customer_count as double) / sum(training_customer_count) over () as training_share
    from segments

),

final as (

    select
        segment_shares.segment_id,
        segment_shares.segment_name,
        segment_shares.training_customer_count,
        'segment ' || cast(segment_shares.segment_id as string) || ' '
        || {{ quoted_text('segment_shares.segment_name') }} || ' holds '
        || cast(segment_shares.training_customer_count as string) || ' of the training customers ('
        || cast(round(100 * segment_shares.training_share, 2) as string)
        || '%), under var min_segment_share (' || cast(round(100 * settings.min_segment_share, 2) as string)
        || '%), kept because every k gave one this small, var k fixed k, or the stored model has it. '
        || 'Its centroid is '
        || cast(round(abs(farthest_features.centroid_z), 1) as string)
        || ' standard deviations from the mean on ' || farthest_features.feature
        || case
            when farthest_features.feature_transform = 'none' and farthest_features.centroid_z > 3
                and farthest_features.lowest_value >= 0
                then ': outliers of a skewed feature? Cluster on its log (var feature_settings: {'
                || farthest_features.feature || ': {log: true}}) or give it a max'
            when farthest_features.feature_transform = 'none' and farthest_features.centroid_z > 3
                then ': outliers of a skewed feature? Give it a max (var feature_settings: {'
                || farthest_features.feature || ': {max: ...}}): customers above it are rejected'
            else ''
        end as warning
    from segment_shares
    cross join settings
    left join farthest_features on segment_shares.segment_id = farthest_features.segment_id
    where segment_shares.training_share < settings.min_segment_share

)

select * from final
