{#-
    Customers on the edge of their segment: the smallest assignment margins (distance to the
    second-nearest centroid minus distance to their own), with the segment they would move to.
    A campaign aimed at one segment reaches these customers least reliably.
-#}
with

customers as (

    select * from {{ ref('customer_segments') }}

),

segments as (

    select
        segment_id,
        segment_name
    from {{ ref('segment_profiles') }}

),

ranked as (

    select
        customers.*,
        row_number() over (
            partition by customers.segment_id
            order by customers.assignment_margin asc, customers.customer_id asc
        ) as boundary_rank
    from customers
    where customers.second_nearest_segment_id is not null

),

final as (

    select
        ranked.segment_id,
        ranked.segment_name,
        ranked.boundary_rank,
        ranked.customer_id,
        round(ranked.assignment_margin, 3) as assignment_margin,
        ranked.second_nearest_segment_id,
        second_segments.segment_name as second_nearest_segment_name,
        ranked.age,
        ranked.annual_income,
        ranked.spending_score
    from ranked
    inner join segments as second_segments
        on ranked.second_nearest_segment_id = second_segments.segment_id
    where ranked.boundary_rank <= 5

)

select * from final
order by segment_id asc, boundary_rank asc
