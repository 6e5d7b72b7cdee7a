{#-
    One row per segment with what marketing should do: the playbook row for the segment's
    income and spending levels, or the playbook's default row ('Any', 'Any') when none matches
    (for example when income or spending is not a clustering feature).
-#}
with

profiles as (

    select * from {{ ref('segment_profiles') }}

),

centroids as (

    select * from {{ ref('segment_centroids') }}

),

playbook as (

    select * from {{ ref('segment_playbook') }}

),

default_play as (

    select * from playbook
    where income_level = 'Any' and spending_level = 'Any'

),

final as (

    select
        profiles.segment_id,
        profiles.segment_name,
        profiles.customer_count,
        profiles.customer_share,
        coalesce(matched.persona, default_play.persona) as persona,
        coalesce(matched.strategy, default_play.strategy) as strategy,
        coalesce(matched.channels, default_play.channels) as channels,
        coalesce(matched.example_actions, default_play.example_actions) as example_actions,
        coalesce(matched.priority, default_play.priority) as priority,
        case
            when matched.persona is not null then 'income and spending level'
            else 'default'
        end as playbook_match,
    from profiles
    inner join centroids on profiles.segment_id = centroids.segment_id
    left join playbook as matched
        on centroids.annual_income_level = matched.income_level
        and centroids.spending_score_level = matched.spending_level
    left join default_play on true

)

select * from final
