{#- The customers that can be segmented: staging rows without a rejection reason. -#}
with

customers as (

    select * from {{ ref('stg_customers') }}

),

final as (

    select
        customer_id,
        gender,
        age,
        annual_income,
        spending_score,
        source_row_number,
    from customers
    where rejection_reason is null

)

select * from final
