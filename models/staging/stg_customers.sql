{#-
    One row per input row, numbered by its position among the file's data rows: the values and
    problems of stg_customer_file_rows, with each line DuckDB could not parse placed where it
    was in the file. Rows are never dropped here. A view: the file is stored once, upstream.
    Repeated customer ids are resolved downstream (int_duplicate_customer_ids, int_customer_rows).
-#}
{{ config(materialized='view') }}
{%- set has_unreadable_lines = file_has_unreadable_lines(ref('stg_customer_file_rows')) %}

with

-- (Each CTE reads the stored table itself: DuckDB would buffer a CTE that is used twice.)
parsed as (

    select
        -- the rows DuckDB parsed come first, in file order: their position is their number
        {{ table_row_number(ref('stg_customer_file_rows')) }} as parsed_row_number,
        *,
    from {{ ref('stg_customer_file_rows') }}
    where unreadable_line_number is null

),
{%- if has_unreadable_lines %}

unreadable_lines as (

    select
        unreadable_line_number,
        data_row_estimate,
        value_problems,
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
    from (
        select
            *,
            row_number() over (order by unreadable_line_number) as unreadable_rank,
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
{%- endif %}

-- Each parsed row numbered by its position among the file's data rows.
numbered_rows as (

    select
        {%- if has_unreadable_lines %}
        cast(
            parsed.parsed_row_number + coalesce(unreadable_before.unreadable_lines_before, 0)
            as bigint
        ) as source_row_number,
        {%- else %}
        cast(parsed.parsed_row_number as bigint) as source_row_number,
        {%- endif %}
        parsed.raw_customer_id_if_different,
        parsed.raw_gender_if_different,
        parsed.raw_age_if_different,
        parsed.raw_annual_income_if_different,
        parsed.raw_spending_score_if_different,
        parsed.customer_id,
        parsed.gender,
        parsed.age,
        parsed.annual_income,
        parsed.spending_score,
        -- what makes the row's own values unusable; repeated ids are int_customer_rows' job
        parsed.value_problems,
    from parsed
    {%- if has_unreadable_lines %}
    -- (only when there are unreadable lines: this join buffers and sorts every row)
    asof left join unreadable_before  -- noqa: LT02, ST11
        on parsed.parsed_row_number - 1 >= unreadable_before.parsed_rows_before
    {%- endif %}

),

final as (

    select * from numbered_rows
    {%- if has_unreadable_lines %}
    union all by name
    select
        cast(parsed_rows_before + unreadable_rank as bigint) as source_row_number,
        value_problems,
    from unreadable_placed
    {%- endif %}

)

select * from final
