{#-
    Warns when var as_of_date is more than 90 days after the latest valid order: every
    customer's recency then carries the gap (a typo in the year, or an old export).
-#}
{{ config(enabled=orders_are_input(), severity='warn') }}

with

latest_order as (

    select
        max(as_of_date) as as_of_date,
        max(order_date) filter (where rejection_reason is null) as latest_order_date
    from {{ ref('int_order_rows') }}

)

select * from latest_order
where {{ days_between('latest_order_date', 'as_of_date') }} > 90
