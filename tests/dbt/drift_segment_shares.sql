{#-
    Drift: a segment whose share of the customers moved more than var drift_max_share_change
    (default 0.05) since the previous training (int_segment_drift). Warns by default; var
    drift_severity error fails the build. One row per segment, its figures in `warning`.
-#}
{{ config(severity=var('drift_severity'), store_failures=true) }}
{%- set max_change = decimal_var('drift_max_share_change', 0, 1) %}

with

drift as (

    select * from {{ ref('int_segment_drift') }}

),

final as (

    select
        segment_id,
        segment_name,
        previous_customer_share,
        customer_share,
        customer_share - previous_customer_share as share_change,
        'segment ' || cast(segment_id as string) || ' (' || segment_name || ') holds '
        || cast(round(100 * customer_share, 1) as string) || '% of the customers, against '
        || cast(round(100 * previous_customer_share, 1) as string) || '% at the previous training: '
        || {{ sql_string_literal('more than var drift_max_share_change (' ~ max_change ~ ') apart') }}
            as warning
    from drift
    where
        segment_change = 'kept'
        and abs(customer_share - previous_customer_share) > {{ max_change }}

)

select * from final
