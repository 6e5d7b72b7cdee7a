{#-
    Every order row (stg_order_file_rows), numbered by its position in the file, with its
    amount (the amount column, else price x quantity), the as-of date of the RFM features and
    the final reason it is not counted (null: a valid order): its own value problems, a line
    identical to an earlier one in every field (counted once), a date after the as-of date, or
    (with a customer file) a customer id the customer file lacks.
    The as-of date is var as_of_date, else the day after the latest order with valid values,
    so a rebuild of the same file gives the same features.
-#}
{{ config(materialized='view', enabled=orders_are_input()) }}
{%- set kinds = order_column_kinds() %}

with

numbered_rows as (

    {{ numbered_file_rows(ref('stg_order_file_rows')) | indent(4) }}

),

-- An export that repeats a line would count its amount twice: the first of identical lines is
-- the one counted.
order_rows as (

    select
        *,
        min(source_row_number) over (partition by line_fingerprint) as first_identical_row_number
    from numbered_rows

),

as_of as (

    {%- if date_var('as_of_date') %}
    select cast({{ sql_string_literal(date_var('as_of_date')) }} as date) as as_of_date
    {%- else %}
    select cast(max(order_date) + interval 1 day as date) as as_of_date
    from {{ ref('stg_order_file_rows') }}
    where value_problems is null
    {%- endif %}

),
{%- if customer_file_is_input() %}

customer_ids as (

    select distinct customer_id
    from {{ ref('stg_customer_file_rows') }}
    where customer_id is not null

),
{%- endif %}

final as (

    select
        order_rows.source_row_number,
        {%- for name in kinds %}
        order_rows.raw_{{ name }}_if_different,
        order_rows.{{ name }},
        {%- endfor %}
        coalesce(order_rows.amount, order_rows.price * order_rows.quantity) as line_amount,
        as_of.as_of_date,
        nullif(
            concat_ws(
                '; ',
                order_rows.value_problems,
                case
                    when order_rows.value_problems is null
                        and order_rows.first_identical_row_number < order_rows.source_row_number
                        then 'the same line as row ' || cast(order_rows.first_identical_row_number as string)
                        || ' (every field equal): counted once'
                end,
                case
                    when order_rows.order_date > as_of.as_of_date
                        then 'order date ' || cast(order_rows.order_date as string)
                        || ' is after as_of_date ' || cast(as_of.as_of_date as string)
                        || ': not counted'
                end
                {%- if customer_file_is_input() %},
                case
                    when order_rows.customer_id is not null and customer_ids.customer_id is null
                        then 'customer id ' || {{ quoted_text('order_rows.customer_id') }}
                        || ' is not in the customer file; not counted'
                end
                {%- endif %}
            ),
            ''
        ) as rejection_reason
    from order_rows
    cross join as_of
    {%- if customer_file_is_input() %}
    left join customer_ids on order_rows.customer_id = customer_ids.customer_id
    {%- endif %}

)

select * from final
