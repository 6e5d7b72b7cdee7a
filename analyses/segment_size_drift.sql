{#-
    How each segment's size and centroid moved between consecutive training runs (from
    segment_centroid_history): customers and share now and in the run before, and how far the
    centroid moved in z units. A segment that grows or drifts a lot is worth a second look
    before the next campaign.
-#}
with

history as (

    select * from {{ ref('segment_centroid_history') }}

),

with_previous as (

    select
        *,
        lag(trained_at) over same_segment as previous_trained_at,
        lag(customer_count) over same_segment as previous_customer_count,
        lag(customer_share) over same_segment as previous_customer_share,
        lag(z_age) over same_segment as previous_z_age,
        lag(z_annual_income) over same_segment as previous_z_annual_income,
        lag(z_spending_score) over same_segment as previous_z_spending_score
    from history
    window same_segment as (partition by segment_id order by trained_at asc, run_id asc)

),

final as (

    select
        segment_id,
        segment_name,
        trained_at,
        previous_trained_at,
        customer_count,
        previous_customer_count,
        customer_count - previous_customer_count as customer_count_change,
        round(customer_share - previous_customer_share, 4) as customer_share_change,
        -- features that are not clustered are null in both runs and count as no move
        round(sqrt(
            coalesce(pow(z_age - previous_z_age, 2), 0)
            + coalesce(pow(z_annual_income - previous_z_annual_income, 2), 0)
            + coalesce(pow(z_spending_score - previous_z_spending_score, 2), 0)
        ), 4) as centroid_shift_z
    from with_previous
    where previous_trained_at is not null

)

select * from final
order by trained_at desc, segment_id asc
