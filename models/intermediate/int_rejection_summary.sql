{#-
    One row per kind of input row (customer rows; order rows, with an orders file): how many
    were read and rejected, the share rejected against var max_rejected_share, the three most
    common reasons with their counts, and which var most likely fixes them. A reason's values
    (quoted text, numbers) are left out to count the rows of one kind of problem together.
    What `./run build` prints after a build, what test assert_rejected_share_is_at_most_max
    warns with (test assert_some_customer_row_is_usable counts the same way when no customer
    is left).
-#}
{#- a table: one scan of the rows, then its readers (tests, ./run build) read 2 rows -#}
{{ config(materialized='table') }}
{%- set max_share = max_rejected_share() %}

with

rejections as (

    select
        'customer rows' as input_rows,
        1 as input_position,
        {{ sql_string_literal(input_label('customers' if customer_file_is_input() else 'orders')) }}
            as input_file,
        -- a prospect (no valid order) is segmented, as 'No purchase yet'
        case when not is_prospect then rejection_reason end as rejection_reason,
        source_row_number
    from {{ ref('int_customer_rows') }}
    {%- if orders_are_input() %}

    union all

    select
        'order rows' as input_rows,
        2 as input_position,
        {{ sql_string_literal(input_label('orders')) }} as input_file,
        rejection_reason,
        source_row_number
    from {{ ref('int_order_rows') }}
    {%- endif %}

),

reason_kinds as (

    select
        input_rows,
        {{ replace_regexp(
            replace_regexp('rejection_reason', sql_string_literal(" '[^']*'"), sql_string_literal(" '…'")),
            sql_string_literal('[0-9][0-9.eE+-]*'),
            sql_string_literal('N')) }} as reason_kind,
        count(*) as reason_count,
        min(source_row_number) as first_row_number,
        -- the var that most likely fixes this kind of problem
        max(
            {{ var_to_check('rejection_reason', "input_rows = 'order rows'") | indent(8) }}
        ) as var_to_check
    from rejections
    where rejection_reason is not null
    group by input_rows, reason_kind

),

top_reasons as (

    select
        input_rows,
        cast(reason_count as string) || ' × ' || reason_kind
        || ' (first: row ' || cast(first_row_number as string) || ')' as counted_reason,
        var_to_check,
        row_number() over (
            partition by input_rows order by reason_count desc, first_row_number asc
        ) as reason_rank
    from reason_kinds

),

totals as (

    select
        input_rows,
        input_position,
        input_file,
        count(*) as row_count,
        count(rejection_reason) as rejected_count
    from rejections
    group by input_rows, input_position, input_file

),

{%- if orders_are_input() %}

latest_order as (

    select
        max(as_of_date) as as_of_date,
        max(order_date) filter (where rejection_reason is null) as latest_order_date
    from {{ ref('int_order_rows') }}

),
{%- endif %}

final as (

    select
        totals.input_rows,
        totals.input_position,
        totals.input_file,
        totals.row_count,
        totals.rejected_count,
        cast(totals.rejected_count as double) / nullif(totals.row_count, 0) as rejected_share,
        cast({{ max_share }} as double) as max_rejected_share,
        nullif(concat_ws(
            '; ',
            max(case when top_reasons.reason_rank = 1 then top_reasons.counted_reason end),
            max(case when top_reasons.reason_rank = 2 then top_reasons.counted_reason end),
            max(case when top_reasons.reason_rank = 3 then top_reasons.counted_reason end)
        ), '') as top_reasons,
        nullif(concat_ws(
            ', ',
            max(case when top_reasons.var_to_check = 'order_date_format' then 'order_date_format' end),
            max(case when top_reasons.var_to_check = 'decimal_separator' then 'decimal_separator' end),
            max(case
                when top_reasons.var_to_check = 'orders_decimal_separator' then 'orders_decimal_separator'
            end),
            max(case when top_reasons.var_to_check = 'as_of_date' then 'as_of_date' end)
        ), '') as vars_to_check,
        {%- if orders_are_input() %}
        case when totals.input_rows = 'order rows' then any_value(latest_order.as_of_date) end as as_of_date,
        case when totals.input_rows = 'order rows' then any_value(latest_order.latest_order_date) end
            as latest_order_date
        {%- else %}
        cast(null as date) as as_of_date,
        cast(null as date) as latest_order_date
        {%- endif %}
    from totals
    left join top_reasons on totals.input_rows = top_reasons.input_rows and top_reasons.reason_rank <= 3
    {%- if orders_are_input() %}
    cross join latest_order
    {%- endif %}
    group by
        totals.input_rows, totals.input_position, totals.input_file, totals.row_count, totals.rejected_count

)

select * from final
