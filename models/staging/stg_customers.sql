{#-
    One row per input row: the raw values as read, typed values, and why the row cannot be
    used (null when it can). Rows are never dropped here, not even a line DuckDB could not
    parse; marts split them into segmented customers and customer_rejections.
-#}
-- depends_on: {{ ref('sample_customers') }}
{%- set columns = customer_columns() %}
{%- set features = segment_features() %}
{%- set numeric_columns = numeric_column_rules().keys() | list %}

with

source as (

    select * from {{ customer_file_rows() }}

),

unreadable_lines as (

    select * from {{ customer_file_unreadable_lines() }}

),

parsed as (

    select
        -- File order is kept by the reader: the row's position among the rows DuckDB parsed.
        row_number() over () as parsed_row_number,
        {%- for name, column in columns.items() %}
        cast({{ column or 'null' }} as varchar) as raw_{{ name }},
        {%- endfor %}
    from source

),

-- How many parsed rows come before each unreadable line: its line number less the header,
-- kept inside what the row counts allow (blank or multi-line rows before it would shift it).
unreadable_placed as (

    select
        *,
        least(
            greatest(data_row_estimate, unreadable_rank),
            (select count(*) as parsed_row_count from parsed) + unreadable_rank
        ) - unreadable_rank as parsed_rows_before,
        'line ' || line_number || ' of the file could not be read ('
            || {{ unreadable_line_problem('error_type', 'error_message') }} || '): '''
            || left(raw_line, 200) || '''; fix or remove that line' as unreadable_reason,
    from (
        select
            *,
            row_number() over (order by line_number) as unreadable_rank,
        from unreadable_lines
    ) as ranked_lines

),

-- Parsed rows and unreadable lines in file order; the position is the data row's number.
renamed as (

    select
        row_number() over (order by parsed_rows_before, is_parsed, unreadable_rank)
            as source_row_number,
        * exclude (parsed_rows_before, is_parsed, unreadable_rank, parsed_row_number),
    from (
        select
            *,
            parsed_row_number - 1 as parsed_rows_before,
            true as is_parsed,
            null::bigint as unreadable_rank,
            null::varchar as unreadable_reason,
        from parsed
        union all by name
        select
            parsed_rows_before,
            false as is_parsed,
            unreadable_rank,
            unreadable_reason,
        from unreadable_placed
    ) as file_rows

),

typed as (

    select
        *,
        nullif(trim(raw_customer_id), '') as customer_id,
        {{ normalize_gender('raw_gender') }} as gender,
        {%- for name in numeric_columns %}
        {{ parse_number('raw_' ~ name) }} as {{ name }}_number,
        {%- endfor %}
    from renamed

),

checked as (

    select
        *,
        -- an unreadable line has no values: its one problem is that it could not be read
        coalesce(
            unreadable_reason,
            concat_ws(
                '; ',
                case when customer_id is null then 'missing customer id' end,
                {%- for name in numeric_columns %}
                {{ numeric_rejection_reason(name, name in features) }}{{ ',' if not loop.last }}
                {%- endfor %}
            )
        ) as value_problems,
    from typed

),

-- Of rows sharing an id, the first usable one (in file order) is kept; the others are rejected.
with_first_of_id as (

    select
        *,
        first_value(source_row_number) over same_id as kept_row_number,
        first_value(value_problems = '') over same_id as kept_row_is_usable,
        first_value(hash(gender, age_number, annual_income_number, spending_score_number))
            over same_id as kept_row_values,
    from checked
    window same_id as (
        partition by customer_id
        order by value_problems = '' desc, source_row_number
    )

),

final as (

    select
        source_row_number,
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
                nullif(value_problems, ''),
                case
                    when customer_id is null or source_row_number = kept_row_number then null
                    -- no row of this id is usable: each already has its own reason
                    when not kept_row_is_usable then null
                    when hash(gender, age_number, annual_income_number, spending_score_number)
                        = kept_row_values
                        then 'duplicate customer id ''' || customer_id || ''': same values as row '
                            || kept_row_number || ', which is kept'
                    else 'duplicate customer id ''' || customer_id || ''' with different values '
                        || 'from row ' || kept_row_number || ', which is kept; fix the id or merge the rows'
                end
            ),
            ''
        ) as rejection_reason,
    from with_first_of_id

)

select * from final
