{#-
    Stops the build when var order_date_format reads day and month in one order but a date
    column (the order dates, or a date feature of the customer file, each checked alone) has
    dates that only the other order reads (a number above 12 where the format expects the
    month): then the dates whose numbers are both 12 or less, which the format does read, may
    have day and month swapped. The message gives the counts and the format the dates look
    like. Nothing to check for a format without both %d and %m first (ISO dates, the default).
-#}
{%- set date_features = segment_features() | selectattr('date') | map(attribute='name') | list %}
{{ config(enabled=orders_are_input() or date_features | length > 0) }}
{%- set date_format = order_date_format() or '' %}
{%- set codes = modules.re.findall('%-?([dmYy])', date_format)[:2] %}
{%- set other_order = date_format.replace('%d', '%_').replace('%m', '%d').replace('%_', '%m') %}
{%- if codes not in [['d', 'm'], ['m', 'd']] %}

select 'no day and month to swap' as problem
where 1 = 0
{%- else %}
{%- set date_kind = order_column_kinds().order_date %}
{%- set columns = (['order_date'] if orders_are_input() else []) + date_features %}
{%- set month_number = 'first_number' if codes[0] == 'm' else 'second_number' %}
{%- set day_number = 'second_number' if codes[0] == 'm' else 'first_number' %}

with

-- Each date as read, whether it was read, and the column it is from, named as the message says.
dates as (
    {%- for name in columns %}
    {%- set is_order_date = name == 'order_date' and orders_are_input() %}

    select
        {{ sql_string_literal(('order' if is_order_date else name) ~ ' dates of '
            ~ input_label('orders' if is_order_date else 'customers')) }} as date_column,
        source_row_number,
        {{ name }} is not null as is_read,
        {{ restored_raw_value(name, date_kind) }} as raw_date
    from {{ ref('int_order_rows' if is_order_date else 'int_customer_rows') }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

date_numbers as (

    select
        *,
        cast(nullif(regexp_extract(raw_date, '^ *([0-9]{1,2})[/.-][0-9]{1,2}[/.-][0-9]', 1), '') as int)
            as first_number,
        cast(nullif(regexp_extract(raw_date, '^ *[0-9]{1,2}[/.-]([0-9]{1,2})[/.-][0-9]', 1), '') as int)
            as second_number
    from dates

),

counts as (

    select
        date_column,
        count(raw_date) as date_count,
        count(*) filter (where is_read) as read_count,
        count(*) filter (
            where is_read and {{ month_number }} <> {{ day_number }} and {{ day_number }} <= 12
        ) as either_way_count,
        count(*) filter (where {{ month_number }} between 13 and 31 and {{ day_number }} <= 12)
            as other_order_count,
        min_by(raw_date, source_row_number)
            filter (where {{ month_number }} between 13 and 31 and {{ day_number }} <= 12) as other_order_example,
        count(*) filter (where {{ day_number }} between 13 and 31 and {{ month_number }} <= 12)
            as this_order_count
    from date_numbers
    group by date_column

),

checked as (

    select
        case when other_order_count > 0 and either_way_count > 0 then {{ raise_error(
            sql_string_literal("order_date_format '" ~ date_format ~ "' reads ") ~ " || cast(read_count as string) || "
            ~ "' of the ' || cast(date_count as string) || ' ' || date_column || ', but ' || cast(other_order_count as string) || "
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
