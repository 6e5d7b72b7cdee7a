{#- Every input row that cannot be segmented, with its raw values and the reason. -#}
with

customers as (

    select * from {{ ref('int_customer_rows') }}

),

final as (

    select
        source_row_number,
        raw_customer_id,
        raw_gender,
        raw_age,
        raw_annual_income,
        raw_spending_score,
        rejection_reason,
    from customers
    where rejection_reason is not null

)

select * from final
