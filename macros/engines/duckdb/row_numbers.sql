{% macro duckdb__numbered_file_rows(staged) -%}
    {#- rowid, except in a unit test's rows, which have none: numbered in the order given -#}
    {%- set row_number = 'row_number() over ()' if is_unit_test_rows(staged) else 'rowid + 1' -%}
    {#-
        Whether the file has lines DuckDB could not parse. Taken as true where that cannot be
        asked (parsing, a unit test's rows, `dbt compile` before the first build): the general
        SQL is right either way, the shortcut only saves time.
    -#}
    {%- set has_unreadable_lines = true -%}
    {%- if execute and not is_unit_test_rows(staged) and load_relation(staged) is not none -%}
        {%- set has_unreadable_lines = run_query(
            'select count(*) from ' ~ staged ~ ' where unreadable_line_number is not null'
        ).columns[0].values()[0] > 0 -%}
    {%- endif -%}
    {%- if not has_unreadable_lines %}
    select
        * exclude (source_row_number),
        cast({{ row_number }} as bigint) as source_row_number
    from {{ staged }}
    {%- else %}
    select
        parsed.* exclude (parsed_row_number, source_row_number),
        cast(
            parsed.parsed_row_number + coalesce(unreadable_before.unreadable_lines_before, 0)
            as bigint
        ) as source_row_number
    from (
        select
            *,
            {{ row_number }} as parsed_row_number
        from {{ staged }}
        where unreadable_line_number is null
    ) as parsed
    -- the number of unreadable lines placed before each parsed-row position (a few rows;
    -- only when there are unreadable lines: this join buffers and sorts every row)
    asof left join (
        select
            parsed_rows_before,
            max(unreadable_rank) as unreadable_lines_before
        from ({{ unreadable_lines_placed(staged) }}) as placed
        group by parsed_rows_before
    ) as unreadable_before
        on parsed.parsed_row_number - 1 >= unreadable_before.parsed_rows_before
    union all by name
    select
        placed.* exclude (parsed_rows_before, unreadable_rank, source_row_number),
        cast(placed.parsed_rows_before + placed.unreadable_rank as bigint) as source_row_number
    from ({{ unreadable_lines_placed(staged) }}) as placed
    {%- endif %}
{%- endmacro %}


{% macro unreadable_lines_placed(staged) -%}
    select
        ranked_lines.*,
        least(
            greatest(ranked_lines.data_row_estimate, ranked_lines.unreadable_rank),
            (
                select count(*) as parsed_row_count
                from {{ staged }} as file_rows
                where file_rows.unreadable_line_number is null
            ) + ranked_lines.unreadable_rank
        ) - ranked_lines.unreadable_rank as parsed_rows_before
    from (
        select
            *,
            row_number() over (order by unreadable_line_number) as unreadable_rank
        from {{ staged }}
        where unreadable_line_number is not null
    ) as ranked_lines
{%- endmacro %}
