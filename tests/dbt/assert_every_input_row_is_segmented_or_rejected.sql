{#-
    Every input customer row is segmented or rejected, exactly once: the source_row_numbers of
    customer_segments and customer_rejections together are 1..N, N being the rows read from
    the customer file (stg_customer_file_rows: parsed rows plus unreadable lines) or, with the
    orders file alone, the customer ids of its order rows. So source_row_number is the key of
    the customer rows (int_customer_rows and the views over it), checked in one scan at the
    end of the build.
-#}
{%- set parts = [ref('customer_segments'), ref('customer_rejections')] %}
{#- the rows read (ref'd last: the test's subject, for tools that take a test's last parent) -#}
{{ unaccounted_row_numbers(
    ref('stg_customer_file_rows') if customer_file_is_input()
    else '(select distinct customer_id from ' ~ ref('int_order_rows') ~ ' where customer_id is not null)',
    parts
) }}
