{#-
    Drift: a centroid farther than var segment_match_max_distance (z units) from where it was
    at the previous training (int_segment_drift): a kept segment's from its own previous place,
    an appeared segment's from the nearest previous centroid (customers where there were no
    segment), a vanished segment's to the nearest centroid now. Warns by default; var
    drift_severity error fails the build. One row per segment, its figures in `warning`.
-#}
{{ config(severity=var('drift_severity'), store_failures=true) }}
{%- set max_distance = decimal_var('segment_match_max_distance', 0, 100) %}

with

drift as (

    select * from {{ ref('int_segment_drift') }}

),

final as (

    select
        segment_id,
        segment_name,
        segment_change,
        centroid_distance,
        'the centroid of segment ' || cast(segment_id as string) || ' (' || segment_name || ') '
        || case segment_change
            when 'kept' then 'moved '
            when 'appeared' then 'is '
            else 'was '
        end
        || cast(round(centroid_distance, 2) as string) || ' z units '
        || case segment_change
            when 'kept' then 'since the previous training'
            when 'appeared' then 'from the nearest centroid of the previous training'
            else 'from the nearest centroid of this training'
        end
        || {{ sql_string_literal(': more than var segment_match_max_distance (' ~ max_distance ~ ')') }}
            as warning
    from drift
    where centroid_distance > {{ max_distance }}

)

select * from final
