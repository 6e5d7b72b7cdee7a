{#-
    Every order row that is not counted in the RFM features, with its raw values and the
    reason: a value that cannot be used, a return or refund (negative amount), a status that
    says the order did not go through (canceled, refunded, ...), a repeat of an earlier line
    (counted once), a date after the as-of date, or a customer the customer file lacks. Order
    rows = valid orders + rows of this table
    (tests/dbt/assert_every_order_row_is_counted_or_rejected.sql).
-#}
{{ config(enabled=orders_are_input()) }}
{%- set kinds = order_column_kinds() %}

with

order_rows as (

    select * from {{ ref('int_order_rows') }}

),

final as (

    select
        source_row_number,
        -- each value exactly as read, restored here for the rejected rows only
        {%- for name, kind in kinds.items() %}
        {{ restored_raw_value(name, kind) }} as raw_{{ name }},
        {%- endfor %}
        rejection_reason
    from order_rows
    where rejection_reason is not null

)

select * from final
