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
        coalesce(playbook_row.persona, default_play.persona) as persona,
        coalesce(playbook_row.strategy, default_play.strategy) as strategy,
        coalesce(playbook_row.channels, default_play.channels) as channels,
        coalesce(playbook_row.example_actions, default_play.example_actions) as example_actions,
        coalesce(playbook_row.priority, default_play.priority) as priority,
        case
            when playbook_row.persona is not null then 'income and spending level'
            else 'default'
        end as playbook_match,
    from profiles
    inner join centroids on profiles.segment_id = centroids.segment_id
    left join playbook as playbook_row
        on centroids.annual_income_level = playbook_row.income_level
        and centroids.spending_score_level = playbook_row.spending_level
    left join default_play on true

)

select * from final
