{#-
    Warns (one row per customer id) when one customer holds a tenth or more of the counted
    orders of a file of many customers: most likely a shop's guest or placeholder id
    (WooCommerce writes 0 for a guest), which makes one giant customer of many people, named
    'Frequent' and 'High spend'. A real customer that large is worth the look too. The rows are
    kept in the table the build prints ("See test failures").
-#}
{{ config(severity='warn', store_failures=true, enabled=orders_are_input()) }}

with

customers as (

    select * from {{ ref('int_customer_order_features') }}

),

shares as (

    select
        customer_id,
        frequency,
        frequency / sum(frequency) over () as order_share,
        count(*) over () as customer_count
    from customers

),

final as (

    select
        customer_id,
        'customer id ' || {{ quoted_text('customer_id') }} || ' has '
        || cast(cast(frequency as bigint) as string) || ' of the counted orders ('
        || cast(cast(round(100 * order_share) as bigint) as string) || '%): a guest or '
        || 'placeholder id makes one customer of many. Map another column to customer_id '
        || '(var orders_column_map, e.g. the email), or remove those orders' as warning
    from shares
    where order_share >= 0.1 and frequency >= 20 and customer_count >= 20

)

select * from final
