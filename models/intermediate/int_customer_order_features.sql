{#-
    One row per customer with at least one valid order (int_order_rows): the RFM features as
    of the as-of date, and when the customer's orders start and end. Frequency counts orders:
    lines with the same order id are one order (a line without an order id is one order).
    The amounts are summed exactly (decimals), so the same orders give the same features.
-#}
{{ config(enabled=orders_are_input()) }}

with

valid_orders as (

    select * from {{ ref('int_order_rows') }}
    where rejection_reason is null

),

per_customer as (

    select
        customer_id,
        min(source_row_number) as first_order_row_number,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        any_value(as_of_date) as as_of_date,
        count(distinct coalesce(order_id, '#' || cast(source_row_number as string))) as order_count,
        sum(cast(line_amount as decimal(38, 8))) as total_amount
    from valid_orders
    group by customer_id

),

final as (

    select
        customer_id,
        first_order_row_number,
        first_order_date,
        last_order_date,
        as_of_date,
        cast({{ days_between('last_order_date', 'as_of_date') }} as double) as recency_days,
        cast(order_count as double) as frequency,
        cast(total_amount as double) as monetary,
        cast({{ days_between('first_order_date', 'as_of_date') }} as double) as tenure_days,
        cast(total_amount as double) / order_count as avg_order_value
    from per_customer

)

select * from final
