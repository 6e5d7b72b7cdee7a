{#- The ten highest spenders of each segment, with how typical they are of it. -#}
with

customers as (

    select * from {{ ref('customer_segments') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by segment_id order by spending_score desc, customer_id asc
        ) as spending_rank
    from customers

),

final as (

    select
        segment_id,
        segment_name,
        spending_rank,
        customer_id,
        spending_score,
        annual_income,
        age,
        distance_to_centroid
    from ranked
    where spending_rank <= 10

)

select * from final
order by segment_id, spending_rank
