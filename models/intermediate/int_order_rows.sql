{#-
    Every order row (stg_order_file_rows), numbered by its position in the file, with its
    amount (the amount column, else price x quantity), the as-of date of the RFM features and
    the final reason it is not counted (null: a valid order): its own value problems, a line
    identical to an earlier one in every field (counted once), a currency other than the one
    counted (var currency when it is a code, else the most frequent), a date after the as-of
    date, or (with a customer file) a customer id the customer file lacks. A line without an
    amount, of an order whose amount another line gives, is part of that order, counted with it.
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

-- The currency the amounts are counted in: var currency when it is a code (EUR), else the one
-- most of the usable lines are in (none without a currency): an amount in another cannot be
-- added to theirs.
main_currency as (

    {%- if modules.re.fullmatch('[A-Za-z]{3}', var('currency') or '') %}
    select
        {{ sql_string_literal(var('currency') | upper) }} as main_currency,
        ' (var currency)' as chosen_by
    {%- else %}
    select
        currency as main_currency,
        '' as chosen_by
    from {{ ref('stg_order_file_rows') }}
    where value_problems is null and currency is not null
    group by currency
    order by count(*) desc, currency
    limit 1
    {%- endif %}

),
{%- if customer_file_is_input() %}

customer_ids as (

    select distinct customer_id
    from {{ ref('stg_customer_file_rows') }}
    where customer_id is not null

),
{%- endif %}

checked_rows as (

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
                    when order_rows.currency <> main_currency.main_currency
                        then 'currency ' || order_rows.currency || ' is not the currency counted, '
                        || main_currency.main_currency || main_currency.chosen_by || ': amounts in several '
                        || 'currencies do not add up. Map converted columns (var orders_column_map: '
                        || '{amount: <converted amount>, currency: <its currency>}) or split the file'
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
    left join main_currency on true
    {%- if customer_file_is_input() %}
    left join customer_ids on order_rows.customer_id = customer_ids.customer_id
    {%- endif %}

),

-- A line whose only problem is a missing amount, of an order another line gives the amount of
-- (Shopify writes an order's total on its first line only): part of that order, counted or
-- not with the line that has the amount (the first, when several do), adding no amount.
lines_without_amount as (

    select distinct order_id
    from checked_rows
    where rejection_reason = 'missing amount' and order_id is not null

),

amount_lines as (

    select
        checked_rows.order_id,
        min(checked_rows.source_row_number) as amount_row_number,
        min_by(checked_rows.rejection_reason, checked_rows.source_row_number) as amount_row_reason
    from checked_rows
    inner join lines_without_amount on checked_rows.order_id = lines_without_amount.order_id
    where checked_rows.line_amount is not null
    group by checked_rows.order_id

),

final as (

    select
        checked_rows.source_row_number,
        {%- for name in kinds %}
        checked_rows.raw_{{ name }}_if_different,
        checked_rows.{{ name }},
        {%- endfor %}
        checked_rows.line_amount,
        checked_rows.as_of_date,
        case
            when amount_lines.order_id is null then checked_rows.rejection_reason
            when amount_lines.amount_row_reason is not null
                then 'a line of order ' || {{ quoted_text('checked_rows.order_id') }}
                || ' without an amount of its own, whose amount line (row '
                || cast(amount_lines.amount_row_number as string) || ') is not counted'
        end as rejection_reason
    from checked_rows
    left join amount_lines
        on checked_rows.order_id = amount_lines.order_id
        and checked_rows.rejection_reason = 'missing amount'

)

select * from final
