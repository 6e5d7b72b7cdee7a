{#-
    Drift: a segment that appeared (matched no segment of the previous training within var
    segment_match_max_distance) or vanished (no segment of this training matched it) since the
    previous training (int_segment_drift). Warns by default; var drift_severity error fails the
    build. One row per segment, its figures in `warning`.
-#}
{{ config(severity=var('drift_severity'), store_failures=true) }}

with

drift as (

    select * from {{ ref('int_segment_drift') }}

),

final as (

    select
        segment_id,
        segment_name,
        segment_change,
        coalesce(customer_share, previous_customer_share) as customer_share,
        'segment ' || cast(segment_id as string) || ' (' || segment_name || ') '
        || case
            when segment_change = 'appeared'
                then 'appeared since the previous training, with '
                || cast(round(100 * customer_share, 1) as string) || '% of the customers'
            else 'vanished since the previous training, where it held '
                || cast(round(100 * previous_customer_share, 1) as string) || '% of the customers'
        end as warning
    from drift
    where segment_change <> 'kept'

)

select * from final
