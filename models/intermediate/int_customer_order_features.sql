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

order_features as (

    {{ order_features('valid_orders') | indent(4) }}

)

select * from order_features
