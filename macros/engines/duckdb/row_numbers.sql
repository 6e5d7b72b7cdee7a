{% macro duckdb__numbered_file_rows(staged) -%}
    {#- the number staging gave a row as read, else rowid (a unit test's rows have none: numbered
        in the order given) -#}
    {%- set row_number = 'coalesce(source_row_number, ' ~ ('row_number() over ()' if is_unit_test_rows(staged) else 'rowid + 1') ~ ')' -%}
    with

    -- the lines DuckDB could not parse (usually none; stored after the parsed rows), each at its
    -- estimated place among the data rows, not before an earlier one's (a glob's files restart)
    placed_lines as (
        select
            estimated_lines.* exclude (estimated_rows_before),
            max(estimated_rows_before) over (order by unreadable_rank) as parsed_rows_before
        from (
            select
                ranked_lines.*,
                least(
                    greatest(data_row_estimate - unreadable_rank, 0),
                    (select count(*) from {{ staged }} where unreadable_line_number is null)
                ) as estimated_rows_before
            from (
                -- by line, then by the reason, which names a glob's file
                select
                    *,
                    row_number() over (order by unreadable_line_number, value_problems) as unreadable_rank
                from {{ staged }}
                where unreadable_line_number is not null
            ) as ranked_lines
        ) as estimated_lines
    ),

    lines_before as (
        select
            parsed_rows_before,
            max(unreadable_rank) as unreadable_lines_before
        from placed_lines
        group by parsed_rows_before
    )

    -- no unreadable line: a row's number is its position (no join, no sort)
    select
        * exclude (source_row_number),
        cast({{ row_number }} as bigint) as source_row_number
    from {{ staged }}
    where unreadable_line_number is null and (select count(*) from placed_lines) = 0
    union all by name
    -- otherwise a parsed row moves down by the unreadable lines placed before it (this join
    -- sorts every row)
    select
        parsed.* exclude (parsed_row_number, source_row_number),
        cast(
            parsed.parsed_row_number + coalesce(lines_before.unreadable_lines_before, 0)
            as bigint
        ) as source_row_number
    from (
        select
            *,
            {{ row_number }} as parsed_row_number
        from {{ staged }}
        where unreadable_line_number is null and (select count(*) from placed_lines) > 0
    ) as parsed
    asof left join lines_before
        on parsed.parsed_row_number - 1 >= lines_before.parsed_rows_before
    union all by name
    select
        placed_lines.* exclude (parsed_rows_before, unreadable_rank, source_row_number),
        cast(placed_lines.parsed_rows_before + placed_lines.unreadable_rank as bigint)
            as source_row_number
    from placed_lines
{%- endmacro %}
