{#-
    The orders file (var orders_path) read once and checked in the same pass, like
    stg_customer_file_rows: one row per order line with the customer id, order id (when the
    file has one), order date and amount (or price and quantity), status (when the file has
    one: a status of var order_statuses_not_counted rejects the line), what makes the row's own
    values unusable, and each value as read where it differs from its typed value's text.
    After the parsed rows, one row per line DuckDB could not parse, appended from the read's
    own reject table (append_unreadable_lines). Stored in file order.
-#}
{{ config(
    enabled=orders_are_input(),
    post_hook="{{ append_unreadable_lines('orders') }}",
) }}
{%- set file = input_file_read('orders') %}
{%- set columns = input_columns('orders', file.headers) %}
{%- set kinds = order_column_kinds() %}
{%- set amount_from_price = columns.amount.column is none %}
{#- the amount of a line: its amount column, else price x quantity (int_order_rows computes it) -#}
{%- set order_amount = 'price * quantity' if amount_from_price else 'amount' %}
{%- set amount_as_read = 'raw_price' if amount_from_price else 'raw_amount' %}
{%- set statuses_not_counted = var('order_statuses_not_counted') or [] %}
{%- set statuses_not_counted = statuses_not_counted.split(',') if statuses_not_counted is string
    else statuses_not_counted %}

with

parsed_rows as (

    select
        {%- for name in kinds %}
        cast({{ columns[name].column or 'null' }} as string) as raw_{{ name }},
        {%- endfor %}
        cast(null as bigint) as unreadable_line_number,
        cast(null as bigint) as data_row_estimate,
        -- numbered as read when the date order below is joined to the rows
        {{ file.row_number if order_date_format() else file.row_number_before_joins }} as source_row_number,
        -- every field, null kept apart from blank (md5: 128 bits, the same on Spark)
        md5(concat_ws(
            chr(31),
            {%- for header in file.headers %}
            coalesce(cast({{ quote_identifier(header) }} as string), chr(30)){{ ',' if not loop.last }}
            {%- endfor %}
        )) as line_fingerprint,
        {{ file.unreadable_record }} as unreadable_record
    from {{ file.rows }}

),

-- Without var order_date_format, whether the dates put the day or the month first, as the
-- file's own dates show (a number above 12): d/m, m/d, both, or null (either way). With it,
-- nothing to find out.
date_orders as (

    {%- if order_date_format() %}
    select cast(null as string) as order_date_order
    {%- else %}
    select {{ day_month_order('raw_order_date') | indent(8) }} as order_date_order
    from parsed_rows
    {%- endif %}

),

typed as (

    select
        parsed_rows.*,
        date_orders.order_date_order,
        {{ id_value('raw_customer_id') | indent(8) }} as customer_id,
        {{ id_value('raw_order_id') | indent(8) }} as order_id,
        {{ parse_order_date('raw_order_date', 'order_date_order') }} as order_date,
        {{ parse_number('raw_amount', 'orders', file.delimiter) }} as amount,
        {{ parse_number('raw_price', 'orders', file.delimiter) }} as price,
        {{ parse_number('raw_quantity', 'orders', file.delimiter) }} as quantity,
        nullif(trim(parsed_rows.raw_order_status), '') as order_status,
        -- the currency column's code, else a code written with the amount (85.51 USD)
        coalesce(
            nullif(upper(trim(parsed_rows.raw_currency)), ''),
            nullif(regexp_extract(parsed_rows.{{ amount_as_read }}, '[A-Z]{3}', 0), '')
        ) as currency
    from parsed_rows
    cross join date_orders

),

checked as (

    select
        *,
        coalesce(
            {{ unreadable_record_problem('source_row_number', 'unreadable_record') | indent(12) }},
            nullif(
                concat_ws(
                    '; ',
                    case when customer_id is null then 'missing customer id' end,
                    {%- if statuses_not_counted %}
                    -- an order that did not go through: cancelled, refunded, failed
                    case
                        when lower(order_status) in (
                            {%- for status in statuses_not_counted %}
                            {{ sql_string_literal(status | string | trim | lower) }}{{ ',' if not loop.last }}
                            {%- endfor %}
                        )
                            then 'order status ' || {{ quoted_text('raw_order_status') }}
                            || ': did not go through, not counted'
                    end,
                    {%- endif %}
                    {{ date_rejection_reason(
                        'raw_order_date', 'order_date', 'order date', 'missing order date', 'order_date_order'
                    ) | indent(20) }},
                    {%- for name in (['price', 'quantity'] if amount_from_price else ['amount']) %}
                    case
                        when lower(trim(coalesce(raw_{{ name }}, ''))) in {{ missing_value_texts() }}
                            then 'missing {{ name }}'
                        when {{ name }} is null
                            then '{{ name }} ' || {{ quoted_text('raw_' ~ name) }} || ' is not a number'
                    end,
                    {%- endfor %}
                    -- the amount rounded as written, not as binary floating point (-7.6499999999999995)
                    case
                        when {{ order_amount }} < 0
                            then 'a return or refund (amount ' || cast(round({{ order_amount }}, 6) as string)
                            || '): RFM counts purchases only'
                        when abs({{ order_amount }}) >= {{ largest_plausible_value() }}
                            then 'amount ' || cast({{ order_amount }} as string) || ' is too large to be real'
                    end
                ),
                ''
            )
        ) as value_problems
    from typed

),

-- What is stored of a row: a value as read only where the typed value does not say it.
final as (

    select
        unreadable_line_number,
        data_row_estimate,
        source_row_number,
        line_fingerprint,
        {%- for name in kinds %}
        {{ name }},
        {%- endfor %}
        {%- for name, kind in kinds.items() %}
        {{ raw_value_if_different(name, kind) }} as raw_{{ name }}_if_different,
        {%- endfor %}
        value_problems
    from checked

)

select * from final
