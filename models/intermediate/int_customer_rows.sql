{#-
    Every input customer row with the final reason it cannot be segmented (null: a valid
    customer): its own value problems; for a repeated customer id that is not the kept row,
    which row is kept; with orders as an input, a customer without a valid order when an
    order feature is clustered on (saying so when all its order rows were rejected). Each row
    is numbered by its position in the file (source_row_number). With the orders file alone,
    the customers are every id of its order rows, numbered in the order of their first order
    row; one whose order rows were all rejected is rejected, with the first one's reason. A
    customer of the customer file whose only reason is having no valid order is a prospect
    (is_prospect, var customers_without_orders segment): not clustered, but not rejected
    either: customer_segments puts it in the fixed segment 'No purchase yet'. A date feature
    becomes the days from its date to the as-of date (its date kept as read in
    raw_<feature>_if_different); a date after the as-of date is a reason. On
    DuckDB a view over the stored file and the small tables of repeated ids and order
    features; Spark would compute the joins again in each reader, so there it is a table.
-#}
{{ config(materialized='view' if target.type == 'duckdb' else 'table') }}
{%- set kinds = customer_column_kinds() %}
{%- set dates = segment_features() | selectattr('date') | map(attribute='name') | list %}
{%- set clustered_order_features = segment_features() | selectattr('source', 'equalto', 'orders')
    | map(attribute='name') | list %}
{%- set without_orders = var('customers_without_orders') %}
{%- if without_orders not in ['segment', 'reject'] %}
    {{- exceptions.raise_compiler_error("var 'customers_without_orders' is '" ~ without_orders
        ~ "'; use segment (customers without a valid order form the segment 'No purchase yet') or reject.") }}
{%- endif %}
{%- set all_orders_rejected -%}
    'all ' || cast(customer_order_rows.order_row_count as string) || ' order rows rejected, the first (row '
    || cast(customer_order_rows.first_rejected_row_number as string) || '): '
    || customer_order_rows.first_rejection_reason
{%- endset %}

with

{%- if customer_file_is_input() %}

input_rows as (

    {{ numbered_file_rows(ref('stg_customer_file_rows')) | indent(4) }}

),

duplicate_ids as (

    select * from {{ ref('int_duplicate_customer_ids') }}

),
{%- endif %}
{%- if dates %}

-- The day a date feature counts to: var as_of_date, else the orders' as-of date, else the day
-- after the latest date of the date features (never today: the same file gives the same days).
as_of as (

    {%- if date_var('as_of_date') %}
    select cast({{ sql_string_literal(date_var('as_of_date')) }} as date) as as_of_date
    {%- elif orders_are_input() %}
    select max(as_of_date) as as_of_date
    from {{ ref('int_order_rows') }}
    {%- else %}
    {%- set latest = 'max(' ~ dates | join('), max(') ~ ')' %}
    select cast({{ 'greatest(' ~ latest ~ ')' if dates | length > 1 else latest }} + interval 1 day as date) as as_of_date
    from input_rows
    {%- endif %}

),
{%- endif %}
{%- if orders_are_input() %}

order_features as (

    select * from {{ ref('int_customer_order_features') }}

),

-- Every customer id of the order rows: how many rows it has, and the first rejected one.
customer_order_rows as (

    select
        customer_id,
        min(source_row_number) as first_order_row_number,
        count(*) as order_row_count,
        min(source_row_number) filter (where rejection_reason is not null) as first_rejected_row_number,
        min_by(rejection_reason, source_row_number) filter (where rejection_reason is not null)
            as first_rejection_reason
    from {{ ref('int_order_rows') }}
    where customer_id is not null
    group by customer_id

),
{%- endif %}
{%- if customer_file_is_input() %}

final as (

    select
        input_rows.source_row_number,
        {%- for name in kinds if name not in dates %}
        input_rows.raw_{{ name }}_if_different,
        {%- if name == 'customer_id' and customer_ids_are_row_numbers() %}
        -- a file without ids (var column_map customer_id: null): a customer is its row
        cast(input_rows.source_row_number as string) as customer_id,
        {%- else %}
        input_rows.{{ name }},
        {%- endif %}
        {%- endfor %}
        {%- for name in dates %}
        -- a date feature is clustered as days; its date is kept as read
        coalesce(input_rows.raw_{{ name }}_if_different, cast(input_rows.{{ name }} as string))
            as raw_{{ name }}_if_different,
        cast({{ days_between('input_rows.' ~ name, 'as_of.as_of_date') }} as double) as {{ name }},
        {%- endfor %}
        {%- for name in attribute_catalog('orders') if orders_are_input() %}
        order_features.{{ name }},
        {%- endfor %}
        nullif(
            concat_ws(
                '; ',
                input_rows.value_problems,
                case
                    when duplicate_ids.customer_id is null then null
                    when input_rows.source_row_number = duplicate_ids.kept_row_number then null
                    -- no row of this id is usable: each already has its own reason
                    when not duplicate_ids.kept_row_is_usable then null
                    -- the same typed values as the (usable) kept row: an exact duplicate
                    when input_rows.value_problems is null
                        {%- for name in kinds if name != 'customer_id' %}
                        and input_rows.{{ name }} is not distinct from duplicate_ids.kept_{{ name }}
                        {%- endfor %}
                        then 'duplicate customer id ' || {{ quoted_text('input_rows.customer_id') }}
                        || ': same values as row ' || duplicate_ids.kept_row_number
                        || ', which is kept'
                    else 'duplicate customer id ' || {{ quoted_text('input_rows.customer_id') }}
                        || ' with different values from row ' || duplicate_ids.kept_row_number
                        || ', which is kept; fix the id or merge the rows'
                end
                {%- for name in dates %},
                case
                    when input_rows.{{ name }} > as_of.as_of_date
                        then {{ sql_string_literal(name ~ ' ') }} || cast(input_rows.{{ name }} as string)
                        || ' is after as_of_date ' || cast(as_of.as_of_date as string)
                        || ': set var as_of_date to a later day'
                end
                {%- endfor %}
                {%- if clustered_order_features %},
                case
                    when input_rows.customer_id is null or order_features.customer_id is not null then null
                    when customer_order_rows.customer_id is not null
                        then {{ all_orders_rejected }}
                    when input_rows.customer_id is not null
                        then {{ sql_string_literal(
                            'no valid order in the orders file ' ~ input_path('orders') ~ ' ('
                            ~ clustered_order_features | join(', ') ~ ' need at least one)') }}
                end
                {%- endif %}
            ),
            ''
        ) as rejection_reason,
        {%- if prospects_are_segmented() %}
        -- no reason but the missing order: a usable row, not a repeat of a kept row
        input_rows.value_problems is null and order_features.customer_id is null
        and (duplicate_ids.customer_id is null or input_rows.source_row_number = duplicate_ids.kept_row_number)
            as is_prospect
        {%- else %}
        false as is_prospect
        {%- endif %}
    from input_rows
    left join duplicate_ids on input_rows.customer_id = duplicate_ids.customer_id
    {%- if dates %}
    cross join as_of
    {%- endif %}
    {%- if orders_are_input() %}
    left join order_features on input_rows.customer_id = order_features.customer_id
    left join customer_order_rows on input_rows.customer_id = customer_order_rows.customer_id
    {%- endif %}

)
{%- else %}

-- The orders file alone: one customer per id of its order rows.
final as (

    select
        cast(row_number() over (order by customer_order_rows.first_order_row_number) as bigint)
            as source_row_number,
        {%- for name in kinds %}
        cast(null as string) as raw_{{ name }}_if_different,
        {%- endfor %}
        customer_order_rows.customer_id,
        'Unknown' as gender,
        {%- for name, rule in numeric_column_rules({}).items() %}
        cast(null as {{ rule.type or 'double' }}) as {{ name }},
        {%- endfor %}
        {%- for name in attribute_catalog('orders') %}
        order_features.{{ name }},
        {%- endfor %}
        case when order_features.customer_id is null then {{ all_orders_rejected }} end as rejection_reason,
        -- without a customer file, a customer whose order rows were all rejected is bad data
        false as is_prospect
    from customer_order_rows
    left join order_features on customer_order_rows.customer_id = order_features.customer_id

)
{%- endif %}

select * from final
