{#-
    The rows DuckDB parsed are stored first, in file order, so their position in the table is
    their number; each line DuckDB could not parse is placed where it was in the file (its line
    number less the header, kept inside what the row counts allow: blank or multi-line rows
    before it would shift it).
-#}
{% macro duckdb__numbered_file_rows(staged) -%}
    {%- set has_unreadable_lines = file_has_unreadable_lines(staged) -%}
    {%- if not has_unreadable_lines %}
    select
        * exclude (source_row_number),
        cast({{ table_row_number(staged) }} as bigint) as source_row_number
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
            {{ table_row_number(staged) }} as parsed_row_number
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


{#- The unreadable lines of a staged file with how many parsed rows come before each. -#}
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


{#-
    The 1-based position of each row in a stored table, from DuckDB's rowid (rows keep the
    order they were inserted in). A unit test's rows have no rowid: they are numbered in the
    order given.
-#}
{% macro table_row_number(relation) -%}
    {%- if is_unit_test_rows(relation) -%}
        {{ return('row_number() over ()') }}
    {%- endif -%}
    {{ return('rowid + 1') }}
{%- endmacro %}


{#-
    Whether a staged file (given as `relation`) holds any line DuckDB could not parse.
    True when that cannot be asked (parsing, a unit test's rows, `dbt compile` before the first
    build): the general SQL is right either way, the shortcut only saves time.
-#}
{% macro file_has_unreadable_lines(relation) -%}
    {%- if not can_query_at_compile_time(relation) -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set found = run_query(
        'select count(*) from ' ~ relation ~ ' where unreadable_line_number is not null'
    ).columns[0].values()[0] -%}
    {{ return(found > 0) }}
{%- endmacro %}
