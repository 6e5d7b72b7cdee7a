{#-
    The customer file read once and checked in the same pass: the typed values, what makes the
    row's own values unusable (value_problems, null when nothing), and each value as read where
    it differs from its typed value's text (raw_<column>_if_different; customer_rejections
    restores the values as read). After the parsed rows, one row per line DuckDB could not
    parse (its line number and text; that it could not be read is its problem). Stored in file
    order, so stg_customers numbers the rows by their position here (rowid) and the file's
    rows are written only once.
-#}
-- depends_on: {{ ref('sample_customers') }}
{#- customer_file_rows() reads a CSV file once to find its unreadable lines: call it once -#}
{%- set file_rows = customer_file_rows() %}
{%- set columns = customer_columns(file_rows) %}
{%- set features = segment_features() %}
{%- set numeric_columns = numeric_column_rules().keys() | list %}

with

parsed_rows as (

    select
        null::bigint as unreadable_line_number,
        {%- for name, column in columns.items() %}
        cast({{ column or 'null' }} as varchar) as raw_{{ name }},
        {%- endfor %}
    from {{ file_rows }}

),

typed as (

    select
        *,
        nullif(trim(raw_customer_id), '') as customer_id,
        {{ normalize_gender('raw_gender') }} as gender,
        {%- for name in numeric_columns %}
        {{ parse_number('raw_' ~ name) }} as {{ name }}_number,
        {%- endfor %}
    from parsed_rows

),

checked as (

    select
        unreadable_line_number,
        raw_customer_id,
        raw_gender,
        raw_age,
        raw_annual_income,
        raw_spending_score,
        customer_id,
        gender,
        try_cast(age_number as integer) as age,
        annual_income_number as annual_income,
        spending_score_number as spending_score,
        nullif(
            concat_ws(
                '; ',
                case when customer_id is null then 'missing customer id' end,
                {%- for name in numeric_columns %}
                {{ numeric_rejection_reason(name, name in features) }}{{ ',' if not loop.last }}
                {%- endfor %}
            ),
            ''
        ) as value_problems,
    from typed

),

-- What is stored of a parsed row: a value as read only where the typed value does not say it.
stored_rows as (

    select
        unreadable_line_number,
        customer_id,
        gender,
        age,
        annual_income,
        spending_score,
        value_problems,
        {%- for name in columns %}
        {{ raw_value_if_different(name) }} as raw_{{ name }}_if_different,
        {%- endfor %}
    from checked

),

unreadable_lines as (

    select
        line_number as unreadable_line_number,
        data_row_estimate,
        -- an unreadable line has no values: its one problem is that it could not be read
        'line ' || line_number || ' of the file could not be read ('
            || {{ unreadable_line_problem('error_type', 'error_message') }} || '): '''
            || left(raw_line, 200) || '''; fix or remove that line' as value_problems,
    from {{ customer_file_unreadable_lines() }}

),

-- UNION ALL keeps the order of its inputs: parsed rows first, in file order.
final as (

    select * from stored_rows
    union all by name
    select * from unreadable_lines

)

select * from final
