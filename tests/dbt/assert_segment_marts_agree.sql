{#-
    The segment-level marts checked together (a few rows each): segment_centroids,
    segment_profiles, segment_recommendations and segment_feature_profiles describe the same
    segments (and 'No purchase yet', 0, which has no centroid: customers without an order are
    not clustered); exactly one k of segment_model_selection is chosen and it is the number of
    segments; counts, shares, levels, priorities and the quality metrics are in their ranges.
    One row per problem, saying which.
-#}
with

centroids as (

    select * from {{ ref('segment_centroids') }}

),

profiles as (

    select * from {{ ref('segment_profiles') }}

),

recommendations as (

    select * from {{ ref('segment_recommendations') }}

),

feature_profiles as (

    select * from {{ ref('segment_feature_profiles') }}

),

selection as (

    select * from {{ ref('segment_model_selection') }}

),

-- One row: what the model selection chose, and how many segments there are.
chosen as (

    select
        count(*) filter (where selection.is_chosen) as chosen_count,
        max(selection.k) filter (where selection.is_chosen) as chosen_k,
        count(*) filter (
            where selection.silhouette < -1 or selection.silhouette > 1
            or selection.stability < -1 or selection.stability > 1
            or selection.inertia < 0 or selection.calinski_harabasz < 0
            or selection.davies_bouldin < 0
        ) as metrics_out_of_range,
        (select count(*) as segment_count from centroids) as segment_count
    from selection

),

segment_problems as (

    select
        coalesce(centroids.segment_id, profiles.segment_id, recommendations.segment_id) as segment_id,
        concat_ws(
            '; ',
            case
                when centroids.segment_id is null
                    and coalesce(profiles.segment_id, recommendations.segment_id) <> 0
                    then 'not in segment_centroids'
            end,
            case when centroids.segment_id = 0 then 'segment 0 (No purchase yet) has a centroid' end,
            case when profiles.segment_id is null then 'not in segment_profiles' end,
            case when recommendations.segment_id is null then 'not in segment_recommendations' end,
            case when profiles.customer_count < 1 then 'a segment without customers' end,
            case
                when profiles.customer_share < 0 or profiles.customer_share > 1
                    then 'customer_share outside 0 to 1'
            end,
            case
                when least(
                    profiles.female_share, profiles.male_share, profiles.other_share,
                    profiles.unknown_gender_share
                ) < 0
                or greatest(
                    profiles.female_share, profiles.male_share, profiles.other_share,
                    profiles.unknown_gender_share
                ) > 1
                    then 'a gender share outside 0 to 1'
            end,
            case when profiles.outlier_count < 0 then 'negative outlier_count' end,
            case
                when recommendations.priority not in ('High', 'Medium', 'Low')
                    then 'priority is not High, Medium or Low'
            end,
            case
                when centroids.k <> chosen.chosen_k
                    then 'k is not the chosen k of segment_model_selection'
            end
        ) as problem
    from centroids
    full outer join profiles on centroids.segment_id = profiles.segment_id
    full outer join recommendations
        on coalesce(centroids.segment_id, profiles.segment_id) = recommendations.segment_id
    cross join chosen

),

feature_problems as (

    select
        feature_profiles.segment_id,
        concat_ws(
            '; ',
            case
                when centroids.segment_id is null and feature_profiles.segment_id <> 0
                    then feature_profiles.feature || ': its segment is not in segment_centroids'
            end,
            case
                when feature_profiles.feature_level not in ('Low', 'Mid', 'High')
                    then feature_profiles.feature || ': feature_level is not Low, Mid or High'
            end,
            case
                when feature_profiles.is_clustering_feature and feature_profiles.centroid_value is null
                    and feature_profiles.segment_id <> 0
                    then feature_profiles.feature || ': a clustering feature without its centroid'
            end,
            case
                when feature_profiles.min_value > feature_profiles.mean_value
                    or feature_profiles.mean_value > feature_profiles.max_value
                    then feature_profiles.feature || ': the mean is not between the min and the max'
            end
        ) as problem
    from feature_profiles
    left join centroids on feature_profiles.segment_id = centroids.segment_id

),

selection_problems as (

    select
        cast(null as integer) as segment_id,
        concat_ws(
            '; ',
            case
                when chosen.chosen_count <> 1
                    then 'segment_model_selection: not exactly one chosen k'
            end,
            case
                when chosen.metrics_out_of_range > 0
                    then 'segment_model_selection: a metric outside its range'
            end,
            case
                when chosen.segment_count <> chosen.chosen_k
                    then 'the chosen k is not the number of segments'
            end
        ) as problem
    from chosen

),

final as (

    select * from segment_problems
    union all
    select * from feature_problems
    union all
    select * from selection_problems

)

select * from final
where problem <> ''
