{#-
    Every order row is counted in the RFM features or rejected, exactly once: the
    source_row_numbers of the valid rows of int_order_rows and of order_rejections together
    are 1..N, N being the rows read from the orders file (parsed rows plus unreadable lines).
-#}
{{ config(enabled=orders_are_input()) }}
{%- set parts = [
    '(select source_row_number from ' ~ ref('int_order_rows') ~ ' where rejection_reason is null)',
    ref('order_rejections'),
] %}
{{ unaccounted_row_numbers(ref('stg_order_file_rows'), parts) }}
