{#-
    Stops the build when var order_date_format reads day and month in one order but the file
    has dates that only the other order reads (a number above 12 where the format expects the
    month): then the dates whose numbers are both 12 or less, which the format does read, may
    have day and month swapped. The message gives the counts and the format the dates look
    like. Nothing to check for a format without both %d and %m first (ISO dates, the default).
-#}
{{ config(enabled=orders_are_input()) }}
{%- set date_format = order_date_format() or '' %}
{%- set codes = modules.re.findall('%-?([dmYy])', date_format)[:2] %}
{%- set other_order = date_format.replace('%d', '%_').replace('%m', '%d').replace('%_', '%m') %}
{%- if codes not in [['d', 'm'], ['m', 'd']] %}

select 'no day and month to swap' as problem
where 1 = 0
{%- else %}
{%- set date_kind = order_column_kinds().order_date %}
{%- set month_number = 'first_number' if codes[0] == 'm' else 'second_number' %}
{%- set day_number = 'second_number' if codes[0] == 'm' else 'first_number' %}

with

order_dates as (

    select
        source_row_number,
        order_date,
        {{ restored_raw_value('order_date', date_kind) }} as raw_order_date
    from {{ ref('int_order_rows') }}

),

date_numbers as (

    select
        *,
        cast(nullif(regexp_extract(raw_order_date, '^ *([0-9]{1,2})[/.-][0-9]{1,2}[/.-][0-9]', 1), '') as int)
            as first_number,
        cast(nullif(regexp_extract(raw_order_date, '^ *[0-9]{1,2}[/.-]([0-9]{1,2})[/.-][0-9]', 1), '') as int)
            as second_number
    from order_dates

),

counts as (

    select
        count(raw_order_date) as date_count,
        count(order_date) as read_count,
        count(*) filter (
            where order_date is not null and {{ month_number }} <> {{ day_number }} and {{ day_number }} <= 12
        ) as either_way_count,
        count(*) filter (where {{ month_number }} between 13 and 31 and {{ day_number }} <= 12)
            as other_order_count,
        min_by(raw_order_date, source_row_number)
            filter (where {{ month_number }} between 13 and 31 and {{ day_number }} <= 12) as other_order_example,
        count(*) filter (where {{ day_number }} between 13 and 31 and {{ month_number }} <= 12)
            as this_order_count
    from date_numbers

),

checked as (

    select
        case when other_order_count > 0 and either_way_count > 0 then {{ raise_error(
            sql_string_literal("order_date_format '" ~ date_format ~ "' reads ") ~ " || cast(read_count as string) || "
            ~ "' of the ' || cast(date_count as string) || ' order dates of ' || "
            ~ sql_string_literal(input_label('orders')) ~ " || ', but ' || cast(other_order_count as string) || "
            ~ sql_string_literal(" have a number above 12 where it expects the month (e.g. '")
            ~ " || other_order_example || "
            ~ sql_string_literal("'), so the ") ~ " || cast(either_way_count as string) || "
            ~ sql_string_literal(" dates it reads whose day and month are both 12 or less may have them swapped. ")
            ~ " || case when this_order_count = 0 then "
            ~ sql_string_literal("The dates look like " ~ other_order ~ ": set --vars '{order_date_format: \""
                ~ other_order ~ "\"}'.")
            ~ " else cast(this_order_count as string) || "
            ~ sql_string_literal(" other dates read only as " ~ date_format ~ ": the file mixes both orders. "
                ~ "Export the dates as YYYY-MM-DD.")
            ~ " end"
        ) }} end as problem
    from counts

)

-- the error is raised where the problem is read
select * from checked
where problem is not null
{%- endif %}
