{#-
    One row per customer with at least one valid order (int_order_rows): the RFM features as
    of the as-of date, and when the customer's orders start and end. Frequency counts orders:
    lines with the same order id are one order (a line without an order id is one order).
    The amounts are summed exactly (decimals), so the same orders give the same features.
    With var compare_as_of_date, the same features as of that date from the orders dated on or
    before it (<feature>_then; null frequency_then without an order by then), measured in the
    same pass over the orders.
-#}
{{ config(enabled=orders_are_input()) }}
{%- set compare_date = date_var('compare_as_of_date') %}
{%- set then = "cast(" ~ sql_string_literal(compare_date) ~ " as date)" %}
{%- set order_key = "coalesce(order_id, '#' || cast(source_row_number as string))" %}

with

valid_orders as (

    select * from {{ ref('int_order_rows') }}
    where rejection_reason is null

),

per_customer as (

    select
        customer_id,
        {%- if compare_date %}
        min(case when order_date <= {{ then }} then order_date end) as first_order_date_then,
        max(case when order_date <= {{ then }} then order_date end) as last_order_date_then,
        count(distinct case when order_date <= {{ then }} then {{ order_key }} end) as order_count_then,
        sum(case when order_date <= {{ then }} then cast(line_amount as decimal(38, 8)) end)
            as total_amount_then,
        {%- endif %}
        min(source_row_number) as first_order_row_number,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        any_value(as_of_date) as as_of_date,
        count(distinct {{ order_key }}) as order_count,
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
        {%- if compare_date %}
        -- the compare date must be before the as-of date (the same date compares a build with itself)
        case
            when {{ then }} < as_of_date then {{ then }}
            else {{ raise_error(sql_string_literal("var compare_as_of_date (" ~ compare_date
                ~ ") must be before the as-of date of the order features (")
                ~ " || cast(as_of_date as string) || ')'") }}
        end as compare_as_of_date,
        cast({{ days_between('last_order_date_then', then) }} as double) as recency_days_then,
        cast(nullif(order_count_then, 0) as double) as frequency_then,
        cast(total_amount_then as double) as monetary_then,
        cast({{ days_between('first_order_date_then', then) }} as double) as tenure_days_then,
        cast(total_amount_then as double) / nullif(order_count_then, 0) as avg_order_value_then,
        {%- endif %}
        cast({{ days_between('last_order_date', 'as_of_date') }} as double) as recency_days,
        cast(order_count as double) as frequency,
        cast(total_amount as double) as monetary,
        cast({{ days_between('first_order_date', 'as_of_date') }} as double) as tenure_days,
        cast(total_amount as double) / order_count as avg_order_value
    from per_customer

)

select * from final
