{#-
    A select of every row of a staged file (stg_customer_file_rows, stg_order_file_rows) with
    source_row_number: its position among the file's data rows. Used by the models that read a
    staged file; rows are never dropped.
-#}
{% macro numbered_file_rows(staged) -%}
    {{ return(adapter.dispatch('numbered_file_rows', 'customer_segments')(staged)) }}
{%- endmacro %}

{#- Spark numbered the rows as it read the file. -#}
{% macro spark__numbered_file_rows(staged) -%}
    select * from {{ staged }}
{%- endmacro %}

{#-
    The rows DuckDB parsed are stored first, in file order, so their position in the table is
    their number; each line DuckDB could not parse is placed where it was in the file (its line
    number less the header, kept inside what the row counts allow: blank or multi-line rows
    before it would shift it).
-#}
{% macro default__numbered_file_rows(staged) -%}
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
