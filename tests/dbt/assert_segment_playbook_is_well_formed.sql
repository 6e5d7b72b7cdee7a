{#-
    The playbook seed as marketing edits it: every play has a persona, a strategy and a
    priority of High, Medium or Low; its levels are conditions '<feature>=<Low|Mid|High>' or
    'role:<role>=<Low|Mid|High>' (or 'frequency=None': no order, the segment 'No purchase
    yet') joined by ';'; exactly one play, the default, has none. One row per problem, saying
    which.
-#}
{%- set condition = '(role:)?[a-z][a-z0-9_]*=(Low|Mid|High)' %}
with

plays as (

    select * from {{ ref('segment_playbook') }}

),

default_plays as (

    select count(*) as default_play_count
    from plays
    where levels is null

),

checked as (

    select
        plays.play_id,
        concat_ws(
            '; ',
            case when plays.persona is null then 'no persona' end,
            case when plays.strategy is null then 'no strategy' end,
            case
                when coalesce(plays.priority, '') not in ('High', 'Medium', 'Low')
                    then 'priority ' || {{ quoted_text("coalesce(plays.priority, '')") }}
                    || ' is not High, Medium or Low'
            end,
            case
                when plays.levels is not null
                    and not {{ matches_regexp(
                        "replace(plays.levels, ' ', '')",
                        "'^" ~ condition ~ "(;" ~ condition ~ ")*$'"
                    ) }}
                    and replace(plays.levels, ' ', '') <> 'frequency=None'
                    then 'levels ' || {{ quoted_text('plays.levels') }}
                    || ' are not conditions like annual_income=High; spending_score=Low or '
                    || 'role:spend=High'
            end
        ) as problem
    from plays

),

final as (

    select
        play_id,
        problem
    from checked
    where problem <> ''
    union all
    select
        cast(null as integer) as play_id,
        'there must be exactly one default play (a row without levels), not '
        || cast(default_play_count as string) as problem
    from default_plays
    where default_play_count <> 1

)

select * from final
