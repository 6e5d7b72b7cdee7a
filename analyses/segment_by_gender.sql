{#- Customers per segment and gender, with the share of the segment each gender makes up. -#}
with

customers as (

    select * from {{ ref('customer_segments') }}

),

final as (

    select
        segment_id,
        segment_name,
        gender,
        count(*) as customer_count,
        count(*) / sum(count(*)) over (partition by segment_id) as share_of_segment
    from customers
    group by segment_id, segment_name, gender

)

select * from final
order by segment_id, gender
