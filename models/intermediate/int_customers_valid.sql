{#-
    The customers that can be segmented: staging rows without a rejection reason. A view, so a
    file of tens of millions of customers is not copied once more.
-#}
{{ config(materialized='view') }}
with

customers as (

    select * from {{ ref('int_customer_rows') }}

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
