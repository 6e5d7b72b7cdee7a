{#-
    The customer file as DuckDB read it, every value as text under our column names (raw_*),
    and after those rows one row per line DuckDB could not parse (unreadable_line_number set).
    Stored as read, in file order, so stg_customers numbers the rows by their position in this
    table (rowid) instead of numbering tens of millions of rows with a window.
-#}
-- depends_on: {{ ref('sample_customers') }}
{%- set columns = customer_columns() %}

with

parsed_rows as (

    select
        null::bigint as unreadable_line_number,
        {%- for name, column in columns.items() %}
        cast({{ column or 'null' }} as varchar) as raw_{{ name }},
        {%- endfor %}
    from {{ customer_file_rows() }}

),

unreadable_lines as (

    select
        line_number as unreadable_line_number,
        data_row_estimate,
        error_type,
        error_message,
        raw_line,
    from {{ customer_file_unreadable_lines() }}

),

-- UNION ALL keeps the order of its inputs: parsed rows first, in file order.
final as (

    select * from parsed_rows
    union all by name
    select * from unreadable_lines

)

select * from final
