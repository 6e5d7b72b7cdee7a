{#-
    One row per segment with what marketing should do: the playbook row (seed
    segment_playbook) whose levels all hold for the segment, the most specific one when
    several do (most conditions, then the lowest play_id); the playbook's default row (no
    levels) when none does. A playbook row's levels are conditions on the segment's feature
    levels, e.g. 'annual_income=High; spending_score=Low' or 'recency_days=Low; frequency=High',
    or on what a feature measures, its role: 'role:spend=High; role:frequency=Low' holds for
    any features that measure spend and frequency (a customer file's own columns). A play on
    the features themselves goes before a play on roles, which goes before the default.
    The segment 'No purchase yet' (0) has no centroid, hence no levels: its customers have no
    order, the level 'frequency=None' of the playbook (a first-purchase play).
-#}

with

profiles as (

    select * from {{ ref('segment_profiles') }}

),

clustered_levels as (

    select * from {{ ref('segment_feature_profiles') }}
    where feature_level is not null

),

catalog as (

    select * from {{ ref('int_attribute_catalog') }}

),

-- What each clustered feature measures: the user's word (var feature_settings, key role; none:
-- nothing), else the catalog's, else read off its name (avg_basket_eur: spend; visits_per_month:
-- frequency; last_order_date: recency; tenure_months: tenure; estimated_salary: income).
feature_roles as (

    select
        features.feature,
        case
            {%- for name, setting in feature_settings().items() if setting.role is defined %}
            when features.feature = {{ sql_string_literal(name) }}
                then {{ sql_string_literal(setting.role) if setting.role != 'none' else 'null' }}
            {%- endfor %}
            when catalog.attribute_role is not null then catalog.attribute_role
            when {{ matches_regexp('features.feature', "'(^|_)(recency|last)(_|$)'") }} then 'recency'
            when {{ matches_regexp('features.feature', "'(^|_)(tenure|signup|joined|since)(_|$)'") }}
                then 'tenure'
            when {{ matches_regexp('features.feature', "'(^|_)(income|salary|wage|earnings|wealth)(_|$)'") }}
                then 'income'
            when {{ matches_regexp(
                'features.feature',
                "'(^|_)(spend|spending|spent|monetary|revenue|sales|amount|basket|value|clv|ltv|aov)(_|$)'"
            ) }} then 'spend'
            when {{ matches_regexp(
                'features.feature',
                "'(^|_)(frequency|visits|orders|purchases|transactions|sessions|logins|trips|bookings)(_|$)'"
            ) }} then 'frequency'
        end as feature_role
    from (
        select distinct
            feature,
            feature_source
        from clustered_levels
    ) as features
    left join catalog
        on features.feature = catalog.attribute_name
        and features.feature_source = catalog.attribute_source

),

-- A segment's level on a role: that of its feature of the role farthest from the mean.
role_levels as (

    select
        segment_id,
        'role:' || feature_role as feature,
        feature_level
    from (
        select
            clustered_levels.segment_id,
            feature_roles.feature_role,
            clustered_levels.feature_level,
            row_number() over (
                partition by clustered_levels.segment_id, feature_roles.feature_role
                order by abs(clustered_levels.centroid_z) desc, clustered_levels.feature_position asc
            ) as distinctness_rank
        from clustered_levels
        inner join feature_roles on clustered_levels.feature = feature_roles.feature
        where feature_roles.feature_role is not null
    ) as ranked_roles
    where distinctness_rank = 1

),

feature_levels as (

    select
        segment_id,
        feature,
        feature_level
    from clustered_levels
    union all
    select * from role_levels
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
            as condition_count,
        -- plays on the features first, then on roles, then the default
        case
            when levels is null then 2
            when levels like '%role:%' then 1
            else 0
        end as play_tier
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
        playbook.play_tier,
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
            partition by segment_id order by play_tier asc, condition_count desc, play_id asc
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
