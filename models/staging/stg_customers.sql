{#-
    One row per input row: the raw values as read (stg_customer_file_rows), typed values, and
    what makes the row's own values unusable (null when nothing). Rows are never dropped here,
    not even a line DuckDB could not parse. Repeated customer ids are resolved downstream
    (int_duplicate_customer_ids, int_customer_rows): one pass per row here, no window.
-#}
{%- set features = segment_features() %}
{%- set numeric_columns = numeric_column_rules().keys() | list %}
{%- set has_unreadable_lines = file_has_unreadable_lines(ref('stg_customer_file_rows')) %}

with

-- (Each CTE reads the stored table itself: DuckDB would buffer a CTE that is used twice.)
parsed as (

    select
        -- the rows DuckDB parsed come first, in file order: their position is their number
        {{ table_row_number(ref('stg_customer_file_rows')) }} as parsed_row_number,
        {%- for name in customer_column_aliases() %}
        raw_{{ name }},
        {%- endfor %}
    from {{ ref('stg_customer_file_rows') }}
    where unreadable_line_number is null

),

unreadable_lines as (

    select
        unreadable_line_number as line_number,
        data_row_estimate,
        error_type,
        error_message,
        raw_line,
    from {{ ref('stg_customer_file_rows') }}
    where unreadable_line_number is not null

),

-- How many parsed rows come before each unreadable line: its line number less the header,
-- kept inside what the row counts allow (blank or multi-line rows before it would shift it).
unreadable_placed as (

    select
        *,
        least(
            greatest(data_row_estimate, unreadable_rank),
            (
                select count(*) as parsed_row_count
                from {{ ref('stg_customer_file_rows') }} as file_rows
                where file_rows.unreadable_line_number is null
            ) + unreadable_rank
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

-- The number of unreadable lines placed before each parsed-row position (a few rows).
unreadable_before as (

    select
        parsed_rows_before,
        max(unreadable_rank) as unreadable_lines_before,
    from unreadable_placed
    group by parsed_rows_before

),

-- Parsed rows and unreadable lines, each numbered by its position among the file's data rows.
renamed as (

    select
        {%- if has_unreadable_lines %}
        cast(
            parsed.parsed_row_number + coalesce(unreadable_before.unreadable_lines_before, 0)
            as bigint
        ) as source_row_number,
        {%- else %}
        parsed.parsed_row_number as source_row_number,
        {%- endif %}
        {%- for name in customer_column_aliases() %}
        parsed.raw_{{ name }},
        {%- endfor %}
        cast(null as varchar) as unreadable_reason,
    from parsed
    {%- if has_unreadable_lines %}
    -- (only when there are unreadable lines: this join buffers and sorts every row)
    asof left join unreadable_before  -- noqa: LT02, ST11
        on parsed.parsed_row_number - 1 >= unreadable_before.parsed_rows_before
    {%- endif %}
    union all by name
    select
        cast(parsed_rows_before + unreadable_rank as bigint) as source_row_number,
        unreadable_reason,
    from unreadable_placed

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
        -- what makes the row's own values unusable; repeated ids are int_customer_rows' job
        nullif(value_problems, '') as value_problems,
        -- rows of one id with equal values are exact duplicates
        hash(gender, age_number, annual_income_number, spending_score_number) as values_hash,
    from checked

)

select * from final
