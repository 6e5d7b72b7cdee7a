{#-
    One row per segment with what marketing should do: the playbook row (seed
    segment_playbook) whose levels all hold for the segment, the most specific one when
    several do (most conditions, then the lowest play_id); the playbook's default row (no
    levels) when none does. A playbook row's levels are conditions on the segment's feature
    levels, e.g. 'annual_income=High; spending_score=Low' or 'recency_days=Low; frequency=High'.
    The segment 'No purchase yet' (0) has no centroid, hence no levels: its customers have no
    order, the level 'frequency=None' of the playbook (a first-purchase play).
-#}

with

profiles as (

    select * from {{ ref('segment_profiles') }}

),

feature_levels as (

    select
        segment_id,
        feature,
        feature_level
    from {{ ref('segment_feature_profiles') }}
    where feature_level is not null
    union all
    select
        segment_id,
        'frequency' as feature,
        'None' as feature_level
    from profiles
    where segment_id = 0

),

playbook as (

    select
        *,
        -- ';annual_income=high;spending_score=low;': each condition between semicolons
        ';' || lower(replace(coalesce(levels, ''), ' ', '')) || ';' as condition_pattern,
        length(coalesce(levels, '')) - length(replace(coalesce(levels, ''), '=', ''))
            as condition_count
    from {{ ref('segment_playbook') }}

),

matched_conditions as (

    select
        feature_levels.segment_id,
        playbook.play_id,
        count(*) as matched_count
    from feature_levels
    inner join playbook
        on position(
            ';' || lower(feature_levels.feature || '=' || feature_levels.feature_level) || ';'
            in playbook.condition_pattern
        ) > 0
    group by feature_levels.segment_id, playbook.play_id

),

candidate_plays as (

    select
        profiles.segment_id,
        playbook.play_id,
        playbook.condition_count
    from profiles
    cross join playbook
    left join matched_conditions
        on profiles.segment_id = matched_conditions.segment_id
        and playbook.play_id = matched_conditions.play_id
    where playbook.condition_count = coalesce(matched_conditions.matched_count, 0)

),

chosen_plays as (

    select
        *,
        row_number() over (
            partition by segment_id order by condition_count desc, play_id asc
        ) as preference
    from candidate_plays

),

final as (

    select
        profiles.segment_id,
        profiles.segment_name,
        profiles.customer_count,
        profiles.customer_share,
        playbook.persona,
        playbook.strategy,
        playbook.channels,
        playbook.example_actions,
        playbook.priority,
        case when playbook.condition_count > 0 then playbook.levels else 'default' end
            as playbook_match
    from profiles
    inner join chosen_plays
        on profiles.segment_id = chosen_plays.segment_id and chosen_plays.preference = 1
    inner join playbook on chosen_plays.play_id = playbook.play_id

)

select * from final
